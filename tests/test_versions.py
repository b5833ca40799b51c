"""A story told in more than one language: the versions beside a story's ``index.md``, as the model reads
them (``index.<code>.md`` from the closed list in ``data/vocabulary.yml``), and the problems an editor reads."""

from __future__ import annotations

import io
import textwrap

import pytest
from conftest import ROOT, story_text
from PIL import Image
from storysite import story, vocabulary

VOCABULARY = vocabulary.load(ROOT / "data" / "vocabulary.yml")


def version_text(body: str = "This is the story.\n", **fields) -> str:
    """A version file: valid defaults (an English version), overridden by ``fields`` (None drops a key)."""
    values = {"title": "A story", "description": "A short ingress.", "translated_by": "Ola Nordmann"}
    values.update(fields)
    lines = ["---", *(f"{key}: {value}" for key, value in values.items() if value is not None), "---"]
    return "\n".join(lines) + "\n\n" + textwrap.dedent(body)


def jpeg() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (64, 48), (40, 120, 90)).save(out, "JPEG")
    return out.getvalue()


def load(tmp_path, files: dict[str, str | bytes]):
    folder = tmp_path / "stories"
    for name, content in files.items():
        target = folder / name
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            target.write_bytes(content)
        else:
            target.write_text(content, encoding="utf-8")
    return story.load_all(folder, tmp_path, VOCABULARY)


def messages(problems) -> list[str]:
    return [str(problem) for problem in problems]


def test_the_language_list_holds_the_issues_languages_with_names_and_direction():
    codes = [language.code for language in VOCABULARY.languages]
    assert codes == ["nn", "en", "pl", "ar", "so", "ur", "uk", "ti", "nb-x-lettlest"]
    assert {language.code for language in VOCABULARY.languages if language.rtl} == {"ar", "ur"}
    arabic = VOCABULARY.language("ar")
    assert arabic is not None and arabic.own == "العربية" and arabic.name == "arabisk"
    assert all(language.welcome for language in VOCABULARY.languages)


def test_a_folder_story_reads_its_versions_in_the_lists_order(tmp_path):
    stories, problems = load(tmp_path, {
        "kor/index.md": story_text("Dette er historien.\n"),
        "kor/index.en.md": version_text("This is the story.\n"),
        "kor/index.ar.md": version_text("هذه هي القصة.\n", title="قصة", description="مقدمة قصيرة.",
                                        translated_by=None, told_by="Amal Hassan"),
    })
    assert problems == []
    [found] = stories
    assert [v.language.code for v in found.versions] == ["en", "ar"]
    english, arabic = found.versions
    assert english.url == "historier/kor/en/" and english.source == "stories/kor/index.en.md"
    assert english.html == "<p>This is the story.</p>\n" and english.credit_label == "Oversatt av"
    assert arabic.title == "قصة" and arabic.credit == "told_by" and arabic.credit_names == ("Amal Hassan",)
    shown = found.in_version(arabic)
    assert (shown.title, shown.description, shown.slug, shown.date) == ("قصة", "مقدمة قصيرة.", "kor", found.date)


def test_a_language_outside_the_list_is_a_problem_with_the_codes_to_choose_from(tmp_path):
    stories, problems = load(tmp_path, {"kor/index.md": story_text(), "kor/index.de.md": version_text()})
    assert stories == []
    assert messages(problems) == [
        "stories/kor/index.de.md: filnavn: «de» er ikke et språk i språklisten. Bruk en av språkkodene i "
        "data/vocabulary.yml: nn, en, pl, ar, so, ur, uk, ti, nb-x-lettlest."]


def test_a_code_in_capitals_is_told_to_use_small_letters(tmp_path):
    _, problems = load(tmp_path, {"kor/index.md": story_text(), "kor/index.EN.md": version_text()})
    assert [p.suggestion for p in problems] == ["Skriv språkkoden med små bokstaver: index.en.md."]


def test_a_version_without_a_main_story_is_a_problem_of_the_version_file(tmp_path):
    stories, problems = load(tmp_path, {"kor/index.en.md": version_text()})
    assert stories == []
    assert messages(problems) == ["stories/kor/index.en.md: fil: oversettelsen har ingen hovedhistorie: mappen har "
                                  "ingen index.md. Legg historien på bokmål i mappen som index.md."]


def test_a_version_beside_a_one_file_story_is_told_to_move_into_a_folder(tmp_path):
    _, problems = load(tmp_path, {"kor.md": story_text(), "kor.en.md": version_text()})
    assert [(p.path, p.field) for p in problems] == [("stories/kor.en.md", "filnavn")]
    assert "stories/kor/" in problems[0].suggestion and "index.en.md" in problems[0].suggestion


@pytest.mark.parametrize(("key", "value"), [
    ("date", "2020-05-17"), ("tags", "raushet"), ("place", "Sandvika"), ("consent", "Saksnr. 2020/1"),
    ("image", "bilde.jpg"), ("authors", "Kari Nordmann"), ("partners", "[innbyggere]"), ("goals", "[dialog]"),
])
def test_a_field_of_the_main_story_repeated_in_a_version_is_a_problem_with_its_line(tmp_path, key, value):
    stories, problems = load(tmp_path, {"kor/index.md": story_text(), "kor/index.en.md": version_text(**{key: value})})
    assert stories == []
    assert messages(problems) == [f"stories/kor/index.en.md:5: {key}: feltet hører til hovedhistorien (index.md) og "
                                  "skal ikke gjentas i en oversettelse. Fjern feltet fra oversettelsen."]


def test_a_version_needs_title_description_and_who_translated_it(tmp_path):
    _, problems = load(tmp_path, {"kor/index.md": story_text(),
                                  "kor/index.en.md": version_text(title=None, description=None, translated_by=None)})
    assert [(p.line, p.field) for p in problems] == [(1, "title"), (1, "description"), (1, "translated_by")]


def test_a_version_says_translated_by_or_told_by_not_both(tmp_path):
    _, problems = load(tmp_path, {"kor/index.md": story_text(),
                                  "kor/index.en.md": version_text(told_by="Amal Hassan")})
    assert [(p.line, p.field) for p in problems] == [(5, "told_by")]


def test_an_unknown_key_in_a_version_suggests_the_one_meant(tmp_path):
    _, problems = load(tmp_path, {"kor/index.md": story_text(), "kor/index.en.md": version_text(tittel="A story")})
    assert messages(problems) == ["stories/kor/index.en.md:5: tittel: ukjent felt. Mente du «title»?"]


def test_a_versions_text_obeys_the_same_limits_and_sanitiser_as_a_story(tmp_path):
    _, problems = load(tmp_path, {
        "kor/index.md": story_text(),
        "kor/index.en.md": version_text("<script>alert(1)</script>\n", title="x" * 121),
        "kor/index.nn.md": version_text(description="Skjult\u202etekst"),
    })
    fields = [(p.path, p.field) for p in problems]
    assert ("stories/kor/index.en.md", "title") in fields
    assert any(path == "stories/kor/index.en.md" and field not in ("title",) for path, field in fields)
    assert ("stories/kor/index.nn.md", "description") in fields


def test_a_picture_story_needs_the_pictures_text_in_each_version_and_a_versions_body_picture_is_published(tmp_path):
    main = story_text(image="bilde.jpg", image_alt="Et kor synger.", image_credit="Kari Berg")
    stories, problems = load(tmp_path, {"kor/index.md": main, "kor/bilde.jpg": jpeg(), "kor/scene.jpg": jpeg()[:-1] + b"\xd9",
                                        "kor/index.en.md": version_text()})
    assert [(p.path, p.field) for p in problems] == [("stories/kor/index.en.md", "image_alt")]
    (tmp_path / "stories/kor/index.en.md").write_text(
        version_text("![The stage](scene.jpg)\n", image_alt="A choir sings."), encoding="utf-8")
    stories, problems = story.load_all(tmp_path / "stories", tmp_path, VOCABULARY)
    assert problems == []
    [found] = stories
    [english] = found.versions
    assert 'src="../' in english.html  # the version's page is one folder below the story's pictures
    assert [p.name for p in found.body_pictures] == ["scene.jpg"]
    assert found.in_version(english).picture.alt == "A choir sings."


def test_image_alt_in_a_version_of_a_story_without_a_picture_is_a_problem(tmp_path):
    _, problems = load(tmp_path, {"kor/index.md": story_text(),
                                  "kor/index.en.md": version_text(image_alt="A choir.")})
    assert [(p.line, p.field) for p in problems] == [(5, "image_alt")]


def test_a_version_that_is_a_symbolic_link_is_reported_and_not_followed(tmp_path):
    secret = tmp_path / "secret.md"
    secret.write_text(version_text("Secret words.\n"), encoding="utf-8")
    (tmp_path / "stories/kor").mkdir(parents=True)
    (tmp_path / "stories/kor/index.md").write_text(story_text(), encoding="utf-8")
    (tmp_path / "stories/kor/index.en.md").symlink_to(secret)
    stories, problems = story.load_all(tmp_path / "stories", tmp_path, VOCABULARY)
    assert any("symbolsk lenke" in p.message for p in problems)
    assert all(not s.versions for s in stories)


def test_a_withdrawn_story_withdraws_every_version(tmp_path):
    withdrawn = "---\nconsent: Saksnr. 2020/1\nwithdrawn: 2024-01-02\n---\n"
    _, problems = load(tmp_path, {"kor/index.md": withdrawn, "kor/index.en.md": version_text()})
    assert ("stories/kor/index.en.md: fil: historien er trukket tilbake, men denne oversettelsen ligger fortsatt i "
            "mappen. Slett filen: samtykket gjelder alle språk.") in messages(problems)
    (tmp_path / "stories/kor/index.en.md").unlink()
    stories, problems = story.load_all(tmp_path / "stories", tmp_path, VOCABULARY)
    assert not any("oversettelse" in p.message for p in problems)
    assert all(s.versions == () for s in stories)
