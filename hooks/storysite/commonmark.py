"""A story body rendered by cmark-gfm (``cmarkgfm``: GitHub's own CommonMark renderer, compiled C, linear
in time), for the bodies it renders exactly as the site's markdown-it-py rendering in ``body`` would
be judged. No MkDocs here.

cmark-gfm is what an editor sees in a pull request's preview, and it renders an ordinary story some
ten times faster than markdown-it-py. It runs with the table and strikethrough extensions only,
strikethrough with two tildes (as markdown-it), every address kept as written (``UNSAFE``: the
sanitiser's policy judges each one) and nothing else of GitHub's (no autolinks, no tag filter). In
the site's terms a ``#`` heading is an ``<h2>`` (the page's title is its only ``<h1>``) and table
columns carry no alignment (the site allows no ``align`` or ``style``); struck-out text is ``<s>``
and an empty quote has no line break inside, as markdown-it writes them.

``markup`` answers only for a body whose every tag is cmark-gfm's own, so that those rewrites are
exact and nothing in it is the editor's own HTML (``editors_own`` is False everywhere), and only
where the two renderers are known to agree (``tests/test_renderer.py`` compares them):

- no ``<``: no raw HTML, comment or autolink (``body`` counts, judges and places the editor's own
  HTML with markdown-it, token by token), and no ``]:``: no link reference definition (``body``
  reports the ones no link uses, which only markdown-it's parse tells);
- no table: markdown-it-py's tables are not GitHub's in every corner (a table's first line that
  starts a list item is a table to markdown-it, a list to GitHub), so any line that could be a
  delimiter row (``|---|:-:|``, ``:--``, in quotes or lists too) leaves the body to markdown-it, and
  so does any table cmark-gfm makes;
- none of the corners where the two differ: ``~~~``, a tilde next to ``*`` or ``_``, four ``*``
  or ``_`` in a row, a tab, a backslash before a space, an empty list item, a code fence still
  open at the end of a body without a last line break;
- elements at most ``MAX_DEPTH`` inside each other, well below markdown-it's nesting limit (20), so
  both build the same structure.

For any other body it answers None and ``body`` renders it with markdown-it as before. A body the
fast path finds anything wrong with is rendered again by markdown-it too (see ``body.render``), so
every message and line an editor gets is markdown-it's, and the published HTML is nh3's either way.
"""

from __future__ import annotations

import re

import cmarkgfm  # type: ignore[import-untyped]
from cmarkgfm.cmark import Options  # type: ignore[import-untyped]

MAX_DEPTH = 9  # elements inside each other in a body this module renders (markdown-it stops at 20)
_OPTIONS = Options.CMARK_OPT_UNSAFE | Options.CMARK_OPT_STRIKETHROUGH_DOUBLE_TILDE
_EXTENSIONS = ["table", "strikethrough"]
# cmark-gfm's own tags, written by its renderer: never an attribute but href, src, alt, title or align.
_TAG = re.compile(r"<(/?)([a-z][a-z0-9]*)")
# Text that leaves a body to markdown-it: raw HTML or an autolink, a link reference definition,
# three tildes (a fence, or strikethrough the two read differently), a tab (expanded differently at
# the end of a line), a backslash before a space (with two more at the end of a line cmark-gfm
# breaks the line, markdown-it does not).
_DECLINED = ("<", "]:", "~~~", "\t", "\\ ")
# Lines the two read differently: a table's delimiter row could be one to either (only pipes,
# dashes, colons, spaces and container markers); blank lines after an empty list item end the list
# in markdown-it, not in cmark-gfm; a tilde next to an emphasis mark pairs their delimiter runs
# differently; cmark-gfm makes one <strong> of ``****x****``, markdown-it two.
_DIFFER = re.compile("|".join((
    r"^(?=[^\n|:]*[|:])(?=[^\n-]*-)[ >*+.)0-9:|-]*$",  # a delimiter row with a pipe or colon
    r"\|[^\n]*\n[ >*+.)0-9:|]*-[ >*+.)0-9:|-]*$",  # a line of dashes after a line with a pipe
    r"^[ >]*(?:[-+*]|[0-9]+[.)]) *$",  # an empty list item
    r"~[*_]|[*_]~",  # a tilde next to an emphasis mark
    r"\*{4}|_{4}",  # four emphasis marks
)), re.MULTILINE)
_VOID = frozenset({"br", "hr", "img"})
# Rewritten into the site's terms and markdown-it's: <h1> → <h2>, <del> → <s>, no align on cells,
# an empty quote without a line break inside.
_FIT = re.compile(r'<(/?)(h1|del)>|<(t[hd]) align="(?:left|center|right)">|(<blockquote>)\n(?=</blockquote>)')
_AS = {"h1": "h2", "del": "s"}


def markup(body: str) -> str | None:
    """cmark-gfm's HTML of ``body`` in the site's terms, or None when ``body`` is one to render with
    markdown-it (raw HTML, link reference definitions, deep nesting)."""
    if any(text in body for text in _DECLINED) or (not body.endswith("\n") and "```" in body) \
            or _DIFFER.search(body):
        return None
    html = cmarkgfm.markdown_to_html_with_extensions(body, options=_OPTIONS, extensions=_EXTENSIONS)
    if "<table>" in html or _depth(html) > MAX_DEPTH:
        return None
    return _FIT.sub(_fit, html)


def _fit(match: re.Match) -> str:
    closing, name, cell, quote = match.groups()
    return quote or (f"<{cell}>" if cell else f"<{closing}{_AS[name]}>")


def _depth(html: str) -> int:
    """How deep elements are inside each other in cmark-gfm's well-formed output."""
    depth = deepest = 0
    for match in _TAG.finditer(html):
        if match.group(2) in _VOID:
            continue
        if match.group(1):
            depth -= 1
        else:
            depth += 1
            deepest = max(deepest, depth)
    return deepest
