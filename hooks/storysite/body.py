"""A story body: Markdown rendered to HTML, its shape checked, then sanitised against an allow-list.

What is checked is what is *rendered*, not what is typed: the body is rendered with markdown-it-py
(CommonMark, the dialect GitHub previews a pull request in; linear in time on any input), or, for an
ordinary story without HTML of its own, by GitHub's compiled cmark-gfm, which gives the same HTML
ten times faster (``commonmark``; a body it finds anything wrong with is rendered by markdown-it
again, so problems and their lines are markdown-it's). Then:

1. ``body_shape`` reads that HTML once, in linear time, as the browser's tokenizer would: elements
   the site does not allow, formatting left open or closed in the wrong order, deep nesting, too
   many tags or attributes, and hidden text (comments, ``<?…?>``, ``<!…>``, CDATA) are problems,
   and such a body never reaches the sanitiser, whose HTML parser would need time and memory by
   the square of its length for some of them. Link reference definitions no link uses are hidden
   text too.
2. nh3 (ammonia, which parses HTML as a browser does) runs twice: a permissive pass hands every
   attribute to ``_Policy``, which judges it, rewrites picture addresses and records a problem for
   the editor; a strict pass with the allow-list makes what gets published. Any exception in
   either refuses the story (fail closed), and the result is at most ``MAX_HTML`` characters.

Whatever would be removed is a problem for the editor, so a story is either refused with a message
naming the line (when it can be found) and what is wrong, one for each kind of problem, or it is
published as written. The published HTML is the sanitised HTML either way (two locks), and the
browser's Content-Security-Policy is a third. ``text`` gives the words a reader sees, for the open data.
"""

from __future__ import annotations

import bisect
import html as html_text
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import unquote, urlsplit

import nh3
from markdown_it import MarkdownIt, rules_inline
from markdown_it.token import Token

from . import body_shape, commonmark
from .body_shape import Finding
from .characters import MAYBE_REFUSED, describe, refused, renders_empty
from .problems import Problem

MAX_HTML = 500_000  # characters of HTML from one body, before and after sanitising (60,000 «&» make 300,000)
MAX_PROBLEMS = 20  # problems reported for one body; the rest are counted
SEARCHED = 80  # characters of a finding's text looked for in the body to find its line
CHECK_FAILED = "teksten kunne ikke kontrolleres, så historien blir ikke publisert"
CHECK_FAILED_HINT = "Si fra til nettredaksjonen: kontrollen av teksten stoppet med en feil."

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
# Every element a browser knows, so the permissive pass keeps them long enough to be named (the shape
# check refuses them first: this is a second look).
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
_HINT = body_shape.ALLOWED_HINT
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
        elif token.type == "fence":
            token.info = ""  # no class="language-…" on <code>: the site allows no class, and shows code plain


_MARKDOWN.core.ruler.push("fit_the_page", _fit_the_page)


def _counting_lines(rule):
    """An inline rule that notes, on the last token it makes, the line breaks it read without making a
    token for them (a code span or a link's address over two lines), so ``_markup`` knows each line."""
    def counted(state, silent: bool) -> bool:
        start, first = state.pos, len(state.tokens)
        found = rule(state, silent)
        if found and not silent and len(state.tokens) > first:
            seen = sum(_line_breaks(token) for token in state.tokens[first:])
            state.tokens[-1].meta["line_breaks"] = state.src.count("\n", start, state.pos) - seen
        return found
    return counted


for _name, _rule in (("backticks", rules_inline.backtick), ("link", rules_inline.link), ("image", rules_inline.image)):
    _MARKDOWN.inline.ruler.at(_name, _counting_lines(_rule))


def _line_breaks(token: Token) -> int:
    """The line breaks of the body an inline token stands for."""
    if token.type in ("softbreak", "hardbreak"):
        return 1
    if token.type == "html_inline":
        return token.content.count("\n")
    return int((token.meta or {}).get("line_breaks", 0))


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
    """Render and sanitise ``body`` of the story file ``rel`` (its first line is ``first_line``).

    cmark-gfm renders it when it can (``commonmark``: the ordinary story, ten times faster); if it
    cannot, or finds anything wrong, markdown-it renders it, and every problem and its line is
    markdown-it's."""
    compiled = _compiled(body)
    if compiled is not None:
        rendered = _publish(body, *compiled, rel, first_line, picture, shape_known=True)
        if not rendered.problems:
            return rendered
    return _publish(body, *_markup(body), rel, first_line, picture)


def _publish(body: str, markup: _Markup, env: dict, rel: str, first_line: int, picture: PictureResolver, *,
             shape_known: bool = False) -> Rendered:
    """The body's HTML checked for shape, sanitised, and its problems.

    ``shape_known``: the HTML is cmark-gfm's of a body without «<», every element allowed and at most
    ``commonmark.MAX_DEPTH`` deep (``_compiled``). The shape check cannot find anything in it: no
    comment or other hidden markup (every «<» is one of the renderer's tags), none of the editor's
    own HTML, well-formed (every element closed, in order, where it was opened; no link in a link),
    at most three attributes, and with the paragraph or item around them at most eight formatting
    elements open at once. So it is skipped (a quarter of a second at 1,000 stories); the sanitiser
    still judges every element and attribute."""
    findings: list[Finding] = []
    if len(markup.html) > MAX_HTML:
        findings.append(_too_big(len(markup.html)))
    elif not shape_known:
        findings += body_shape.check(markup.html, ALLOWED_TAGS, markup.editors_own)
    published, pictures = "", list[str]()
    if not findings:  # only a body whose shape is sound reaches the sanitiser
        published, pictures = _sanitise(markup.html, picture, findings)
        if len(published) > MAX_HTML:
            findings.append(_too_big(len(published)))
        findings += _decoded_characters(published) + _empty_links(published)
    findings += _hidden_references(body, env)
    return Rendered(published, pictures, _problems(findings, body, markup, rel, first_line))


@dataclass(frozen=True)
class _Markup:
    """markdown-it's HTML, and the body line each piece of it comes from."""

    html: str
    starts: list[int]  # where each piece starts in ``html``
    lines: list[int]  # its line in the body (the first is 0)
    own: list[bool]  # whether it is the editor's own HTML

    def _piece(self, offset: int) -> int:
        return bisect.bisect_right(self.starts, offset) - 1

    def editors_own(self, offset: int) -> bool:
        return self.own[self._piece(offset)]

    def line(self, offset: int) -> int:
        piece = self._piece(offset)
        return self.lines[piece] + self.html.count("\n", self.starts[piece], offset)


def _compiled(body: str) -> tuple[_Markup, dict] | None:
    """cmark-gfm's HTML of ``body`` as ``_markup`` gives markdown-it's, or None (see ``commonmark``):
    none of it is the editor's own, and it has no link reference definitions."""
    html = commonmark.markup(body, ALLOWED_TAGS)
    if html is None:
        return None
    html = _CODE_LANGUAGE.sub("<pre><code>", html)  # as markdown-it's fences (``_fit_the_page``)
    return _Markup(html, [0], [0], [False]), {"references": _References()}


# cmark-gfm's code block with a language (the body has no «<», so every tag is cmark-gfm's own).
_CODE_LANGUAGE = re.compile(r'<pre><code class="language-[^"<>]*">')


def _markup(body: str) -> tuple[_Markup, dict]:
    """Render ``body`` as ``MarkdownIt.render`` does, token by token, noting where each piece comes from."""
    env: dict = {"references": _References()}
    tokens = _MARKDOWN.parse(body, env)
    env["shown"] = _shown_addresses(tokens)
    renderer, options = _MARKDOWN.renderer, _MARKDOWN.options
    pieces: list[str] = []
    starts: list[int] = []
    lines: list[int] = []
    own: list[bool] = []
    length = line = 0

    def add(text: str, is_own: bool) -> None:
        nonlocal length
        pieces.append(text)
        starts.append(length)
        lines.append(line)
        own.append(is_own)
        length += len(text)

    for index, token in enumerate(tokens):
        if token.map:
            line = token.map[0]
        if token.type == "inline":
            children = token.children or []
            for number, child in enumerate(children):
                add(_render_token(renderer, children, number, options, env), child.type == "html_inline")
                line += _line_breaks(child)
        else:
            add(_render_token(renderer, tokens, index, options, env), token.type == "html_block")
    return _Markup("".join(pieces), starts, lines, own), env


def _render_token(renderer, tokens: list, index: int, options, env: dict) -> str:
    rule = renderer.rules.get(tokens[index].type)
    return rule(tokens, index, options, env) if rule else renderer.renderToken(tokens, index, options, env)


def _shown_addresses(tokens: list[Token]) -> set[str]:
    """The addresses of the body's links and pictures: not those of links written inside a picture's
    alternative text, which the page shows as text only."""
    shown = set()
    for token in tokens:
        for child in token.children or ():
            if child.type == "link_open":
                shown.add(str(child.attrs.get("href", "")))
            elif child.type == "image":
                shown.add(str(child.attrs.get("src", "")))
    return shown


class _References(dict):
    """markdown-it's link reference definitions, remembering which ones a link looked up."""

    def __init__(self) -> None:
        super().__init__()
        self.used: set[str] = set()

    def get(self, key, default=None):
        self.used.add(key)
        return super().get(key, default)


def _hidden_references(body: str, env: dict) -> list[Finding]:
    """Link reference definitions no link uses, and second definitions of a name: text in the file
    that never reaches the page. One finding for each kind, at the first."""
    references: _References = env["references"]
    shown = env.get("shown", set())
    unused = [entry["map"][0] for label, entry in references.items()
              if label not in references.used or entry["href"] not in shown]
    repeated = [entry["map"][0] for entry in env.get("duplicate_refs", ())]
    if not unused and not repeated:
        return []
    lines = body.split("\n")
    found = []
    hidden = "vises ikke på siden, men ligger i filen"
    for where, one, many, suggestion in (
        (unused, f"lenkedefinisjonen {{first}} brukes ikke av noen lenke, så den {hidden}",
         f"{{count}} lenkedefinisjoner brukes ikke av noen lenke, så de {hidden}; den første er {{first}}",
         "Slett linjen, eller bruk den i en lenke: [lenketekst][navn]."),
        (repeated, f"lenkedefinisjonen {{first}} har samme navn som en før den, så den blir ikke brukt og {hidden}",
         f"{{count}} lenkedefinisjoner har samme navn som en før dem, så de blir ikke brukt og {hidden}; den første "
         "er {first}", "Slett den ene, eller gi dem ulike navn."),
    ):
        if where:
            first = f"«{_short(lines[where[0]].strip())}»"
            what = (one if len(where) == 1 else many).format(first=first, count=len(where))
            found.append(Finding(f"skjult tekst: {what}.", suggestion, line=where[0]))
    return found


def _sanitise(html: str, picture: PictureResolver, findings: list[Finding]) -> tuple[str, list[str]]:
    """The published HTML and the pictures it shows; what the allow-list removes is added to ``findings``.

    Fails closed: if the sanitiser or its attribute filter raises (nh3 would keep the attribute as it
    was), the story is refused."""
    policy = _Policy(picture)
    judged = published = ""
    try:
        judged = nh3.clean(html, tags=set(_KNOWN_TAGS), clean_content_tags=set(), generic_attribute_prefixes={""},
                           attribute_filter=policy, link_rel=None, url_schemes=_ALL_SCHEMES, strip_comments=True)
        published = nh3.clean(judged, tags=set(ALLOWED_TAGS), clean_content_tags=set(_REMOVE_WITH_CONTENT),
                              attributes=ALLOWED_ATTRIBUTES, link_rel=None, url_schemes=set(LINK_SCHEMES),
                              strip_comments=True,
                              set_tag_attribute_values={"img": {"loading": "lazy", "decoding": "async"}})
        # nh3 adds the two in either order (a hash map's, different in every process): one order, so
        # the same story gives the same page in every build. An attribute value cannot hold the
        # sequence, since nh3 writes every quote in a value as &quot;.
        published = published.replace('decoding="async" loading="lazy"', 'loading="lazy" decoding="async"')
    except Exception as error:  # noqa: BLE001 - whatever goes wrong in the sanitiser refuses the story
        policy.failure = policy.failure or error
    findings += policy.findings.values()
    if policy.failure is not None:
        findings.append(Finding(f"{CHECK_FAILED} ({type(policy.failure).__name__}).", CHECK_FAILED_HINT))
        return "", []
    # A second look: the shape check has refused every element the site does not allow, so this
    # finds nothing unless the two ever disagree.
    findings += [Finding(f"HTML-taggen <{_short(tag)}> er ikke tillatt.", _HINT,
                         pattern=r"<\s*" + _literal(tag) + r"\b") for tag in sorted(_tags(judged) - ALLOWED_TAGS)]
    return published, policy.pictures


def _decoded_characters(published: str) -> list[Finding]:
    """Characters no story may hold, as the reader gets them: character references (``&#x1b;``,
    ``&rlm;``) are decoded in the page's text and attribute values, so the rule ``story`` applies to
    the file as typed is applied here to what is published. One finding for each kind, at the first."""
    decoded = html_text.unescape(published)
    if not MAYBE_REFUSED.search(decoded):
        return []  # the usual story: one pass
    reader = _DecodedReader()
    reader.feed(published)
    reader.close()
    found: dict[str, Finding] = {}
    for piece in ["".join(reader.text), *reader.values]:
        for char in refused(piece):
            problem, code = describe(char), f"U+{ord(char):04X}"
            found.setdefault(problem.split(" (U+")[0], Finding(
                f"{problem.replace(f'({code})', f'<{code}>')}, skrevet som tegnet selv eller som en tegnreferanse "
                f"(som {_reference(char)}).",
                "Slett tegnet eller tegnreferansen; skriv teksten på nytt for hånd.", pattern=_written(char)))
    return list(found.values())


class _DecodedReader(HTMLParser):
    """The text and attribute values of sanitised HTML, with character references decoded."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.text: list[str] = []
        self.values: list[str] = []

    def handle_starttag(self, tag: str, attrs: list) -> None:
        self.values += [value for _, value in attrs if value]

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def _reference(char: str) -> str:
    return f"&#x{ord(char):X};"


def _written(char: str) -> str:
    """A pattern for ``char`` as a body may write it: itself, a numeric reference, or a named one."""
    names = [re.escape("&" + name) + ("" if name.endswith(";") else ";")
             for name, value in html_text.entities.html5.items() if value == char]
    return "|".join([re.escape(char), f"&#x0*{ord(char):x};", f"&#0*{ord(char)};", *names])


def _empty_links(published: str) -> list[Finding]:
    """Links a reader cannot see: no text, or only spaces and invisible characters (a picture with
    alternative text counts as text)."""
    for match in _LINK.finditer(published):
        shown = _TAG.sub(lambda tag: " ".join(_ALT.findall(tag.group())), match.group(2))
        if renders_empty(html_text.unescape(shown)):
            url = html_text.unescape(next(iter(_HREF.findall(match.group(1))), ""))
            what = f"lenken til «{_short(url)}»" if url else "en lenke (<a>)"
            return [Finding(f"{what} har ingen tekst, så leserne ser den ikke.",
                            "Skriv lenketeksten mellom [ og ]: [Les mer](https://…).",
                            pattern=_literal(url) if url else r"<a\b")]
    return []


# In nh3's output: every attribute quoted with «"», links never inside each other, every <a> closed.
_LINK = re.compile(r"<a\b([^>]*)>(.*?)</a>", re.DOTALL)
_HREF = re.compile(r' href="([^"]*)"')
_TAG = re.compile(r"<[^>]*>")
_ALT = re.compile(r' alt="([^"]*)"')


def _too_big(size: int) -> Finding:
    return Finding(f"teksten blir {_number(size)} tegn HTML på nettsiden; grensen er {_number(MAX_HTML)}.",
                   "Fjern HTML-tagger og tegn som gjentas mange ganger, eller del historien i flere.")


def _problems(findings: list[Finding], body: str, markup: _Markup, rel: str, first_line: int) -> list[Problem]:
    """One problem for each kind of finding (the first of each message), at most ``MAX_PROBLEMS``:
    so finding their lines costs at most that many passes over the body."""
    first: dict[str, Finding] = {}
    for finding in findings:
        first.setdefault(finding.message, finding)
    unique = list(first.values())
    problems = []
    for finding in unique[:MAX_PROBLEMS]:
        if finding.line is not None:
            line: int | None = first_line + finding.line
        elif finding.offset is not None:
            line = first_line + markup.line(finding.offset)
        else:
            line = _find_line(body, finding.pattern, first_line)
        problems.append(Problem(rel, line, "tekst", finding.message, finding.suggestion))
    if len(unique) > MAX_PROBLEMS:
        problems.append(Problem(rel, None, "tekst", f"… og {_number(len(unique) - MAX_PROBLEMS)} problemer til "
                                "i teksten.", "Rett dem over, og sjekk historien på nytt."))
    return problems


def _count(most: int) -> Callable[[str], bool]:
    return lambda value: value.isascii() and value.isdigit() and int(value) <= most


# Attributes that hold a number, a word from a list, or nothing: free text in them would be text no
# reader sees. What each may hold, and the suggestion when it holds something else.
_KEPT_VALUES: dict[str, tuple[Callable[[str], bool], str]] = {
    "start": (_count(9_999), "Skriv et tall fra 0 til 9999: <ol start=\"3\">."),
    "colspan": (lambda value: _count(50)(value) and value.strip("0") != "",
                "Skriv et tall fra 1 til 50: <td colspan=\"2\">."),
    "rowspan": (_count(50), "Skriv et tall fra 0 til 50: <td rowspan=\"2\">."),
    "scope": (lambda value: value.lower() in ("row", "col", "rowgroup", "colgroup"),
              "Skriv row, col, rowgroup eller colgroup: <th scope=\"col\">."),
    "open": (lambda value: value == "", "Skriv bare <details open>, uten verdi."),
    "reversed": (lambda value: value == "", "Skriv bare <ol reversed>, uten verdi."),
}


class _Policy:
    """nh3's attribute filter: judges every attribute of every element once, as the browser reads it."""

    def __init__(self, picture: PictureResolver) -> None:
        self.picture = picture
        self.findings: dict[str, Finding] = {}  # by message: one of each kind, however many copies
        self.pictures: list[str] = []
        self.failure: Exception | None = None

    def __call__(self, tag: str, attribute: str, value: str) -> str | None:
        try:
            return self._judge(tag, attribute.lower(), value)
        except Exception as error:  # noqa: BLE001 - nh3 would keep the value as it was: refuse instead
            self.failure = self.failure or error
            return None

    def _judge(self, tag: str, attribute: str, value: str) -> str | None:
        if tag in ALLOWED_TAGS and attribute in ALLOWED_ATTRIBUTES.get(tag, ()):
            if tag == "a" and attribute == "href":
                return self._link(value)
            if tag == "img" and attribute == "src":
                return self._picture(value)
            if attribute in _KEPT_VALUES and not _KEPT_VALUES[attribute][0](value):
                self._add(f"HTML-attributtet {attribute}=«{_short(value, 30)}» på <{tag}> er ikke tillatt.",
                          _KEPT_VALUES[attribute][1],
                          pattern=re.escape(attribute) + r"\s*=\s*[\"']?" + _literal(value))
                return None
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
        if message not in self.findings:
            self.findings[message] = Finding(message, suggestion,
                                             pattern=pattern if pattern is not None else _literal(text))


def _scheme(url: str) -> str | None:
    """The scheme a browser would read (``JaVa\\nScRipt:`` → javascript), or None for a relative URL."""
    cleaned = _URL_JUNK.sub("", url).lstrip("".join(chr(c) for c in range(0x21)))
    match = re.match(r"([a-zA-Z][a-zA-Z0-9+.-]*):", cleaned)
    return match.group(1).lower() if match else None


def _short(text: str, limit: int = 60) -> str:
    text = "".join(c if unicodedata.category(c)[0] != "C" else " " for c in text)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _literal(text: str) -> str:
    """A pattern that finds ``text`` as written: its start only, so a search costs at most
    ``SEARCHED`` comparisons for each character of the body whatever the text."""
    return re.escape(text[:SEARCHED])


def _find_line(body: str, pattern: str | None, first_line: int) -> int | None:
    """The file line of the first match of ``pattern`` in the body (case-insensitive), if any: one
    pass over the body (the patterns are literal text or our own, without backtracking)."""
    if pattern is None:
        return None
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


def _number(count: int) -> str:
    return f"{count:,}".replace(",", " ")


# Elements after which a reader sees a new line: each is its own paragraph in ``text``.
_TEXT_BLOCKS = frozenset("blockquote caption dd details div dl dt figcaption figure h2 h3 h4 h5 h6 hr li ol p pre "
                         "summary table tbody td tfoot th thead tr ul".split())


def text(html: str) -> str:
    """The words a reader sees in sanitised ``html``: paragraphs (and list items, cells, headings)
    separated by a blank line, a line break as a new line, spaces as a browser collapses them.
    Pictures, addresses and formatting are left out.

    Read as ``html.parser`` reads it: the text between two tags has its character references
    decoded and, outside ``<pre>``, each run of spaces made one space. nh3's output is well-formed
    (every ``<`` in text is ``&lt;``, every attribute value is in double quotes), so a few regular
    expressions over the whole body do it; what they cannot take goes through ``_text_parts``."""
    if _TEXT_SLOW.search(html):
        joined = _text_parts(html)
    else:
        # Only "&amp;", "&lt;", "&gt;", "&nbsp;" and "&quot;": none decodes to a space or a tag, so
        # spaces can be collapsed and tags removed before decoding, all at once.
        spaced = html.replace("\n", " ") if _text_plain(html) else _TEXT_SPACES.sub(" ", html)
        joined = html_text.unescape(_ANY_TAG.sub("", _BR_TAG.sub("\n", _BLOCK_TAG.sub("\n\n", spaced))))
    paragraphs = []
    for block in joined.split("\n\n"):
        if "\n" in block:
            block = "\n".join(line.strip(" ") for line in block.split("\n")).strip("\n")
        else:
            block = block.strip(" ")
        if block and not block.isspace():
            paragraphs.append(block)
    return "\n\n".join(paragraphs)


def _text_plain(html: str) -> bool:
    """Whether every run of spaces in ``html`` is one space or one line break (str searches are far
    faster than a regular expression over the whole body)."""
    return not any(run in html for run in ("  ", " \n", "\n ", "\n\n", "\t", "\r", "\f"))


def _text_parts(html: str) -> str:
    """``text`` before paragraphs are made, tag by tag: for ``<pre>`` (spaces kept), a self-closing
    tag, a character reference that might decode to a space or join across a tag, or a ``<`` that
    is not a tag."""
    parts: list[str] = []
    preformatted = 0
    start = 0
    for tag in _TEXT_TAG.finditer(html):
        parts.append(_text_data(html[start:tag.start()], preformatted))
        start = tag.end()
        closing, name, whole = tag.group(1), tag.group(2).lower(), tag.group(0)
        ends = bool(closing) or whole.endswith("/>")  # html.parser: <x/> is a start and an end tag
        if not closing:
            parts.append("\n" if name == "br" else "\n\n" if name in _TEXT_BLOCKS else "")
        if ends:
            parts.append("\n\n" if name in _TEXT_BLOCKS else "")
        if name == "pre":
            preformatted += (not closing) - ends
    parts.append(_text_data(html[start:], preformatted))
    return "".join(parts)


def _text_data(data: str, preformatted: int) -> str:
    data = html_text.unescape(data) if "&" in data else data
    return data if preformatted > 0 else _TEXT_SPACES.sub(" ", data)


_TAG_END = r'(?:(?=[\t\n\r\f />])[^>"]*(?:"[^"]*"[^>"]*)*)?>'  # attributes (values in "…") and the ">"
_TEXT_TAG = re.compile(r'<(/?)([a-zA-Z][^\t\n\r\f />\x00]*)[^>"]*(?:"[^"]*"[^>"]*)*>')
_BLOCK_TAG = re.compile(r"</?(?:" + "|".join(sorted(_TEXT_BLOCKS)) + ")" + _TAG_END, re.I)
_BR_TAG = re.compile(r"<br" + _TAG_END, re.I)
_ANY_TAG = re.compile(r'</?[a-zA-Z][^>"]*(?:"[^"]*"[^>"]*)*>')
_TEXT_SPACES = re.compile(r"[ \t\n\r\f]+")
_TEXT_SLOW = re.compile(r"<pre|/>|&(?!(?:amp|lt|gt|nbsp|quot);)|<[^a-zA-Z/]|</[^a-zA-Z]", re.I)
