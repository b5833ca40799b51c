"""Page data is plain Python: made from a catalogue without MkDocs, and holding only what its page shows."""

from __future__ import annotations

import datetime
import json
from pathlib import Path

import pytest
from conftest import ROOT, make_story
from storysite import pages, vocabulary
from storysite.catalogue import PER_PAGE, Catalogue
from storysite.pictures import Version

VOCABULARY = vocabulary.load(ROOT / "data" / "vocabulary.yml")
MANGFOLD, RAUSHET, BAREKRAFT = VOCABULARY.values
SANDVIKA = VOCABULARY.place("Sandvika")
IDENTITET = VOCABULARY.focus_area("identitet")


def _day(n: int) -> datetime.date:
    return datetime.date(2020, 1, 1) + datetime.timedelta(days=n)


@pytest.fixture(scope="module")
def catalogue() -> Catalogue:
    stories = [make_story(f"s{i:02d}", VOCABULARY, date=_day(i), values=(MANGFOLD,)) for i in range(PER_PAGE + 3)]
    stories += [
        make_story("sandvika", VOCABULARY, date=_day(100), values=(RAUSHET,), place=SANDVIKA, focus=(IDENTITET,),
                   featured=True),
        make_story("utkast", VOCABULARY, date=_day(200), values=(BAREKRAFT,), draft=True),
    ]
    return Catalogue.build(stories, VOCABULARY, include_drafts=True)


PICTURES = {"sandvika": [Version("p-0123abcd-600.jpg", Path("/c/600.jpg"), 600, 400),
                         Version("p-0123abcd-1200.jpg", Path("/c/1200.jpg"), 1200, 800)],
            "s00": [Version("q-1-600.jpg", Path("/c/q.jpg"), 600, 400)]}


def test_story_page_data_holds_the_story_its_neighbours_and_only_their_pictures(catalogue):
    story = next(s for s in catalogue.stories if s.slug == "sandvika")
    page = pages.story_page(story, catalogue, PICTURES)
    assert (page.src_uri, page.template, page.title) == ("historier/sandvika/index.md", "story.html", "Sandvika")
    assert set(page.data) == {"story", "related", "older", "newer", "reading_minutes", "credit", "pictures",
                              "version", "languages", "alternates"}
    assert page.data["languages"] == [] and page.data["alternates"] == []  # told in bokmål only
    assert page.data["older"].slug == "s22" and page.data["newer"].slug == "utkast"
    shown = {story.slug, *(s.slug for s in page.data["related"])}
    assert set(page.data["pictures"]) == shown & set(PICTURES)


def test_listing_pages_split_by_twenty_with_titles_leads_and_feeds(catalogue):
    made = {page.src_uri: page for page in pages.listing_pages(catalogue, PICTURES)}
    first, second = made["verdier/mangfold/index.md"], made["verdier/mangfold/side/2/index.md"]
    assert first.title == "Mangfold" and second.title == "Mangfold – side 2"
    assert first.data["listing"].lead == f"Mangfold: {MANGFOLD.description}."
    assert first.data["listing"].total == PER_PAGE + 3
    assert [s.slug for s in second.data["listing_page"].stories] == ["s02", "s01", "s00"]
    assert set(second.data["pictures"]) == {"s00"} and not first.data["pictures"]
    assert first.feed == "verdier/mangfold/feed.xml"
    place = made["steder/sandvika/index.md"]
    assert place.data["listing"].lead is None and place.description == "Historier fra Sandvika."
    focus = made["satsingsomrader/identitet/index.md"]
    assert focus.data["listing"].lead == f"Satsingsområde i visjonen: «{IDENTITET.wording}»." and focus.feed is None


def test_home_data_counts_every_value_and_focus_area(catalogue):
    home = pages.home(catalogue, PICTURES)
    assert [(v.name, n) for v, n in home["values"]] == [("mangfold", PER_PAGE + 3), ("raushet", 1), ("bærekraft", 1)]
    assert dict((a.key, n) for a, n in home["areas"])["identitet"] == 1
    assert [s.slug for s in home["featured"]] == ["sandvika"]
    assert "sandvika" not in [s.slug for s in home["newest"]]
    assert [(g.key, n) for g, n in home["goals"]] == [(g.key, 0) for g in VOCABULARY.goals]


def test_sharing_tags_and_article_json_ld_are_made_in_python(catalogue):
    story = next(s for s in catalogue.stories if s.slug == "sandvika")
    page = pages.story_page(story, catalogue, PICTURES)
    url = "https://example.org/historier/sandvika/"
    share = pages.share(title=page.title, description=page.description, url=url,
                        site_url="https://example.org/", page=page, pictures=PICTURES)
    assert share["type"] == "article"
    assert share["image"] == "https://example.org/historier/sandvika/p-0123abcd-1200.jpg"
    article = share["json_ld"]
    assert json.loads(json.dumps(article)) == article  # plain data
    assert article["contentLocation"] == {"@type": "Place", "name": "Sandvika"}
    assert article["author"] == [{"@type": "Person", "name": "Kari Nordmann"}]
    assert article["datePublished"] == "2020-04-10"
    website = pages.share(title="Steder", description="", url="https://example.org/steder/",
                          site_url="https://example.org/", page=None, pictures=PICTURES)
    assert website["type"] == "website" and website["json_ld"] is None and website["image"] is None


def test_feeds_leave_drafts_out_even_in_a_preview(catalogue):
    files = pages.feed_files(catalogue, "Sammen", "https://example.org/")
    assert set(files) == {"feed.xml", "verdier/mangfold/feed.xml", "verdier/raushet/feed.xml",
                          "verdier/barekraft/feed.xml"}
    assert b"Utkast" not in files["feed.xml"] and b"historier/utkast/" not in files["verdier/barekraft/feed.xml"]


def test_the_plural_is_spelt_in_one_place():
    assert [pages.count_label(n) for n in (0, 1, 2)] == ["0 historier", "1 historie", "2 historier"]


def test_home_sections_pick_from_what_the_sections_above_have_not_shown():
    youth = VOCABULARY.partner("ungdom")
    stories = [make_story(f"u{i:02d}", VOCABULARY, date=_day(i), partners=(youth,), featured=i % 2 == 0)
               for i in range(20)]
    home = pages.home(Catalogue.build(stories, VOCABULARY), {})
    shown = [s.slug for section in ("featured", "newest", "youth") for s in home[section]]
    assert len(shown) == len(set(shown)) == 10 + pages.HOME_NEWEST + pages.HOME_YOUTH
    assert home["youth_count"] == 20  # the youth's section links to all of them, shown above or not


@pytest.mark.parametrize(("credit", "line"), [
    ("Kari Berg", "Foto: Kari Berg"),
    ("Illustrasjon: Bærum kommune", "Illustrasjon: Bærum kommune"),
    ("illustrasjon:  Bærum kommune", "Illustrasjon: Bærum kommune"),
    ("Bærum kommune (illustrasjon)", "Illustrasjon: Bærum kommune"),
    ("Foto: Ola Nordmann", "Foto: Ola Nordmann"),
    ("Tegning: Elever ved Rykkinn skole", "Tegning: Elever ved Rykkinn skole"),
    ("Studio 3: Lys og skygge", "Foto: Studio 3: Lys og skygge"),  # a colon alone does not name a kind
    ("Per (fotograf)", "Fotograf: Per"),
])
def test_a_picture_credit_names_its_kind_once(credit, line):
    assert pages.picture_credit(credit) == line


def _told_in(story, *codes):
    """``story`` with a version in each language of ``codes`` (made directly, no file)."""
    from storysite.versions import Version as StoryVersion

    versions = tuple(StoryVersion(slug=story.slug, language=VOCABULARY.language(code),
                                  source=f"stories/{story.slug}/index.{code}.md", title=f"{code} title",
                                  description=f"{code} ingress", words=3, body_line=6,
                                  html=f"<p>{code}</p>", credit="translated_by", credit_names=("Ola",))
                     for code in codes)
    return story.__class__(**{**vars(story), "versions": versions})


def test_a_story_with_versions_gets_a_page_per_language_sharing_its_neighbours(catalogue):
    story = _told_in(next(s for s in catalogue.stories if s.slug == "sandvika"), "en", "ar")
    main, english, arabic = pages.story_pages(story, catalogue, PICTURES)
    assert [p.src_uri for p in (main, english, arabic)] == [
        "historier/sandvika/index.md", "historier/sandvika/en/index.md", "historier/sandvika/ar/index.md"]
    assert (arabic.title, arabic.description, arabic.template) == ("ar title", "ar ingress", "story.html")
    assert arabic.data["story"].html == "<p>ar</p>" and arabic.data["version"].language.rtl
    assert arabic.data["related"] == main.data["related"] and arabic.data["picture_up"] == "../"
    assert [(link.language.code, link.url, link.current) for link in arabic.data["languages"]] == [
        ("nb", "historier/sandvika/", False), ("en", "historier/sandvika/en/", False),
        ("ar", "historier/sandvika/ar/", True)]
    assert main.data["alternates"] == [("nb", "historier/sandvika/"), ("en", "historier/sandvika/en/"),
                                       ("ar", "historier/sandvika/ar/"), ("x-default", "historier/sandvika/")]
    shared = pages.share(title=arabic.title, description=arabic.description, url="https://x/historier/sandvika/ar/",
                         site_url="https://x/", page=arabic, pictures=PICTURES)
    assert shared["json_ld"]["inLanguage"] == "ar" and shared["json_ld"]["headline"] == "ar title"
    assert shared["alternates"][0] == ("nb", "https://x/historier/sandvika/")


def test_the_languages_page_lists_each_language_with_the_stories_told_in_it(catalogue):
    story = _told_in(next(s for s in catalogue.stories if s.slug == "sandvika"), "en", "ar")
    told = Catalogue.build([story, *(s for s in catalogue.stories if s.slug != "sandvika")], VOCABULARY)
    page = pages.languages_page(told)
    assert page.src_uri == "sprak/index.md"
    listed = {language.code: [(s.slug, v.language.code) for s, v in stories] for language, stories in
              page.data["languages"]}
    assert list(listed) == [language.code for language in VOCABULARY.languages]
    assert listed["ar"] == [("sandvika", "ar")] and listed["pl"] == []


def test_a_problem_in_a_version_shows_on_its_storys_address_in_the_preview(catalogue):
    from storysite.problems import Problem

    problem = Problem("stories/ny/index.ar.md", 5, "date", "feltet hører til hovedhistorien.")
    [page] = pages.problem_pages(catalogue, [problem])
    assert page.src_uri == "historier/ny/index.md" and page.data["story_problems"] == [problem]


@pytest.mark.parametrize("day", [datetime.date(2015, month, day) for month in range(1, 13) for day in (1, 12, 31)
                                 if (month, day) not in ((2, 31), (4, 31), (6, 31), (9, 31), (11, 31))]
                         + [datetime.date(2026, 12, 5), datetime.date(999, 1, 1)])
def test_dates_are_written_as_the_cldr_writes_them_in_bokmal(day):
    """The site writes dates from its own table of months; Babel holds the CLDR's."""
    from babel.dates import format_date
    from storysite.site_build import nb_date

    assert nb_date(day) == format_date(day, format="long", locale="nb")
