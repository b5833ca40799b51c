"""Readers discover, follow and share: places, focus areas, related stories, feeds, meta tags, search."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET

import feedparser
import pytest
from conftest import story_text
from PIL import Image

SITE = "https://example.invalid/"


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """A site whose stories are chosen to test lists, related stories and ties."""
    from conftest import build, make_project

    pic = tmp_path_factory.mktemp("pic") / "p.jpg"
    Image.new("RGB", (2400, 1600), "olive").save(pic, quality=90)
    stories = {
        "a.md": story_text(title="A Sandvika raushet", date="2015-03-01", tags="[raushet, mangfold]",
                           place="Sandvika", focus="[identitet]"),
        "b.md": story_text(title="B Sandvika raushet", date="2016-03-01", tags="[raushet, mangfold]",
                           place="Sandvika", focus="[identitet]"),
        "c.md": story_text(title="C bare raushet", date="2015-04-01", tags="raushet", place="Jar"),
        "d.md": story_text(title="D bare raushet", date="2015-02-01", tags="raushet", place="Grav"),
        "e.md": story_text(title="E ensom", date="2020-01-01", tags="bærekraft", place="Tanum"),
        "f/index.md": story_text("Dette er historien.\n\n![Et kart over Grav](kart.jpg)\n", title="F med bilde", date="2021-06-12", tags="[mangfold]", place="Sandvika",
                                 image="p.jpg", image_alt="En olivengrønn flate", image_credit="Ola Foto",
                                 authors="[Kari Nordmann, Per Hansen]"),
        "f/p.jpg": pic.read_bytes(),
        "f/kart.jpg": pic.read_bytes(),
        "g.md": story_text(title="G utkast", date="2022-01-01", tags="raushet", draft="true", place="Sandvika"),
    }
    built = build(make_project(tmp_path_factory.mktemp("disc"), stories))
    assert built.error is None, built.errors()
    return built


def test_places_list_places_with_stories_and_counts(site):
    items = [li.get_text(" ", strip=True) for li in site.article("steder/").select(".place-list li")]
    assert items == ["Grav (1 historie)", "Jar (1 historie)", "Sandvika (3 historier)", "Tanum (1 historie)"]
    assert site.card_titles("steder/sandvika/") == ["F med bilde", "B Sandvika raushet", "A Sandvika raushet"]
    assert not site.exists("steder/lysaker/")


def test_focus_area_lists_its_stories_under_the_full_wording(site):
    page = site.article("satsingsomrader/identitet/")
    assert "Fortellingen om «Sammen skaper vi fremtiden» består av mange historier." in page.get_text()
    assert site.card_titles("satsingsomrader/identitet/") == ["B Sandvika raushet", "A Sandvika raushet"]


def test_story_links_to_its_place_and_focus_areas(site):
    meta = site.article("historier/a/").select_one(".story-meta")
    hrefs = {a.get_text(strip=True): a["href"] for a in meta.select("dd a")}
    assert hrefs["Sandvika"] == "../../steder/sandvika/"
    assert hrefs["Identitet"] == "../../satsingsomrader/identitet/"


def related(site, slug):
    more = site.article(f"historier/{slug}/").select_one(".story-more")
    return [a.get_text(strip=True) for a in more.select(".story-card__title a")]


def test_related_stories_most_in_common_then_nearest_in_date(site):
    # A shares values, place and focus with B (4), mangfold and Sandvika with F (2), then raushet with C and
    # D (1 each), where D (28 days away) is nearer than C (31 days).
    assert related(site, "a") == ["B Sandvika raushet", "F med bilde", "D bare raushet"]
    # F shares mangfold and Sandvika with A and B (2 each): B (2016) is nearer in date than A (2015).
    assert related(site, "f") == ["B Sandvika raushet", "A Sandvika raushet"]


def test_a_story_with_nothing_in_common_has_no_related_stories_but_neighbours(site):
    assert related(site, "e") == []
    neighbours = site.article("historier/e/").select_one(".story-neighbours")
    assert neighbours.select_one("[rel=prev]").get_text(" ", strip=True) == "Forrige historie B Sandvika raushet"
    assert neighbours.select_one("[rel=next]").get_text(" ", strip=True) == "Neste historie F med bilde"


def test_related_ties_break_on_the_newer_story():
    import datetime

    from storysite import vocabulary
    from storysite.catalogue import Catalogue
    from storysite.story import Story

    vocab = vocabulary.load(__import__("conftest").ROOT / "data" / "vocabulary.yml")
    raushet = vocab.value("raushet")

    def story(slug, day):
        return Story(slug=slug, source=f"stories/{slug}.md", title=slug, description="x",
                     date=datetime.date(2020, 1, day), authors=("A",), values=(raushet,), place=None, focus=(),
                     picture=None, featured=False, draft=False, words=0, body_line=1)

    catalogue = Catalogue.build([story("mid", 10), story("before", 5), story("after", 15), story("far", 1)], vocab)
    assert [s.slug for s in catalogue.related(catalogue.stories[1])] == ["after", "before", "far"]


def test_drafts_stay_out_of_every_list_feed_and_the_sitemap(site):
    assert "G utkast" not in site.all_output()
    sitemap = ET.parse(site.site_dir / "sitemap.xml").getroot()
    urls = [loc.text for loc in sitemap.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")]
    assert SITE + "historier/a/" in urls and SITE + "steder/sandvika/" in urls
    assert SITE + "historier/g/" not in urls
    assert len(urls) == len(set(urls))


def test_atom_feeds_parse_and_list_the_newest_first(site):
    feed = feedparser.parse((site.site_dir / "feed.xml").read_bytes())
    assert not feed.bozo, feed.get("bozo_exception")
    assert feed.version == "atom10"
    assert [e.title for e in feed.entries] == ["F med bilde", "E ensom", "B Sandvika raushet", "C bare raushet",
                                              "A Sandvika raushet", "D bare raushet"]
    entry = feed.entries[0]
    assert entry.link == SITE + "historier/f/"
    assert entry.published.startswith("2021-06-12")
    assert [a.name for a in entry.authors] == ["Kari Nordmann", "Per Hansen"]
    assert entry.summary == "En kort ingress om historien."
    assert [t.term for t in entry.tags] == ["mangfold"]
    value_feed = feedparser.parse((site.site_dir / "verdier/raushet/feed.xml").read_bytes())
    assert not value_feed.bozo
    assert [e.title for e in value_feed.entries] == ["B Sandvika raushet", "C bare raushet", "A Sandvika raushet",
                                                    "D bare raushet"]


def test_feeds_are_announced_on_the_pages_they_belong_to(site):
    def alternates(url):
        return [link["href"] for link in site.html(url).select('link[rel=alternate][type="application/atom+xml"]')]

    assert alternates("") == ["feed.xml"]
    assert alternates("verdier/raushet/") == ["../../feed.xml", "feed.xml"]


def test_story_page_has_sharing_tags_and_article_json_ld(site):
    page = site.html("historier/f/")

    def meta(key):
        tag = page.select_one(f'meta[property="{key}"]') or page.select_one(f'meta[name="{key}"]')
        return tag["content"]

    assert page.select_one('link[rel=canonical]')["href"] == SITE + "historier/f/"
    assert meta("description") == "En kort ingress om historien."
    assert meta("og:title") == "F med bilde"
    assert meta("og:locale") == "nb_NO"
    assert meta("og:type") == "article"
    assert meta("og:url") == SITE + "historier/f/"
    assert re.fullmatch(re.escape(SITE) + r"historier/f/f-[0-9a-f]{8}-1200\.jpg", meta("og:image"))
    assert meta("twitter:card") == "summary_large_image"
    data = json.loads(page.select_one('script[type="application/ld+json"]').string)
    assert data["@type"] == "Article"
    assert data["headline"] == "F med bilde"
    assert data["datePublished"] == "2021-06-12"
    assert data["author"] == [{"@type": "Person", "name": "Kari Nordmann"}, {"@type": "Person", "name": "Per Hansen"}]
    assert data["image"] == meta("og:image")


def test_json_ld_and_meta_escape_hostile_text(build_site):
    evil = '</script><script>alert(1)</script>"'
    site = build_site({"x.md": story_text(title="'Tittel " + evil.replace("'", "") + "'")})
    assert site.error is None, site.errors()
    page = site.path("historier/x/").read_text(encoding="utf-8")
    assert "<script>alert(1)" not in page
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(page, "html.parser")
    assert json.loads(soup.select_one('script[type="application/ld+json"]').string)["headline"] == "Tittel " + evil
    assert soup.select_one('meta[property="og:title"]')["content"] == "Tittel " + evil


def test_dates_read_the_norwegian_way_with_reading_time(site):
    meta = site.article("historier/f/").select_one(".story-meta").get_text(" ", strip=True)
    assert "12. juni 2021" in meta
    assert re.search(r"Lesetid \d+ min", meta)


def test_pictures_are_resized_with_srcset_and_cards_load_lazily(site):
    img = site.article("historier/f/").select_one(".story__picture img")
    # Names carry a digest of the picture's bytes: a changed picture gets a new address.
    assert re.fullmatch(r"f-([0-9a-f]{8})-600\.jpg 600w, f-\1-1200\.jpg 1200w", img["srcset"]), img["srcset"]
    assert (img["width"], img["height"]) == ("1200", "800")
    assert "loading" not in img.attrs  # the story's own picture is at the top: load it at once
    folder = site.path("historier/f/").parent
    assert Image.open(folder / img["src"]).size == (1200, 800)
    assert not (folder / "p.jpg").exists()  # the original stays in stories/
    card = site.article("steder/sandvika/").select_one(".story-card__picture img")
    assert card["loading"] == "lazy" and (card["width"], card["height"]) == ("600", "400")


def test_pictures_in_a_story_body_are_published_and_load_lazily(site):
    img = site.article("historier/f/").select_one(".story__body img")
    assert img["alt"] == "Et kart over Grav" and img["loading"] == "lazy"
    assert (site.path("historier/f/").parent / img["src"]).is_file()


def test_search_index_uses_the_norwegian_stemmer_and_stays_lean(site):
    index = json.loads((site.site_dir / "search" / "search_index.json").read_text(encoding="utf-8"))
    assert index["config"]["lang"] == ["no"]
    assert "stemmer" in index["config"]["pipeline"]
    entry = next(d for d in index["docs"] if d["location"] == "historier/f/")
    assert entry["title"] == "F med bilde"
    for part in ("En kort ingress om historien.", "mangfold", "Sandvika", "Kari Nordmann", "Per Hansen"):
        assert part in entry["text"]
    assert "Dette er historien." not in json.dumps(index)  # bodies are not in the index
    # The body is still on the page for readers.
    assert "Dette er historien." in site.article("historier/f/").select_one(".story__body").get_text()


def test_search_worker_stems_queries_like_the_index(site):
    [worker] = (site.site_dir / "assets" / "javascripts" / "workers").glob("search.*.min.js")
    text = worker.read_text(encoding="utf-8")
    assert text.startswith("/* Prepended by hooks/storysite")
    assert text.count("Prepended by hooks/storysite") == 2  # the query stemmer and the every-script trimmer, once
    assert "stemmer(new lunr.Token(" in text
    assert "lunr.no.trimmer = function" in text


def test_materials_bundle_leaves_the_hreflang_and_feed_links_alone(site):
    """Material fetches a sitemap.xml below every alternate link, as if it were a site in another language."""
    [bundle] = (site.site_dir / "assets" / "javascripts").glob("bundle.*.min.js")
    text = bundle.read_text(encoding="utf-8")
    assert 'M("link[rel=alternate]:not([hreflang]):not([type])")' in text and 'M("link[rel=alternate]")' not in text


def test_norwegian_404_page(site):
    page = site.html("404.html")
    assert page.h1.get_text(strip=True) == "Vi finner ikke siden"
    assert page.html["lang"] == "nb"


def test_every_page_has_a_meta_description(site):
    for url in ("", "historier/", "verdier/raushet/", "steder/", "steder/sandvika/", "satsingsomrader/identitet/",
                "historier/a/", "visjonen/"):
        assert site.html(url).select_one('meta[name="description"]')["content"].strip(), url
