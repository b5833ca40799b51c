"""The front-matter schema: which keys a story has, and one small parser per key.

Each parser takes the raw value from ``source`` (text, a list of text, ``None`` or ``Nested``)
and returns the normalised value, or raises ``FieldError`` with what was expected and, where one
exists, a suggestion. Parsers never see YAML types: ``featured: no`` and ``date: 2015-02-30`` are
text here, and the parser decides.
"""

from __future__ import annotations

import datetime
import difflib
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from .characters import bad_character, renders_empty
from .problems import FieldError
from .source import Nested
from .vocabulary import FocusArea, Goal, Language, Partner, Place, Value, Vocabulary, suggest


@dataclass(frozen=True)
class Field:
    """One front-matter key: whether it is required and how its value is read."""

    key: str
    required: bool
    parse: Callable[[object, Vocabulary], object]
    help: str  # shown in the contributor guide


def _text(limit: int) -> Callable[[object, Vocabulary], str]:
    def parse(raw: object, vocabulary: Vocabulary) -> str:
        text = _one_text(raw)
        if len(text) > limit:
            raise FieldError(
                f"teksten er {len(text)} tegn lang, men kan være høyst {limit} tegn.",
                f"Kort den ned med {len(text) - limit} tegn.",
            )
        return text

    return parse


def _date(raw: object, vocabulary: Vocabulary) -> datetime.date:
    text = _one_text(raw)
    match = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", text)
    if not match:
        norwegian = re.fullmatch(r"(\d{1,2})[./-](\d{1,2})[./-](\d{4})", text)
        hint = (f"Skriv {norwegian.group(3)}-{int(norwegian.group(2)):02d}-{int(norwegian.group(1)):02d}."
                if norwegian else "Skriv for eksempel 2015-06-12.")
        raise FieldError(f"«{text}» er ikke en dato på formen ÅÅÅÅ-MM-DD.", hint)
    try:
        date = datetime.date(*(int(part) for part in match.groups()))
    except ValueError:
        raise FieldError(f"datoen {text} finnes ikke i kalenderen.", "Sjekk dag og måned.") from None
    if date.year < EARLIEST_YEAR:
        raise FieldError(f"datoen {text} er før {EARLIEST_YEAR}.", "Sjekk årstallet.")
    return date


EARLIEST_YEAR = 1900  # no story is older; year 1 would stretch «Visjonen i tall» over two thousand rows


def _names(raw: object, vocabulary: Vocabulary) -> tuple[str, ...]:
    names = tuple(_one_text(item) for item in _many(raw))
    for name in names:
        if len(name) > 100:
            raise FieldError(f"navnet «{name[:40]}…» er over 100 tegn.", "Skriv bare navnet.")
        if ";" in name:  # the open data's CSV separates names with it
            raise FieldError(f"navnet «{name}» har et semikolon.", "Skriv flere navn som en liste: [Kari, Ola].")
    return names


def _values(raw: object, vocabulary: Vocabulary) -> tuple[Value, ...]:
    names = [v.name for v in vocabulary.values]
    return _choose_many(raw, vocabulary, "tags", names, vocabulary.values)


def _focus(raw: object, vocabulary: Vocabulary) -> tuple[FocusArea, ...]:
    return _choose_many(raw, vocabulary, "focus", [f.key for f in vocabulary.focus], vocabulary.focus)


def _partners(raw: object, vocabulary: Vocabulary) -> tuple[Partner, ...]:
    return _choose_many(raw, vocabulary, "partners", [p.key for p in vocabulary.partners], vocabulary.partners)


def _goals(raw: object, vocabulary: Vocabulary) -> tuple[Goal, ...]:
    return _choose_many(raw, vocabulary, "goals", [g.key for g in vocabulary.goals], vocabulary.goals)


# The keys that take words from a closed list: how to find a word in it, and what the list is called
# («er ikke {what}» when the word is unknown, «er {one}» when it belongs under this key instead).
_CLOSED: dict[str, tuple[Callable[[Vocabulary, str], object], str, str]] = {
    "tags": (lambda v, word: v.value(word), "en av verdiene", "en verdi"),
    "focus": (lambda v, word: v.focus_area(word), "et av satsingsområdene", "et satsingsområde"),
    "partners": (lambda v, word: v.partner(word), "blant dem som kan være med", "en av dem som kan være med"),
    "goals": (lambda v, word: v.goal(word), "et av kommunens hovedmål", "et av kommunens hovedmål"),
    "place": (lambda v, word: v.place(word), "et sted i stedslisten", "et sted"),
}


def _place(raw: object, vocabulary: Vocabulary) -> Place:
    word = _one_text(raw)
    place = vocabulary.place(word)
    if place is None:
        elsewhere = _key_for(word, vocabulary, "place")
        if elsewhere:
            raise FieldError(f"«{word}» er {_CLOSED[elsewhere][2]}, ikke et sted.", f"Skriv det under «{elsewhere}:».")
        names = [p.name for p in vocabulary.places]
        close = suggest(word, names)
        hint = f"Mente du «{close}»?" if close else "Velg et sted fra stedslisten i data/vocabulary.yml."
        raise FieldError(f"«{word}» er ikke et sted i stedslisten.", hint)
    return place


def _language(raw: object, vocabulary: Vocabulary) -> Language:
    code = _one_text(raw)
    language = vocabulary.language(code) or vocabulary.language(code.lower())
    if language is None:
        codes = ", ".join(f"{known.code} ({known.name})" for known in vocabulary.languages)
        by_name = next((known for known in vocabulary.languages
                        if code.casefold() in (known.name.casefold(), known.own.casefold())), None)
        hint = f"Skriv koden {by_name.code}." if by_name else f"Velg en språkkode fra listen: {codes}."
        raise FieldError(f"«{code}» er ikke en språkkode i språklisten i data/vocabulary.yml.", hint)
    return language


def _image(raw: object, vocabulary: Vocabulary) -> str:
    name = _one_text(raw)
    if len(name) > 100:
        raise FieldError(f"filnavnet er {len(name)} tegn; grensen er 100.", "Gi bildefilen et kortere navn.")
    return name


def _flag(raw: object, vocabulary: Vocabulary) -> bool:
    if isinstance(raw, str) and raw.strip().lower() in _TRUE:
        return True
    if isinstance(raw, str) and raw.strip().lower() in _FALSE:
        return False
    if not isinstance(raw, str):
        raise FieldError("skal være true eller false, ikke en liste.", "Skriv true (ja) eller false (nei).")
    raise FieldError(f"«{raw}» er ikke true eller false.", "Skriv true (ja) eller false (nei).")


_TRUE = {"true", "ja", "yes"}
_FALSE = {"false", "nei", "no"}


FIELDS: dict[str, Field] = {
    f.key: f
    for f in (
        Field("title", True, _text(120), "Tittelen, høyst 120 tegn."),
        Field("description", True, _text(300),
              "Ingressen: én eller to setninger, høyst 300 tegn. Vises på kort og i søkemotorer."),
        Field("date", True, _date, "Publiseringsdatoen, på formen ÅÅÅÅ-MM-DD, for eksempel 2015-06-12."),
        Field("authors", True, _names, "Hvem som har skrevet historien: ett navn, eller en liste med navn."),
        Field("tags", True, _values, "Én eller flere av verdiene."),
        Field("place", False, _place, "Ett sted fra stedslisten."),
        Field("focus", False, _focus, "Ett eller flere av satsingsområdene."),
        Field("partners", False, _partners, "Hvem som er med og skaper fremtiden sammen: én eller flere av dem."),
        Field("goals", False, _goals, "Hvilke av kommunens hovedmål historien handler om: ett eller flere."),
        Field("image", False, _image, "Et bilde, med filnavnet regnet fra historiefilen (for eksempel bilde.jpg)."),
        Field("image_alt", False, _text(250), "Alternativ tekst: beskriv hva bildet viser. Påkrevd med image."),
        Field("image_credit", False, _text(120),
              "Fotografen eller kilden, slik den skal krediteres. Påkrevd med image."),
        Field("consent", True, _text(500),
              "Hvor samtykket fra dem som er avbildet eller omtalt er arkivert (for eksempel et saksnummer), "
              "eller at ingen kan kjennes igjen. Vises aldri på nettstedet."),
        Field("minors", False, _flag,
              "true hvis noen under 15 år kan kjennes igjen i tekst eller bilde. Da kreves guardian_consent. "
              "Vises aldri på nettstedet."),
        Field("guardian_consent", False, _text(500),
              "Hvor samtykket fra foresatte er arkivert (for eksempel et saksnummer). Påkrevd med minors: true. "
              "Vises aldri på nettstedet."),
        Field("featured", False, _flag, "true gjør historien til en av de utvalgte på forsiden."),
        Field("draft", False, _flag, "true betyr utkast: vises bare i forhåndsvisningen, publiseres ikke."),
        Field("original_language", False, _language,
              "Når teksten på bokmål er oversatt: språket den er oversatt fra, som en kode fra språklisten "
              "(for eksempel ar for arabisk). Siden viser da «Oversatt fra arabisk»."),
        Field("withdrawn", False, _date,
              "Datoen samtykket ble trukket tilbake. Historien forsvinner fra nettstedet; adressen viser bare at "
              "den er trukket tilbake. Lag det med kommandoen withdraw."),
    )
}

# All a withdrawn story keeps: where consent was recorded (and why it was withdrawn) and when. Its file
# name keeps the address, which then says «Historien er trukket tilbake». The withdraw command leaves
# only these; any other field is a problem, since the public repository would still say who and what.
WITHDRAWN_KEEPS = ("consent", "withdrawn")


def withdrawn_leftovers(keys: Iterable[str]) -> FieldError | None:
    """The problem with a withdrawn story's other keys (``keys`` as they stand in the file), or None."""
    left = [key for key in keys if key not in WITHDRAWN_KEEPS]
    if not left:
        return None
    names = left[0] if len(left) == 1 else ", ".join(left[:-1]) + " og " + left[-1]
    what = "feltet" if len(left) == 1 else "feltene"
    return FieldError(f"{what} {names} skal slettes når samtykket er trukket tilbake.",
                      f"Bare {' og '.join(WITHDRAWN_KEEPS)} skal stå igjen; da sier ikke filen lenger hvem eller "
                      "hva historien handlet om.")


# Norwegian and misspelt keys an editor may write, with the key they meant.
_KEY_HINTS = {
    "titel": "title", "tittel": "title", "overskrift": "title",
    "beskrivelse": "description", "ingress": "description",
    "dato": "date", "forfatter": "authors", "forfattere": "authors", "author": "authors", "av": "authors",
    "verdi": "tags", "verdier": "tags", "tag": "tags", "stikkord": "tags", "emneord": "tags",
    "sted": "place", "satsingsområde": "focus", "satsingsområder": "focus", "partner": "partners",
    "sammen": "partners", "deltakere": "partners", "hvem": "partners", "mål": "goals", "goal": "goals",
    "hovedmål": "goals",
    "bilde": "image", "alt": "image_alt", "alttekst": "image_alt", "fotograf": "image_credit",
    "kreditering": "image_credit", "samtykke": "consent", "fremhevet": "featured", "utvalgt": "featured",
    "utkast": "draft", "trukket": "withdrawn", "tilbaketrukket": "withdrawn", "barn": "minors",
    "mindreårige": "minors", "foresatte": "guardian_consent", "foreldresamtykke": "guardian_consent",
    "originalspråk": "original_language", "oversatt_fra": "original_language",
}


def suggest_key(key: str) -> str | None:
    """The schema key an unknown key most likely meant."""
    folded = key.strip().lower()
    if folded in _KEY_HINTS:
        return _KEY_HINTS[folded]
    matches = difflib.get_close_matches(folded, list(FIELDS), n=1, cutoff=0.6)
    return matches[0] if matches else None


def _one_text(raw: object) -> str:
    if raw is None:
        raise FieldError("feltet er tomt.", "Skriv en verdi etter kolonet.")
    if isinstance(raw, (list, Nested)):
        raise FieldError("skal være én tekst, ikke en liste.", "Skriv verdien rett etter kolonet, uten [ ] eller -.")
    bad = bad_character(str(raw))
    if bad:
        raise FieldError(f"{bad}.", "Skriv verdien på nytt for hånd, uten å lime den inn.")
    text = " ".join(str(raw).split())
    if renders_empty(text):
        raise FieldError("feltet er tomt." if not text else "feltet har bare usynlige tegn.",
                         "Skriv en verdi etter kolonet.")
    return text


MAX_ITEMS = 20  # authors or list entries: more is never a story's byline


def _many(raw: object) -> list[object]:
    items = raw if isinstance(raw, list) else [raw]
    if not items:
        raise FieldError("listen er tom.", "Skriv minst én verdi.")
    if len(items) > MAX_ITEMS:
        raise FieldError(f"listen har {len(items)} verdier; grensen er {MAX_ITEMS}.", "Ta bare med de viktigste.")
    return items


def _choose_many(raw, vocabulary: Vocabulary, key: str, names: list[str], order):
    """Words from a closed list, case- and Unicode-form-insensitive; one problem per unknown word."""
    find, what, _ = _CLOSED[key]
    if isinstance(raw, str) and "," in raw and find(vocabulary, raw) is None:
        words = ", ".join(word.strip() for word in raw.split(",") if word.strip())
        raise FieldError(f"«{' '.join(raw.split())}» er skrevet som én verdi, ikke som en liste.",
                         f"Sett hakeparenteser rundt listen: {key}: [{words}].")
    chosen, errors = [], []
    for item in _many(raw):
        word = _one_text(item)
        found = find(vocabulary, word)
        if found is not None:
            chosen.append(found)
            continue
        elsewhere = _key_for(word, vocabulary, key)
        if elsewhere:
            other = _CLOSED[elsewhere][2]
            errors.append(FieldError(f"«{word}» er {other}, ikke {what}.", f"Skriv det under «{elsewhere}:»."))
            continue
        close = suggest(word, names)
        if close:  # the list once: in the message when a suggestion follows, else as the suggestion
            errors.append(FieldError(f"«{word}» er ikke {what} ({', '.join(names)}).", f"Mente du «{close}»?"))
        else:
            errors.append(FieldError(f"«{word}» er ikke {what}.", f"Velg blant: {', '.join(names)}."))
    if errors:
        errors[0].more = errors[1:]
        raise errors[0]
    return tuple(item for item in order if item in chosen)


def _key_for(word: str, vocabulary: Vocabulary, wrong_key: str) -> str | None:
    """The other closed-list key ``word`` belongs under (a focus area written under goals), or None."""
    return next((key for key, (find, _, _) in _CLOSED.items()
                 if key != wrong_key and find(vocabulary, word) is not None), None)
