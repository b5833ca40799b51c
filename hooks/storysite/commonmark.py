"""A story body rendered by cmark-gfm (``cmarkgfm``: GitHub's own CommonMark renderer, compiled C, linear
in time), for the bodies it renders exactly as the site's markdown-it-py rendering in ``body`` would
be judged. No MkDocs here.

cmark-gfm is what an editor sees in a pull request's preview, and it renders an ordinary story (with
the checks below) in 0.08 ms against markdown-it-py's 0.46. It runs with the strikethrough extension
(two tildes, as markdown-it) and the table extension (only to notice a table, which is left to
markdown-it), every address kept as written (``UNSAFE``: the sanitiser's policy judges each one)
and nothing else of GitHub's (no autolinks, no tag filter). In the site's terms a ``#`` heading is
an ``<h2>`` (the page's title is its only ``<h1>``); struck-out text is ``<s>`` and an empty quote
has no line break inside, as markdown-it writes them.

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
  or ``_`` in a row, a tab, a backslash before a space, an empty list item, an indented line with
  a backtick, a code fence still open at the end of a body without a last line break, an emphasis
  or strikethrough mark next to a symbol outside ASCII (``€``, an emoji: punctuation to markdown-it's
  newer CommonMark, a letter to cmark-gfm's), a space outside ASCII (a no-break space: markdown-it
  trims it at the start of a line, an item or a heading, cmark-gfm keeps it);
- elements at most ``MAX_DEPTH`` inside each other, well below markdown-it's nesting limit (20), so
  both build the same structure.

For any other body it answers None and ``body`` renders it with markdown-it as before. A body the
fast path finds anything wrong with is rendered again by markdown-it too (see ``body.render``), so
every message and line an editor gets is markdown-it's, and the published HTML is nh3's either way.
"""

from __future__ import annotations

import ctypes
import re
import unicodedata
from collections.abc import Callable

from cmarkgfm import _cmark, cmark  # type: ignore[import-untyped]
from cmarkgfm.cmark import Options  # type: ignore[import-untyped]

MAX_DEPTH = 9  # elements inside each other in a body this module renders (markdown-it stops at 20)
_OPTIONS = Options.CMARK_OPT_UNSAFE | Options.CMARK_OPT_STRIKETHROUGH_DOUBLE_TILDE
_EXTENSIONS = ["table", "strikethrough"]
# cmark-gfm's own tags, written by its renderer.
_TAG = re.compile(r"<(/?)([a-z][a-z0-9]*)")
# Text that leaves a body to markdown-it: raw HTML or an autolink, a link reference definition,
# three tildes (a fence, or strikethrough the two read differently), a tab (expanded differently at
# the end of a line), a backslash before a space (with two more at the end of a line cmark-gfm
# breaks the line, markdown-it does not).
_DECLINED = ("<", "]:", "~~~", "\t", "\\ ")
# Emphasis the two pair differently: a tilde next to an emphasis mark; four marks in a row
# (cmark-gfm makes one <strong> of ``****x****``, markdown-it two).
_EMPHASIS = ("~*", "*~", "~_", "_~", "****", "____")
# What a line is made of when it could be a table's delimiter row, a thematic break or an empty list
# item: nothing but these characters (a line of text has others, and is passed over at its first).
_MARKS = " >*+.)0123456789:|-"
_EMPTY_ITEM = re.compile(r"[ >]*(?:[-+*]|[0-9]+[.)]) *")
_VOID = frozenset({"br", "hr", "img"})
# A mark next to a character outside ASCII (``_symbol_by_mark``), and a space outside ASCII (a no-break
# space, an em space: markdown-it trims one that starts a line, an item or a heading; cmark-gfm keeps it).
_NON_ASCII_BY_MARK = re.compile(r"[*_~]([^\x00-\x7f])|([^\x00-\x7f])[*_~]")
_NON_ASCII_SPACE = re.compile(r"[^\S\x00-\x7f]")
# Rewritten into the site's terms and markdown-it's (the body has no «<», so each is cmark-gfm's own).
_FIT = (("<h1>", "<h2>"), ("</h1>", "</h2>"), ("<del>", "<s>"), ("</del>", "</s>"),
        ("<blockquote>\n</blockquote>", "<blockquote></blockquote>"))


def markup(body: str, allowed: frozenset[str] | None = None) -> str | None:
    """cmark-gfm's HTML of ``body`` in the site's terms, or None when ``body`` is one to render with
    markdown-it (raw HTML, link reference definitions, deep nesting, or, given ``allowed``, an element
    not in it)."""
    if _declined(body):
        return None
    html = _render(body)
    if "<table>" in html:
        return None
    for ours, theirs in _FIT:
        html = html.replace(ours, theirs)
    deepest, names = _shape(html)
    if deepest > MAX_DEPTH or (allowed is not None and not names <= allowed):
        return None
    return html


def _declined(body: str) -> bool:
    """Whether ``body`` is one to leave to markdown-it (see the module's documentation)."""
    return (any(text in body for text in _DECLINED) or (not body.endswith("\n") and "```" in body)
            or any(text in body for text in _EMPHASIS) or _differing_line(body)
            or _NON_ASCII_SPACE.search(body) is not None or _symbol_by_mark(body))


def _symbol_by_mark(body: str) -> bool:
    """Whether an emphasis or strikethrough mark touches a symbol outside ASCII (€, ©, an emoji): the
    CommonMark spec cmark-gfm follows (0.29) counts such a symbol as a letter where markdown-it-py's
    (0.31) counts it as punctuation, so ``*Flott dag!*🎉`` is emphasis to one and not to the other."""
    return any(unicodedata.category(found.group(1) or found.group(2)).startswith("S")
               for found in _NON_ASCII_BY_MARK.finditer(body))


def _differing_line(body: str) -> bool:
    """Whether a line is one the two read differently: one that could be a table's delimiter row
    (pipes, dashes and colons, with a pipe or colon, or after a line with a pipe), or an empty list
    item (blank lines after one end the list in markdown-it, not in cmark-gfm), or an indented line
    with a backtick (the spaces inside code that continues on it are kept by one, not the other)."""
    previous = ""
    for line in body.split("\n"):
        if line.strip() and not line.strip(_MARKS) and (
                ("-" in line and ("|" in line or ":" in line or "|" in previous)) or _EMPTY_ITEM.fullmatch(line)):
            return True
        if line.startswith(" ") and "`" in line:  # code across lines: the two keep different spaces
            return True
        previous = line
    return False


# cmarkgfm's own markdown_to_html_with_extensions never frees the document's tree nor the HTML it
# renders (some 16 KB a story: 16 MB more peak memory at 1,000 stories). Both are freed here with
# cmark-gfm's own cmark_node_free and the free of cmark-gfm's default allocator (which made the HTML:
# the C library's, or whatever allocator the process was started with), found through the compiled
# module with ctypes (cffi's own way to declare them parses C at import: 25 ms and 3 MB). Where the
# module does not show them (a Windows .pyd exports nothing but its init function), nothing is
# freed: the build only holds more memory while it runs.
class _Allocator(ctypes.Structure):
    """cmark-gfm's ``cmark_mem``: its calloc, realloc and free."""

    _fields_ = [("calloc", ctypes.c_void_p), ("realloc", ctypes.c_void_p),
                ("free", ctypes.CFUNCTYPE(None, ctypes.c_void_p))]


def _c_functions() -> tuple[Callable[[int], None], Callable[[int], None]] | None:
    try:
        library = ctypes.CDLL(_cmark.__file__)
        node_free, allocator = library.cmark_node_free, library.cmark_get_default_mem_allocator
    except (OSError, AttributeError):
        return None
    node_free.argtypes, node_free.restype = [ctypes.c_void_p], None
    allocator.argtypes, allocator.restype = [], ctypes.POINTER(_Allocator)
    return node_free, allocator().contents.free


_NODE_FREE, _FREE = _c_functions() or (None, None)
cmark.core_extensions_ensure_registered()
_SYNTAX = [cmark.find_syntax_extension(name) for name in _EXTENSIONS]


def _render(body: str) -> str:
    """cmark-gfm's HTML of ``body``: markdown_to_html_with_extensions without its leaks."""
    parser = cmark.parser_new(options=_OPTIONS)
    try:
        for extension in _SYNTAX:
            cmark.parser_attach_syntax_extension(parser, extension)
        cmark.parser_feed(parser, body)
        root = cmark.parser_finish(parser)  # the caller's to free (cmark.h)
        try:
            raw = _cmark.lib.cmark_render_html(root, _OPTIONS, cmark.parser_get_syntax_extensions(parser))
            try:
                return _cmark.ffi.string(raw).decode("utf-8")
            finally:
                if _FREE is not None:
                    _FREE(_address(raw))
        finally:
            if _NODE_FREE is not None:
                _NODE_FREE(_address(root))
    finally:
        cmark.parser_free(parser)


def _address(pointer) -> int:
    """The address a pointer of cmarkgfm's holds."""
    return int(_cmark.ffi.cast("uintptr_t", pointer))


def _shape(html: str) -> tuple[int, set[str]]:
    """How deep elements are inside each other in cmark-gfm's well-formed output, and their names."""
    depth = deepest = 0
    names = set()
    for match in _TAG.finditer(html):
        name = match.group(2)
        names.add(name)
        if name in _VOID:
            continue
        if match.group(1):
            depth -= 1
        else:
            depth += 1
            deepest = max(deepest, depth)
    return deepest, names
