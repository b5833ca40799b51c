"""Privacy while the site is used: searching and switching the theme contact no other host, set no cookie
and store nothing but the theme the reader chose (loading each page type: test_page_types.py)."""

from __future__ import annotations

import pytest

from .checks import assert_private, stored_data
from .test_search import open_search_results

PALETTE_KEY = "__palette"  # Material's key (prefixed with the site's path) for a theme the reader chose


@pytest.mark.parametrize("palette", ["light", "dark"])
def test_searching_and_switching_theme_store_only_the_chosen_theme(site_browser, palette):
    guarded = site_browser.new_context(palette)  # a browser of its own: this test stores a theme
    try:
        page = site_browser.open("", context=guarded)
        page.wait_for_load_state("networkidle")
        assert_private(page, guarded.guard.offsite, f"the front page ({palette} system theme) after loading")

        open_search_results(page, "bærekraft")
        page.keyboard.press("Escape")
        assert_private(page, guarded.guard.offsite, "the front page after a search")

        before = page.evaluate("() => document.body.dataset.mdColorScheme")
        page.locator("form[data-md-component=palette] label:not([hidden])").click()
        page.wait_for_function("(before) => document.body.dataset.mdColorScheme !== before", arg=before)
        assert_private(page, guarded.guard.offsite, "the front page after switching theme",
                       allowed_local_keys=frozenset({PALETTE_KEY}))
        stored = stored_data(page)["localStorage"]
        assert [k for k in stored if k.endswith(PALETTE_KEY)], (
            f"the theme the reader chose is not remembered (localStorage: {sorted(stored)})"
        )

        # The stored choice is what it is for: the next page opens in the chosen theme.
        chosen = page.evaluate("() => document.body.dataset.mdColorScheme")
        next_page = site_browser.open("historier/", context=guarded)
        assert next_page.evaluate("() => document.body.dataset.mdColorScheme") == chosen
        assert not page.script_errors + next_page.script_errors
    finally:
        guarded.context.close()
