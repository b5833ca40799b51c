"""A Content-Security-Policy on every built page, as ``<meta http-equiv="Content-Security-Policy">``.

The site is served from a static host that sets no response headers, so the policy travels in the
page itself, right after ``<meta charset>`` and before the first script. It is the second lock:
story text is sanitised when it is read (``body.py``); if that ever let markup through, the
browser still runs no script, loads nothing from another host and submits no form.

Scripts run only from the site's own files, plus the inline scripts the *templates* emit, each
allowed by its sha256 hash. Which inline scripts those are is read from the template files
themselves (``TemplateScripts.read``): a script on a page gets a hash only if its text is the text
of a ``<script>`` in a template, and only if it is outside the content area
(``<article class="md-content__inner">``), which holds the story. A script that came from story
text — in the content area, or in the title or the navigation if escaping failed — gets no hash
and does not run. Material's scripts differ per page only by the base URL they are given
(``__md_scope=new URL("../..",location)``); such an expression between quotes in a template may
stand for URL characters only, never quotes, brackets, spaces or ``<``.

No ``'unsafe-inline'``, no ``'unsafe-eval'``, no ``'unsafe-hashes'``: inline event handlers
(``onerror=…``) and ``javascript:`` links never run. Material's markup has no ``style``
attributes and no ``<style>`` elements (with ``theme.font: false``), and its scripts set styles
through the CSSOM, which a policy does not restrict, so ``style-src`` is ``'self'`` only.
Material's stylesheets draw their icons with ``data:`` SVG images (``mask-image: url("data:…")``),
which count as images: hence ``img-src 'self' data:``.

This module imports nothing from MkDocs: ``hooks/site.py`` calls ``add_policy`` for each page.
It scans the page with regular expressions, not an HTML parser: it runs for every page.
"""

from __future__ import annotations

import base64
import hashlib
import re
from collections.abc import Iterable
from pathlib import Path

# The policy, except the hashes that script-src gets per page. Everything is the site's own.
DIRECTIVES: tuple[tuple[str, str], ...] = (
    ("default-src", "'none'"),
    ("script-src", "'self'"),
    ("style-src", "'self'"),
    ("img-src", "'self' data:"),
    ("font-src", "'self'"),
    ("connect-src", "'self'"),  # the search index
    ("worker-src", "'self'"),  # the search worker
    ("object-src", "'none'"),
    ("base-uri", "'self'"),
    ("form-action", "'none'"),  # no form on the site is sent anywhere: search and theme are scripts
)

# <script …>…</script>, in a page and in a template. Attributes never hold ">" in our templates.
_SCRIPT = re.compile(r"<script\b([^>]*)>(.*?)</script\s*>", re.IGNORECASE | re.DOTALL)
_SRC = re.compile(r"(?:^|\s)src\s*=", re.IGNORECASE)
_TYPE = re.compile(r"""(?:^|\s)type\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))""", re.IGNORECASE)
# The types a browser runs; any other type (application/json, application/ld+json) is a data block.
_SCRIPT_TYPES = frozenset({"", "module", "text/javascript", "application/javascript", "text/ecmascript",
                           "application/ecmascript", "text/jscript", "application/x-javascript"})
_CONTENT_START = '<article class="md-content__inner'
_CONTENT_END = "</article>"
_CHARSET = re.compile(r"<meta\s+charset\s*=[^>]*>", re.IGNORECASE)
_HEAD = re.compile(r"<head\b[^>]*>", re.IGNORECASE)
_FIRST_SCRIPT = re.compile(r"<script\b", re.IGNORECASE)

# A Jinja expression ({{ … }}) in a template's script, and what it may stand for on a page: URL
# characters only. Between quotes these can end neither the string nor the <script>.
_EXPRESSION = re.compile(r"\{\{(-?)(.*?)(-?)\}\}", re.DOTALL)
_URL_TEXT = r"[A-Za-z0-9._~:/?#@!$&*+,;=%-]*"
_MAX_CACHED = 4096


def _normalise(text: str) -> str:
    """A script's text as the browser hashes it: the HTML parser turns CR LF and CR into LF."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _source(text: str) -> str:
    """The CSP source for a script text: 'sha256-…' of its UTF-8 bytes."""
    digest = hashlib.sha256(text.encode("utf-8")).digest()
    return "'sha256-" + base64.b64encode(digest).decode("ascii") + "'"


def _runs(attributes: str) -> bool:
    """Whether a <script> with these attributes is inline code (no src, a script type)."""
    if _SRC.search(attributes):
        return False
    kind = _TYPE.search(attributes)
    value = next((v for v in kind.groups() if v is not None), "") if kind else ""
    return value.strip().lower() in _SCRIPT_TYPES


class TemplateScripts:
    """The inline scripts the templates emit: the texts a page's inline script may have to get a hash."""

    __slots__ = ("_exact", "_shapes", "_sources")

    def __init__(self, exact: Iterable[str] = (), shapes: Iterable[str] = ()) -> None:
        """``exact``: script texts as they are; ``shapes``: regular expressions a script text must match whole."""
        self._exact: frozenset[str] = frozenset(_normalise(text) for text in exact)
        patterns = list(dict.fromkeys(shapes))
        self._shapes: re.Pattern[str] | None = (
            re.compile("|".join(f"(?:{p})" for p in patterns), re.DOTALL) if patterns else None
        )
        self._sources: dict[str, str | None] = {}  # text → its hash source, or None if not a template's

    @classmethod
    def read(cls, template_dirs: Iterable[str | Path]) -> TemplateScripts:
        """The inline scripts of the templates in ``template_dirs`` (MkDocs' ``config.theme.dirs``:
        the first folder that has a template wins, as in Jinja's loader)."""
        templates: dict[str, Path] = {}
        for folder in template_dirs:
            root = Path(folder)
            for path in sorted(root.rglob("*.html")):
                templates.setdefault(path.relative_to(root).as_posix(), path)
        exact: list[str] = []
        shapes: list[str] = []
        for path in templates.values():
            for attributes, body in _SCRIPT.findall(path.read_text(encoding="utf-8")):
                if not _runs(attributes) or "{%" in body or "{#" in body:
                    continue  # external, data, or shaped by template logic we do not follow: no hash
                body = _normalise(body)
                if not _EXPRESSION.search(body):
                    exact.append(body)
                elif (shape := _shape(body)) is not None:
                    shapes.append(shape)
        return cls(exact, shapes)

    def source(self, text: str) -> str | None:
        """The hash source that allows this script text, or None if no template emits it."""
        text = _normalise(text)
        if text in self._sources:
            return self._sources[text]
        allowed = text in self._exact or bool(self._shapes and self._shapes.fullmatch(text))
        found = _source(text) if allowed else None
        if len(self._sources) < _MAX_CACHED:
            self._sources[text] = found
        return found


def _shape(body: str) -> str | None:
    """A template script as a regular expression for the texts it renders to, or None if one of its
    expressions is not directly between quotes (then it could stand for code, and gets no hash)."""
    parts: list[str] = []
    literals = _EXPRESSION.split(body)  # literal, "-", expression, "-", literal, …
    for index in range(0, len(literals), 4):
        literal = literals[index]
        if index > 0 and literals[index - 1] == "-":
            literal = literal.lstrip()
        if index + 1 < len(literals) and literals[index + 1] == "-":
            literal = literal.rstrip()
        literals[index] = literal
    for index in range(0, len(literals), 4):
        parts.append(re.escape(literals[index]))
        if index + 4 < len(literals):
            before, after = literals[index], literals[index + 4]
            if not (before[-1:] in ("'", '"') and after[:1] == before[-1:]):
                return None
            parts.append(_URL_TEXT)
    return "".join(parts)


def policy(sources: Iterable[str] = ()) -> str:
    """The policy text, with ``sources`` (hash sources) added to script-src."""
    extra = list(dict.fromkeys(sources))
    return "; ".join(
        f"{name} {value}" + ("".join(" " + s for s in extra) if name == "script-src" else "")
        for name, value in DIRECTIVES
    )


def page_policy(html: str, scripts: TemplateScripts) -> str:
    """The policy for one page: script-src gets the hashes of its inline scripts that a template
    emits and that are outside the content area."""
    start = html.find(_CONTENT_START)
    end = len(html)
    if start >= 0:
        last = html.rfind(_CONTENT_END)
        end = last + len(_CONTENT_END) if last > start else len(html)
    sources: list[str] = []
    for match in _SCRIPT.finditer(html):
        if start >= 0 and match.end() > start and match.start() < end:
            continue  # in the content area: story text, never allowed
        if _runs(match.group(1)):
            found = scripts.source(match.group(2))
            if found:
                sources.append(found)
    return policy(sources)


def add_policy(html: str, scripts: TemplateScripts) -> str:
    """``html`` with its Content-Security-Policy as a <meta> right after <meta charset>, before any
    script (a policy applies only to what comes after it)."""
    first_script = _FIRST_SCRIPT.search(html)
    limit = first_script.start() if first_script else len(html)
    anchor = _CHARSET.search(html, 0, limit) or _HEAD.search(html, 0, limit)
    if anchor is None:
        raise ValueError("no <head> before the first script: the page has nowhere to put its policy")
    meta = f'<meta http-equiv="Content-Security-Policy" content="{page_policy(html, scripts)}">'
    return html[: anchor.end()] + meta + html[anchor.end():]
