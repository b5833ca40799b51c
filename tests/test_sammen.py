"""«Sammen»: who takes part, the youth's special place, and the municipality's goals, on built sites."""

from __future__ import annotations

import json

import pytest
import yaml
from conftest import ROOT, build, make_project, story_text
from test_commands import run


def youth(**fields) -> str:
    return story_text(minors="false", **fields)


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    stories = {
        "a.md": story_text(title="A innbyggere 2016", date="2016-01-01", partners="[innbyggere, frivillige]",
                           goals="[dialog]"),
        "b.md": youth(title="B ungdom 2019", date="2019-05-05", partners="[ungdom, næringsliv]",
                      goals="[samfunnsutvikling, dialog]"),
        "c.md": youth(title="C ungdom 2021", date="2021-03-03", partners="[Ungdom]", goals="[tjenester]"),
        "d.md": story_text(title="D næringsliv 2018", date="2018-08-08", partners="[Næringsliv]"),
        "e.md": story_text(title="E ingen 2020", date="2020-02-02"),
        "f.md": youth(title="F ungdom utkast", date="2022-01-01", partners="[ungdom]", draft="true"),
    }
    built = build(make_project(tmp_path_factory.mktemp("sammen"), stories))
    assert built.error is None, built.errors()
    return built


def test_each_partner_page_lists_exactly_its_stories_newest_first(site):
    assert site.card_titles("sammen/ungdom/") == ["C ungdom 2021", "B ungdom 2019"]
    assert site.card_titles("sammen/naringsliv/") == ["B ungdom 2019", "D næringsliv 2018"]
    assert site.card_titles("sammen/innbyggere/") == ["A innbyggere 2016"]
    assert site.card_titles("sammen/politikere/") == []
    lead = site.article("sammen/naringsliv/").select_one(".listing__lead").get_text(strip=True)
    assert lead == "Bedrifter og butikker som tar del i lokalsamfunnet."


def test_each_goal_page_shows_its_wording_then_its_stories(site):
    page = site.article("mal/dialog/")
    assert page.h1.get_text(strip=True) == "Dialog og medvirkning"
    assert "«Dialog og medvirkning for bedre løsninger.»" in page.select_one(".listing__lead").get_text()
    assert site.card_titles("mal/dialog/") == ["B ungdom 2019", "A innbyggere 2016"]
    assert site.card_titles("mal/tjenester/") == ["C ungdom 2021"]
    assert site.card_titles("mal/organisasjon/") == []


def test_overviews_count_every_partner_kind_and_goal(site):
    items = {li.a.get_text(strip=True): " ".join(li.get_text(" ").split())
             for li in site.article("sammen/").select(".subject-list li")}
    partners = yaml.safe_load((ROOT / "data" / "vocabulary.yml").read_text(encoding="utf-8"))["partners"]
    assert len(items) == len(partners) > 0
    assert items["Ungdom og Ungdommens kommunestyre"].startswith("Ungdom og Ungdommens kommunestyre (2 historier)")
    assert items["Politikere"].startswith("Politikere (0 historier)")
    assert "Sammen er visjonens viktigste budskap." in site.article("sammen/").select_one("blockquote").get_text()
    goals = {li.a.get_text(strip=True): li for li in site.article("mal/").select(".subject-list li")}
    assert list(goals) == ["Bærekraftige tjenester", "Balansert samfunnsutvikling", "En innovativ organisasjon",
                           "Dialog og medvirkning"]
    assert goals["Dialog og medvirkning"].a["href"] == "dialog/"  # relative to /mal/


def test_the_youth_page_opens_with_the_youths_place_in_the_vision(site):
    intro = site.article("sammen/ungdom/").select_one(".youth-intro").get_text(" ")
    assert "februar 2015" in intro and "de unges begrep" in intro


def test_front_page_has_the_youths_voice_and_goals_that_link(site):
    home = site.article("")
    section = home.select_one("section.home__youth")
    assert section.h2.get_text(strip=True) == "Ungdommens stemme"
    # All five stories are among the newest above, so the section shows no story twice: it counts and links them.
    newest = [a.get_text(strip=True) for a in home.select("section[aria-labelledby=nyeste] .story-card__title a")]
    assert "C ungdom 2021" in newest and "B ungdom 2019" in newest
    assert not section.select(".story-card")
    link = section.select_one("a[href$='sammen/ungdom/']")
    assert " ".join(link.parent.get_text(" ").split()) == "Se alle historiene der ungdom er med (2 historier)"
    links = [a["href"] for a in home.select(".goal-list a")]
    assert [h.rstrip("/").split("/")[-1] for h in links] == ["tjenester", "samfunnsutvikling", "organisasjon",
                                                             "dialog"]


def test_front_page_invites_the_youth_when_there_is_no_youth_story(build_site):
    built = build_site({"a.md": story_text(title="Uten ungdom", partners="[innbyggere]")})
    assert built.error is None, built.errors()
    section = built.article("").select_one("section.home__youth")
    assert not section.select(".story-card")
    invitation = section.select_one("a[href$='del-din-historie/']")
    assert invitation is not None and "Ingen historier fra ungdom ennå" in section.get_text()


def test_story_pages_and_cards_name_who_takes_part_and_mark_the_youth(site):
    meta = site.article("historier/b/").select_one(".story-meta")
    partners = [dd for dt, dd in zip(meta.select("dt"), meta.select("dd"), strict=True) if dt.get_text() == "Hvem er med"]
    assert [a.get_text() for a in partners[0].select("a")] == ["Ungdom og Ungdommens kommunestyre", "Næringsliv"]
    card = next(c for c in site.article("historier/").select(".story-card") if "B ungdom 2019" in c.get_text())
    assert "story-card--youth" in card["class"]
    assert card.select_one(".youth-mark").get_text(strip=True) == "Ungdommens stemme"
    assert "Næringsliv" in card.select_one(".story-card__partners").get_text()
    other = next(c for c in site.article("historier/").select(".story-card") if "D næringsliv" in c.get_text())
    assert not other.select(".youth-mark")


def test_story_page_says_how_it_serves_the_municipalitys_goals(site):
    block = site.article("historier/b/").select_one("section.story-goals")
    assert block.h2.get_text(strip=True) == "Slik henger historien sammen med kommunens mål"
    assert [a.get_text() for a in block.select("a")] == ["Balansert samfunnsutvikling", "Dialog og medvirkning"]
    assert site.article("historier/e/").select_one("section.story-goals") is None


def test_partner_and_goal_names_are_searchable(site):
    index = json.loads((site.site_dir / "search" / "search_index.json").read_text(encoding="utf-8"))
    text = next(doc["text"] for doc in index["docs"] if doc["location"] == "historier/b/")
    assert "Ungdom og Ungdommens kommunestyre" in text and "Dialog og medvirkning" in text


def test_new_pages_are_in_the_sitemap_and_the_navigation(site):
    sitemap = (site.site_dir / "sitemap.xml").read_text(encoding="utf-8")
    for path in ("sammen/", "sammen/ungdom/", "mal/", "mal/dialog/"):
        assert f"/{path}</loc>" in sitemap, path
    labels = [a.get_text(strip=True) for a in site.html("").select("nav.md-nav--primary a.md-nav__link")]
    assert "Sammen" in labels and "Mål" in labels


def test_shared_partners_and_goals_count_in_related_stories(build_site):
    built = build_site({
        "x.md": story_text(title="X", tags="raushet", date="2020-01-01", partners="[velforeninger]", goals="[dialog]"),
        "naer.md": story_text(title="Nær i tid", tags="raushet", date="2020-01-02"),
        "felles.md": story_text(title="Felles partner og mål", tags="raushet", date="2010-01-01",
                                partners="[velforeninger]", goals="[dialog]"),
    })
    assert built.error is None, built.errors()
    titles = [a.get_text(strip=True) for a in built.article("historier/x/").select(".story-more .story-card__title a")]
    assert titles == ["Felles partner og mål", "Nær i tid"]


def test_unknown_partner_and_goal_get_a_norwegian_message_each_with_a_suggestion(tmp_path):
    project = make_project(tmp_path, {"feil.md": story_text(partners="[ungdomm, naringsliv, bedrifter]",
                                                            goals="[dialogg]")})
    result = run(project, "check")
    assert result.returncode == 1
    partners = ("innbyggere, medarbeidere, politikere, ungdom, næringsliv, velforeninger, frivillige, "
                "tjenestesteder")
    assert [line.strip() for line in result.stderr.splitlines()[1:]] == [
        f"stories/feil.md:8: partners: «ungdomm» er ikke blant dem som kan være med ({partners}). Mente du «ungdom»?",
        f"stories/feil.md:8: partners: «naringsliv» er ikke blant dem som kan være med ({partners}). "
        "Mente du «næringsliv»?",
        f"stories/feil.md:8: partners: «bedrifter» er ikke blant dem som kan være med. Velg blant: {partners}.",
        "stories/feil.md:9: goals: «dialogg» er ikke et av kommunens hovedmål (tjenester, samfunnsutvikling, "
        "organisasjon, dialog). Mente du «dialog»?",
    ]


def test_a_youth_story_must_say_whether_children_under_15_are_recognisable(tmp_path):
    project = make_project(tmp_path, {"ung.md": story_text(partners="[ungdom]")})
    result = run(project, "check")
    assert [line.strip() for line in result.stderr.splitlines()[1:]] == [
        "stories/ung.md:8: minors: feltet mangler: en historie der ungdom er med, må si om barn under 15 år kan "
        "kjennes igjen. Skriv «minors: true» (og «guardian_consent:») hvis noen under 15 år kan kjennes igjen i "
        "tekst eller bilde, ellers «minors: false».",
    ]


def test_vocabulary_texts_are_escaped_on_every_page(tmp_path):
    project = make_project(tmp_path, {"a.md": story_text(partners="[frivillige]", goals="[dialog]")})
    path = project / "data" / "vocabulary.yml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    evil = '<script>alert(1)</script>"'
    data["partners"][6]["name"] = "Frivillige " + evil
    data["partners"][6]["description"] = "Lag " + evil
    data["goals"][3]["wording"] = "Dialog " + evil
    data["goals"][3]["name"] = "Dialog " + evil
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    built = build(project)
    assert built.error is None, built.errors()
    for page in ("", "sammen/", "sammen/frivillige/", "mal/", "mal/dialog/", "historier/a/", "historier/"):
        html = built.path(page).read_text(encoding="utf-8")
        assert "<script>alert(1)" not in html, page
    assert "Frivillige " + evil in built.article("historier/a/").get_text()


def test_guide_tables_list_every_partner_and_goal(real_site):
    vocabulary = yaml.safe_load((ROOT / "data" / "vocabulary.yml").read_text(encoding="utf-8"))
    cells = [td.get_text(strip=True) for td in real_site.article("bidra/redaksjon/").select("td")]
    for partner in vocabulary["partners"]:
        assert partner["key"] in cells and partner["name"] in cells
    for goal in vocabulary["goals"]:
        assert goal["key"] in cells
