"""The built site, as a reader gets it: pages, value indexes, story pages and the introduction."""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import urljoin

import frontmatter
import pytest
from conftest import ROOT, story_text

VALUE_SLUGS = {"mangfold": "mangfold", "raushet": "raushet", "bærekraft": "barekraft"}


def _real_stories() -> list[dict]:
    """The project's stories, read straight from the files (not through the site's own code)."""
    stories = []
    for path in sorted((ROOT / "stories").glob("*.md")) + sorted((ROOT / "stories").glob("*/index.md")):
        if path.name.startswith("_") or path.parent.name.startswith("_"):
            continue
        meta = frontmatter.load(path).metadata
        tags = meta["tags"] if isinstance(meta["tags"], list) else [meta["tags"]]
        stories.append({**meta, "tags": tags, "slug": path.stem if path.name != "index.md" else path.parent.name})
    return stories


def test_the_real_site_has_every_page(real_site):
    for url in ("", "visjonen/", "historier/", "verdier/mangfold/", "verdier/raushet/", "verdier/barekraft/",
                "steder/", "satsingsomrader/", "404.html"):
        assert real_site.exists(url), url
    assert real_site.warnings() == []


def test_example_content_covers_every_value_place_and_year():
    """The example stories (content, not code) show what the site does: every value, several places
    and years."""
    stories = _real_stories()
    assert len(stories) >= 12
    for value in VALUE_SLUGS:
        assert sum(value in s["tags"] for s in stories) >= 4, value
    assert len({s.get("place") for s in stories}) >= 6
    assert len({s["date"].year for s in stories}) >= 5


@pytest.fixture(scope="module")
def indexed(tmp_path_factory):
    """Five hand-made stories whose values and dates are chosen to test membership and order."""
    from conftest import build, make_project

    stories = {
        "a.md": story_text(title="A mangfold 2015", date="2015-03-01", tags="mangfold"),
        "b.md": story_text(title="B alle tre 2018", date="2018-06-01", tags="[mangfold, raushet, bærekraft]"),
        "c.md": story_text(title="C raushet 2016", date="2016-01-01", tags="raushet"),
        "d.md": story_text(title="D bærekraft 2020", date="2020-09-09", tags="Bærekraft"),
        "e.md": story_text(title="E utkast 2021", date="2021-01-01", tags="mangfold", draft="true"),
    }
    site = build(make_project(tmp_path_factory.mktemp("indexed"), stories))
    assert site.error is None, site.errors()
    return site


def test_each_value_index_lists_exactly_its_stories_newest_first(indexed):
    assert indexed.card_titles("verdier/mangfold/") == ["B alle tre 2018", "A mangfold 2015"]
    assert indexed.card_titles("verdier/raushet/") == ["B alle tre 2018", "C raushet 2016"]
    assert indexed.card_titles("verdier/barekraft/") == ["D bærekraft 2020", "B alle tre 2018"]


def test_all_stories_index_is_newest_first_without_drafts(indexed):
    assert indexed.card_titles("historier/") == ["D bærekraft 2020", "B alle tre 2018", "C raushet 2016",
                                                 "A mangfold 2015"]
    count = indexed.article("historier/").select_one(".listing__count").get_text(" ", strip=True)
    assert count == "4 historier, nyeste først."
    assert indexed.article("verdier/barekraft/").select_one(".listing__count").get_text(" ", strip=True) == (
        "2 historier, nyeste først.")


def test_value_index_shows_name_description_and_cards(indexed):
    page = indexed.article("verdier/barekraft/")
    assert page.h1.get_text(strip=True) == "Bærekraft"
    assert "å tenke på fremtiden når vi gjør våre valg, de unges begrep" in page.get_text()
    card = page.select_one(".story-card")
    assert re.fullmatch(r"\d{1,2}\. [a-zæøå]+ \d{4}", card.time.get_text(strip=True))
    assert card.select_one(".story-card__description").get_text(strip=True)
    badges = {a.get_text(strip=True): urljoin("/verdier/barekraft/", a["href"]) for a in card.select(".value-badge")}
    assert badges["bærekraft"] == "/verdier/barekraft/"
    for name, url in badges.items():
        assert url == f"/verdier/{VALUE_SLUGS[name]}/"


def test_story_page_shows_everything_a_reader_needs(build_site, tmp_path):
    from PIL import Image

    picture = tmp_path / "bilde.jpg"
    Image.new("RGB", (800, 500), "teal").save(picture)
    site = build_site({
        "kafe-pa-jar/index.md": story_text(
            "## Hvordan det startet\n\nAlt begynte en tirsdag.\n",
            title="Kafé på Jar", description="Naboer møtes hver tirsdag.", date="2015-06-12",
            authors="[Ola Hansen, Kari Berg]", tags="[Raushet, mangfold]", place="Jar", focus="[identitet]",
            image="bilde.jpg", image_alt='"Fire personer rundt et bord med kaffekopper"',
            image_credit="Per Fotograf"),
        "kafe-pa-jar/bilde.jpg": picture.read_bytes(),
    })
    assert site.error is None, site.error
    page = site.article("historier/kafe-pa-jar/")
    assert page.h1.get_text(strip=True) == "Kafé på Jar"
    assert page.select_one(".story__ingress").get_text(strip=True) == "Naboer møtes hver tirsdag."
    meta = page.select_one(".story-meta").get_text(" ", strip=True)
    assert "Ola Hansen, Kari Berg" in meta
    assert "12. juni 2015" in meta
    assert "Jar" in meta and "Identitet" in meta
    assert [a.get_text() for a in page.select(".story-meta .value-badge")] == ["mangfold", "raushet"]
    img = page.select_one(".story__picture img")
    assert img["alt"] == "Fire personer rundt et bord med kaffekopper"
    assert (img["width"], img["height"]) == ("800", "500")
    assert (site.path("historier/kafe-pa-jar/") .parent / img["src"]).is_file()
    assert "Per Fotograf" in page.select_one(".story__picture figcaption").get_text()
    assert page.select_one(".story__body h2").get_text(strip=True) == "Hvordan det startet"
    assert site.html("historier/kafe-pa-jar/").title.get_text() == "Kafé på Jar - Sammen skaper vi fremtiden"


def test_home_page_shows_values_with_counts_featured_and_newest(build_site):
    site = build_site({
        "a.md": story_text(title="Eldst", date="2015-01-01", tags="[mangfold, raushet]"),
        "b.md": story_text(title="Utvalgt", date="2016-01-01", tags="bærekraft", featured="true"),
        "c.md": story_text(title="Nyest", date="2024-01-01", tags="mangfold"),
    })
    home = site.article("")
    counts = {tile.select_one(".value-tile__name").get_text(strip=True): tile.select_one(".value-tile__count").get_text(strip=True)
              for tile in home.select(".value-tile")}
    assert counts == {"Mangfold": "2 historier", "Raushet": "1 historie", "Bærekraft": "1 historie"}
    sections = {s.h2.get_text(strip=True): [a.get_text(strip=True) for a in s.select(".story-card__title a")]
                for s in home.select("section") if s.select(".story-card")}
    assert sections == {"Utvalgte historier": ["Utvalgt"], "Nyeste historier": ["Nyest", "Eldst"]}
    assert home.select_one('a[href="visjonen/"]')


def test_drafts_and_consent_never_reach_the_site(build_site):
    site = build_site({
        "publisert.md": story_text(title="Publisert", consent='"Saksnr. 2019/4242 hemmelig"'),
        "utkast.md": story_text(title="Hemmelig utkast", draft="true", consent="Saksnr. 2019/777"),
    })
    assert site.error is None
    assert not site.exists("historier/utkast/")
    output = site.all_output()
    assert "Hemmelig utkast" not in output
    assert "2019/4242" not in output and "2019/777" not in output
    assert "Publisert" in output


def test_script_in_front_matter_is_escaped_everywhere(build_site):
    evil = "<script>alert(1)</script>"
    site = build_site({
        "farlig.md": story_text(title=f'"Tittel {evil} & co"', description=f'"Ingress {evil}"',
                                authors=f'"Ola {evil}"', tags="[raushet, mangfold]", place="Jar"),
        "annen.md": story_text(title="Annen", tags="raushet", place="Jar"),
    })
    assert site.error is None, site.error
    # Every page, feed and script is escaped; the open data holds the text as written (it is data, not HTML).
    output = "\n".join(p.read_text(encoding="utf-8") for p in site.site_dir.rglob("*")
                       if p.suffix in (".html", ".xml", ".json", ".js", ".css") and "data" not in p.parts)
    assert "<script>alert" not in output
    import json
    records = json.loads((site.site_dir / "data" / "historier.json").read_text(encoding="utf-8"))
    assert f"Tittel {evil} & co" in [r["title"] for r in records]
    assert "Tittel &lt;script&gt;alert(1)&lt;/script&gt; &amp; co" in site.path("historier/farlig/").read_text()
    page = site.html("historier/farlig/")
    assert page.title.get_text().startswith(f"Tittel {evil} & co")
    assert page.select_one('meta[name="description"]')["content"] == f"Ingress {evil}"
    assert f"Tittel {evil} & co" in [a.get_text(strip=True) for a in site.article("verdier/raushet/").select(".story-card__title a")]


def test_mac_nfd_text_and_tag_case_are_normalised(build_site):
    nfd = unicodedata.normalize("NFD", "Bærekraft på Høvik")
    site = build_site({"a.md": story_text(title=nfd, tags=unicodedata.normalize("NFD", "BÆREKRAFT"), place=unicodedata.normalize("NFD", "Høvik"))})
    assert site.error is None, site.error
    assert site.card_titles("verdier/barekraft/") == ["Bærekraft på Høvik"]
    assert site.card_titles("steder/hovik/") == ["Bærekraft på Høvik"]


def test_visjonen_publishes_the_mayors_text_as_written(real_site):
    source = (ROOT / "tests" / "data" / "ordforerens-innledning.txt").read_text(encoding="utf-8")
    page = " ".join(real_site.article("visjonen/").get_text(" ").split())
    for line in source.splitlines():
        line = " ".join(line.replace("•", "").split())
        if line:
            assert line in page, line
    signature = real_site.article("visjonen/").select_one(".signature").get_text(strip=True)
    assert signature == "Lisbeth Hammer Krog, ordfører, Bærum kommune"


def test_site_is_norwegian_without_google_fonts(real_site):
    html = real_site.html("")
    assert html.html["lang"] == "nb"
    assert "fonts.googleapis" not in real_site.all_output()


def test_navigation_lists_main_pages_but_not_stories(real_site):
    nav = real_site.html("historier/").select_one("nav.md-nav--primary")
    labels = [a.get_text(strip=True) for a in nav.select("a.md-nav__link")]
    for label in ("Forside", "Visjonen", "Mangfold", "Raushet", "Bærekraft", "Alle historier"):
        assert label in labels
    titles = {s["title"] for s in _real_stories()}
    assert not titles & set(labels)


def test_every_link_in_the_tabs_sidebars_and_cards_of_every_page_leads_to_a_page(real_site):
    """The tabs, sidebars and cards are drawn once per place in the site and reused (site_build.cached
    and card): every relative link must still resolve from every page that shows it."""
    from urllib.parse import urljoin, urlsplit

    checked = 0
    for path in real_site.site_dir.rglob("*.html"):
        url = "/" + path.relative_to(real_site.site_dir).as_posix().removesuffix("index.html")
        page = real_site.html(url)
        for a in page.select(".md-tabs a, .md-sidebar a, .story-card a, .value-badges a"):
            href = a.get("href", "")
            if href.startswith(("#", "http", "mailto:")):
                continue
            target = urlsplit(urljoin("https://x" + url, href)).path
            assert real_site.exists(target), f"{url}: {href} → {target}"
            checked += 1
    assert checked > 1000


def test_an_index_without_stories_says_so_and_invites_a_story(indexed):
    count = indexed.article("sammen/naringsliv/").select_one(".listing__count")
    assert " ".join(count.get_text().split()) == "Ingen historier her ennå. Kjenner du en? Del din historie."
    assert count.a["href"] == "../../del-din-historie/"
    assert not indexed.article("sammen/naringsliv/").select(".story-card")
