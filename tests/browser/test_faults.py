"""The suite's checks fail on real faults: each test serves a story page with one fault put in and sees
the same assert function the suite uses report it, and an untouched copy of the page pass.

The faults: a picture without alt text, low-contrast text, a font from Google Fonts, a link without
a visible focus, an element too wide for a phone, text cut off, a skip link that is missing, and a
page that stores data and sets a cookie on its own.
"""

from __future__ import annotations

import re
import shutil
from contextlib import contextmanager

import pytest

from .checks import (
    assert_keyboard_works,
    assert_no_axe_violations,
    assert_no_offsite_assets,
    assert_private,
    assert_reflows,
    assert_skip_link_works,
    axe_violations,
    offsite_references,
)
from .pages import STORY_WITH_PICTURE
from .site_server import SiteServer

# Each fault: what to find in the story page's HTML and what to put there instead.
BODY = '<div class="story__body">'
GOOGLE_FONT = '<link rel="stylesheet" href="https://fonts.googleapis.com/css2?family=Roboto&amp;display=swap">'
NO_FOCUS_STYLE = (
    "<style>.md-typeset a.feil-lenke, .md-typeset a.feil-lenke:focus, .md-typeset a.feil-lenke:hover,"
    " .md-typeset a.feil-lenke:focus-visible { outline: none !important; color: inherit !important;"
    " text-decoration: none !important; background: none !important; box-shadow: none !important;"
    " transition: none !important; }</style>"
)
FAULTS = {
    "uten-feil": [],
    "bilde-uten-alt": [
        (re.compile(r'(<figure class="story__picture">.*?<img[^>]*?) alt="[^"]*"', re.DOTALL), r"\1"),
    ],
    "lav-kontrast": [(BODY, BODY + '<p style="color: #777777">Denne teksten er grå på grått.</p>')],
    "ekstern-skrift": [("</head>", GOOGLE_FONT + "</head>")],
    "usynlig-fokus": [
        ("</head>", NO_FOCUS_STYLE + "</head>"),
        (BODY, BODY + '<p>Les <a class="feil-lenke" href="../">flere historier</a>.</p>'),
    ],
    "for-bred": [(BODY, BODY + '<div style="width: 40rem">En boks som er bredere enn en mobilskjerm.</div>')],
    "avkuttet-tekst": [(BODY, BODY + ('<p style="width: 8rem; white-space: nowrap; overflow: hidden">'
                                      "En lang setning som ikke får plass i boksen sin.</p>"))],
    "uten-hopplenke": [(re.compile(r'<a href="#innhold" class="md-skip site-skip">.*?</a>', re.DOTALL), "")],
    "lagrer-data": [
        (BODY, BODY + '<script>localStorage.setItem("besok", "1"); document.cookie = "sporing=1; path=/";</script>'),
    ],
}


@pytest.fixture(scope="module")
def fault_site(built_site, site_prefix, tmp_path_factory):
    """A copy of the built site with one story page per fault, served on its own port."""
    site_dir = tmp_path_factory.mktemp("faults") / "site"
    shutil.copytree(built_site.site_dir, site_dir)
    story = site_dir / STORY_WITH_PICTURE
    original = (story / "index.html").read_text(encoding="utf-8")
    for name, edits in FAULTS.items():
        folder = story.parent / f"feil-{name}"
        shutil.copytree(story, folder)
        html = original
        for find, replace in edits:
            if isinstance(find, re.Pattern):
                changed = find.sub(replace, html, count=1)
            else:
                changed = html.replace(find, replace, 1)
            assert changed != html, f"the fault {name} could not be put in: {find!r} is not in the story page"
            html = changed
        (folder / "index.html").write_text(html, encoding="utf-8")
    with SiteServer(site_dir, site_prefix) as server:
        yield server


@contextmanager
def _fault(site_browser, fault_site, name, **options):
    """Open the fault page ``name`` in a context of its own; close the context afterwards."""
    guarded = site_browser.new_context(options.pop("palette", "light"), options.pop("width", 1280))
    try:
        yield guarded, site_browser.open(f"historier/feil-{name}/", context=guarded, server=fault_site)
    finally:
        guarded.context.close()


def _reported(check, *args) -> str:
    """Run one of the suite's assert functions and return the failure it reports."""
    with pytest.raises(AssertionError) as failure:
        check(*args)
    message = str(failure.value)
    print(message)  # what the suite would show (pytest -rP)
    return message


def test_the_untouched_copy_passes_every_check(site_browser, fault_site):
    with _fault(site_browser, fault_site, "uten-feil") as (guarded, page):
        assert_no_axe_violations(page, "the untouched copy")
        assert_private(page, guarded.guard.offsite, "the untouched copy")
        narrow = site_browser.open("historier/feil-uten-feil/", width=320, server=fault_site)
        assert_reflows(narrow, "the copy at 320 px")
        assert_skip_link_works(site_browser.open("historier/feil-uten-feil/", server=fault_site), "the copy")
        assert_keyboard_works(site_browser.open("historier/feil-uten-feil/", server=fault_site), "the copy")


def test_axe_reports_a_picture_without_alt_text(site_browser, fault_site):
    with _fault(site_browser, fault_site, "bilde-uten-alt") as (_, page):
        assert {v["id"] for v in axe_violations(page)} == {"image-alt"}
        message = _reported(assert_no_axe_violations, page, "the fault page")
        # axe quotes the element cut at 20 characters; the version is named after the story's address.
        assert "image-alt" in message and 'src="sprakkafeen-i-sandvi' in message


@pytest.mark.parametrize("palette", ["light", "dark"])
def test_axe_reports_low_contrast_text(site_browser, fault_site, palette):
    with _fault(site_browser, fault_site, "lav-kontrast", palette=palette) as (_, page):
        violations = axe_violations(page)
        assert [v["id"] for v in violations] == ["color-contrast"]
        nodes = [n["html"] for n in violations[0]["nodes"]]
        assert nodes == ['<p style="color: #777777">Denne teksten er grå på grått.</p>']
        assert "color-contrast" in _reported(assert_no_axe_violations, page, "the fault page")


def test_static_scan_reports_a_font_from_another_host(fault_site):
    found = offsite_references(fault_site.directory)
    assert [(f.file, f.url) for f in found] == [
        ("historier/feil-ekstern-skrift/index.html", "https://fonts.googleapis.com/css2?family=Roboto&display=swap")
    ]
    assert "fonts.googleapis.com" in _reported(assert_no_offsite_assets, fault_site.directory)


def test_browser_reports_the_request_for_a_font_from_another_host(site_browser, fault_site):
    with _fault(site_browser, fault_site, "ekstern-skrift") as (guarded, page):
        page.wait_for_load_state("networkidle")
        assert [u for u in guarded.guard.offsite if "fonts.googleapis.com" in u], guarded.guard.offsite
        assert "fonts.googleapis.com" in _reported(assert_private, page, guarded.guard.offsite, "the fault page")


def test_keyboard_check_reports_a_link_without_visible_focus(site_browser, fault_site):
    with _fault(site_browser, fault_site, "usynlig-fokus") as (_, page):
        message = _reported(assert_keyboard_works, page, "the fault page")
        assert "no visible focus indicator" in message and "flere historier" in message
        assert message.count("no visible focus indicator") == 1


def test_skip_link_check_reports_a_missing_skip_link(site_browser, fault_site):
    with _fault(site_browser, fault_site, "uten-hopplenke") as (_, page):
        assert "not a skip link" in _reported(assert_skip_link_works, page, "the fault page")


def test_reflow_check_reports_an_element_too_wide_for_a_phone(site_browser, fault_site):
    with _fault(site_browser, fault_site, "for-bred", width=320) as (_, page):
        message = _reported(assert_reflows, page, "the fault page")
        assert "bredere enn en mobilskjerm" in message and "px wide in a 320 px window" in message


def test_reflow_check_reports_text_that_is_cut_off(site_browser, fault_site):
    with _fault(site_browser, fault_site, "avkuttet-tekst", width=320) as (_, page):
        message = _reported(assert_reflows, page, "the fault page")
        assert "cut off" in message and "En lang setning" in message


def test_privacy_check_reports_storage_and_a_cookie(site_browser, fault_site):
    with _fault(site_browser, fault_site, "lagrer-data") as (guarded, page):
        message = _reported(assert_private, page, guarded.guard.offsite, "the fault page")
        assert "localStorage written: besok" in message and "cookie set: sporing" in message
