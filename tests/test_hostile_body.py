"""The body's shape check on its own: it reads HTML as the browser's tokenizer does, and its model of
the open elements refuses every shape that would make the parser copy a formatting element."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from storysite import body_shape
from storysite.body import _MARKDOWN, ALLOWED_TAGS, _markup


@pytest.mark.parametrize(("html", "expected"), [
    ('<b title=a"b>x</b>', [("start", "b", 1), ("end", "b", 0)]),  # a quote inside an unquoted value
    ('<b title="a>b" c>', [("start", "b", 2)]),  # a > inside a quoted value
    ("<b/title=1 / >", [("start", "b", 1)]),
    ("<b =x>", [("start", "b", 1)]),  # an attribute whose name starts with =
    ("<B TITLE=1>", [("start", "b", 1)]),
    ("<!-->x<b>", [("comment", "", 0), ("start", "b", 0)]),  # <!--> is a whole (empty) comment
    ("<!--->x<b>", [("comment", "", 0), ("start", "b", 0)]),
    ("<!-- a --!> <b>", [("comment", "", 0), ("start", "b", 0)]),
    ("<!-- <i> -- --> <b>", [("comment", "", 0), ("start", "b", 0)]),
    ("<!-- never closed <b>", [("comment", "", 0)]),
    ("</ x><b>", [("bogus", "", 0), ("start", "b", 0)]),
    ("</><b>", [("start", "b", 0)]),
    ("<?x <i> ?><b>", [("instruction", "", 0), ("start", "b", 0)]),  # it ends at the first >
    ("<!DOCTYPE html><b>", [("declaration", "", 0), ("start", "b", 0)]),
    ("<![CDATA[ <i> ]]><b>", [("cdata", "", 0), ("start", "b", 0)]),  # in HTML, CDATA ends at the first >
    ('<b title="never closed><i>', []),  # the rest of the text is inside the tag: nothing more
    ("<1> < b> <", []),
])
def test_the_tokenizer_reads_tags_comments_and_attributes_as_a_browser_does(html, expected):
    assert [(t.kind, t.name, t.attributes) for t in body_shape.tokens(html)] == expected


def _kinds(html: str) -> list[str]:
    return [f.message for f in body_shape.check(html, ALLOWED_TAGS, lambda offset: True)]


@pytest.mark.parametrize("html", [
    "<p><b>fet</b> og <i>kursiv</i> og <a href=x>lenke <code>kode</code></a></p>",
    "<ul><li>en<li>to<li>tre</ul>",
    "<table><tr><td>a<td>b<tr><td>c</table>",
    "<dl><dt>a<dd>b<dt>c<dd>d</dl>",
    "<p>a<p>b<p>c" * 200,  # paragraphs a start tag closes: no depth
    "<h2>a<h3>b</h2>",
    "<p><span><b>x</b></span></p>",
    "<b><span>x</b></span>",  # an inline element closed by the formatting element around it: no copy
])
def test_html_the_parser_reads_without_copies_passes(html):
    assert _kinds(html) == []


@pytest.mark.parametrize(("html", "message"), [
    ("<p><b>x</p><p>y</p>", "HTML-taggen <b> er ikke lukket før avsnittet eller blokken slutter."),
    ("<b><div>x</div></b>", "HTML-taggen <b> er ikke lukket før avsnittet eller blokken slutter."),
    ("<h3><code>x</h2>y</code>", "HTML-taggen <code> er ikke lukket før avsnittet eller blokken slutter."),
    ("<span><i>x</span>", "HTML-taggen <i> er ikke lukket før avsnittet eller blokken slutter."),
    ("<li><b>x<li>y</b>", "HTML-taggen <b> er ikke lukket før avsnittet eller blokken slutter."),
    ("<b><i>x</b></i>", "HTML-taggene <b> og <i> er lukket i feil rekkefølge."),
    ("<a href=1>x<a href=2>y</a></a>", "en lenke (<a>) står inni en annen lenke."),
    ("<b><i><s><u><em><strong><code><small><b>x", "mer enn 8 formateringer (som <b>, <i> og <a>) er åpne inni hverandre."),
    ("<span><div></span>" * 60, "HTML-elementene ligger mer enn 100 nivåer inni hverandre."),  # </span> stops at the div
    ("<table><td>" * 51, "HTML-elementene ligger mer enn 100 nivåer inni hverandre."),  # tables in cells
    ("<textarea><b>", "HTML-taggen <textarea> er ikke tillatt."),
])
def test_html_that_would_make_the_parser_copy_or_dig_is_refused(html, message):
    assert message in _kinds(html)


def _own_kinds(body: str) -> list[str]:
    markup, _ = _markup(body)
    return [f.message for f in body_shape.check(markup.html, ALLOWED_TAGS, markup.editors_own)]


def test_the_editors_own_tags_are_counted_not_markdowns():
    assert _own_kinds("*kursiv* " * 1500) == []  # 1,500 elements from Markdown
    assert _own_kinds("<b>x</b> " * 1000) == []
    assert _own_kinds("<b>x</b> " * 1001) == ["teksten har 1 001 HTML-tagger; grensen er 1 000."]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(["<b>", "</b>", "x", "\n", "\n\n", "- ", "> ", "*", "`", "<!-- c\n-->", "<div>\n",
                                 "</div>", "[r]", "[r]: https://ok.example\n", "|a|\n|-|\n", "    ", "```\n",
                                 "<a\nhref=x>", "[l](https://ok.example\n't')", "![b\nc](x.png)", "``\n"]), max_size=40).map("".join))
def test_markup_is_markdown_its_own_render_and_each_tag_has_its_body_line(body):
    markup, _ = _markup(body)
    assert markup.html == _MARKDOWN.render(body)
    lines = body.split("\n")
    for token in body_shape.tokens(markup.html):
        if token.kind in ("start", "comment") and markup.editors_own(token.offset):
            written = "<!--" if token.kind == "comment" else f"<{token.name}"
            assert written in lines[markup.line(token.offset)], (token, markup.line(token.offset))
