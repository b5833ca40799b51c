"""Fixtures for the browser tests: the real site built once, served on 127.0.0.1, one headless Chromium.

Chromium is Debian's (/usr/bin/chromium, installed by .ci/run with apt), never a browser downloaded by
`playwright install`. Every browser context blocks and records requests to any host but 127.0.0.1.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from conftest import build, make_project  # tests/conftest.py: the same build as the other tests
from playwright.sync_api import Browser, BrowserContext, Page, sync_playwright

from .checks import NetworkGuard
from .pages import PageType
from .site_server import SiteServer

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync"]
SCREENSHOTS = Path(__file__).resolve().parent.parent / "screenshots"
HEIGHTS = {320: 568, 375: 667, 1280: 800}


@pytest.fixture(scope="session")
def built_site(tmp_path_factory):
    """The project's own stories, built once with --strict for the whole browser session."""
    site = build(make_project(tmp_path_factory.mktemp("browser"), None), strict=True)
    assert site.error is None, f"the site does not build: {site.error}"
    return site


@pytest.fixture(scope="session")
def site_prefix(built_site) -> str:
    """The path the site lives under on its host (``/sammen`` for ``https://example.invalid/sammen/``)."""
    from mkdocs.config import load_config

    config = load_config(config_file=str(built_site.root / "mkdocs.yml"))
    return urlsplit(config.site_url or "/").path.rstrip("/")


@pytest.fixture(scope="session")
def site_server(built_site, site_prefix):
    with SiteServer(built_site.site_dir, site_prefix) as server:
        yield server


@pytest.fixture(scope="session")
def chromium() -> Browser:
    if not CHROMIUM.is_file():
        pytest.fail(f"{CHROMIUM} is missing: install Debian's chromium (`apt-get install chromium`, as .ci/run does)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@dataclass
class GuardedContext:
    context: BrowserContext
    guard: NetworkGuard


class SiteBrowser:
    """Opens the served site's pages in shared browser contexts, one per palette and window width."""

    def __init__(self, chromium: Browser, server: SiteServer) -> None:
        self.chromium = chromium
        self.server = server
        self._contexts: dict[tuple[str, int], GuardedContext] = {}
        self._pages: list[Page] = []

    def new_context(self, palette: str = "light", width: int = 1280) -> GuardedContext:
        """A context of its own (the caller closes it): for tests that store or change something."""
        context = self.chromium.new_context(
            viewport={"width": width, "height": HEIGHTS.get(width, 800)},
            color_scheme=palette,
            service_workers="block",
            locale="nb-NO",
            # The suite's checks put axe-core and helper styles into the page inline, which the site's
            # Content-Security-Policy blocks; test_csp.py opens pages in contexts that enforce it.
            bypass_csp=True,
        )
        context.set_default_timeout(10_000)
        return GuardedContext(context, NetworkGuard(context))

    def context(self, palette: str = "light", width: int = 1280) -> GuardedContext:
        key = (palette, width)
        if key not in self._contexts:
            self._contexts[key] = self.new_context(palette, width)
        return self._contexts[key]

    def open(self, page_type: PageType | str, *, palette: str = "light", width: int = 1280,
             context: GuardedContext | None = None, server: SiteServer | None = None, keep: bool = False) -> Page:
        """Load a page and check the server's answer: a missing page fails here, by name.

        The page is closed after the test, unless ``keep`` (the caller closes it).
        """
        path = page_type.path if isinstance(page_type, PageType) else page_type
        status = page_type.status if isinstance(page_type, PageType) else 200
        url = (server or self.server).url(path)
        page = (context or self.context(palette, width)).context.new_page()
        if not keep:
            self._pages.append(page)
        errors: list[str] = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.script_errors = errors  # JavaScript errors while the page is open
        response = page.goto(url, wait_until="load")
        assert response is not None and response.status == status, (
            f"MISSING PAGE: {url} answers HTTP {response.status if response else '—'}, "
            f"expected {status}" + (f" – the page /{path} is not in the built site" if status == 200 else "")
        )
        return page

    def close_pages(self) -> None:
        for page in self._pages:
            if not page.is_closed():
                page.close()
        self._pages.clear()

    def close(self) -> None:
        self.close_pages()
        for guarded in self._contexts.values():
            guarded.context.close()


@pytest.fixture(scope="session")
def _site_browser(chromium, site_server):
    browser = SiteBrowser(chromium, site_server)
    yield browser
    browser.close()


@pytest.fixture
def site_browser(_site_browser):
    """The shared browser; the pages a test opens are closed after it."""
    yield _site_browser
    _site_browser.close_pages()


@pytest.fixture(scope="session")
def screenshots() -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS
