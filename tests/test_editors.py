"""An editor's day: what a new editor ran into, each with the exact Norwegian message they now read."""

from __future__ import annotations

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
