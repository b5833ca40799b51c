"""«Del din historie»: a reader gets from the page to a filled-in e-mail, young people get their own
version on /sammen/ungdom/, and the editors' guide is for staff, out of the readers' navigation and search."""

from __future__ import annotations

import json
from urllib.parse import parse_qs, urlsplit

import pytest
from conftest import build, make_project, story_text

STORY_EMAIL = "historier@example.org"
ISSUE_FORM = "https://github.example/kommune/sammen/issues/new?template=historie.yml"


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    project = make_project(tmp_path_factory.mktemp("share"), {
        "dugnad.md": story_text(title="Naboer på dugnad", description="Hele gata rydder sammen."),
        "ung.md": story_text(title="Ungdom bygger benker", partners="[ungdom]", minors="false"),
    })
    config = project / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    form = '  story_issue_form: !ENV [STORY_ISSUE_FORM, ""]\n'  # the Pages workflow sets it
    assert "  story_email: post@baerum.kommune.no\n" in text and form in text
    text = text.replace("  story_email: post@baerum.kommune.no\n", f"  story_email: {STORY_EMAIL}\n")
    config.write_text(text.replace(form, f"  story_issue_form: {ISSUE_FORM}\n"), encoding="utf-8")
    built = build(project)
    assert built.error is None, built.errors()
    return built


def mail_link(page, text: str) -> tuple[str, dict[str, str]]:
    """The address and the decoded fields of the mailto link whose text is ``text``."""
    link = next(a for a in page.select("a[href^='mailto:']") if " ".join(a.get_text().split()) == text)
    href = link["href"]
    assert not any(char in href for char in " \n\r+<>\"«»æøå"), href  # every reserved character encoded
    parts = urlsplit(href)
    fields = parse_qs(parts.query, keep_blank_values=True, strict_parsing=True)
    assert all(len(values) == 1 for values in fields.values()), fields
    return parts.path, {key: values[0] for key, values in fields.items()}


def test_share_page_mail_link_opens_an_email_with_subject_and_questions_to_the_configured_address(site):
    page = site.article("del-din-historie/")
    address, fields = mail_link(page, "Skriv en e-post med historien din")
    assert address == STORY_EMAIL
    assert fields["subject"] == "Min historie til «Sammen skaper vi fremtiden»"
    body = fields["body"]
    assert "\r\n" in body and "\n" not in body.replace("\r\n", "")  # line breaks as RFC 6068 asks
    questions = [line for line in body.split("\r\n") if line]
    assert questions[:6] == [
        "Tittel (noen få ord om hva historien handler om):", "Hva skjedde?", "Hvor i Bærum skjedde det?",
        "Hvilke av verdiene passer best: mangfold, raushet eller bærekraft?", "Hvem var med?",
        "Har du bilder? Hvem tok dem?"]
    plain = page.select_one(f"a[href='mailto:{STORY_EMAIL}']")
    assert plain is not None and plain.get_text() == STORY_EMAIL


def test_share_page_says_what_happens_next_and_links_the_form_and_the_staff_guide(site):
    page = site.article("del-din-historie/")
    text = " ".join(page.get_text(" ").split())
    for said in ("En redaktør i kommunen tar kontakt med deg", "hjelper deg med teksten", "samtykke",
                 "Er noen under 15 år med, må også foreldrene eller de foresatte si ja",
                 "Du kan ombestemme deg når som helst"):
        assert said in text, said
    assert [h.get_text(strip=True) for h in page.select("h2")][:3] == [
        "Hva kan være en historie?", "Hvem kan dele en historie?", "Hva skjer etterpå?"]
    assert page.select_one(f"a[href='{ISSUE_FORM}']").get_text(strip=True) == "fylle ut skjemaet på GitHub"
    assert page.select_one("a[href='../bidra/redaksjon/']") is not None
    assert not page.select("form, script")  # nothing is sent through the site or another host


def test_share_page_is_in_the_navigation(site):
    links = {a.get_text(strip=True): a["href"] for a in site.html("").select("nav.md-nav--primary a.md-nav__link")}
    assert links["Del din historie"] == "del-din-historie/"


def test_youth_page_has_its_own_invitation_with_guardians_consent_in_plain_words(site):
    intro = site.article("sammen/ungdom/").select_one(".youth-intro")
    text = " ".join(intro.get_text(" ").split())
    assert "Er du under 15 år, må også foreldrene dine (eller de voksne som har ansvaret for deg) si ja." in text
    assert "februar 2015" in text and "de unges begrep" in text
    address, fields = mail_link(intro, "Send historien din på e-post")
    assert address == STORY_EMAIL
    assert fields["subject"] == "Historie fra ungdom til «Sammen skaper vi fremtiden»"
    assert "Hvor gammel er du?" in fields["body"]
    assert intro.select_one("a[href='../../del-din-historie/']") is not None


def test_editors_guide_is_at_bidra_redaksjon_out_of_navigation_and_search(site):
    guide = site.article("bidra/redaksjon/")
    assert guide.h1.get_text(strip=True) == "Slik bidrar du med en historie"
    assert not site.exists("bidra/")
    nav = [a["href"] for a in site.html("").select("nav.md-nav--primary a")]
    assert not [href for href in nav if "bidra" in href], nav
    index = json.loads((site.site_dir / "search" / "search_index.json").read_text(encoding="utf-8"))
    assert not [doc["location"] for doc in index["docs"] if doc["location"].startswith("bidra/")]
    assert "127.0.0.1" not in site.path("bidra/redaksjon/").read_text(encoding="utf-8")


def test_a_word_in_the_guide_and_in_a_story_finds_only_stories_in_the_search_index(site):
    assert "dugnad" in site.article("bidra/redaksjon/").get_text().lower()
    index = json.loads((site.site_dir / "search" / "search_index.json").read_text(encoding="utf-8"))
    found = {doc["location"].split("#")[0] for doc in index["docs"]
             if "dugnad" in (doc["title"] + " " + doc["text"]).lower()}
    assert found == {"historier/dugnad/"}


def test_share_page_without_a_configured_issue_form_shows_no_github_link(real_site):
    # A local build has no STORY_ISSUE_FORM: no link that leads nowhere, the e-mail way still there.
    page = real_site.article("del-din-historie/")
    assert page.select("a[href*='github.com']") == []
    assert page.select("a[href^='mailto:']")
