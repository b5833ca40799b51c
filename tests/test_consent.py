"""Consent that can be withdrawn: a withdrawn story leaves nothing of itself in the site, its address
says it is withdrawn, and a child under 15 needs a guardian's consent on record."""

from __future__ import annotations

import io
import json

import pytest
from conftest import build, make_project, story_text
from PIL import Image
from test_commands import run

BODY = ("Ragnhild fortalte om hagen bak blokka der naboene dyrker poteter.\n\n"
        "Hver torsdag møtes de for å luke og prate om løst og fast.\n")
SENTENCES = ["Ragnhild fortalte om hagen bak blokka", "Hver torsdag møtes de for å luke"]
TITLE = "Hagen bak blokka på Rykkinn"


def _picture() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (900, 600), (12, 200, 34)).save(out, "JPEG", quality=95)
    return out.getvalue()


@pytest.fixture(scope="module")
def withdrawn_site(tmp_path_factory):
    """The withdrawn story still has its body and picture (an editor set ``withdrawn:`` by hand):
    none of it may reach the site."""
    stories = {
        "hagen/index.md": story_text(BODY, title=TITLE, tags="[raushet, bærekraft]", place="Rykkinn",
                                     focus="identitet", image="hagen.jpg", image_alt="Grønnsaksbed", image_credit="Ola",
                                     featured="true", withdrawn="2026-11-01", date="2021-05-05"),
        "hagen/hagen.jpg": _picture(),
        "nabo.md": story_text(title="Naboen på Rykkinn", tags="[raushet, bærekraft]", place="Rykkinn",
                              focus="identitet", date="2021-05-04"),
        "senere.md": story_text(title="En senere historie", tags="mangfold", date="2021-05-06"),
    }
    site = build(make_project(tmp_path_factory.mktemp("withdrawn"), stories))
    assert site.error is None, site.errors()
    return site


def test_nothing_of_a_withdrawn_story_is_in_any_file_of_the_site(withdrawn_site):
    picture = _picture()
    for path in withdrawn_site.site_dir.rglob("*"):
        if not path.is_file():
            continue
        data = path.read_bytes()
        text = data.decode("utf-8", errors="replace")
        for needle in [TITLE, *SENTENCES, "Grønnsaksbed"]:
            assert needle not in text, (path, needle)
        assert picture[1000:1400] not in data, path
    assert not list((withdrawn_site.site_dir / "historier" / "hagen").glob("*.jpg"))


def test_a_withdrawn_storys_address_says_so_and_is_kept_out_of_search_engines(withdrawn_site):
    page = withdrawn_site.html("historier/hagen/")
    assert page.select_one("article h1").get_text(strip=True) == "Historien er trukket tilbake"
    assert page.select_one('meta[name="robots"]')["content"] == "noindex"
    assert page.title.get_text().startswith("Historien er trukket tilbake")
    sitemap = (withdrawn_site.site_dir / "sitemap.xml").read_text(encoding="utf-8")
    assert "historier/hagen/" not in sitemap and "historier/nabo/" in sitemap
    index = json.loads((withdrawn_site.site_dir / "search" / "search_index.json").read_text(encoding="utf-8"))
    assert not [doc for doc in index["docs"] if doc["location"].startswith("historier/hagen/")]


def test_a_withdrawn_story_is_in_no_list_count_related_story_or_neighbour_link(withdrawn_site):
    assert withdrawn_site.card_titles("historier/") == ["En senere historie", "Naboen på Rykkinn"]
    assert withdrawn_site.card_titles("verdier/raushet/") == ["Naboen på Rykkinn"]
    assert withdrawn_site.card_titles("steder/rykkinn/") == ["Naboen på Rykkinn"]
    home = withdrawn_site.article("")
    assert not home.select("#utvalgte")  # it was the only featured story
    counts = [t.get_text(" ", strip=True) for t in home.select(".value-tile__count")]
    assert counts == ["1 historie", "1 historie", "1 historie"]
    nabo = withdrawn_site.article("historier/nabo/")
    assert not nabo.select(".story-more .story-card")  # its only related story was the withdrawn one
    assert nabo.select_one("[rel=next]").get_text(" ", strip=True) == "Neste historie En senere historie"
    for feed in ("feed.xml", "verdier/raushet/feed.xml"):
        assert "hagen" not in (withdrawn_site.site_dir / feed).read_text(encoding="utf-8")


def test_withdraw_command_keeps_the_front_matter_and_removes_body_and_pictures(tmp_path):
    project = make_project(tmp_path, {
        "hagen/index.md": story_text(BODY, title=TITLE, image="hagen.jpg", image_alt="x", image_credit="y"),
        "hagen/hagen.jpg": _picture(),
        "hagen/hagen-original.jpg": _picture(),
        "nabo.md": story_text(title="Naboen"),
    })
    result = run(project, "withdraw", "hagen", "--date", "2026-11-30")
    assert result.returncode == 0, result.stderr
    assert "Historien «hagen» er merket som trukket tilbake (2026-11-30) i stories/hagen/index.md." in result.stdout
    assert "git-historikken" in result.stdout and "Nasjonalbibliotekets nettarkiv" in result.stdout
    assert sorted(p.name for p in (project / "stories" / "hagen").iterdir()) == ["index.md"]
    text = (project / "stories" / "hagen" / "index.md").read_text(encoding="utf-8")
    assert text.endswith("withdrawn: 2026-11-30\n---\n")
    assert f"title: {TITLE}" in text and "consent:" in text
    assert not any(sentence in text for sentence in SENTENCES)
    checked = run(project, "check")
    assert checked.returncode == 0, checked.stderr
    site = build(project)
    assert site.error is None, site.errors()
    assert site.card_titles("historier/") == ["Naboen"]
    assert site.html("historier/hagen/").select_one("article h1").get_text(strip=True) == "Historien er trukket tilbake"


def test_withdraw_refuses_an_unknown_address(tmp_path):
    project = make_project(tmp_path, {"nabo.md": story_text()})
    result = run(project, "withdraw", "finnes-ikke")
    assert result.returncode == 1
    assert result.stderr.startswith("Finner ingen historie med adressen «finnes-ikke» i stories/.")


@pytest.mark.parametrize(("fields", "expected"), [
    ({"minors": "true"}, "stories/barn.md:8: guardian_consent: feltet mangler: når barn under 15 år kan kjennes "
                         "igjen, må foresatte ha samtykket. Legg til «guardian_consent:» med saksnummeret der "
                         "samtykket fra foresatte er arkivert."),
    ({"guardian_consent": "Saksnr. 1"}, "stories/barn.md:8: guardian_consent: feltet brukes bare sammen med "
                                        "«minors: true». Skriv «minors: true» hvis barn under 15 år kan kjennes "
                                        "igjen, ellers fjern feltet."),
])
def test_a_child_under_15_needs_a_guardians_consent(tmp_path, fields, expected):
    project = make_project(tmp_path, {"barn.md": story_text(**fields)})
    result = run(project, "check")
    assert result.returncode == 1
    assert result.stderr.splitlines()[1].strip() == expected


def test_consent_records_never_reach_the_site(build_site):
    site = build_site({"barn.md": story_text(minors="true", guardian_consent='"Foresatte-saksnr. 2026/777"',
                                             consent='"Samtykke-saksnr. 2026/776"')})
    assert site.error is None, site.errors()
    output = site.all_output()
    assert "2026/777" not in output and "2026/776" not in output


def test_a_withdrawn_story_keeps_only_consent_and_withdrawn_and_the_rest_is_named_for_deletion():
    from storysite.fields import WITHDRAWN_KEEPS, withdrawn_leftovers

    assert WITHDRAWN_KEEPS == ("consent", "withdrawn")
    assert withdrawn_leftovers(["consent", "withdrawn"]) is None
    one = withdrawn_leftovers(["title", "consent", "withdrawn"])
    assert (one.message, one.suggestion) == (
        "feltet title skal slettes når samtykket er trukket tilbake.",
        "Bare consent og withdrawn skal stå igjen; da sier ikke filen lenger hvem eller hva historien handlet om.")
    many = withdrawn_leftovers(["title", "description", "consent", "authors", "image_credit", "withdrawn"])
    assert many.message == ("feltene title, description, authors og image_credit skal slettes når samtykket er "
                            "trukket tilbake.")
