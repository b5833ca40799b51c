"""An editor's day: what a new editor ran into, each with the exact Norwegian message they now read."""

from __future__ import annotations

import pytest
from conftest import make_project, story_text
from PIL import Image
from test_commands import run

CURLY_HINT = 'Bruk rette anførselstegn "…" (tekstbehandlere som Word lager krøllete “…”), eller ingen.'


def _problems(result) -> list[str]:
    assert result.returncode == 1, result.stdout
    return [line.strip() for line in result.stderr.splitlines()[1:]]


def test_check_of_a_story_folder_checks_its_index(tmp_path):
    project = make_project(tmp_path, {"hagen/index.md": story_text(), "annen.md": story_text(tags="vennlighet")})
    result = run(project, "check", "stories/hagen/")
    assert result.returncode == 0, result.stderr
    assert result.stdout == "Alt i orden: 1 historie sjekket.\n"
    (project / "stories" / "hagen" / "index.md").write_text(story_text(tags="vennlighet"), encoding="utf-8")
    assert _problems(run(project, "check", "stories/hagen")) == [
        "stories/hagen/index.md:6: tags: «vennlighet» er ikke en av verdiene. Velg blant: mangfold, raushet, bærekraft."]


def test_check_of_a_path_that_does_not_exist_is_a_problem_not_all_is_well(tmp_path):
    project = make_project(tmp_path, {"hagen.md": story_text()})
    assert _problems(run(project, "check", "stories/hagn.md")) == [
        "stories/hagn.md: fil: finnes ikke. Sjekk stavemåten, og at du står i prosjektmappen."]


def test_check_never_says_all_is_well_when_it_checked_nothing(tmp_path):
    project = make_project(tmp_path, {})
    empty = run(project, "check")
    assert empty.returncode == 1 and "Alt i orden" not in empty.stdout
    assert empty.stderr.startswith("Fant ingen historier å sjekke.")
    template = run(project, "check", "stories/_mal.md")
    assert template.returncode == 0 and "Alt i orden" not in template.stdout
    assert template.stdout == "Ikke sjekket (maler og skjulte filer er ikke historier): stories/_mal.md.\n"


def test_check_of_a_picture_checks_the_story_it_belongs_to(tmp_path):
    project = make_project(tmp_path, {"hagen/index.md": story_text(image="bilde.jpg", image_alt="x", image_credit="y")})
    Image.new("RGB", (40, 30)).save(project / "stories" / "hagen" / "bilde.jpg")
    result = run(project, "check", "stories/hagen/bilde.jpg")
    assert result.returncode == 0, result.stderr
    assert result.stdout == "Alt i orden: 1 historie sjekket.\n"


@pytest.mark.parametrize("given", ["stories/vv-test/", "stories/vv-test/index.en.md", "stories/vv-test/index.md"])
def test_check_of_a_story_or_its_version_shows_the_versions_problems(tmp_path, given):
    # The pre-commit hook passes the changed files: a version's own problems must be what it prints,
    # not «Fant ingen historier å sjekke» (the version's problems used to be filtered out).
    version = ("---\ntitle: A story\ndescription: A short ingress.\ntranslated_by: Ola Nordmann\n"
               "place: Sandvika\n---\n\nHei <script>x</script>\n")
    project = make_project(tmp_path, {"vv-test/index.md": story_text(), "vv-test/index.en.md": version,
                                      "annen.md": story_text(tags="vennlighet")})
    problems = _problems(run(project, "check", given))
    assert [line.split(": ")[:2] for line in problems] == [
        ["stories/vv-test/index.en.md:5", "place"], ["stories/vv-test/index.en.md:8", "tekst"]]
    assert all("Fant ingen historier" not in line for line in problems)


def test_check_of_a_valid_version_checks_its_main_story(tmp_path):
    version = "---\ntitle: A story\ndescription: A short ingress.\ntranslated_by: Ola Nordmann\n---\n\nHello.\n"
    project = make_project(tmp_path, {"vv-test/index.md": story_text(), "vv-test/index.en.md": version})
    result = run(project, "check", "stories/vv-test/index.en.md")
    assert result.returncode == 0, result.stderr
    assert result.stdout == "Alt i orden: 1 historie sjekket.\n"
    (project / "stories" / "vv-test" / "index.md").write_text(story_text(tags="vennlighet"), encoding="utf-8")
    assert [line.split(": ")[:2] for line in _problems(run(project, "check", "stories/vv-test/index.en.md"))] == [
        ["stories/vv-test/index.md:6", "tags"]]


def test_curly_quotes_around_a_value_are_refused_with_straight_quotes_suggested(tmp_path):
    project = make_project(tmp_path, {"a.md": story_text(title="“Felleshagen”"),
                                      "b.md": story_text(title="“Felleshagen: et sted for alle”")})
    assert _problems(run(project, "check")) == [
        f"stories/a.md:2: title: verdien står i krøllete anførselstegn (“…”), som ville blitt en del av teksten. {CURLY_HINT}",
        "stories/b.md:2: front matter: ugyldig YAML: verdien står i krøllete anførselstegn, og da må et kolon i "
        f"teksten stå i rette anførselstegn (mapping values are not allowed in this context). {CURLY_HINT}",
    ]


def test_a_tab_in_the_front_matter_names_its_line(tmp_path):
    text = story_text().replace("tags: raushet", "tags:\traushet").replace("consent:", "\tconsent:")
    project = make_project(tmp_path, {"tab.md": text})
    hint = "YAML tillater bare mellomrom i feltene. Slett tabulatoren (Tab-tasten) og skriv mellomrom."
    assert _problems(run(project, "check")) == [
        f"stories/tab.md:6: front matter: linje 6 har en tabulator; bruk mellomrom. {hint}",
        f"stories/tab.md:7: front matter: linje 7 har en tabulator; bruk mellomrom. {hint}",
    ]


def test_an_indentation_error_is_reported_on_the_line_that_is_wrong(tmp_path):
    text = story_text().replace("consent:", "  place: Jar\nconsent:")
    project = make_project(tmp_path, {"innrykk.md": text})
    problems = _problems(run(project, "check"))
    assert len(problems) == 1 and problems[0].startswith("stories/innrykk.md:7: front matter: ugyldig YAML"), problems


def test_a_straight_quote_inside_quotes_is_named_as_such(tmp_path):
    project = make_project(tmp_path, {"sitat.md": story_text(title='"Koret som synger "Nidelven" hver uke"')})
    assert _problems(run(project, "check")) == [
        'stories/sitat.md:2: front matter: ugyldig YAML: et " inne i teksten avslutter verdien for tidlig '
        '(did not find expected key). Bruk «» inne i teksten, for eksempel title: "Koret som synger «Nidelven»".']


def test_a_norwegian_date_gets_its_iso_form_suggested(tmp_path):
    project = make_project(tmp_path, {"dato.md": story_text(date="31.05.2025")})
    assert _problems(run(project, "check")) == [
        "stories/dato.md:4: date: «31.05.2025» er ikke en dato på formen ÅÅÅÅ-MM-DD. Skriv 2025-05-31."]


def test_an_unknown_value_lists_the_values_once(tmp_path):
    project = make_project(tmp_path, {"verdi.md": story_text(tags="diversity")})
    assert _problems(run(project, "check")) == [
        "stories/verdi.md:6: tags: «diversity» er ikke en av verdiene. Velg blant: mangfold, raushet, bærekraft."]


def test_a_picture_named_in_the_wrong_case_suggests_the_file_that_is_there(tmp_path):
    project = make_project(tmp_path, {"hage/index.md": story_text(image="Felleshage.JPG", image_alt="x",
                                                                  image_credit="y")})
    Image.new("RGB", (40, 30)).save(project / "stories" / "hage" / "felleshage.jpg")
    assert _problems(run(project, "check")) == [
        "stories/hage/index.md:8: image: finner ikke bildefilen «Felleshage.JPG». Filen heter «felleshage.jpg»: "
        "skriv navnet nøyaktig likt, med store og små bokstaver."]


def test_new_with_a_picture_makes_a_folder_story_with_the_picture_beside_it(tmp_path):
    project = make_project(tmp_path, {})
    picture = tmp_path / "Mitt Bilde.JPG"
    Image.new("RGB", (800, 600), "orange").save(picture, "JPEG")
    result = run(project, "new", "Felleshagen på Fornebu", "--bilde", str(picture))
    assert result.returncode == 0, result.stderr
    folder = project / "stories" / "felleshagen-pa-fornebu"
    assert sorted(p.name for p in folder.iterdir()) == ["index.md", "mitt-bilde.jpg"]
    text = (folder / "index.md").read_text(encoding="utf-8")
    assert "\nimage: mitt-bilde.jpg\n" in text
    assert "Kopierte bildet til stories/felleshagen-pa-fornebu/mitt-bilde.jpg." in result.stdout
    problems = _problems(run(project, "check"))
    assert not [p for p in problems if ": image:" in p], problems
    assert any(": image_alt:" in p for p in problems)


def test_command_line_errors_and_help_are_in_norwegian(tmp_path):
    project = make_project(tmp_path, {})
    for args, said in ((["chek"], "«chek» finnes ikke (velg blant 'new', 'check', 'withdraw', 'from-issue', 'guide')"),
                       (["withdraw"], "dette mangler: historie"),
                       (["withdraw", "x", "--date"], "--date: skriv én verdi etter valget"),
                       (["check", "--alle"], "ukjent valg eller for mange argumenter: --alle")):
        result = run(project, *args)
        assert result.returncode == 2, args
        assert said in result.stderr, result.stderr
        assert result.stderr.startswith("Bruk: python -m hooks.storysite")
        assert "usage:" not in result.stderr and "error:" not in result.stderr
    helped = run(project, "-h")
    assert helped.returncode == 0 and helped.stdout.startswith("Bruk: ")
    for english in ("usage:", "options:", "show this help", "positional arguments"):
        assert english not in helped.stdout, english


def test_new_leaves_the_templates_own_header_out_and_names_the_file_to_check(tmp_path):
    project = make_project(tmp_path, {})
    assert run(project, "new", "Hagen").returncode == 0
    text = (project / "stories" / "hagen.md").read_text(encoding="utf-8")
    template = (project / "stories" / "_mal.md").read_text(encoding="utf-8")
    assert "# Mal for en ny historie" in template and "Mal for en ny historie" not in text
    assert "publiseres ikke" not in text.split("title:")[0]
    assert text.startswith("---\n# Fyll inn feltene.")
    assert "# Sjekk historien med: python -m hooks.storysite check stories/hagen.md\n" in text


def _withdrawable(tmp_path):
    picture = tmp_path / "bilde.jpg"
    Image.new("RGB", (40, 30)).save(picture)
    project = make_project(tmp_path, {
        "hagen/index.md": story_text("Teksten om hagen.\n", title="Hagen på Hosle", image="bilde.jpg",
                                     image_alt="Bedene", image_credit="Ola Fotograf", place="Hosle",
                                     consent='"Saksnr. 2020/1: samtykke"'),
        "hagen/bilde.jpg": picture.read_bytes(),
        "hagen/original/raw.jpg": picture.read_bytes(),
        "nabo.md": story_text(title="Naboen"),
    })
    return project


@pytest.mark.parametrize("given", ["stories/hagen/", "stories/hagen", "stories/hagen/index.md", "hagen"])
def test_withdraw_takes_a_path_as_check_does_and_keeps_only_consent_and_withdrawn(tmp_path, given):
    project = _withdrawable(tmp_path)
    result = run(project, "withdraw", given, "--date", "2026-11-30")
    assert result.returncode == 0, result.stderr
    folder = project / "stories" / "hagen"
    assert [p.name for p in folder.iterdir()] == ["index.md"]  # the picture and the subfolder are gone
    assert (folder / "index.md").read_text(encoding="utf-8") == (
        "---\nconsent: 'Saksnr. 2020/1: samtykke'\nwithdrawn: 2026-11-30\n---\n")
    assert "Feltene title, description, date, authors, tags, image, image_alt, image_credit, place er slettet" \
        in result.stdout


def test_withdraw_refuses_a_story_behind_a_symbolic_link_and_deletes_nothing(tmp_path):
    outside = tmp_path / "utenfor"
    outside.mkdir()
    (outside / "index.md").write_text(story_text(), encoding="utf-8")
    (outside / "viktig.txt").write_text("ikke slett meg", encoding="utf-8")
    project = make_project(tmp_path, {"nabo.md": story_text()})
    (project / "stories" / "lenke").symlink_to(outside, target_is_directory=True)
    (project / "stories" / "fil.md").symlink_to(outside / "index.md")
    for given in ("lenke", "stories/lenke/", "stories/lenke/index.md", "fil", "stories/fil.md"):
        result = run(project, "withdraw", given)
        assert result.returncode == 1, given
        assert "er en symbolsk lenke, og den følges ikke: ingenting er slettet." in result.stderr, result.stderr
    assert sorted(p.name for p in outside.iterdir()) == ["index.md", "viktig.txt"]
    assert (outside / "index.md").read_text(encoding="utf-8") == story_text()


def test_withdraw_refuses_what_is_outside_stories_or_not_a_story(tmp_path):
    project = make_project(tmp_path, {"nabo.md": story_text()})
    (tmp_path / "annen.md").write_text(story_text(), encoding="utf-8")
    outside = run(project, "withdraw", str(tmp_path / "annen.md"))
    assert outside.returncode == 1 and "ligger ikke i mappen stories/" in outside.stderr
    escape = run(project, "withdraw", "stories/../../annen.md")
    assert escape.returncode == 1 and "ligger ikke i mappen stories/" in escape.stderr
    template = run(project, "withdraw", "stories/_mal.md")
    assert template.returncode == 1 and "er ikke en historie" in template.stderr
    assert (tmp_path / "annen.md").read_text(encoding="utf-8") == story_text()
