"""Check a story body: Markdown and a safe subset of HTML, nothing that runs code."""

from __future__ import annotations

import html
import re

from .problems import Problem

# HTML an editor may use inside Markdown: text structure, nothing that loads or runs anything else.
ALLOWED_TAGS = frozenset(
    "a abbr b blockquote br caption cite code dd del details dfn div dl dt em figcaption figure "
    "h2 h3 h4 h5 h6 hr i img ins kbd li mark ol p pre q s small span strong sub summary sup "
    "table tbody td tfoot th thead tr u ul".split()
)
# A tag starts right after "<" (browsers read "a < b" as text); attributes end at the next "<" or ">".
_TAG = re.compile(r"</?([a-zA-Z][a-zA-Z0-9-]*)(?=[\s/>]|$)([^<>]*)")
_HANDLER = re.compile(r"(?:^|[\s\"'/])(on[a-z]+)\s*=", re.IGNORECASE)
_SCRIPT_URL = re.compile(r"(?:javascript|vbscript):", re.IGNORECASE)
_DATA_URL = re.compile(r"(?:\]\(|[=\"'<(]|^\[[^\]]*\]:)\s*<?\s*data:", re.IGNORECASE)
_FENCE = re.compile(r"^\s{0,3}(`{3,}|~{3,})")
_CODE_SPAN = re.compile(r"(`+)(?:(?!\1).)+?\1")
_SUSPECT = re.compile(r"<|script:|data:|&#|&[a-z]+;", re.IGNORECASE)
_HINT = "Bruk vanlig Markdown for lenker og bilder; skript, skjemaer og innebygde sider er ikke tillatt."


def check(body: str, rel: str, first_line: int) -> list[Problem]:
    """Every unsafe tag, event handler and script or data URL in ``body``, with its file line."""
    problems: list[Problem] = []
    if not _SUSPECT.search(body):
        return problems  # plain Markdown: nothing that could be a tag or a script address
    fence: str | None = None
    for number, line in enumerate(body.split("\n"), start=first_line):
        opening = _FENCE.match(line)
        if fence:
            if opening and opening.group(1)[0] == fence[0] and len(opening.group(1)) >= len(fence):
                fence = None
            continue
        if opening:
            fence = opening.group(1)
            continue
        problems += _check_line(_CODE_SPAN.sub("", line), rel, number)
    return problems


def _check_line(line: str, rel: str, number: int) -> list[Problem]:
    found: list[Problem] = []

    def add(message: str) -> None:
        found.append(Problem(rel, number, "tekst", message, _HINT))

    for match in _TAG.finditer(line):
        name = match.group(1).lower()
        if name not in ALLOWED_TAGS and not match.group(0).startswith("</"):
            add(f"HTML-taggen <{name}> er ikke tillatt.")
        handler = _HANDLER.search(match.group(2))
        if handler:
            add(f"HTML-attributtet {handler.group(1)}= (kjører skript) er ikke tillatt.")
    plain = re.sub(r"\s+", "", html.unescape(line))
    if _SCRIPT_URL.search(plain):
        add("lenker til javascript: er ikke tillatt.")
    if _DATA_URL.search(html.unescape(line)):
        add("data:-adresser er ikke tillatt.")
    return found
