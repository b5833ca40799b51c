"""Keyboard: the skip link reaches the content, and Tab reaches every link and control with a visible focus.

Both checks start from the top of the page (checks.focus_to_top), so they share one loaded page per page type.
"""

from __future__ import annotations

import pytest

from .checks import assert_keyboard_works, assert_skip_link_works
from .pages import PAGE_TYPES

# On narrow screens the menu is a drawer outside the window: checked on a few page types.
NARROW_PAGE_TYPES = [p for p in PAGE_TYPES if p.name in ("forside", "alle-historier", "historie-med-bilde", "404")]


@pytest.fixture(scope="module", params=PAGE_TYPES, ids=str)
def loaded(request, _site_browser):
    page = _site_browser.open(request.param, keep=True)
    yield request.param, page
    page.close()


def test_skip_link_reaches_the_content(loaded):
    page_type, page = loaded
    assert_skip_link_works(page, f"/{page_type.path}")


def test_tab_reaches_every_link_and_control_with_visible_focus(loaded):
    page_type, page = loaded
    report = assert_keyboard_works(page, f"/{page_type.path} at 1280 px")
    assert len(report.stops) >= 10, f"only {len(report.stops)} Tab stops on /{page_type.path}: the walk stopped early"


@pytest.mark.parametrize("page_type", NARROW_PAGE_TYPES, ids=str)
def test_tab_reaches_menu_and_content_on_a_phone(site_browser, page_type):
    page = site_browser.open(page_type, width=375)
    report = assert_keyboard_works(page, f"/{page_type.path} at 375 px")
    reached = " ".join(stop.description for stop in report.stops)
    assert "md-nav__link" in reached, f"the menu's links are not reached with Tab at 375 px on /{page_type.path}"
    assert "md-search__input" in reached, f"the search box is not reached with Tab at 375 px on /{page_type.path}"
