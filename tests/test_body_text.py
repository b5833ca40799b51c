"""``body.text`` (the plain text of a published body, used by the open data) against the reader it
replaced: ``html.parser`` over the sanitised HTML. Both must give the same text for every example
story, for random Markdown and for random raw HTML, as published by ``body.render``."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from conftest import ROOT
from hypothesis import given, settings
from hypothesis import strategies as st
from storysite import body, source

EXAMPLES = sorted(p for p in (ROOT / "stories").rglob("*.md") if not p.name.startswith("_"))


def _reference(html: str) -> str:
    """``body.text`` as it was: ``html.parser``'s reading of the body."""
    reader = _Reader()
    reader.feed(html)
    reader.close()
    paragraphs = ("\n".join(line.strip(" ") for line in block.split("\n")).strip("\n")
                  for block in "".join(reader.parts).split("\n\n"))
    return "\n\n".join(paragraph for paragraph in paragraphs if paragraph.strip())


class _Reader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.preformatted = 0

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag == "br":
            self.parts.append("\n")
        elif tag in body._TEXT_BLOCKS:
            self.parts.append("\n\n")
        self.preformatted += tag == "pre"

    def handle_endtag(self, tag: str) -> None:
        if tag in body._TEXT_BLOCKS:
            self.parts.append("\n\n")
        self.preformatted -= tag == "pre"

    def handle_data(self, data: str) -> None:
        self.parts.append(data if self.preformatted > 0 else re.sub(r"[ \t\n\r\f]+", " ", data))


def _picture(name: str) -> str:
    if name.startswith("mangler"):
        raise body.PictureRefused(f"bildet {name} finnes ikke.")
    return f"bilder/{name}"


def _same(markdown: str) -> None:
    html = body.render(markdown, "historie.md", 1, _picture).html
    assert body.text(html) == _reference(html)


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.parent.name if p.name == "index.md" else p.stem)
def test_every_example_story_gives_the_same_text(path):
    _front, markdown, _line = source.split(path.read_text(encoding="utf-8"))
    html = body.render(markdown, "historie.md", 1, _picture).html
    assert html and body.text(html)
    assert body.text(html) == _reference(html)


MARKDOWN = st.sampled_from([
    "x", "ø å", " ", "  ", "\n", "\n\n", "- ", "* ", "1. ", "> ", "*", "**", "_", "`", "```\n", "~~~\n", "    ", "\t",
    "# ", "### ", "|a|b|\n|-|:-:|\n", "| ", "|", "~~", "[l](https://ok.example)", "![b](x.png)", "![b](mangler.png)",
    "[l](https://ok.example 't>\"u')", "![a > b](x.png)", "\\", "&amp;", "&#106;", "&copy;", "&nbsp;", "&#10;",
    "&#32;", "&#9;", "&lt;p&gt;", "&", "&amp", "&#xa0;", "\u00a0", "\u2003", "---\n", "  \n", '"', "'", "<", ">",
])
HTML = st.sampled_from([
    "<br>", "<br/>", "<br />", "</br>", "<p>", "</p>", "<p/>", "<pre>", "</pre>", "<pre/>", "<div>", "</div>",
    "<hr>", "<hr/>", "<em>", "</em>", "<b>", "</b>", "<li>", "</li>", "<ul>", "</ul>", "<table>", "<tr>", "<td>",
    "</td>", "<details>", "<summary>", "</summary>", "<figure>", "<figcaption>", "<span title=\"a>b\">", "</span>",
    "<a href=\"https://ok.example/?a=1&b=2\" title=\"x > y\">", "</a>", "<img src=\"x.png\" alt=\"<p>\">",
    "<P>", "</P>", "<Br>", "<PRE>", "</PRE>", "<script>x</script>", "<style>p{}</style>", "<!-- c -->", "<x>",
    "<h2>", "</h2>", "<blockquote>", "</blockquote>", "<q>", "<code>", "</code>",
])


@settings(max_examples=500, deadline=None)
@given(st.lists(MARKDOWN, max_size=40).map("".join))
def test_random_markdown_gives_the_same_text(markdown):
    _same(markdown)


@settings(max_examples=1000, deadline=None)
@given(st.lists(st.one_of(MARKDOWN, HTML), max_size=50).map("".join))
def test_random_html_gives_the_same_text(markdown):
    _same(markdown)


@settings(max_examples=500, deadline=None)
@given(st.lists(st.one_of(MARKDOWN, HTML), max_size=50).map("".join))
def test_the_same_text_from_the_sanitiser_alone(raw):
    """nh3's output without the shape check (which refuses much of this): every tag it can publish."""
    html = body._sanitise(raw, _picture, [])[0]
    assert body.text(html) == _reference(html)
