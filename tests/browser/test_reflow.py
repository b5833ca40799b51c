"""Reflow at 320 CSS pixels (WCAG 1.4.10) and text at 200 % (WCAG 1.4.4): nothing scrolls sideways or is cut off."""

from __future__ import annotations

import pytest

from .checks import assert_nothing_cut_off, assert_reflows
from .pages import PAGE_TYPES


@pytest.mark.parametrize("page_type", PAGE_TYPES, ids=str)
def test_page_reflows_at_320_pixels(site_browser, page_type):
    page = site_browser.open(page_type, width=320)
    assert_reflows(page, f"/{page_type.path} at 320 px")


@pytest.mark.parametrize("page_type", PAGE_TYPES, ids=str)
def test_nothing_is_cut_off_at_200_percent_text(site_browser, page_type):
    page = site_browser.open(page_type)
    # The reader's browser setting for text size: 32 px instead of 16 px (Chromium's own setting, so the
    # site's rem and em sizes and its em-based layout breakpoints all follow, as for a real reader).
    page.context.new_cdp_session(page).send("Page.setFontSizes", {"fontSizes": {"standard": 32, "fixed": 26}})
    page.reload(wait_until="load")
    assert page.evaluate("() => getComputedStyle(document.documentElement).fontSize") != "20px"
    assert_nothing_cut_off(page, f"/{page_type.path} at 1280 px")
