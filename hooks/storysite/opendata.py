"""The published stories as open data: JSON, CSV and a Frictionless Data Package. No MkDocs here.

Only what a reader can already see on the site is exported: never a draft, never a withdrawn story,
never ``consent``, ``minors`` or ``guardian_consent`` (the ``Story`` model does not even hold them),
and of the body only the text of its sanitised HTML, never its Markdown source (which may hold what
the page does not show).
The files are deterministic: the same stories give the same bytes, so a diff of two builds shows
what changed.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from . import body
from .catalogue import Catalogue
from .pictures import Version
from .story import Story
from .vocabulary import BOKMAL

JSON_FILE = "historier.json"
CSV_FILE = "historier.csv"
PACKAGE_FILE = "datapackage.json"
LIST_SEPARATOR = ";"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
NLOD = {"name": "NLOD-2.0", "title": "Norsk lisens for offentlige data (NLOD) 2.0",
        "path": "https://data.norge.no/nlod/no/2.0"}
# The map on /steder/ draws Kartverket's municipal boundaries: their licence asks to be named.
MAP_SOURCE = {"title": "Kartverket, kommunegrenser, CC BY 4.0, © Kartverket",
              "path": "https://www.kartverket.no/",
              "description": "Kartet på nettstedet (Bærum og nabokommunene) er tegnet etter Kartverkets "
                             "kommunegrenser (Administrative enheter – kommuner), lisensiert med CC BY 4.0."}

# The table schema: (name, Frictionless type, required, description in Norwegian). Lists are strings
# in the CSV (entries joined with «;») and arrays in the JSON.
FIELDS: tuple[tuple[str, str, bool, str], ...] = (
    ("slug", "string", True, "Historiens adresse på nettstedet, også dens identifikator."),
    ("language", "string", True, "Språket teksten er på (BCP 47): nb for bokmål, ellers en av språkkodene i "
                                 "data/vocabulary.yml (for eksempel en, ar, nb-x-lettlest). En historie som finnes "
                                 "på flere språk, har én rad per språk; tittel, ingress, tekst og bildetekst er da "
                                 "på det språket, resten er historiens eget."),
    ("url", "string", True, "Hele nettadressen til historien på dette språket."),
    ("title", "string", True, "Tittelen."),
    ("description", "string", True, "Ingressen: én eller to setninger om hva historien handler om."),
    ("date", "date", True, "Publiseringsdatoen (ÅÅÅÅ-MM-DD)."),
    ("authors", "string", True, "Hvem som har skrevet historien; flere navn er skilt med semikolon."),
    ("values", "string", True, "Visjonens verdier historien handler om (mangfold, raushet, bærekraft); "
                               "skilt med semikolon."),
    ("place", "string", False, "Stedet i Bærum historien er fra; tomt hvis ingen."),
    ("focus", "string", False, "Visjonens satsingsområder (nøkler); skilt med semikolon."),
    ("partners", "string", False, "Hvem som er med (nøkler fra listen «Sammen»); skilt med semikolon."),
    ("goals", "string", False, "Bærum kommunes hovedmål historien viser (nøkler); skilt med semikolon."),
    ("featured", "boolean", True, "true hvis historien er en av de utvalgte på forsiden."),
    ("image_url", "string", False, "Nettadressen til bildet (største utgave); tomt hvis ingen. Bildene er ikke "
                                   "lisensiert med NLOD: rettighetene følger image_credit."),
    ("image_alt", "string", False, "Alternativ tekst: hva bildet viser."),
    ("image_credit", "string", False, "Fotografen eller kilden, som eier rettighetene til bildet."),
    ("body", "string", True, "Selve historien som ren tekst, slik den står på nettstedet: avsnitt, listepunkter og "
                             "overskrifter er skilt med en tom linje. Formatering, lenkeadresser og bilder er ikke "
                             "med."),
)


def records(catalogue: Catalogue, site_url: str, pictures: Mapping[str, Sequence[Version]]) -> list[dict]:
    """One record per published story and language, newest first (then by address; bokmål, then the
    versions in the language list's order), with lists as lists."""
    return [{name: list(value) if isinstance(value, list) else value for name, value in record.items()}
            for rows in _rows(catalogue, site_url, pictures, keep=False) for record in rows.records]


def write(folder: Path, catalogue: Catalogue, site_url: str, pictures: Mapping[str, Sequence[Version]], *,
          keep: bool = False) -> list[str]:
    """Write ``historier.json``, ``historier.csv`` and ``datapackage.json`` into ``folder``, a story at a
    time (the two files are 6 MB at 1,000 stories: made whole in memory, they were the build's peak);
    return their names. ``keep`` keeps each story's rows for the next call (``mkdocs serve``)."""
    newest = None
    with (open(folder / JSON_FILE, "w", encoding="utf-8", newline="") as json_file,
          open(folder / CSV_FILE, "w", encoding="utf-8", newline="") as csv_file):
        csv_file.write(_csv_lines([[name for name, *_ in FIELDS]]))
        # The same bytes as ``_json(records)``: a record's lines, indented one level, between «[» and «]».
        separator = "[\n"
        for story_rows in _rows(catalogue, site_url, pictures, keep=keep):
            newest = newest or story_rows.records[0]["date"]
            for item in story_rows.json:
                json_file.write(separator + item)
                separator = ",\n"
            csv_file.write(story_rows.csv)
        json_file.write("[]\n" if newest is None else "\n]\n")
    (folder / PACKAGE_FILE).write_bytes(_json(package(site_url, newest=newest)))
    return [JSON_FILE, CSV_FILE, PACKAGE_FILE]


@dataclass(frozen=True)
class _StoryRows:
    """A story's records (bokmål and its versions) and how they are written in each file."""

    story: Story  # the object itself: kept alive, its ``id`` names it in ``_formatted``
    site_url: str
    versions: tuple[Version, ...] | None  # its picture's versions (``records`` links the largest)
    records: tuple[dict, ...]
    json: tuple[str, ...]  # each record as it stands in the JSON list, indented one level
    csv: str  # its rows of the CSV file


# The rows of the last preview build's stories. ``mkdocs serve`` keeps each unchanged story as the same
# object from one rebuild to the next (``story.load_all``'s cache), so a rebuild formats only the stories
# that changed: with 1,000 stories, formatting them all took a tenth of a second of every rebuild.
# Replaced at every call, so it holds no more than the stories of one build; empty outside a preview
# (12 MB at 1,000 stories, held through the whole build); lost when the module is reloaded.
_formatted: dict[int, _StoryRows] = {}


def _rows(catalogue: Catalogue, site_url: str, pictures: Mapping[str, Sequence[Version]], *,
          keep: bool) -> Iterator[_StoryRows]:
    """The published stories' rows, newest first (then by address)."""
    global _formatted
    stories = sorted((s for s in catalogue.stories if not s.draft), key=lambda s: (-s.date.toordinal(), s.slug))
    previous, _formatted = _formatted, {}
    for story in stories:
        found = pictures.get(story.slug)
        versions = tuple(found) if found is not None else None
        known = previous.get(id(story))
        if known is None or known.story is not story or known.site_url != site_url or known.versions != versions:
            known = _story_rows(story, site_url, versions)
        if keep:
            _formatted[id(story)] = known
        yield known


def _story_rows(story: Story, site_url: str, versions: tuple[Version, ...] | None) -> _StoryRows:
    records = (_record(story, site_url, versions, BOKMAL.code, story.url),
               *(_record(story.in_version(version), site_url, versions, version.language.code, version.url)
                 for version in story.versions))
    return _StoryRows(story, site_url, versions, records,
                      json=tuple(_indented(json.dumps(record, ensure_ascii=False, indent=2)) for record in records),
                      csv=_csv_lines([[_cell(record[name]) for name, *_ in FIELDS] for record in records]))


def package(site_url: str, newest: str | None) -> dict:
    """The Frictionless Data Package descriptor of both files."""
    schema = {
        "fields": [{"name": name, "type": kind, "description": text, **({"constraints": {"required": True}}
                                                                         if required else {})}
                   for name, kind, required, text in FIELDS],
        "primaryKey": ["slug", "language"],
        "missingValues": [""],
    }
    descriptor: dict = {
        "name": "sammen-skaper-vi-fremtiden-historier",
        "title": "Historier fra Bærum: «Sammen skaper vi fremtiden»",
        "description": "Historiene som er publisert på nettstedet om Bærum kommunes visjon «Sammen skaper vi "
                       "fremtiden – mangfold, raushet, bærekraft». Teksten er lisensiert med NLOD 2.0. Bildene "
                       "er ikke en del av lisensen: rettighetene til hvert bilde følger feltet image_credit.",
        "homepage": site_url,
        "licenses": [NLOD],
        "sources": [MAP_SOURCE],
        "contributors": [{"title": "Bærum kommune", "role": "publisher"}],
        "keywords": ["Bærum", "visjon", "mangfold", "raushet", "bærekraft", "historier"],
        "resources": [
            {"name": "historier", "path": CSV_FILE, "profile": "tabular-data-resource", "format": "csv",
             "mediatype": "text/csv", "encoding": "utf-8",
             "description": "Én rad per historie og språk. Lister er skilt med semikolon. En tekst eller et "
                            "listeelement som begynner med =, +, - eller @ har ' foran seg, så et regneark ikke leser "
                            "det som en formel.",
             "schema": schema},
            {"name": "historier-json", "path": JSON_FILE, "format": "json", "mediatype": "application/json",
             "encoding": "utf-8", "description": "De samme historiene som JSON: én liste med ett objekt per "
                                                 "historie, med lister som lister."},
        ],
    }
    if newest:
        descriptor["version"] = newest  # the newest story's date: changes when the data does
    return descriptor


def _record(story: Story, site_url: str, versions: Sequence[Version] | None, language: str, url: str) -> dict:
    picture = story.picture if versions else None
    return {
        "slug": story.slug,
        "language": language,
        "url": site_url + url,
        "title": story.title,
        "description": story.description,
        "date": story.date.isoformat(),
        "authors": list(story.authors),
        "values": [value.name for value in story.values],
        "place": story.place.name if story.place else None,
        "focus": [area.key for area in story.focus],
        "partners": [partner.key for partner in story.partners],
        "goals": [goal.key for goal in story.goals],
        "featured": story.featured,
        "image_url": site_url + story.url + versions[-1].name if versions else None,
        "image_alt": picture.alt if picture else None,
        "image_credit": picture.credit if picture else None,
        "body": body.text(story.html),
    }


def _json(data: object) -> bytes:
    return (json.dumps(data, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def _csv_lines(rows: list[list[str]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")  # RFC 4180: CRLF, quotes only where needed
    writer.writerows(rows)
    return out.getvalue()


def _indented(text: str) -> str:
    """JSON text one level deeper (JSON strings hold no line breaks: ``json.dumps`` escapes them)."""
    return "  " + text.replace("\n", "\n  ")


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        # Each entry on its own, as a spreadsheet splits the cell on «;»; and so does an entry that
        # holds a «;» of its own.
        return LIST_SEPARATOR.join(_defused(part) for item in value for part in str(item).split(LIST_SEPARATOR))
    return _defused(str(value))


def _defused(text: str) -> str:
    """A spreadsheet runs text that starts with = + - @ (after any spaces) as a formula: such text gets
    a ' in front, as OWASP advises against CSV injection (the JSON keeps the text as written)."""
    return "'" + text if text.lstrip(" ")[:1] in FORMULA_STARTS else text
