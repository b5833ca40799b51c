"""Hostile stories, third round: text hidden from the reader or forbidden characters that reached the
page through character references, invisible characters, empty links, deep <sub>, free text in
number-like attributes, and a story folder whose versions together cost too much work."""

from __future__ import annotations

import sys

import pytest
from conftest import ROOT, make_project

sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT / "hooks"))

import budgets
from storysite import body, story, vocabulary

FM = """---
title: "Test"
description: "En test."
date: 2024-01-01
authors: "Kari"
tags: [raushet]
consent: "sak 1"
---
"""


def _load(tmp_path, stories: dict[str, str]):
    project = make_project(tmp_path, stories)
    return story.load_all(project / "stories", project, vocabulary.load(project / "data" / "vocabulary.yml"))


def _problems(text: str) -> list[str]:
    return [str(problem) for problem in body.render(text, "stories/f1.md", 9, lambda name: name).problems]


def test_forbidden_characters_written_as_character_references_refuse_the_story(tmp_path):
    text = ("RLO &#x202E;gnp.exe&#x202C; &rlm; merketegn &#xE0048;&#xE0049; sidemating a&#x0C;b.\n\n"
            "<div>\nESC &#x1b;[31mRED&#x1b;[0m SOH&#x01; C1&#x81; BEL&#x07;\n</div>\n\n"
            '<abbr title="&#x1b;]0;tittel&#x07;">x</abbr>\n')
    stories, problems = _load(tmp_path, {"f1.md": FM + text})
    assert stories == []
    shown = [str(problem) for problem in problems]
    assert "stories/f1.md:9: tekst: teksten har et usynlig tegn som snur leseretningen <U+202E>, skrevet som tegnet " \
           "selv eller som en tegnreferanse (som &#x202E;). Slett tegnet eller tegnreferansen; skriv teksten på " \
           "nytt for hånd." in shown
    assert any(line.startswith("stories/f1.md:9: tekst: teksten har et usynlig merketegn <U+E0048>") for line in shown)
    assert any(line.startswith("stories/f1.md:9: tekst: teksten har et usynlig kontrolltegn <U+000C>")
               for line in shown), shown


@pytest.mark.parametrize(("text", "start"), [
    ("<div>\nESC &#x1b;[31mRED\n</div>\n", "stories/f1.md:10: tekst: teksten har et usynlig kontrolltegn <U+001B>"),
    ("Ett\n\n<p>\nTo &#1; tre\n</p>\n", "stories/f1.md:12: tekst: teksten har et usynlig kontrolltegn <U+0001>"),
    ("<div>\nC1 &#x81;\n</div>\n", "stories/f1.md:10: tekst: teksten har et usynlig kontrolltegn <U+0081>"),
    ('Se <abbr title="&#x1b;]0;x&#x07;">FN</abbr>.\n', "stories/f1.md:9: tekst: teksten har et usynlig kontrolltegn "
     "<U+001B>"),
    ("Venstre &rlm;høyre\n", "stories/f1.md:9: tekst: teksten har et usynlig tegn som snur leseretningen <U+200F>"),
])
def test_each_forbidden_character_reference_is_named_at_its_line(text, start):
    assert any(line.startswith(start) for line in _problems(text)), _problems(text)


@pytest.mark.parametrize(("text", "code"), [
    ("Melding\u200bi\u200bmellomrom.\n", "U+200B"),
    ("Ord\u2060ledd.\n", "U+2060"),
    ("Skjult&#xFE01;&#xFE02;&#xFE03; tekst.\n", "U+FE01"),
    ("Skjult\U000e0101\U000e0102 tekst.\n", "U+E0101"),
    ("Hjerte \u2764\ufe0f\ufe0f\ufe0f.\n", "U+FE0F"),  # one selector chooses a style; a run is a message
    ("Mellom ord \u200d og ord.\n", "U+200D"),  # a joiner with nothing to join
    ("Ord\u200c\u200cord.\n", "U+200C"),
    ("Tittel: <abbr title=\"a&#x200B;b\">x</abbr>\n", "U+200B"),
])
def test_invisible_characters_that_can_carry_a_message_refuse_the_body(text, code):
    assert any(f"teksten har et usynlig tegn <{code}> som kan skjule tekst" in line for line in _problems(text)), \
        _problems(text)


@pytest.mark.parametrize("text", [
    "\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645 (persisk med ZWNJ).\n",
    "\u0915\u094d\u200d\u0937 (devanagari med ZWJ).\n",
    "Familie \U0001f468\u200d\U0001f469\u200d\U0001f467 og hjerte \u2764\ufe0f og regnbue \U0001f3f3\ufe0f\u200d\U0001f308.\n",
    "Et vanlig avsnitt med &amp; og &nbsp; og `&#x1b;` i kode.\n",
])
def test_joiners_and_style_selectors_where_a_reader_needs_them_pass(text):
    assert _problems(text) == []


@pytest.mark.parametrize("text", [
    "Synlig.[](https://spam.example/skjult)\n",
    "Synlig.[ ](https://spam.example/skjult)\n",
    "Synlig.[\u200b](https://spam.example/skjult)\n",
    'Synlig.<a href="https://spam.example/skjult"></a>\n',
    "Synlig.[![](bilde.png)](https://spam.example/skjult)\n",
])
def test_a_link_without_text_is_refused(text):
    assert any("lenken til «https://spam.example/skjult» har ingen tekst, så leserne ser den ikke." in line
               and line.startswith("stories/f1.md:9:") for line in _problems(text)), _problems(text)


def test_a_link_around_a_picture_with_alternative_text_passes():
    assert _problems("[![Kart over Bærum](bilde.png)](https://example.org/kart)\n") == []


def test_sub_and_sup_deeper_than_two_are_refused_and_two_pass():
    deep = _problems("<sub>" * 60 + "hemmelig" + "</sub>" * 60 + "\n")
    assert any(line.startswith("stories/f1.md:9: tekst: mer enn 2 <sub> eller <sup> står inni hverandre") for line in deep)
    assert _problems("H<sub>2</sub>O og e<sup>x<sup>2</sup></sup>.\n") == []


@pytest.mark.parametrize(("text", "start"), [
    ('<ol start="hemmelig notat"><li>a</li></ol>\n', "stories/f1.md:9: tekst: HTML-attributtet start=«hemmelig notat»"),
    ('<ol reversed="notat"><li>a</li></ol>\n', "stories/f1.md:9: tekst: HTML-attributtet reversed=«notat»"),
    ("<table><tr><td>a</td></tr>\n<tr><td colspan=\"ring 99887766\">b</td></tr></table>\n",
     "stories/f1.md:10: tekst: HTML-attributtet colspan=«ring 99887766»"),
    ('<table><tr><td rowspan="1e9">b</td></tr></table>\n', "stories/f1.md:9: tekst: HTML-attributtet rowspan=«1e9»"),
    ('<table><tr><th scope="se notat">b</th></tr></table>\n', "stories/f1.md:9: tekst: HTML-attributtet scope=«se notat»"),
    ('<details open="skjult"><summary>a</summary>b</details>\n', "stories/f1.md:9: tekst: HTML-attributtet open=«skjult»"),
])
def test_number_like_attributes_holding_free_text_are_refused(text, start):
    assert any(line.startswith(start) for line in _problems(text)), _problems(text)


def test_number_like_attributes_with_their_proper_values_pass():
    assert _problems('<ol start="3" reversed><li>a</li></ol>\n\n<details open><summary>a</summary>b</details>\n\n'
                     '<table><tr><th scope="col">a</th><td colspan="2" rowspan="2">b</td></tr></table>\n') == []


def test_a_link_definition_used_only_inside_a_pictures_alternative_text_is_hidden_text():
    problems = _problems("![Se [her][hemmelig]](bilde.png)\n\n[hemmelig]: https://hemmelig.example/notat\n")
    assert problems == ["stories/f1.md:11: tekst: skjult tekst: lenkedefinisjonen «[hemmelig]: "
                        "https://hemmelig.example/notat» brukes ikke av noen lenke, så den vises ikke på siden, men "
                        "ligger i filen. Slett linjen, eller bruk den i en lenke: [lenketekst][navn]."]
    assert _problems("Se [her][a] og ![bilde][p].\n\n[a]: https://ok.example\n[p]: bilde.png\n") == []


@pytest.mark.parametrize("fence", ["```python\nprint('hei')\n```\n", "```python\nprint('hei')\n```\n\n<b>x</b>\n"])
def test_a_code_block_with_a_language_is_published_as_plain_code(fence):
    """cmark-gfm (the first) and markdown-it (the second, with HTML of its own) both drop the class."""
    rendered = body.render(fence, "stories/f1.md", 9, lambda name: name)
    assert rendered.problems == []
    assert "<pre><code>print('hei')\n</code></pre>" in rendered.html


LANGUAGES = ("nn", "en", "pl", "ar", "so", "ur", "uk", "ti", "nb-x-lettlest")
SLOW_BODY = ("a|b\n-|-\n" + "|\n" * 29996)[:60000]  # a table of 30,000 rows: the slowest body to render


def _version(body: str) -> str:
    return f'---\ntitle: "Test"\ndescription: "En test."\ntranslated_by: "Kari"\n---\n{body}'


ACCEPTED_SLOW_BODY = SLOW_BODY[:32_000]  # as slow, and just within the limit on HTML: published


@pytest.mark.parametrize(("main", "versions"), [(SLOW_BODY, SLOW_BODY), ("Kort og godt.\n", SLOW_BODY),
                                                ("Kort og godt.\n", ACCEPTED_SLOW_BODY)],
                         ids=["refused-story", "refused-versions", "published-versions"])
def test_a_story_folder_with_nine_slow_versions_is_checked_within_time_and_memory(tmp_path, main, versions):
    """One budget for the folder: no version is rendered after a refused body, and all the bodies of a
    folder together have at most MAX_FOLDER_TEXT characters."""
    project = make_project(tmp_path, {})
    folder = project / "stories" / "vv-test"
    folder.mkdir()
    (folder / "index.md").write_text(FM + main, encoding="utf-8")
    for code in LANGUAGES:
        (folder / f"index.{code}.md").write_text(_version(versions), encoding="utf-8")
    result = budgets.measure(project)
    # CPU time, not wall time: on the shared two-core machine other work can triple the wall time
    # (13.7 s wall for 4.3 s CPU was measured); before the folder budget this took 12.5 s CPU.
    assert result["cpu_seconds"] < budgets.TIME_LIMIT, f"{result['cpu_seconds']:.1f} s CPU"
    assert result["peak_mb"] < budgets.MEMORY_LIMIT, f"{result['peak_mb']:.0f} MB"
    assert result["code"] == 1
    assert "Traceback" not in result["output"], result["output"][-2000:]
    if versions == ACCEPTED_SLOW_BODY:  # ar, en and nb-x-lettlest are read first (by file name)
        assert ("stories/vv-test/index.nn.md:6: tekst: historien og oversettelsene har til sammen mer enn 120 000 tegn "
                "tekst; grensen er 120 000.") in result["output"], result["output"][-3000:]


def test_versions_within_the_folder_budget_are_all_published(tmp_path):
    folder_files = {"vv-test/index.md": FM + "Hei.\n"}
    folder_files |= {f"vv-test/index.{code}.md": _version("Hallo.\n") for code in LANGUAGES}
    stories, problems = _load(tmp_path, folder_files)
    assert problems == []
    assert [version.language.code for version in stories[0].versions] == list(LANGUAGES)


@pytest.mark.parametrize(("fields", "expected"), [
    ("authors:\n  - Kari\n - Ola\ntags: [raushet]\n",
     "stories/f6.md:7: front matter: ugyldig YAML: innrykket stemmer ikke (did not find expected key)."),
    ('authors: "Kari"\ntags: [raushet\nconsent: "sak 1"\n',
     "stories/f6.md:6: front matter: ugyldig YAML: en liste i [ ] er ikke lukket med ], eller det mangler komma "
     "mellom verdiene (did not find expected ',' or ']')."),
])
def test_a_yaml_mistake_with_an_empty_value_is_named_not_taken_for_curly_quotes(tmp_path, fields, expected):
    _, problems = _load(tmp_path, {"f6.md": '---\ntitle: "Test"\ndescription: "En test."\ndate: 2024-01-01\n'
                                            + fields + "---\nTekst.\n"})
    assert [str(problem).split(" Sjekk at")[0] for problem in problems] == [expected]


@pytest.mark.parametrize(("title", "code"), [
    ('"Hemmelig\u200bmelding"', "U+200B"),
    ('"Ord\u2060ledd"', "U+2060"),
    ('"Tittel\ufe01\ufe02\ufe03"', "U+FE01"),
    ('"Tittel\U000e0101"', "U+E0101"),
])
def test_a_title_with_invisible_characters_that_can_hide_a_message_is_refused(tmp_path, title, code):
    stories, problems = _load(tmp_path, {"f3.md": FM.replace('title: "Test"', f"title: {title}") + "Tekst.\n"})
    assert stories == []
    assert [str(problem) for problem in problems] == [
        f"stories/f3.md:2: title: teksten har et usynlig tegn ({code}) som kan skjule tekst. Skriv verdien på nytt "
        "for hånd, uten å lime den inn."]


def test_a_title_with_joiners_and_an_emoji_style_where_a_reader_needs_them_is_published(tmp_path):
    title = '"\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645 \u2764\ufe0f \U0001f468\u200d\U0001f469\u200d\U0001f467"'
    stories, problems = _load(tmp_path, {"f3.md": FM.replace('title: "Test"', f"title: {title}") + "Tekst.\n"})
    assert problems == []
    assert stories[0].title == title.strip('"')


def test_an_empty_link_without_an_address_is_refused_too():
    """Its title would be text no reader sees."""
    assert _problems("Synlig.\n\n<p><a title=\"hemmelig notat\"></a></p>\n") == [
        "stories/f1.md:11: tekst: en lenke (<a>) har ingen tekst, så leserne ser den ikke. Skriv lenketeksten mellom "
        "[ og ]: [Les mer](https://…)."]
