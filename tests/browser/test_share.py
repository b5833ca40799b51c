"""«Del din historie» in the browser: from the front page a reader reaches the e-mail link with its
subject in two clicks, on a wide screen (the navigation tab) and a narrow one (the menu)."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import Page

from .checks import assert_no_axe_violations, assert_private

SUBJECT = "Min historie til «Sammen skaper vi fremtiden»"
BUTTON = "Skriv en e-post med historien din"


def follow_share_link(page: Page, width: int) -> None:
    """Click «Del din historie» as a reader would: the tab on a wide screen, the menu on a narrow one."""
    if width >= 1220:
        page.locator(".md-tabs__link", has_text="Del din historie").click()
    else:
        page.locator("label.md-header__button[for=__drawer]").click()
        page.locator("nav.md-nav--primary a.md-nav__link", has_text="Del din historie").click()
    page.wait_for_url("**/del-din-historie/")


def mail_fields(page: Page) -> tuple[str, dict[str, list[str]]]:
    link = page.get_by_role("link", name=BUTTON)
    assert link.is_visible(), "the e-mail link is not visible on «Del din historie»"
    href = link.get_attribute("href") or ""
    parts = urlsplit(href)
    assert parts.scheme == "mailto", href
    return parts.path, parse_qs(parts.query, strict_parsing=True)


@pytest.mark.parametrize("width", (1280, 375))
def test_front_page_leads_to_the_mail_link_with_its_subject(site_browser, width):
    page = site_browser.open("", width=width)
    mark = site_browser.context(width=width).guard.mark()
    follow_share_link(page, width)
    assert page.locator("h1").first.inner_text() == "Del din historie"
    address, fields = mail_fields(page)
    assert "@" in address
    assert fields["subject"] == [SUBJECT]
    assert fields["body"][0].startswith("Tittel (noen få ord om hva historien handler om):")
    assert not page.script_errors, page.script_errors
    assert_private(page, site_browser.context(width=width).guard.since(mark), "«Del din historie»")


@pytest.mark.parametrize("palette", ("light", "dark"))
def test_share_page_and_youth_invitation_have_no_axe_violations(site_browser, palette):
    page = site_browser.open("del-din-historie/", palette=palette)
    assert_no_axe_violations(page, f"«Del din historie» ({palette} theme)")
    youth = site_browser.open("sammen/ungdom/", palette=palette)
    link = youth.get_by_role("link", name="Send historien din på e-post")
    assert link.is_visible()
    assert parse_qs(urlsplit(link.get_attribute("href") or "").query)["subject"] == [
        "Historie fra ungdom til «Sammen skaper vi fremtiden»"]
    assert_no_axe_violations(youth, f"/sammen/ungdom/ with its invitation ({palette} theme)")
