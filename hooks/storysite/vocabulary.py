"""The closed lists a story chooses from, read from ``data/vocabulary.yml``."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

import yaml

from .slugs import fold, is_slug, nfc, slugify


class VocabularyError(ValueError):
    """The vocabulary file itself is broken; the message says where."""


class _Addressed:
    """An entry with a page of its own: ``<SECTION>/<slug>/``."""

    SECTION: ClassVar[str]

    if TYPE_CHECKING:  # a field or a property of each entry (not here: it would become a field's default)
        @property
        def slug(self) -> str: ...

    @property
    def url(self) -> str:
        return f"{self.SECTION}/{self.slug}/"


@dataclass(frozen=True)
class Value(_Addressed):
    """One of the three values of the vision."""

    SECTION: ClassVar[str] = "verdier"

    name: str
    slug: str
    description: str



@dataclass(frozen=True)
class FocusArea(_Addressed):
    """One of the four focus areas («satsingsområder») of the vision."""

    SECTION: ClassVar[str] = "satsingsomrader"

    key: str
    name: str
    wording: str

    @property
    def slug(self) -> str:
        return self.key



@dataclass(frozen=True)
class Place(_Addressed):
    """A place in Bærum that a story can belong to, with its approximate centre when it has one."""

    SECTION: ClassVar[str] = "steder"

    name: str
    slug: str
    lat: float | None = None
    lon: float | None = None



@dataclass(frozen=True)
class Partner(_Addressed):
    """One kind of those who create the future together («Sammen»)."""

    SECTION: ClassVar[str] = "sammen"

    key: str
    name: str
    description: str

    @property
    def slug(self) -> str:
        return slugify(self.key)



@dataclass(frozen=True)
class Goal(_Addressed):
    """One of Bærum kommune's four main goals («hovedmålsetninger»)."""

    SECTION: ClassVar[str] = "mal"

    key: str
    name: str
    wording: str

    @property
    def slug(self) -> str:
        return self.key



@dataclass(frozen=True)
class Language:
    """A language a story may also be told in (``index.<code>.md``), or the site's own, bokmål."""

    code: str  # BCP 47: the ``lang`` and ``hreflang`` of the text, and the last part of its address
    name: str  # in Norwegian: «arabisk»
    own: str  # in the language itself: «العربية»
    direction: str  # "ltr" or "rtl"
    welcome: str = ""  # a short welcome in the language itself, for /sprak/

    @property
    def rtl(self) -> bool:
        return self.direction == "rtl"


# The language every story is written in first; its versions are in ``Vocabulary.languages``.
BOKMAL = Language("nb", "bokmål", "Norsk", "ltr", "Velkommen! Alle historiene finnes på norsk bokmål.")
_LANGUAGE_CODE = re.compile(r"[a-z]{2,3}(-[a-z0-9]{1,8})*")
_DIRECTIONS = ("ltr", "rtl")


@dataclass(frozen=True)
class Vocabulary:
    """Every closed list, in the order the data file gives."""

    values: tuple[Value, ...]
    focus: tuple[FocusArea, ...]
    places: tuple[Place, ...]
    goals: tuple[Goal, ...]
    partners: tuple[Partner, ...] = ()
    languages: tuple[Language, ...] = ()

    def __hash__(self) -> int:
        """Computed once (every entry is immutable): the story cache's keys hold the vocabulary, and a
        key is looked up for every story of every build."""
        known = self.__dict__.get("_hash")
        if known is None:
            known = hash((self.values, self.focus, self.places, self.goals, self.partners, self.languages))
            object.__setattr__(self, "_hash", known)
        return known

    def value(self, word: str) -> Value | None:
        return _find(word, self.values, lambda v: v.name)

    def focus_area(self, word: str) -> FocusArea | None:
        return _find(word, self.focus, lambda f: f.key)

    def place(self, word: str) -> Place | None:
        return _find(word, self.places, lambda p: p.name)

    def partner(self, word: str) -> Partner | None:
        return _find(word, self.partners, lambda p: p.key)

    def goal(self, word: str) -> Goal | None:
        return _find(word, self.goals, lambda g: g.key)

    def language(self, code: str) -> Language | None:
        """The language with this code (exactly as written: a file name is not folded)."""
        return next((language for language in self.languages if language.code == code), None)


# The last vocabulary read, with its file's text: a preview reads the file for every rebuild, and while
# the text is the same, the same (immutable) object comes back, so the story cache's keys, which hold
# it, compare at once.
_last: tuple[str, Vocabulary] | None = None


def load(path: Path) -> Vocabulary:
    """Read and check the vocabulary file."""
    global _last
    try:
        text = path.read_text(encoding="utf-8-sig")
        if _last is not None and _last[0] == text:
            return _last[1]
        data = yaml.safe_load(text)
    except (OSError, yaml.YAMLError, UnicodeDecodeError) as error:
        raise VocabularyError(f"{path}: kan ikke leses: {error}") from None
    if not isinstance(data, dict):
        raise VocabularyError(f"{path}: skal inneholde feltene values, focus, places og goals")
    try:
        vocabulary = Vocabulary(
            values=tuple(
                Value(nfc(str(v["name"])), str(v["slug"]), nfc(str(v["description"])))
                for v in data["values"]
            ),
            focus=tuple(
                FocusArea(str(f["key"]), nfc(str(f["name"])), nfc(" ".join(str(f["wording"]).split())))
                for f in data["focus"]
            ),
            places=tuple(_place(p) for p in data["places"]),
            goals=tuple(
                Goal(str(g["key"]), nfc(str(g["name"])), nfc(" ".join(str(g["wording"]).split())))
                for g in data.get("goals") or ()
            ),
            partners=tuple(
                Partner(nfc(str(p["key"])), nfc(str(p["name"])), nfc(" ".join(str(p["description"]).split())))
                for p in data.get("partners") or ()
            ),
            languages=tuple(_language(entry) for entry in data.get("languages") or ()),
        )
    except (KeyError, TypeError) as error:
        raise VocabularyError(f"{path}: mangler eller har feil i feltet {error}") from None
    _check_unique(path, "values", [v.slug for v in vocabulary.values])
    _check_unique(path, "focus", [f.key for f in vocabulary.focus])
    _check_unique(path, "places", [p.slug for p in vocabulary.places])
    _check_unique(path, "partners", [p.slug for p in vocabulary.partners])
    _check_unique(path, "goals", [g.slug for g in vocabulary.goals])
    _check_unique(path, "languages", [language.code for language in vocabulary.languages] + [BOKMAL.code])
    _last = (text, vocabulary)
    return vocabulary


def _place(entry: object) -> Place:
    """A place: its name, or ``{name: …, lat: …, lon: …}``."""
    if not isinstance(entry, dict):
        return Place(nfc(str(entry)), slugify(str(entry)))
    name = nfc(str(entry["name"]))
    lat, lon = entry.get("lat"), entry.get("lon")
    if (lat is None) != (lon is None) or not all(isinstance(x, (int, float)) for x in (lat, lon) if x is not None):
        raise TypeError(f"'places: {name}: lat og lon skal begge være tall'")
    return Place(name, slugify(name), float(lat) if lat is not None else None,
                 float(lon) if lon is not None else None)


def _language(entry: dict) -> Language:
    """A language: its BCP 47 code (lower case), names, direction and welcome."""
    code = str(entry["code"])
    if not _LANGUAGE_CODE.fullmatch(code):
        raise TypeError(f"'languages: «{code}» er ikke en språkkode (BCP 47 med små bokstaver, for eksempel en)'")
    direction = str(entry["direction"])
    if direction not in _DIRECTIONS:
        raise TypeError(f"'languages: {code}: direction skal være ltr eller rtl'")
    return Language(code, nfc(str(entry["name"])), nfc(str(entry["own"])), direction,
                    nfc(" ".join(str(entry.get("welcome") or "").split())))


def suggest(word: str, options: list[str]) -> str | None:
    """The option closest to a misspelt word, if one is close enough."""
    folded = {fold(option): option for option in options}
    matches = difflib.get_close_matches(fold(word), list(folded), n=1, cutoff=0.6)
    return folded[matches[0]] if matches else None


def _find(word: str, items, key):
    wanted = fold(word)
    for item in items:
        if fold(key(item)) == wanted:
            return item
    return None


def _check_unique(path: Path, section: str, slugs: list[str]) -> None:
    for slug in slugs:
        if not is_slug(slug):
            raise VocabularyError(f"{path}: {section}: «{slug}» er ikke en gyldig adresse (bruk a–z, 0–9 og -)")
        if slugs.count(slug) > 1:
            raise VocabularyError(f"{path}: {section}: «{slug}» står flere ganger")
