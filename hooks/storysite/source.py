"""Read a story file safely: encoding, front-matter block and YAML, with file line numbers.

The YAML is read event by event (libyaml when available), so that anchors, aliases and tags are
refused before anything is built from them, and every key keeps the line it stands on. Values stay
text: the field parsers in ``fields`` decide what a value means, so YAML 1.1 surprises (``no`` →
false, ``1.10`` → 1.1, impossible dates) never reach a story.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from .problems import Problem
from .slugs import nfc

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_NULLS = {"", "~", "null", "Null", "NULL"}
MAX_FILE_BYTES = 256 * 1024  # a long story is 20 KB; this leaves room and keeps every step quick
MAX_FRONT_MATTER = 16 * 1024  # characters: the fields of a story take well under 2 KB
MAX_DEPTH = 3  # a list inside a field is depth 2; nothing deeper is ever meant
SAVE_AS_UTF8 = "Lagre filen som UTF-8 (i redigeringsprogrammet: «Lagre som» → koding «UTF-8»)."


class Nested:
    """Marks a value that is a nested list or mapping, which no field accepts."""

    def __repr__(self) -> str:
        return "<nested>"


@dataclass
class Entry:
    """One front-matter key with its raw value (text, list of text, None or Nested)."""

    key: str
    value: object
    line: int


@dataclass
class Source:
    """A story file split into its front-matter entries and its body."""

    rel: str
    entries: dict[str, Entry] = field(default_factory=dict)
    body: str = ""
    body_line: int = 1


def split(text: str) -> tuple[str, str, int]:
    """Split a story into (front matter, body, file line where the body starts); ``ValueError`` if
    the front-matter block is missing or not closed. (python-frontmatter's split loses the line
    numbers and quietly accepts a file without a closing ``---``; this one does neither.)"""
    lines = text.split("\n")
    if not lines or lines[0].rstrip() != "---":
        raise ValueError("filen mangler front matter: første linje skal være ---")
    for index in range(1, len(lines)):
        if lines[index].rstrip() in ("---", "..."):
            return "\n".join(lines[1:index]) + "\n", "\n".join(lines[index + 1 :]), index + 2
    raise ValueError("front matter er ikke avsluttet: legg til en linje med bare --- etter feltene")


def read(path: Path, rel: str) -> tuple[Source | None, list[Problem]]:
    """Read ``path``; return its ``Source`` or ``None``, and every problem found on the way."""
    try:
        with path.open("rb") as file:
            raw = file.read(MAX_FILE_BYTES + 1)
    except OSError as error:
        return None, [Problem(rel, None, "fil", f"kan ikke leses ({error.strerror}).")]
    if len(raw) > MAX_FILE_BYTES:
        return None, [Problem(rel, None, "fil", f"filen er over {MAX_FILE_BYTES // 1024} kB; en historie er sjelden "
                              "over 20 kB.", "Kort ned teksten, eller del den i flere historier.")]
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw.count(b"\n", 0, error.start) + 1
        return None, [Problem(rel, line, "fil", "filen er ikke lagret som UTF-8.", SAVE_AS_UTF8)]
    text = nfc(text.replace("\r\n", "\n").replace("\r", "\n"))
    if "\x00" in text:
        return None, [Problem(rel, None, "fil", "filen inneholder binære data og er ikke en tekstfil.", SAVE_AS_UTF8)]
    try:
        fm, body, body_line = split(text)
    except ValueError as error:
        return None, [Problem(rel, 1, "front matter", str(error) + ".", _FRONT_MATTER_HINT)]
    if len(fm) > MAX_FRONT_MATTER:
        return None, [Problem(rel, 1, "front matter", f"feltene er til sammen over {MAX_FRONT_MATTER // 1024} kB.",
                              "Feltene skal være korte; selve historien skrives under den andre ---.")]
    tabs = [Problem(rel, number, "front matter", f"linje {number} har en tabulator; bruk mellomrom.",
                    "YAML tillater bare mellomrom i feltene. Slett tabulatoren (Tab-tasten) og skriv mellomrom.")
            for number, line in enumerate(fm.split("\n"), start=2) if "\t" in line]
    if tabs:
        return None, tabs
    entries, problems = _load_events(fm, rel, 2)
    if problems:
        return None, _missing_spaces(fm, rel, 2) or problems
    return Source(rel=rel, entries=entries, body=body, body_line=body_line), []


_FRONT_MATTER_HINT = "Se eksempelet i stories/_mal.md eller i bidragsveiledningen."


def _load_events(fm: str, rel: str, first_line: int) -> tuple[dict[str, Entry], list[Problem]]:
    entries: dict[str, Entry] = {}
    problems: list[Problem] = []

    def problem(event_or_line, field_name: str, message: str, suggestion: str | None = None) -> None:
        line = event_or_line if isinstance(event_or_line, int) else event_or_line.start_mark.line + first_line
        problems.append(Problem(rel, line, field_name, message, suggestion))

    try:
        events = iter(yaml.parse(fm, Loader=_Loader))
        kinds = [type(next(events)).__name__ for _ in range(2)]  # StreamStart, DocumentStart or StreamEnd
        if kinds[1] == "StreamEndEvent":
            return entries, problems  # empty front matter: the schema reports the missing fields
        top = next(events)
        if not isinstance(top, yaml.MappingStartEvent):
            problem(top, "front matter", "front matter skal være felter på formen «nøkkel: verdi», én per linje.",
                    _FRONT_MATTER_HINT)
            return entries, problems
        if _unsafe(top, problem, "front matter"):
            return entries, problems
        while True:
            key_event = next(events)
            if isinstance(key_event, yaml.MappingEndEvent):
                break
            if not isinstance(key_event, yaml.ScalarEvent):
                problem(key_event, "front matter", "et feltnavn må være ett ord, som «title».")
                return entries, problems
            key = key_event.value
            if _unsafe(key_event, problem, key):
                return entries, problems
            value = _read_value(events, problem, key)
            if value is _UNSAFE:
                return entries, problems
            line = key_event.start_mark.line + first_line if key_event.start_mark else first_line
            if key in entries:
                problem(line, key, f"feltet står to ganger (også på linje {entries[key].line}).",
                        "Slett den ene linjen.")
            entries[key] = Entry(key, value, line)
    except yaml.MarkedYAMLError as error:
        problems.append(_yaml_problem(error, fm, rel, first_line))
    except yaml.YAMLError as error:
        problems.append(Problem(rel, None, "front matter", _explain(str(error)), _YAML_HINT))
    return entries, problems


_YAML_HINT = (
    "Sjekk at hvert felt står på formen «nøkkel: verdi», at innrykk er likt, "
    "og sett tekst med kolon eller anførselstegn i \"doble anførselstegn\"."
)
_UNSAFE = object()
# What libyaml's messages mean for an editor, most common first.
_YAML_PROBLEMS = {
    "mapping values are not allowed": "et kolon står midt i en verdi",
    "found unexpected end of stream": "et anførselstegn er ikke lukket",
    "found character '\\t'": "det er brukt tabulator; bruk mellomrom",
    "could not find expected ':'": "en linje mangler kolon etter feltnavnet",
    "found duplicate anchor": "samme anker står to ganger",
    "did not find expected key": "innrykket stemmer ikke",
    "found undefined tag handle": "en verdi begynner med !",
    "did not find expected ',' or ']'": "en liste i [ ] er ikke lukket med ], eller det mangler komma mellom verdiene",
    "did not find expected ',' or '}'": "en verdi i { } er ikke lukket med }",
}
# Problems found where the parser stopped, which is after the line that is wrong: they are reported
# where what was left open began (a quote, a list in brackets).
_LEFT_OPEN = ("found unexpected end of stream", "did not find expected ',' or")


_CURLY = "“”„‟‘’‚‛"
CURLY_HINT = 'Bruk rette anførselstegn "…" (tekstbehandlere som Word lager krøllete “…”), eller ingen.'


def _yaml_problem(error: yaml.MarkedYAMLError, fm: str, rel: str, first_line: int) -> Problem:
    """A YAML error in the editor's words, on the line that is wrong: where an unclosed quote
    started, otherwise where the parser stopped (not where the mapping began)."""
    text = error.problem or ""
    mark = error.context_mark if text.startswith(_LEFT_OPEN) else error.problem_mark
    mark = mark or error.context_mark or error.problem_mark
    line = mark.line + first_line if mark else None
    source_line = fm.split("\n")[mark.line] if mark and mark.line < len(fm.split("\n")) else ""
    value = source_line.partition(":")[2].strip()
    if value[:1] and value[:1] in _CURLY:
        return Problem(rel, line, "front matter", "ugyldig YAML: verdien står i krøllete anførselstegn, og da må "
                       f"et kolon i teksten stå i rette anførselstegn ({text}).", CURLY_HINT)
    if value.startswith('"') and value.count('"') > 2 and text.startswith("did not find expected key"):
        return Problem(rel, line, "front matter", 'ugyldig YAML: et " inne i teksten avslutter verdien for tidlig '
                       f"({text}).", 'Bruk «» inne i teksten, for eksempel title: "Koret som synger «Nidelven»".')
    return Problem(rel, line, "front matter", _explain(text), _YAML_HINT)


_NO_SPACE = re.compile(r"([A-Za-z_][A-Za-z0-9_]*):(\S.*)")


def _missing_spaces(fm: str, rel: str, first_line: int) -> list[Problem]:
    """Lines such as ``place:Sandvika``, which YAML reads as one word and then reports on a later
    line: a problem on each such line itself, or none."""
    problems = []
    for number, line in enumerate(fm.split("\n"), start=first_line):
        match = _NO_SPACE.fullmatch(line.rstrip())
        if match and not match.group(2).startswith("//"):
            key, value = match.groups()
            problems.append(Problem(rel, number, key, f"det mangler et mellomrom etter kolonet i «{key}:{value}».",
                                    f"Skriv «{key}: {value}»."))
    return problems


def _explain(problem: str) -> str:
    for known, meaning in _YAML_PROBLEMS.items():
        if problem.startswith(known):
            return f"ugyldig YAML: {meaning} ({problem})."
    return f"ugyldig YAML ({problem})."


def _read_value(events, problem, key: str) -> object:
    event = next(events)
    if _unsafe(event, problem, key):
        return _UNSAFE
    if isinstance(event, yaml.ScalarEvent):
        return _scalar(event)
    if isinstance(event, yaml.SequenceStartEvent):
        items: list[object] = []
        while True:
            item = next(events)
            if isinstance(item, yaml.SequenceEndEvent):
                return items
            if _unsafe(item, problem, key):
                return _UNSAFE
            if isinstance(item, yaml.ScalarEvent):
                items.append(_scalar(item))
            else:
                if _skip_collection(events, problem, key) is _UNSAFE:
                    return _UNSAFE
                items.append(Nested())
    # A nested mapping.
    if _skip_collection(events, problem, key) is _UNSAFE:
        return _UNSAFE
    return Nested()


def _skip_collection(events, problem, key: str) -> object:
    depth = 1
    while depth:
        event = next(events)
        if _unsafe(event, problem, key):
            return _UNSAFE
        if isinstance(event, (yaml.SequenceStartEvent, yaml.MappingStartEvent)):
            depth += 1
            if depth > MAX_DEPTH:  # stop reading: libyaml's time grows with the square of the depth
                problem(event, key, "verdien har lister inni lister; et felt er én verdi eller én liste.",
                        "Skriv verdiene som en enkel liste: [a, b].")
                return _UNSAFE
        elif isinstance(event, (yaml.SequenceEndEvent, yaml.MappingEndEvent)):
            depth -= 1
    return None


def _scalar(event: yaml.ScalarEvent) -> str | None:
    if event.implicit[0] and event.value in _NULLS:
        return None
    return event.value


def curly_quoted(value: str) -> bool:
    """Whether a whole value stands in a word processor's curly quotes (“Felleshagen”), which YAML
    keeps as part of the text."""
    return len(value) >= 2 and value[0] in _CURLY and value[-1] in _CURLY


def _unsafe(event, problem, key: str) -> bool:
    if isinstance(event, yaml.AliasEvent):
        problem(event, key, f"YAML-alias (*{event.anchor}) er ikke tillatt.", "Skriv verdien helt ut.")
        return True
    if getattr(event, "anchor", None):
        problem(event, key, f"YAML-anker (&{event.anchor}) er ikke tillatt.",
                "Fjern &-merket og skriv verdien helt ut.")
        return True
    if getattr(event, "tag", None) and event.tag != "!":
        tag = event.tag.replace("tag:yaml.org,2002:", "!!")
        problem(event, key, f"YAML-merkelapper som «{tag}» er ikke tillatt.",
                "Fjern merkelappen som begynner med ! og skriv bare verdien.")
        return True
    return False
