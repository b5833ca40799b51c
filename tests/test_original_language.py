"""``original_language:`` on a main story: the bokmål text is a translation from a language in the list. The
story page says «Oversatt fra …», the switcher marks that language's version «(original)», an unknown code is a
problem with file, line and field, and a version may not repeat the key."""

from __future__ import annotations

import textwrap

import pytest
from conftest import ROOT, build, make_project, story_text
from storysite import story, story_cache, vocabulary

VOCABULARY = vocabulary.load(ROOT / "data" / "vocabulary.yml")
SLUG = "fra-damaskus-til-bekkestua"
STORY = f"historier/{SLUG}/"


def version_text(title: str, description: str, body: str) -> str:
    return f"---\ntitle: {title}\ndescription: {description}\ntold_by: Amal Hassan\n---\n\n{body}\n"


STORIES = {
    f"{SLUG}/index.md": story_text("Amal forteller om veien hit.\n", title="Fra Damaskus til Bekkestua",
                                   original_language="ar"),
    f"{SLUG}/index.ar.md": version_text("من دمشق إلى بيكيستوا", "أمل تحكي عن طريقها.", "تحكي أمل عن الطريق."),
    f"{SLUG}/index.en.md": version_text("From Damascus to Bekkestua", "Amal tells of her way here.",
                                        "Amal tells of the way here."),
    "skrevet-pa-norsk.md": story_text(title="Skrevet på norsk", date="2020-05-18"),
}


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    built = build(make_project(tmp_path_factory.mktemp("original"), STORIES))
    assert built.error is None, built.errors()
    return built


def meta(site, url: str) -> dict[str, str]:
    return {div.dt.get_text(strip=True): div.dd.get_text(strip=True)
            for div in site.article(url).select(".story-meta > div")}


def test_the_bokmal_page_says_which_language_its_text_is_translated_from(site):
    assert meta(site, STORY)["Oversatt fra"] == "arabisk"
    assert "Oversatt fra" not in meta(site, "historier/skrevet-pa-norsk/")


def test_a_versions_page_does_not_say_the_bokmal_text_is_translated(site):
    assert "Oversatt fra" not in meta(site, f"{STORY}en/")
    assert meta(site, f"{STORY}ar/")["Fortalt av"] == "Amal Hassan"


@pytest.mark.parametrize("url", [STORY, f"{STORY}en/", f"{STORY}ar/"])
def test_the_switcher_marks_the_original_in_norwegian_outside_its_right_to_left_name(site, url):
    items = site.article(url).select(".story-languages__list li")
    marked = [li for li in items if li.select_one(".story-languages__original")]
    assert [li.select_one("a")["hreflang"] for li in marked] == ["ar"]
    original = marked[0].select_one(".story-languages__original")
    assert original.get_text(strip=True) == "(original)"
    assert original.find_parent("bdi") is None  # in the page's Norwegian, not in the Arabic name
    assert original.find_parent(attrs={"lang": True}).name == "html"
    name = marked[0].select_one("bdi")
    assert (name["lang"], name["dir"], name.get_text(strip=True)) == ("ar", "rtl", "العربية")


def load(tmp_path, files: dict[str, str]):
    folder = tmp_path / "stories"
    for name, content in files.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(content, encoding="utf-8")
    return story.load_all(folder, tmp_path, VOCABULARY)


def test_an_unknown_code_is_a_problem_with_file_line_and_field_listing_the_codes(tmp_path):
    stories, problems = load(tmp_path, {"kor.md": story_text(original_language="tysk")})
    assert stories == []
    assert [(p.path, p.line, p.field) for p in problems] == [("stories/kor.md", 8, "original_language")]
    assert "«tysk» er ikke en språkkode" in problems[0].message
    for code in ("ar (arabisk)", "en (engelsk)", "nb-x-lettlest"):
        assert code in problems[0].suggestion


def test_a_language_written_by_name_is_told_its_code(tmp_path):
    _, problems = load(tmp_path, {"kor.md": story_text(original_language="Arabisk")})
    assert [(p.field, p.suggestion) for p in problems] == [("original_language", "Skriv koden ar.")]


def test_a_version_may_not_repeat_the_original_language(tmp_path):
    version = textwrap.dedent("""\
        ---
        title: A story
        description: A short ingress.
        translated_by: Ola Nordmann
        original_language: ar
        ---

        This is the story.
        """)
    stories, problems = load(tmp_path, {"kor/index.md": story_text(original_language="ar"),
                                        "kor/index.en.md": version})
    assert stories == []
    assert [(p.path, p.line, p.field) for p in problems] == [("stories/kor/index.en.md", 5, "original_language")]
    assert "skal ikke gjentas i en oversettelse" in problems[0].message


def test_the_story_cache_keeps_the_original_language(tmp_path):
    (found,), problems = load(tmp_path, {"kor.md": story_text(original_language="pl")})
    assert problems == [] and found.original_language == VOCABULARY.language("pl")
    assert story_cache._story(story_cache._record(found), VOCABULARY) == found
