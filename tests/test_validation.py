"""Bad input: every problem of every story, in the exact words an editor reads, and no page."""

from __future__ import annotations

import subprocess
import sys

import pytest
from conftest import make_project, story_text


def _messages(site) -> list[str]:
    assert site.error is not None, "the build should have stopped"
    return [line.strip() for line in site.errors().splitlines() if line.startswith("  stories/")]


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("titel.md", story_text(title=None, titel="Hei"), [
            "stories/titel.md:1: title: feltet mangler. Legg til «title:». Tittelen, høyst 120 tegn.",
            "stories/titel.md:7: titel: ukjent felt. Mente du «title»?",
        ]),
        ("verdi.md", story_text(tags="[bærekraftig, Raushet]"), [
            "stories/verdi.md:6: tags: «bærekraftig» er ikke en av verdiene (mangfold, raushet, bærekraft). "
            "Mente du «bærekraft»?",
        ]),
        ("sted.md", story_text(place="Sandvikaa"), [
            "stories/sted.md:8: place: «Sandvikaa» er ikke et sted i stedslisten. Mente du «Sandvika»?",
        ]),
        ("tall.md", story_text(tags="42"), [
            "stories/tall.md:6: tags: «42» er ikke en av verdiene. Velg blant: mangfold, raushet, bærekraft.",
        ]),
        ("flagg.md", story_text(featured="kanskje"), [
            "stories/flagg.md:8: featured: «kanskje» er ikke true eller false. Skriv true (ja) eller false (nei).",
        ]),
        ("dato.md", story_text(date="2015-02-30"), [
            "stories/dato.md:4: date: datoen 2015-02-30 finnes ikke i kalenderen. Sjekk dag og måned.",
        ]),
        ("datoform.md", story_text(date="12.06.2015"), [
            "stories/datoform.md:4: date: «12.06.2015» er ikke en dato på formen ÅÅÅÅ-MM-DD. Skriv 2015-06-12.",
        ]),
        ("lang.md", story_text(title="x" * 121), [
            "stories/lang.md:2: title: teksten er 121 tegn lang, men kan være høyst 120 tegn. Kort den ned med 1 tegn.",
        ]),
        ("Feil_Navn.md", story_text(), [
            "stories/Feil_Navn.md: filnavn: filnavnet «Feil_Navn» kan ikke brukes som nettadresse "
            "(bare a–z, 0–9 og bindestrek). Gi det navnet «feil-navn.md».",
        ]),
        ("alias.md", "---\ntitle: &a Hei\ndescription: *a\n---\nTekst\n", [
            "stories/alias.md:2: title: YAML-anker (&a) er ikke tillatt. Fjern &-merket og skriv verdien helt ut.",
        ]),
        ("objekt.md", "---\ntitle: !!python/object:os.system x\n---\n", [
            "stories/objekt.md:2: title: YAML-merkelapper som «!!python/object:os.system» er ikke tillatt. "
            "Fjern merkelappen som begynner med ! og skriv bare verdien.",
        ]),
        ("uten.md", "Bare tekst, ingen felter.\n", [
            "stories/uten.md:1: front matter: filen mangler front matter: første linje skal være ---. "
            "Se eksempelet i stories/_mal.md eller i bidragsveiledningen.",
        ]),
        ("apen.md", "---\ntitle: Hei\n\nTekst\n", [
            "stories/apen.md:1: front matter: front matter er ikke avsluttet: legg til en linje med bare --- "
            "etter feltene. Se eksempelet i stories/_mal.md eller i bidragsveiledningen.",
        ]),
        ("liste.md", "---\n- title\n- Hei\n---\n", [
            "stories/liste.md:2: front matter: front matter skal være felter på formen «nøkkel: verdi», "
            "én per linje. Se eksempelet i stories/_mal.md eller i bidragsveiledningen.",
        ]),
        ("kolon.md", "---\ntitle: Hei: du: der\n---\n", [
            "stories/kolon.md:2: front matter: ugyldig YAML: et kolon står midt i en verdi "
            "(mapping values are not allowed in this context). Sjekk at hvert felt står på formen «nøkkel: verdi», "
            "at innrykk er likt, og sett tekst med kolon eller anførselstegn i \"doble anførselstegn\".",
        ]),
        ("latin1.md", story_text(title="Bærum").encode("latin-1"), [
            "stories/latin1.md:2: fil: filen er ikke lagret som UTF-8. "
            "Lagre filen som UTF-8 (i redigeringsprogrammet: «Lagre som» → koding «UTF-8»).",
        ]),
        ("skript.md", story_text("Hei\n\n<script>alert(1)</script>\n"), [
            "stories/skript.md:12: tekst: HTML-taggen <script> er ikke tillatt. Bruk vanlig Markdown for lenker "
            "og bilder; skript, skjemaer og innebygde sider er ikke tillatt.",
        ]),
        ("bilde.md", story_text(image="mangler.jpg", image_alt="Et bilde", image_credit="Ola"), [
            "stories/bilde.md:8: image: en historie med bilde («mangler.jpg») må være en mappe. Gjør historien om "
            "til en mappe: stories/<navn>/index.md med bildet ved siden av.",
        ]),
        ("utenfor/index.md", story_text(image="../../mkdocs.yml", image_alt="x", image_credit="y"), [
            "stories/utenfor/index.md:8: image: «../../mkdocs.yml» er ikke et filnavn i historiens mappe. "
            "Legg bildet i historiens mappe og skriv bare filnavnet, for eksempel bilde.jpg.",
        ]),
    ],
)
def test_each_invalid_story_stops_the_build_with_its_message(build_site, name, content, expected):
    site = build_site({name: content, "god.md": story_text(title="God")}, strict=False)
    assert _messages(site) == expected
    assert not (site.site_dir / "historier").exists()


def test_every_problem_in_every_file_is_reported_in_one_run(build_site):
    site = build_site({
        "a.md": story_text(title=None, tags="bærekraftig", place="Sandvikaa", focus="[styring, ledelse]"),
        "b.md": story_text(date="2020-13-01", featured="kanskje", body="<iframe src=x></iframe>\n"),
        "c.md": "---\ntitle: [\n---\n",
    }, strict=False)
    messages = _messages(site)
    assert [m.split(":")[0] + ":" + m.split(": ")[1] for m in messages] == [
        "stories/a.md:title", "stories/a.md:tags", "stories/a.md:place", "stories/a.md:focus",
        "stories/b.md:date", "stories/b.md:featured", "stories/b.md:tekst", "stories/c.md:front matter",
    ]
    assert site.errors().startswith("Fant 8 problemer i 3 filer:")


def test_duplicate_slugs_are_refused(build_site):
    site = build_site({"samme.md": story_text(), "samme/index.md": story_text()}, strict=False)
    assert _messages(site) == [
        "stories/samme.md: filnavn: to historier har samme adresse «samme»: stories/samme/index.md og "
        "stories/samme.md. Gi den ene et annet filnavn.",
        "stories/samme/index.md: filnavn: to historier har samme adresse «samme»: stories/samme/index.md og "
        "stories/samme.md. Gi den ene et annet filnavn.",
    ]


def test_a_file_that_is_not_a_picture_is_refused(build_site):
    site = build_site({
        "med-bilde/index.md": story_text(image="bilde.jpg", image_alt="Et bilde", image_credit="Ola"),
        "med-bilde/bilde.jpg": b"not really a jpeg",
    }, strict=False)
    assert _messages(site) == [
        "stories/med-bilde/index.md:8: image: «bilde.jpg»: filen er ikke et bilde som kan leses. "
        "Bruk et JPEG-, PNG- eller WebP-bilde.",
    ]


def test_picture_needs_alt_text_and_credit(build_site):
    site = build_site({"a.md": story_text(image="x.jpg")}, strict=False)
    assert _messages(site) == [
        "stories/a.md:8: image: en historie med bilde («x.jpg») må være en mappe. Gjør historien om til en mappe: "
        "stories/<navn>/index.md med bildet ved siden av.",
        "stories/a.md:8: image_alt: feltet mangler: bildet trenger en alternativ tekst som beskriver bildet. "
        "Fyll inn «image_alt:».",
        "stories/a.md:8: image_credit: feltet mangler: bildet trenger hvem som har tatt eller eier bildet. "
        "Fyll inn «image_credit:».",
    ]


def test_bom_crlf_and_files_starting_with_underscore_are_fine(build_site):
    site = build_site({
        "crlf.md": "\ufeff" + story_text(title="Windows").replace("\n", "\r\n"),
        "_notat.md": "Ikke en historie.",
        ".skjult.md": "Heller ikke.",
    })
    assert site.error is None, site.error
    assert site.card_titles("historier/") == ["Windows"]


def test_the_cli_build_fails_without_a_traceback(tmp_path):
    project = make_project(tmp_path, {"feil.md": story_text(tags="bærekraftig")})
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build"], check=False, cwd=project, capture_output=True,
                            text=True, env={"NO_MKDOCS_2_WARNING": "1", "PATH": "/usr/bin:/bin"})
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "stories/feil.md:6: tags: «bærekraftig» er ikke en av verdiene" in result.stderr
    assert not (project / "site" / "historier").exists()


def test_a_lone_less_than_sign_neither_hides_a_tag_nor_raises_a_false_alarm(build_site):
    site = build_site({"a.md": story_text("Velg a < b <script>alert(1)</script>\n"),
                       "b.md": story_text("Når x < y og 1<2, er alt i orden.\n")}, strict=False)
    assert [m.split(": ")[0] + ": " + m.split(": ")[2] for m in _messages(site)] == [
        "stories/a.md:10: HTML-taggen <script> er ikke tillatt. Bruk vanlig Markdown for lenker og bilder; "
        "skript, skjemaer og innebygde sider er ikke tillatt.",
    ]
