"""Consent that can be withdrawn: a withdrawn story keeps only its consent record and date, leaves
nothing of itself in the site, and its address says it is withdrawn; a child under 15 needs a
guardian's consent on record."""

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


# A withdrawn story as the withdraw command leaves it: the consent record and the date, nothing else.
# Its values are unique, so that any trace of it in any file of the site can be found.
CONSENT = "Samtykke trukket tilbake, sak 2026/44551"
WITHDRAWN = f"---\nconsent: {CONSENT}\nwithdrawn: 2026-11-01\n---\n"
SLUG = "hagen-bak-blokka-x7q"
OTHERS = {
    "nabo.md": story_text(title="Naboen på Rykkinn", tags="[raushet, bærekraft]", place="Rykkinn", focus="identitet",
                          partners="[innbyggere, ungdom]", minors="false", goals="dialog", featured="true",
                          date="2021-05-04"),
    "senere.md": story_text(title="En senere historie", tags="mangfold", date="2021-05-06"),
}


@pytest.fixture(scope="module")
def sites(tmp_path_factory):
    """The same stories built twice: without and with a withdrawn story among them."""
    without = build(make_project(tmp_path_factory.mktemp("without"), dict(OTHERS)))
    with_it = build(make_project(tmp_path_factory.mktemp("withdrawn"), {**OTHERS, f"{SLUG}/index.md": WITHDRAWN}))
    assert without.error is None and with_it.error is None, with_it.errors()
    return without, with_it


def _files(site) -> dict[str, bytes]:
    return {p.relative_to(site.site_dir).as_posix(): p.read_bytes() for p in site.site_dir.rglob("*") if p.is_file()}


def test_a_withdrawn_story_changes_no_file_of_the_site_but_its_own_address(sites):
    """Every list, count, chart, map, feed, search index, sitemap and data file is byte for byte what it
    would be without the story: it is counted nowhere."""
    without, with_it = _files(sites[0]), _files(sites[1])
    assert set(with_it) - set(without) == {f"historier/{SLUG}/index.html"}
    assert set(without) <= set(with_it)
    changed = sorted(name for name in without if without[name] != with_it[name])
    assert changed == []


def test_nothing_of_a_withdrawn_story_is_in_any_file_but_its_address(sites):
    site = sites[1]
    for name, data in _files(site).items():
        text = data.decode("utf-8", errors="replace")
        assert CONSENT not in text and "2026/44551" not in text, name
        if name != f"historier/{SLUG}/index.html":
            assert SLUG not in text, name


def test_a_withdrawn_storys_address_says_so_and_is_kept_out_of_search_engines(sites):
    site = sites[1]
    page = site.html(f"historier/{SLUG}/")
    assert page.select_one("article h1").get_text(strip=True) == "Historien er trukket tilbake"
    assert page.select_one('meta[name="robots"]')["content"] == "noindex"
    assert page.select_one('meta[name="description"]')["content"] == "Denne historien er ikke lenger på nettstedet."
    assert page.title.get_text().startswith("Historien er trukket tilbake")
    assert len(page.select('meta[http-equiv="Content-Security-Policy"]')) == 1
    sitemap = (site.site_dir / "sitemap.xml").read_text(encoding="utf-8")
    assert SLUG not in sitemap and "historier/nabo/" in sitemap
    index = json.loads((site.site_dir / "search" / "search_index.json").read_text(encoding="utf-8"))
    assert not [doc for doc in index["docs"] if SLUG in doc["location"]]


def test_a_withdrawn_story_that_keeps_other_fields_or_its_text_is_refused_naming_them(build_site):
    site = build_site({
        "hagen/index.md": story_text(BODY, title=TITLE, tags="[raushet, bærekraft]", place="Rykkinn",
                                     image="hagen.jpg", image_alt="Grønnsaksbed", image_credit="Ola",
                                     withdrawn="2026-11-01"),
        "hagen/hagen.jpg": _picture(),
        "nabo.md": story_text(title="Naboen"),
    }, strict=False)
    assert site.error is not None
    assert [line.strip() for line in site.errors().splitlines() if line.startswith("  stories/")] == [
        "stories/hagen/index.md: fil: historien er trukket tilbake, men mappen har fortsatt «hagen.jpg». Slett filene: "
        "bilder og andre filer sier hvem og hva historien handlet om.",
        "stories/hagen/index.md:12: withdrawn: feltene title, description, date, authors, tags, place, image, "
        "image_alt og image_credit skal slettes når samtykket er trukket tilbake. Bare consent og withdrawn skal stå "
        "igjen; da sier ikke filen lenger hvem eller hva historien handlet om.",
        "stories/hagen/index.md:15: tekst: teksten skal slettes når samtykket er trukket tilbake. "
        "Slett alt under den andre ---.",
    ]
    assert not (site.site_dir / "historier").exists()


def test_withdraw_command_keeps_only_consent_and_withdrawn_and_removes_body_and_pictures(tmp_path):
    project = make_project(tmp_path, {
        "hagen/index.md": story_text(BODY, title=TITLE, image="hagen.jpg", image_alt="x", image_credit="y",
                                     consent=f'"{CONSENT}"'),
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
    assert [line.split(":")[0] for line in text.split("\n")[1:-2]] == ["consent", "withdrawn"]
    assert text.endswith("withdrawn: 2026-11-30\n---\n") and CONSENT in text
    assert TITLE not in text and not any(sentence in text for sentence in SENTENCES)
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
