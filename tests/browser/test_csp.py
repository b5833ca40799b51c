"""The Content-Security-Policy (hooks/storysite/csp.py) in Chromium: every page type loads without a
single violation and still works (search, theme button, skip link), and script put into a story's
text does not run.

The rest of the suite opens pages with the policy bypassed (its checks put axe-core and helper styles
into the page inline); these tests open them in browser contexts that enforce it.
"""

from __future__ import annotations

import shutil
import time
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, Page

from .checks import NetworkGuard, focus_to_top
from .conftest import HEIGHTS, GuardedContext
from .pages import PAGE_TYPES, PALETTES, STORY_WITH_PICTURE, PageType
from .site_server import SiteServer
from .test_search import open_search_results, tagged_story_paths

# Installed before any of the page's own scripts run: every violation the page reports, in order.
_LISTEN = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__cspViolations.push({directive: e.effectiveDirective, blocked: e.blockedURI, file: e.sourceFile,
                               line: e.lineNumber, disposition: e.disposition});
}, true);
"""


class PolicyContext:
    """A browser context that enforces the site's policy and records what it reports."""

    def __init__(self, chromium: Browser, palette: str = "light", width: int = 1280) -> None:
        context = chromium.new_context(
            viewport={"width": width, "height": HEIGHTS.get(width, 800)},
            color_scheme=palette,
            service_workers="block",
            locale="nb-NO",
        )
        context.set_default_timeout(10_000)
        context.add_init_script(_LISTEN)
        self.guarded = GuardedContext(context, NetworkGuard(context))
        self.console: list[str] = []  # Chromium's own account of each violation
        context.on("console", self._console)

    def _console(self, message) -> None:
        if "Content Security Policy" in message.text:
            self.console.append(message.text)

    def violations(self, page: Page) -> list[dict]:
        return page.evaluate("() => window.__cspViolations || []")

    def describe(self, page: Page) -> str:
        lines = [f"  {v['directive']} blocked {v['blocked'] or '—'} ({v['file'] or 'the page'}:{v['line']})"
                 for v in self.violations(page)]
        return "\n".join(lines + [f"  console: {text[:300]}" for text in self.console])

    def close(self) -> None:
        self.guarded.context.close()


@pytest.fixture
def policy_context(chromium):
    """Open an enforcing context with ``policy_context(palette)``; each is closed after the test."""
    opened: list[PolicyContext] = []

    def open_context(palette: str = "light", width: int = 1280) -> PolicyContext:
        opened.append(PolicyContext(chromium, palette, width))
        return opened[-1]

    yield open_context
    for context in opened:
        context.close()


def _site_path(url: str, server: SiteServer) -> str:
    return urlsplit(url).path.removeprefix(urlsplit(server.root).path)


def _assert_no_violations(watch: PolicyContext, page: Page, where: str) -> None:
    assert not watch.violations(page) and not watch.console, (
        f"CSP: on {where}, the Content-Security-Policy blocks part of the page (a reader loses what it does):\n"
        + watch.describe(page)
    )


def _assert_skip_link_reaches_the_content(page: Page, where: str) -> None:
    """The first Tab stop is «Gå til innhold»; Enter puts focus on the content area, whose id and
    tabindex main.html writes into the page (no script is needed for the skip link)."""
    focus_to_top(page)
    page.keyboard.press("Tab")
    first = page.evaluate("() => [document.activeElement.getAttribute('href'), document.activeElement.innerText]")
    assert first == ["#innhold", "Gå til innhold"], f"SKIP LINK: on {where}, the first Tab stop is {first}"
    page.keyboard.press("Enter")
    page.wait_for_function("() => document.activeElement && document.activeElement.id === 'innhold'", timeout=2000)
    assert page.evaluate("() => document.activeElement.matches('.md-content__inner')"), where


def _assert_theme_button_switches_theme(page: Page, where: str) -> None:
    before = page.evaluate("() => document.body.dataset.mdColorScheme")
    page.locator("form[data-md-component=palette] label:not([hidden])").click()
    page.wait_for_function("(before) => document.body.dataset.mdColorScheme !== before", arg=before, timeout=3000)
    after = page.evaluate("() => document.body.dataset.mdColorScheme")
    assert {before, after} == {"default", "slate"}, f"THEME: on {where}, the theme went from {before} to {after}"


@pytest.mark.parametrize("palette", PALETTES)
@pytest.mark.parametrize("page_type", PAGE_TYPES, ids=str)
def test_page_type_runs_without_csp_violations_and_search_theme_and_skip_link_work(
    site_browser, site_server, policy_context, page_type: PageType, palette: str
):
    watch = policy_context(palette)
    where = f"{page_type} ({palette} theme, policy enforced)"
    page = site_browser.open(page_type, context=watch.guarded)
    page.wait_for_load_state("networkidle")  # the search worker has fetched its index
    policy = page.evaluate(
        "() => document.head.querySelector('meta[http-equiv=Content-Security-Policy]')?.content || null")
    assert policy and "'unsafe-inline'" not in policy and "'unsafe-eval'" not in policy, f"{where}: policy {policy}"
    _assert_no_violations(watch, page, f"{where}, when it has loaded")

    results = {_site_path(url, site_server) for url in open_search_results(page, "bærekraft")}
    assert results & tagged_story_paths("bærekraft"), f"SEARCH: on {where}, «bærekraft» lists {sorted(results)}"
    page.keyboard.press("Escape")
    _assert_theme_button_switches_theme(page, where)
    _assert_skip_link_reaches_the_content(page, where)  # last: Material closes its search when #innhold is set

    _assert_no_violations(watch, page, f"{where}, after skip link, search and theme button")
    assert not page.script_errors, f"JavaScript errors on {where}: {page.script_errors}"


# ---------------------------------------------------------------------------------------------
# Fault: script in a story's text. The policy must stop each kind; with the policy bypassed, each runs.

BODY = '<div class="story__body">'
FAULT_PAGE = "historier/feil-skript/"
INJECTED = (
    '<img src=x onerror="window.__pwned=1">'
    "<script>window.__pwned2=1</script>"
    '<a id="feil-lenke" href="javascript:window.__pwned3=1">Les mer</a>'
    '<img src="https://example.invalid/sporing.gif" alt="">'
)
RAN = "() => [window.__pwned ?? null, window.__pwned2 ?? null, window.__pwned3 ?? null]"


@pytest.fixture(scope="module")
def script_fault_site(built_site, site_prefix, tmp_path_factory):
    """A copy of the built site with a story page whose text holds script, served on its own port."""
    site_dir = tmp_path_factory.mktemp("csp-fault") / "site"
    shutil.copytree(built_site.site_dir, site_dir)
    story = site_dir / STORY_WITH_PICTURE
    html = (story / "index.html").read_text(encoding="utf-8")
    assert html.find('<article class="md-content__inner') < html.find(BODY), "the story text is not in the article"
    (site_dir / FAULT_PAGE).mkdir(parents=True)
    for picture in story.iterdir():
        if picture.is_file() and picture.name != "index.html":
            shutil.copy2(picture, site_dir / FAULT_PAGE / picture.name)
    (site_dir / FAULT_PAGE / "index.html").write_text(html.replace(BODY, BODY + INJECTED, 1), encoding="utf-8")
    with SiteServer(site_dir, site_prefix) as server:
        yield server


def test_csp_stops_an_event_handler_a_script_and_a_javascript_link_in_story_text(
    site_browser, script_fault_site, policy_context
):
    watch = policy_context()
    page = site_browser.open(FAULT_PAGE, context=watch.guarded, server=script_fault_site)
    page.locator("#feil-lenke").click()
    deadline = time.monotonic() + 10  # the reports arrive asynchronously; a loaded machine is slow
    while (len(watch.violations(page)) < 4 or len(watch.console) < 4) and time.monotonic() < deadline:
        page.wait_for_timeout(100)
    assert page.evaluate(RAN) == [None, None, None], "CSP: script in the story's text ran despite the policy"
    found = sorted((v["directive"], v["blocked"]) for v in watch.violations(page))
    assert found == [
        ("img-src", "https://example.invalid/sporing.gif"),  # a picture from another host
        ("script-src-attr", "inline"),  # onerror="…"
        ("script-src-elem", "inline"),  # <script>…</script>
        ("script-src-elem", "inline"),  # href="javascript:…", when clicked
    ], watch.describe(page)
    assert {v["disposition"] for v in watch.violations(page)} == {"enforce"}
    assert len(watch.console) == 4, watch.describe(page)


def test_the_injected_script_runs_when_the_policy_is_bypassed(site_browser, script_fault_site):
    """The control: the fault page's script is live code, so the test above proves the policy stops it."""
    page = site_browser.open(FAULT_PAGE, server=script_fault_site)  # the suite's contexts bypass the policy
    page.locator("#feil-lenke").click()
    page.wait_for_function("() => window.__pwned3 === 1", timeout=2000)
    assert page.evaluate(RAN) == [1, 1, 1]
