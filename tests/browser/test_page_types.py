"""Every page type in the light and the dark theme, loaded once for three checks: axe-core finds no
WCAG 2.1 A/AA violation; the page contacts no other host and stores nothing; and screenshots at 1280
and 375 px are written to tests/screenshots/ (for people to look at: a page that passes but looks
broken is broken; the pull-request workflow uploads the folder)."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from playwright.sync_api import Page

from .checks import assert_no_axe_violations, assert_private
from .pages import PAGE_TYPES, PALETTES, PageType

SCREENSHOT_WIDTHS = (1280, 375)


@dataclass
class Rendered:
    page: Page
    page_type: PageType
    palette: str
    offsite: list[str]  # requests to other hosts since the page started loading
    failed: list[str]  # the site's answers with an error status to the page's requests (status and address)

    def __str__(self) -> str:
        return f"/{self.page_type.path} ({self.palette} theme)"


@pytest.fixture(
    scope="module",
    params=[(page_type, palette) for page_type in PAGE_TYPES for palette in PALETTES],
    ids=lambda param: f"{param[0].name}-{param[1]}",
)
def rendered(request, _site_browser):
    page_type, palette = request.param
    context = _site_browser.context(palette)
    guard = context.guard
    mark = guard.mark()
    failed: list[str] = []

    def answered(response) -> None:
        if response.status >= 400 and response.request.resource_type != "document":
            failed.append(f"{response.status} {response.url}")

    context.context.on("response", answered)
    page = _site_browser.open(page_type, palette=palette, keep=True)
    yield Rendered(page, page_type, palette, guard.offsite[mark:], failed)
    context.context.remove_listener("response", answered)
    page.close()


def test_axe_finds_no_violation(rendered):
    assert_no_axe_violations(rendered.page, str(rendered))


def test_page_stays_on_the_site_and_stores_nothing(rendered):
    rendered.page.wait_for_load_state("networkidle")  # the search index and its worker come after load
    assert not rendered.page.script_errors, f"JavaScript errors on {rendered}: {rendered.page.script_errors}"
    assert_private(rendered.page, rendered.offsite, f"{rendered} after loading")


def test_every_file_the_page_asks_the_site_for_is_there(rendered):
    """Stylesheets, scripts, pictures, the search index, and whatever Material's scripts fetch (it read
    each feed link as another site's root and asked for a sitemap.xml beside it)."""
    rendered.page.wait_for_load_state("networkidle")
    assert rendered.failed == [], f"{rendered}: the site answered with an error: {rendered.failed}"


def test_screenshots_show_the_heading_in_the_first_screen(rendered, screenshots):
    """Screenshots for people to look at; and the page's heading is drawn inside the first screen,
    at every width, in colours that differ from the background (the picture is not blank)."""
    from PIL import Image

    page = rendered.page
    for width in SCREENSHOT_WIDTHS:
        height = 800 if width > 400 else 667
        page.set_viewport_size({"width": width, "height": height})
        box = page.locator("article h1").first.bounding_box()
        assert box and box["width"] > 0 and 0 <= box["y"] < height, f"{rendered} at {width}px: heading at {box}"
        path = screenshots / f"{rendered.page_type.name}-{width}-{rendered.palette}.png"
        page.screenshot(path=path, full_page=True, animations="disabled")
        with Image.open(path) as shot:
            heading = shot.convert("RGB").crop((int(box["x"]), int(box["y"]), int(box["x"] + box["width"]),
                                                int(box["y"] + box["height"])))
            assert len(set(heading.get_flattened_data())) > 2, f"{path.name}: the heading area is one colour"
