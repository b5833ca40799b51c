"""A story body: Markdown rendered to HTML, then sanitised against an allow-list.

What is checked is what is *rendered*, not what is typed: the body is rendered with markdown-it-py
(CommonMark, the dialect GitHub previews a pull request in; linear in time on any input), then the
HTML goes through nh3 (ammonia, which parses HTML as a browser does) twice:

1. a permissive pass that keeps every known element and hands every attribute to ``_Policy``,
   which judges it, rewrites picture addresses and records a problem for the editor;
2. a strict pass with the allow-list, which is what gets published.

Whatever the strict pass would remove is a problem for the editor, so a story is either refused
with a message naming the line (when it can be found), the element and the attribute, or it is
published as written. The published HTML is the sanitised HTML either way (two locks), and the
browser's Content-Security-Policy is a third.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import unquote, urlsplit

import nh3
from markdown_it import MarkdownIt

from .problems import Problem

# Elements a story may contain: text structure, lists, tables, quotes and pictures from its folder.
ALLOWED_TAGS = frozenset(
    "a abbr b blockquote br caption cite code dd del details dfn div dl dt em figcaption figure h2 h3 h4 "
    "h5 h6 hr i img ins kbd li mark ol p pre q s small span strong sub summary sup table tbody td tfoot "
    "th thead tr u ul".split()
)
# Attributes per element; nothing else (no style, no on*, no id, no class).
ALLOWED_ATTRIBUTES: dict[str, set[str]] = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title"},
    "abbr": {"title"},
    "dfn": {"title"},
    "ol": {"start", "reversed"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan", "scope"},
    "details": {"open"},
}
LINK_SCHEMES = frozenset({"https", "mailto", "tel"})
# Every element a browser knows, so the permissive pass keeps them long enough to be named.
_KNOWN_TAGS = ALLOWED_TAGS | frozenset(
    "address applet area article aside audio base basefont bdi bdo bgsound big blink body button canvas "
    "center col colgroup data datalist dialog dir embed fieldset font footer form frame frameset h1 head "
    "header hgroup html iframe image input isindex keygen label legend link main map marquee math menu "
    "menuitem meta meter nav nobr noembed noframes noscript object optgroup option output param picture "
    "plaintext portal progress rb rp rt rtc ruby samp script search section select slot source strike "
    "style svg template textarea time title track tt var video wbr xmp".split()
)
_REMOVE_WITH_CONTENT = frozenset({"script", "style", "template", "noscript", "xmp", "plaintext", "noembed",
                                  "noframes", "iframe", "textarea", "title", "svg", "math", "object", "applet"})
_ALL_SCHEMES = {"http", "https", "mailto", "tel", "javascript", "vbscript", "data", "file", "ftp", "blob", "about",
                "filesystem", "ws", "wss", "sms", "geo", "intent", "ms-settings"}
_URL_ATTRIBUTES = {"href", "src", "srcset", "action", "formaction", "poster", "background", "cite", "data",
                   "xlink:href", "ping", "longdesc", "lowsrc", "dynsrc", "manifest", "codebase", "icon"}
_URL_JUNK = re.compile(r"[\t\n\r]")  # browsers drop these inside a URL before reading its scheme
_HINT = "Bruk vanlig Markdown for lenker og bilder; skript, skjemaer og innebygde sider er ikke tillatt."
_MARKDOWN = MarkdownIt("commonmark", {"html": True, "maxNesting": 20}).enable(["table", "strikethrough"])
_MARKDOWN.validateLink = lambda url: True  # type: ignore[method-assign]  # the policy below judges every address


def _fit_the_page(state) -> None:
    """Our own markup in the site's terms: the page's title is its only <h1>, so a ``#`` heading
    in a story becomes <h2>; and table columns are not aligned with style attributes, which the
    site does not allow."""
    for token in state.tokens:
        if token.type in ("heading_open", "heading_close") and token.tag == "h1":
            token.tag = "h2"
        elif token.type in ("th_open", "td_open") and token.attrs.get("style"):
            del token.attrs["style"]


_MARKDOWN.core.ruler.push("fit_the_page", _fit_the_page)


@dataclass
class Rendered:
    """A story body as published: sanitised HTML, the pictures it shows and what was wrong."""

    html: str
    pictures: list[str] = field(default_factory=list)  # file names in the story's folder, in order
    problems: list[Problem] = field(default_factory=list)


# Resolves a picture address in the body: returns the published address, or raises ValueError
# with (message, suggestion) for the editor.
PictureResolver = Callable[[str], str]


class PictureRefused(ValueError):
    """A body picture that cannot be published; the message is for the editor."""

    def __init__(self, message: str, suggestion: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.suggestion = suggestion


def render(body: str, rel: str, first_line: int, picture: PictureResolver) -> Rendered:
    """Render and sanitise ``body`` of the story file ``rel`` (its first line is ``first_line``)."""
    raw = _MARKDOWN.render(body)
    policy = _Policy(picture)
    judged = nh3.clean(raw, tags=set(_KNOWN_TAGS), clean_content_tags=set(), generic_attribute_prefixes={""},
                       attribute_filter=policy, link_rel=None, url_schemes=_ALL_SCHEMES, strip_comments=True)
    published = nh3.clean(judged, tags=set(ALLOWED_TAGS), clean_content_tags=set(_REMOVE_WITH_CONTENT),
                          attributes=ALLOWED_ATTRIBUTES, link_rel=None, url_schemes=set(LINK_SCHEMES),
                          strip_comments=True,
                          set_tag_attribute_values={"img": {"loading": "lazy", "decoding": "async"}})
    findings = policy.findings + [
        _Finding(f"HTML-taggen <{tag}> er ikke tillatt.", _HINT, rf"<\s*{re.escape(tag)}\b")
        # Known elements are named as nh3 parsed them; unknown ones (which it drops) from markdown-it's output.
        for tag in _tags(judged) | {t for t in _tags(raw) if t not in _KNOWN_TAGS} if tag not in ALLOWED_TAGS
    ]
    result = Rendered(published, policy.pictures)
    seen: set[tuple[int | None, str]] = set()
    for finding in findings:
        line = _find_line(body, finding.pattern, first_line)
        if (line, finding.message) not in seen:
            seen.add((line, finding.message))
            result.problems.append(Problem(rel, line, "tekst", finding.message, finding.suggestion))
    return result


@dataclass(frozen=True)
class _Finding:
    message: str
    suggestion: str | None
    pattern: str  # a regular expression that finds the source line


class _Policy:
    """nh3's attribute filter: judges every attribute of every element once, as the browser reads it."""

    def __init__(self, picture: PictureResolver) -> None:
        self.picture = picture
        self.findings: list[_Finding] = []
        self.pictures: list[str] = []

    def __call__(self, tag: str, attribute: str, value: str) -> str | None:
        attribute = attribute.lower()
        if tag in ALLOWED_TAGS and attribute in ALLOWED_ATTRIBUTES.get(tag, ()):
            if tag == "a" and attribute == "href":
                return self._link(value)
            if tag == "img" and attribute == "src":
                return self._picture(value)
            return value
        if tag not in ALLOWED_TAGS:
            return value  # the element itself is reported
        if attribute.startswith("on"):
            self._add(f"HTML-attributtet {attribute}= (kjører skript) er ikke tillatt.", _HINT, attribute)
        elif attribute in _URL_ATTRIBUTES and _scheme(value) in ("javascript", "vbscript", "data"):
            self._scheme_problem(value, attribute)
        elif attribute == "style":
            self._add("HTML-attributtet style= er ikke tillatt.",
                      "Skriv teksten uten style; utseendet bestemmes av nettstedet.", attribute)
        else:
            self._add(f"HTML-attributtet {attribute}= er ikke tillatt på <{tag}>.",
                      "Slett attributtet; bruk vanlig Markdown.", attribute)
        return None

    def _link(self, value: str) -> str | None:
        url = _URL_JUNK.sub("", value).strip()
        scheme = _scheme(url)
        if scheme in LINK_SCHEMES or (scheme is None and url.startswith("#")):
            return url
        if scheme in ("javascript", "vbscript", "data"):
            self._scheme_problem(value, "href")
        elif scheme == "http":
            self._add(f"lenken «{_short(url)}» bruker http:, som ikke er sikkert.",
                      "Bruk https:// i stedet for http://, hvis nettstedet har det.", url)
        elif scheme is None:
            self._add(f"lenken «{_short(url)}» peker ikke til en nettside.",
                      "Skriv hele adressen, med https://. Til en annen historie: åpne den i nettleseren og "
                      "kopier adressen.", url)
        else:
            self._add(f"lenker med {scheme}: er ikke tillatt («{_short(url)}»).",
                      "Bruk en https://-, mailto:- eller tel:-adresse.", url)
        return None

    def _picture(self, value: str) -> str | None:
        url = _URL_JUNK.sub("", value).strip()
        scheme = _scheme(url)
        if scheme in ("javascript", "vbscript", "data"):
            self._scheme_problem(value, "src")
            return None
        if scheme is not None or url.startswith("//"):
            self._add(f"bildet «{_short(url)}» ligger på et annet nettsted; bilder må ligge i historiens mappe.",
                      "Last ned bildet (med tillatelse fra den som eier det), legg det i historiens mappe "
                      "og skriv bare filnavnet.", url)
            return None
        parts = urlsplit(url)
        name = unquote(parts.path)
        try:
            published = self.picture(name)
        except PictureRefused as refused:
            self._add(refused.message, refused.suggestion, url or "![")
            return None
        if name not in self.pictures:
            self.pictures.append(name)
        return published

    def _scheme_problem(self, value: str, attribute: str) -> None:
        scheme = _scheme(_URL_JUNK.sub("", value).strip())
        if scheme == "data":
            self._add("data:-adresser er ikke tillatt.",
                      "Bruk en vanlig https://-adresse. Skal du vise et bilde, legg det i historiens mappe.",
                      pattern=r"data\s*:")
        else:
            self._add(f"lenker til {scheme}: er ikke tillatt.",
                      "Slett lenken, eller bytt den ut med en vanlig https://-adresse.",
                      pattern=rf"{re.escape(scheme[:4])}\s*{re.escape(scheme[4:])}:" if scheme else None,
                      text=attribute)

    def _add(self, message: str, suggestion: str | None, text: str = "", *, pattern: str | None = None) -> None:
        """A finding whose source line is where ``text`` (from the story: always matched literally) or our
        own fixed ``pattern`` first occurs."""
        self.findings.append(_Finding(message, suggestion, pattern if pattern is not None else re.escape(text)))


def _scheme(url: str) -> str | None:
    """The scheme a browser would read (``JaVa\\nScRipt:`` → javascript), or None for a relative URL."""
    cleaned = _URL_JUNK.sub("", url).lstrip("".join(chr(c) for c in range(0x21)))
    match = re.match(r"([a-zA-Z][a-zA-Z0-9+.-]*):", cleaned)
    return match.group(1).lower() if match else None


def _short(text: str, limit: int = 60) -> str:
    text = "".join(c if unicodedata.category(c)[0] != "C" else " " for c in text)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _find_line(body: str, pattern: str, first_line: int) -> int | None:
    """The file line of the first match of ``pattern`` in the body (case-insensitive), if any."""
    try:
        match = re.search(pattern, body, re.IGNORECASE)
    except re.error:
        return None
    if match is None:
        return None
    return first_line + body.count("\n", 0, match.start())


_TAG_NAME = re.compile(r"<([a-zA-Z][a-zA-Z0-9-]*)")


def _tags(html: str) -> set[str]:
    """Names of the elements in ``html``: markdown-it's output (where a ``<`` that is not a tag is
    already ``&lt;``) or nh3's (which escapes every ``<`` in text and attributes). nh3's final pass
    decides what is published; this only names what it removes."""
    return {name.lower() for name in _TAG_NAME.findall(html)}
