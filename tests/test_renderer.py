"""cmark-gfm (``storysite.commonmark``) against markdown-it-py (``storysite.body``): a body the compiled
renderer accepts is published exactly as markdown-it's rendering publishes it, and one markdown-it
would refuse is never accepted by it. Compared after the shape check and the sanitiser, as a reader
gets it: on every example story, on the hostile shapes of the budget benchmark and on random Markdown."""

from __future__ import annotations

import re
import sys

import pytest
from conftest import ROOT
from hypothesis import given, settings
from hypothesis import strategies as st
from storysite import body, body_shape, commonmark, source

sys.path.insert(0, str(ROOT / "bench"))

import budgets

EXAMPLES = sorted(p for p in (ROOT / "stories").rglob("*.md") if not p.name.startswith("_"))


def _picture(name: str) -> str:
    if name.startswith("mangler"):
        raise body.PictureRefused(f"bildet {name} finnes ikke.")
    return f"bilder/{name}"


def _published(text: str, markup: tuple | None, *, shape_known: bool = False) -> tuple[str, list[str]] | None:
    """What ``body`` publishes from one renderer's markup, or None when it finds anything wrong."""
    if markup is None:
        return None
    rendered = body._publish(text, *markup, "historie.md", 1, _picture, shape_known=shape_known)
    return None if rendered.problems else (rendered.html, rendered.pictures)


def _fast(text: str) -> tuple[str, list[str]] | None:
    """What the compiled renderer publishes, as ``body.render`` publishes it (without the shape check,
    which ``test_the_shape_check_finds_nothing_in_what_the_compiled_renderer_accepts`` shows needless),
    or None when it leaves the body to markdown-it (it declines it, or something in it is wrong:
    markdown-it names the problem and its line)."""
    return _published(text, body._compiled(text), shape_known=True)


def _shape_findings(text: str) -> list | None:
    """What the shape check finds in the compiled renderer's HTML of ``text``, or None if it declines."""
    compiled = body._compiled(text)
    if compiled is None:
        return None
    return body_shape.check(compiled[0].html, body.ALLOWED_TAGS, compiled[0].editors_own)


def _markdown_it(text: str) -> tuple[str, list[str]] | None:
    return _published(text, body._markup(text))


def _stable(published: tuple[str, list[str]] | None) -> tuple[str, list[str]] | None:
    """A line break in a picture's text is a space in cmark-gfm's alt= and a line break in
    markdown-it's: to a screen reader both are a space. No other difference is allowed."""
    if published is None:
        return None
    html, pictures = published
    return re.sub(r' alt="[^"]*"', lambda m: m.group(0).replace("\n", " "), html), pictures


def _agree(text: str) -> None:
    fast = _fast(text)
    if fast is not None:
        assert _stable(fast) == _stable(_markdown_it(text))


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.parent.name if p.name == "index.md" else p.stem)
def test_every_example_story_is_published_alike_by_both_renderers(path):
    _front, text, _line = source.split(path.read_text(encoding="utf-8"))
    fast = _fast(text)
    assert fast is not None, "an ordinary story is one the compiled renderer renders"
    assert _stable(fast) == _stable(_markdown_it(text))
    assert _stable(fast) == _stable(_published_by_render(text))


def _published_by_render(text: str) -> tuple[str, list[str]]:
    rendered = body.render(text, "historie.md", 1, _picture)
    return rendered.html, rendered.pictures


@pytest.mark.parametrize("shape", sorted(budgets.SHAPES))
def test_hostile_shapes_are_published_alike_or_left_to_markdown_it(shape):
    _agree(budgets.SHAPES[shape][1]())


def test_a_picture_in_the_body_is_published_the_same_in_every_build():
    published = {body.render("![Et bilde](a.png)\n", "historie.md", 1, _picture).html for _ in range(40)}
    assert published == {'<p><img src="bilder/a.png" alt="Et bilde" loading="lazy" decoding="async"></p>\n'}


def test_a_hash_heading_is_h2_and_two_tildes_strike_out_as_in_markdown_it():
    html = commonmark.markup("# Tittel\n\n~~borte~~ ~ikke~\n")
    assert html == "<h2>Tittel</h2>\n<p><s>borte</s> ~ikke~</p>\n"


@pytest.mark.parametrize("text", ["<b>fet</b>", "Se <https://example.no>.", "[a][r]\n\n[r]: https://example.no",
                                  "> " * 12 + "dypt", "a\tb", "- " * 12 + "dypt",
                                  "| a | b |\n|:-|-:|\n| 1 | 2 |\n", "> a | b\n> --- | ---\n"])
def test_raw_html_references_deep_nesting_and_tables_are_left_to_markdown_it(text):
    assert commonmark.markup(text) is None


MARKDOWN = st.sampled_from([
    "x", "ø å", "\n", "\n\n", "- ", "* ", "1. ", "2) ", "> ", "*", "**", "_", "__", "`", "```\n", "```py\n", "~~~\n", "    ",
    "\t", "# ", "### ", "####### ", "|a|b|\n|-|:-:|\n", "| ", "|", "-|", "~~", "~", "[l](https://ok.example)",
    "![b](x.png)", "![b](mangler.png)", "[", "]", "(", ")", "\\", "&amp;", "&#106;", "&copy;", "javascript:",
    "[x](javascript:alert(1))", "[x](http://a.example)", "[x](side)", "https://x.example", "---\n", "***\n", "===\n",
    "  \n", '"', "'", "[l](https://ok.example 't')", "![b\nc](x.png)", "[x](mailto:a@b.no)", "[x](#del)",
    "[l]( https://ok.example/a b )", "{: .x}", "$", ":", "€", "🎉", "©", "\u00a0", "\u2003", "æ", "!", "«",
])


@settings(max_examples=400, deadline=None)
@given(st.lists(MARKDOWN, max_size=40).map("".join))
def test_random_markdown_is_published_alike_or_left_to_markdown_it(text):
    _agree(text)


@settings(max_examples=400, deadline=None)
@given(st.lists(MARKDOWN, max_size=40).map("".join))
def test_the_shape_check_finds_nothing_in_what_the_compiled_renderer_accepts(text):
    """``body._publish`` skips the shape check for the compiled renderer's HTML: it must be needless."""
    assert _shape_findings(text) in (None, [])


@pytest.mark.parametrize("text", ["*Flott dag!*🎉\n", "a*€b*\n", "~~ferdig~~©\n", "a\u00a0\n", "# Tittel\u00a0\n",
                                  "\u2003a\n", "_a _b _c _d _e _f _g _h _i j_€ k_€ l_€ m_€ n_€ o_€ p_€ q_€ r_€\n"])
def test_marks_next_to_symbols_and_spaces_outside_ascii_are_left_to_markdown_it(text):
    """cmark-gfm follows CommonMark 0.29, markdown-it-py 0.31: they read these differently."""
    assert commonmark.markup(text) is None
    _agree(text)


@pytest.mark.parametrize("text", [
    "*a _b *c _d *e _f *g _h *i _j k_ j* i_ h* g_ f* e_ d* c_ b* a*\n",  # emphasis ten deep
    "> " * 12 + "sitat\n", "- " * 12 + "punkt\n", "1. " * 12 + "punkt\n",
    "**a *b __c _d e_ c__ b* a**\n", "[lenke *med **mye** av* alt](https://ok.example)\n",
])
def test_deep_formatting_and_nesting_are_declined_or_sound(text):
    assert _shape_findings(text) in (None, [])
    if commonmark._shape(commonmark._render(text))[0] > commonmark.MAX_DEPTH:
        assert body._compiled(text) is None  # too deep: left to markdown-it, which reports it


def test_rendering_a_body_with_cmark_gfm_frees_all_it_allocated():
    """cmarkgfm's own function leaves each document's tree and HTML allocated (16 KB a story);
    ``commonmark`` frees both, so 20,000 renders leave the process no larger."""
    import resource
    import sys

    from storysite import commonmark

    if sys.platform.startswith("linux"):  # a shared object shows its functions here (not a Windows .pyd)
        assert commonmark._FREE is not None and commonmark._NODE_FREE is not None
    body = "# Dugnad\n\nVi ryddet *stranden* og **parken** sammen: [se bildene](https://example.org).\n\n- a\n- b\n" * 20
    for _ in range(200):
        assert commonmark.markup(body) is not None
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    for _ in range(20_000):
        commonmark.markup(body)
    grown_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before  # kilobytes on Linux
    assert grown_kb < 20_000  # without freeing, it grows by about 1.8 GB (measured)
