"""The shape of a story's HTML, judged before the sanitiser parses it: bounded work and no hidden text.

An HTML parser (html5ever in nh3, as a browser's) keeps a list of the formatting elements that are
open (``<b>``, ``<i>``, ``<a>`` …). When one is left open across a paragraph, or closed in the wrong
order, the parser copies every such element into each following paragraph: ``<b><i><s><u>`` and many
``<p>`` cost the square of the text's length in time, memory and output. Deep nesting makes each of
its scope searches long. This module reads markdown-it's output once, in linear time, with the
HTML tokenizer's own rules (so it sees the same tags, comments and attributes html5ever will), and
follows the open elements with a small model of the tree builder. The sanitiser only ever sees a
body in which

- every element is one the site allows (no element that changes how the tokenizer reads what
  follows, such as ``<script>``, ``<textarea>`` or ``<svg>``, and no unknown one);
- every formatting element is closed, in order, inside the paragraph or block it was opened in,
  no more than ``MAX_OPEN_FORMATTING`` are open at once, and no link is inside another;
- elements nest at most ``MAX_DEPTH`` deep (``<sub>`` and ``<sup>`` at most ``MAX_SCRIPTS``: deeper text
  is too small to read), a tag has at most ``MAX_ATTRIBUTES`` attributes and the
  editor's own HTML has at most ``MAX_HTML_TAGS`` tags;
- nothing is hidden from the reader: no comment, ``<?…?>``, ``<!…>``, CDATA or broken end tag.

Then the parser's list of open formatting elements never holds more than ``MAX_OPEN_FORMATTING``
entries and its stack never more than ``MAX_DEPTH``, so its work is linear in the body's length.
Each kind of problem is reported once, at its first place. No MkDocs here.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass

MAX_HTML_TAGS = 1_000  # tags the editor writes as HTML (Markdown's own markup is not counted)
MAX_ATTRIBUTES = 10  # on one tag; the site allows at most three
MAX_OPEN_FORMATTING = 8  # formatting elements open inside each other (Markdown needs five at most)
MAX_DEPTH = 100  # elements inside each other (Markdown itself stops at 20)
MAX_SCRIPTS = 2  # <sub> and <sup> inside each other: each makes the text smaller, deeper is unreadable (hidden)

# The elements html5ever copies into every paragraph when they are left open (those the site allows).
FORMATTING = frozenset("a b code em i s small strong u".split())
# Inline elements the parser never copies: leaving one open only nests what follows.
PHRASING = frozenset("abbr cite del dfn ins kbd mark q span sub sup".split())
VOID = frozenset({"br", "hr", "img"})
_SCRIPTS = frozenset({"sub", "sup"})
_HEADINGS = frozenset("h2 h3 h4 h5 h6".split())
# Start tags that end an open <p> (HTML's «close a p element»).
_CLOSES_P = _HEADINGS | frozenset("blockquote dd details div dl dt figcaption figure hr li ol p pre summary table "
                                   "ul".split())
_SCOPE = frozenset({"table", "td", "th", "caption"})  # where the parser stops looking for an element
_TABLE_PARTS = frozenset({"caption", "tbody", "thead", "tfoot"})

_SPACE = re.compile(r"[\t\n\f ]*")
_NAME_REST = re.compile(r"[^\t\n\f />]*")
_ATTRIBUTE_REST = re.compile(r"[^\t\n\f />=]*")
_UNQUOTED = re.compile(r"[^\t\n\f >]*")

_HIDDEN = {
    "comment": ("en HTML-kommentar (<!-- … -->)", "Slett kommentaren. Interne notater hører ikke hjemme i "
                "historien; skal leserne se det, skriv det som vanlig tekst."),
    "instruction": ("en prosessinstruksjon (<?…?>)", "Slett den, eller skriv teksten uten <? og ?>."),
    "declaration": ("en deklarasjon (<!…>)", "Slett den, eller skriv teksten uten <! og >."),
    "cdata": ("en CDATA-blokk (<![CDATA[…]]>)", "Slett den, eller skriv teksten som vanlig tekst."),
    "bogus": ("en slutt-tagg som ikke er en tagg (</…>)", "Slett den, eller skriv < som vanlig tekst: &lt;."),
}
ALLOWED_HINT = "Bruk vanlig Markdown for lenker og bilder; skript, skjemaer og innebygde sider er ikke tillatt."


@dataclass(frozen=True)
class Finding:
    """One kind of problem, where it first occurs: an offset in the HTML, or text to look for in the body."""

    message: str
    suggestion: str | None
    offset: int | None = None  # in markdown-it's HTML
    line: int | None = None  # the body's line (its first is 0), when known without searching
    pattern: str | None = None  # else a regular expression whose first match in the body gives the line;
    # story text in it is always escaped (re.escape), so it is matched literally


@dataclass(frozen=True)
class _Token:
    kind: str  # start, end, or a key of _HIDDEN
    name: str
    offset: int
    attributes: int = 0


def tokens(html: str) -> Iterator[_Token]:
    """Tags, comments and declarations of ``html`` as the HTML tokenizer reads them in its data state.

    Linear: every step moves forward. A tag or attribute value left open at the end swallows the rest,
    as it does in a browser (so it yields nothing more)."""
    end = len(html)
    at = html.find("<")
    while 0 <= at < end - 1:
        following = html[at + 1]
        if following.isascii() and following.isalpha():
            token, after = _tag("start", html, at, at + 1)
        elif following == "/":
            after_slash = html[at + 2: at + 3]
            if after_slash.isascii() and after_slash.isalpha():
                token, after = _tag("end", html, at, at + 2)
            elif after_slash == ">":
                token, after = None, at + 3  # «</>» is dropped
            elif not after_slash:
                return
            else:
                token, after = _Token("bogus", "", at), _to_gt(html, at + 2)
        elif following == "!":
            token, after = _markup_declaration(html, at)
        elif following == "?":
            token, after = _Token("instruction", "", at), _to_gt(html, at + 2)
        else:
            token, after = None, at + 1
        if token is not None:
            yield token
        if after < 0:
            return
        at = html.find("<", after)


def _to_gt(html: str, start: int) -> int:
    """The offset after the next ``>`` (a bogus comment's end), or the end of the text."""
    found = html.find(">", start)
    return len(html) if found < 0 else found + 1


def _markup_declaration(html: str, at: int) -> tuple[_Token, int]:
    if html.startswith("<!--", at):
        body = at + 4
        if html.startswith(">", body) or html.startswith("->", body):  # <!--> and <!--->
            return _Token("comment", "", at), html.find(">", body) + 1
        ends = [found + len(closer) for closer in ("-->", "--!>") if (found := html.find(closer, body)) >= 0]
        return _Token("comment", "", at), min(ends) if ends else len(html)
    if html.startswith("[CDATA[", at + 2):
        return _Token("cdata", "", at), _to_gt(html, at + 2)
    return _Token("declaration", "", at), _to_gt(html, at + 2)


def _tag(kind: str, html: str, at: int, name_start: int) -> tuple[_Token | None, int]:
    """A start or end tag from ``name_start`` (its first letter): the token and the offset after it,
    or (None, -1) when the text ends inside the tag."""
    end = len(html)
    pos = _NAME_REST.match(html, name_start + 1).end()  # type: ignore[union-attr]
    name = html[name_start:pos].lower()
    attributes = 0
    while True:
        pos = _SPACE.match(html, pos).end()  # type: ignore[union-attr]
        if pos >= end:
            return None, -1
        char = html[pos]
        if char == ">":
            return _Token(kind, name, at, attributes), pos + 1
        if char == "/":
            pos += 1
            continue
        attributes += 1
        pos = _ATTRIBUTE_REST.match(html, pos + 1).end()  # type: ignore[union-attr]  # the first may be «=»
        pos = _SPACE.match(html, pos).end()  # type: ignore[union-attr]
        if pos >= end:
            return None, -1
        if html[pos] != "=":
            continue
        pos = _SPACE.match(html, pos + 1).end()  # type: ignore[union-attr]
        if pos >= end:
            return None, -1
        quote = html[pos]
        if quote in "\"'":
            closing = html.find(quote, pos + 1)
            if closing < 0:
                return None, -1
            pos = closing + 1
        elif quote != ">":
            pos = _UNQUOTED.match(html, pos).end()  # type: ignore[union-attr]


def check(html: str, allowed: frozenset[str], editors_own: Callable[[int], bool]) -> list[Finding]:
    """Every kind of problem in the shape of ``html`` (markdown-it's output), once each, in order.

    ``allowed`` are the elements the site allows; ``editors_own(offset)`` says whether the HTML at
    ``offset`` is the editor's own (raw HTML in the body) rather than Markdown's markup."""
    model = _Model()
    html_tags = 0
    for token in tokens(html):
        if token.kind in _HIDDEN:
            what, suggestion = _HIDDEN[token.kind]
            model.add(f"skjult tekst: {what} vises ikke på siden, men ligger i filen.", suggestion, token.offset)
            continue
        name = _short(token.name)
        if token.name not in allowed:
            model.add(f"HTML-taggen <{name}> er ikke tillatt.", ALLOWED_HINT, token.offset)
            model.stop()  # the model cannot follow what it does not allow
            continue
        if token.attributes > MAX_ATTRIBUTES:
            model.add(f"HTML-taggen <{name}> har {token.attributes} attributter; grensen er {MAX_ATTRIBUTES}.",
                      "Slett attributtene; bruk vanlig Markdown.", token.offset)
        if token.kind == "start":
            html_tags += editors_own(token.offset)
            model.start(token.name, token.offset)
        else:
            model.end(token.name, token.offset)
    model.finish()
    if html_tags > MAX_HTML_TAGS:
        model.add(f"teksten har {_number(html_tags)} HTML-tagger; grensen er {_number(MAX_HTML_TAGS)}.",
                  "Bruk vanlig Markdown i stedet for HTML, eller del historien i flere.")
    return list(model.findings.values())


class _Model:
    """The open elements, as html5ever's tree builder keeps them, for the elements the site allows.

    Wherever the model is unsure it is stricter than the parser: a block that starts or ends while a
    formatting element is open is refused, even where the parser would not copy it."""

    def __init__(self) -> None:
        self.stack: list[tuple[str, int]] = []  # (element, offset of its start tag)
        self.formatting = 0  # formatting elements on the stack
        self.findings: dict[str, Finding] = {}
        self.stopped = False

    def add(self, message: str, suggestion: str | None, offset: int | None = None) -> None:
        self.findings.setdefault(message, Finding(message, suggestion, offset))

    def stop(self) -> None:
        self.stopped = True
        self.stack.clear()

    def start(self, name: str, offset: int) -> None:
        if self.stopped:
            return
        if name in FORMATTING:
            if name == "a" and any(open_name == "a" for open_name, _ in self.stack):
                self.add("en lenke (<a>) står inni en annen lenke.",
                         "Lukk den første lenken med </a> før den neste begynner.", offset)
            if self.formatting >= MAX_OPEN_FORMATTING:
                self.add(f"mer enn {MAX_OPEN_FORMATTING} formateringer (som <b>, <i> og <a>) er åpne inni hverandre.",
                         "Lukk hver tagg før du åpner nye, eller bruk Markdown: **fet**, *kursiv*.", offset)
            self._push(name, offset)
        elif name in PHRASING:
            if name in _SCRIPTS and sum(open_name in _SCRIPTS for open_name, _ in self.stack) >= MAX_SCRIPTS:
                self.add(f"mer enn {MAX_SCRIPTS} <sub> eller <sup> står inni hverandre, så teksten blir for liten "
                         "til å leses.", "Bruk høyst to inni hverandre, for eksempel <sup>2</sup>.", offset)
            self._push(name, offset)
        elif name in VOID and name != "hr":
            pass
        else:
            self._close_formatting()
            self._implied_ends(name)
            if name not in VOID:
                self._push(name, offset)

    def end(self, name: str, offset: int) -> None:
        if self.stopped or name in VOID:
            return
        if name not in FORMATTING and name not in PHRASING:
            self._close_formatting()  # a block's end tag, found or not (</h2> also ends an <h3>)
        index = self._find(name)
        if index is None:
            return  # the parser ignores it (a lone </p> becomes an empty paragraph: harmless)
        inner = next((open_name for open_name, _ in reversed(self.stack[index + 1:]) if open_name in FORMATTING), None)
        if inner is not None and name in FORMATTING:
            self.add(f"HTML-taggene <{name}> og <{inner}> er lukket i feil rekkefølge.",
                     f"Lukk den du åpnet sist, først: <{name}><{inner}>tekst</{inner}></{name}>.", offset)
        elif inner is not None:  # </span> would close the formatting elements opened inside it
            self._close_formatting()
            index = self._find(name)
            if index is None:
                return
        self._pop_to(index)

    def finish(self) -> None:
        if not self.stopped:
            self._close_formatting()

    def _push(self, name: str, offset: int) -> None:
        self.stack.append((name, offset))
        self.formatting += name in FORMATTING
        if len(self.stack) > MAX_DEPTH:
            self.add(f"HTML-elementene ligger mer enn {MAX_DEPTH} nivåer inni hverandre.",
                     "Lukk hvert element (for eksempel med </div>) der det slutter, eller bruk vanlig Markdown.",
                     offset)
            self.stop()  # so the model's own work stays linear

    def _pop_to(self, index: int) -> None:
        """Remove the element at ``index`` and everything opened inside it."""
        for name, _ in self.stack[index:]:
            self.formatting -= name in FORMATTING
        del self.stack[index:]

    def _close_formatting(self) -> None:
        """A block starts or ends: every formatting element still open is a problem (the parser would
        copy it into what follows); the model closes them."""
        if not self.formatting:
            return
        for name, offset in self.stack:
            if name in FORMATTING:
                self.add(f"HTML-taggen <{name}> er ikke lukket før avsnittet eller blokken slutter.",
                         f"Skriv </{name}> i samme avsnitt som <{name}>, der det skal slutte.", offset)
        self.stack = [entry for entry in self.stack if entry[0] not in FORMATTING]
        self.formatting = 0

    def _find(self, name: str) -> int | None:
        """Where the parser finds the open element an end tag ``name`` closes, or None: it looks no
        further than a table or a cell (a list item no further than its list, an inline element no
        further than any block), and any heading's end tag closes the nearest heading."""
        names = _HEADINGS if name in _HEADINGS else {name}
        for index in range(len(self.stack) - 1, -1, -1):
            open_name = self.stack[index][0]
            if open_name in names:
                return index
            if _stops(name, open_name):
                return None
        return None

    def _implied_ends(self, name: str) -> None:
        """Elements a start tag closes: an open paragraph, a list item, a cell, a heading."""
        if name in _CLOSES_P and (index := self._find("p")) is not None:
            self._pop_to(index)
        if name in ("li", "dd", "dt"):
            siblings = {"li"} if name == "li" else {"dd", "dt"}
            for index in range(len(self.stack) - 1, -1, -1):
                open_name = self.stack[index][0]
                if open_name in siblings:
                    self._pop_to(index)
                    break
                if open_name not in PHRASING and open_name not in ("div", "p"):
                    break
        elif name in ("td", "th", "tr") or name in _TABLE_PARTS:
            targets = {"td", "th"} if name in ("td", "th") else {"tr"} if name == "tr" else set()
            for index in range(len(self.stack) - 1, -1, -1):
                open_name = self.stack[index][0]
                if open_name == "table":
                    if not targets:
                        self._pop_to(index + 1)
                    break
                if open_name in targets:
                    self._pop_to(index)
                    break
        elif name in _HEADINGS and self.stack and self.stack[-1][0] in _HEADINGS:
            self._pop_to(len(self.stack) - 1)


def _stops(name: str, open_name: str) -> bool:
    """Whether the parser, looking for the element an end tag ``name`` closes, stops at ``open_name``."""
    if name in PHRASING:
        return open_name not in PHRASING and open_name not in FORMATTING
    if name == "li":
        return open_name in _SCOPE or open_name in ("ul", "ol")
    if name in ("tr", "tbody", "thead", "tfoot"):
        return open_name == "table"
    return open_name in _SCOPE


def _short(text: str, limit: int = 40) -> str:
    text = "".join(c if unicodedata.category(c)[0] != "C" else " " for c in text[: limit + 1])
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _number(count: int) -> str:
    return f"{count:,}".replace(",", " ")
