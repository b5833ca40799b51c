"""Trim Material's stylesheets to what this site uses.

Material ships one stylesheet for every feature it has (content tabs, admonitions, code
highlighting, annotations, tooltips, blog, versions, …) and a palette file with every named
colour. This site enables none of those features and uses its own colours, yet every reader paid
for all of it. After the build we drop, from the copies in the site folder, the rules whose
selectors all belong to unused features, and the custom properties only they read. Nothing is
added or changed: a rule for anything the site uses is kept as Material wrote it.
"""

from __future__ import annotations

import re

# Class and attribute fragments of features this site does not enable (see mkdocs.yml).
UNUSED_SELECTORS = (
    "tabbed", "admonition", ".highlight", "highlighttable", ".md-tooltip", ".keys", ".md-source",
    "md-annotation", ".md-version", ".md-post", ".footnote", ".md-select", ".md-tag", ".md-typeset .grid",
    ".md-clipboard", ".task-list", ".md-feedback", ".md-consent", ".md-author", ".md-status", ".critic",
    "arithmatex", ".md-social", ".md-progress", ".emojione", ".twemoji", ".gemoji", "mermaid", ".linenos",
    ".linenodiv", ".filename", ".md-code__", ".md-profile", ".md-typeset .card", "data-md-component=outdated",
)
# (The admonition and details icons stay: editors may use <details>, whose summary shows them.)
UNUSED_PROPERTIES = (
    "--md-tasklist-icon", "--md-source-", "--md-version-icon",
    "--md-status", "--md-tooltip", "--md-annotation", "--md-clipboard-icon", "--md-code-hl-", "--md-mermaid-",
    "--md-footnotes-icon", "--md-tag-icon", "--md-typeset-table-sort-icon", "--md-tabbed-icon",
)
MARK = "\n/* trimmed for this site by hooks/storysite/trim_css.py */\n"
_NAMED_COLOUR = re.compile(r"\[data-md-color-(?:primary|accent)=(?!custom\])[a-z-]+\]")


def trim(css: str) -> str:
    """``css`` without the rules and custom properties of unused features."""
    return "".join(_trim_block(css))


def _trim_block(css: str):
    for prelude, body in _rules(css):
        if body is None:
            yield prelude
        elif prelude.lstrip().startswith(("@media", "@supports", "@layer")):
            inner = "".join(_trim_block(body))
            if inner.strip():
                yield f"{prelude}{{{inner}}}"
        elif prelude.lstrip().startswith("@"):
            yield f"{prelude}{{{body}}}"
        else:
            selectors = [s for s in _split(prelude, ",") if not _unused(s)]
            if not selectors:
                continue
            declarations = [d for d in _split(body, ";") if not d.strip().startswith(UNUSED_PROPERTIES)]
            kept = ";".join(declarations)
            if kept.strip():
                yield f"{','.join(selectors)}{{{kept}}}"


def _unused(selector: str) -> bool:
    return any(fragment in selector for fragment in UNUSED_SELECTORS) or bool(_NAMED_COLOUR.search(selector))


def _rules(css: str):
    """Top-level (prelude, body) pairs; statements like ``@charset …;`` come as (text, None)."""
    depth, start, prelude_end = 0, 0, 0
    quote = None
    for index, char in enumerate(css):
        if quote:
            if char == quote and css[index - 1] != "\\":
                quote = None
            continue
        if char in "\"'":
            quote = char
        elif char == "{":
            if depth == 0:
                prelude_end = index
            depth += 1
        elif char == "}":
            depth -= 1
            if depth == 0:
                yield css[start:prelude_end], css[prelude_end + 1 : index]
                start = index + 1
        elif char == ";" and depth == 0:
            yield css[start : index + 1], None
            start = index + 1
    if css[start:].strip():
        yield css[start:], None


def _split(text: str, separator: str) -> list[str]:
    """Split at ``separator`` outside quotes, brackets and parentheses (data URIs hold ``;`` and ``,``)."""
    parts: list[str] = []
    current: list[str] = []
    depth, quote = 0, None
    for char in text:
        if quote:
            if char == quote:
                quote = None
        elif char in "\"'":
            quote = char
        elif char in "([":
            depth += 1
        elif char in ")]":
            depth -= 1
        elif char == separator and depth == 0:
            parts.append("".join(current))
            current = []
            continue
        current.append(char)
    parts.append("".join(current))
    return parts
