"""A story told in another language: ``stories/<slug>/index.<code>.md`` beside the bokmål ``index.md``.

A version has its own title, ingress, body, picture text and who translated it (``translated_by``), or
whose own words it is (``told_by``); everything else (date, values, place, partners, goals, picture,
consent) belongs to the main story and may not be repeated. The codes are the closed list
``languages:`` in ``data/vocabulary.yml``. A version is untrusted like every file in ``stories/``: it is
read by ``source``, its fields by ``fields``' parsers, its body by ``body``. No MkDocs here.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from . import source
from .fields import FIELDS, suggest_key
from .problems import Problem
from .vocabulary import Language, Vocabulary

# ``index.<code>.md``: the code as a file name may hold it (checked against the list when read).
VERSION_FILE = re.compile(r"index\.([A-Za-z0-9-]+)\.md")
# Who the words are by: the translator's name, or the teller's when the version is their own words.
CREDITS = {"translated_by": "Oversatt av", "told_by": "Fortalt av"}
_TEXT_FIELDS = ("title", "description", "image_alt")
_MAX_VERSIONS = 20  # more than the language list holds is never meant


@dataclass(frozen=True)
class Version:
    """One valid version of a story, in one language from the list."""

    slug: str  # the main story's
    language: Language
    source: str  # stories/<slug>/index.<code>.md
    title: str
    description: str
    words: int  # in the body as written (its reading time)
    body_line: int
    html: str  # rendered and sanitised; its pictures are the story's, one folder up
    image_alt: str = ""
    credit: str = ""  # "translated_by" or "told_by"
    credit_names: tuple[str, ...] = ()

    @property
    def url(self) -> str:
        return f"historier/{self.slug}/{self.language.code}/"

    @property
    def credit_label(self) -> str:
        return CREDITS.get(self.credit, "")


Render = Callable[[source.Source, str, list[Problem]], "tuple[str, tuple[Any, ...]] | None"]


def files_in(folder: Path) -> list[tuple[str, Path]]:
    """Every ``index.<code>.md`` in a story's folder (code as written, not yet checked), sorted."""
    try:
        entries = sorted(folder.iterdir())
    except OSError:
        return []
    found = []
    for entry in entries:
        match = VERSION_FILE.fullmatch(entry.name)
        if match:
            found.append((match[1], entry))
    return found


def load(slug: str, folder: Path, rel_folder: str, vocabulary: Vocabulary, has_picture: bool,
         render: Render) -> tuple[list[Version], list[Problem]]:
    """Read every version beside a story; return the valid ones (in the list's order) and every problem.

    ``render`` renders a version's body with the story's pictures, as the page one folder deeper
    shows them, adding its problems."""
    versions: list[Version] = []
    problems: list[Problem] = []
    found = files_in(folder)
    for code, path in found[:_MAX_VERSIONS]:
        rel = f"{rel_folder}/{path.name}"
        if path.is_symlink():
            continue  # reported by story.discover, never followed
        language = vocabulary.language(code)
        if language is None:
            problems.append(_unknown_language(rel, code, vocabulary))
            continue
        version, version_problems = _load_one(slug, path, rel, language, vocabulary, has_picture, render)
        problems += version_problems
        if version is not None:
            versions.append(version)
    if len(found) > _MAX_VERSIONS:
        problems.append(Problem(rel_folder + "/", None, "fil", f"mappen har {len(found)} oversettelser; grensen "
                                f"er {_MAX_VERSIONS}.", "Ta bort oversettelsene som ikke er i språklisten."))
    order = {language.code: number for number, language in enumerate(vocabulary.languages)}
    return sorted(versions, key=lambda v: order[v.language.code]), problems


def withdrawn_problems(folder: Path, rel_folder: str) -> list[Problem]:
    """A withdrawn story withdraws every version: a version file left beside it is a problem."""
    return [Problem(f"{rel_folder}/{path.name}", None, "fil", "historien er trukket tilbake, men denne "
                    "oversettelsen ligger fortsatt i mappen.", "Slett filen: samtykket gjelder alle språk.")
            for _, path in files_in(folder)]


def _unknown_language(rel: str, code: str, vocabulary: Vocabulary) -> Problem:
    lower = vocabulary.language(code.lower())
    codes = ", ".join(language.code for language in vocabulary.languages)
    hint = (f"Skriv språkkoden med små bokstaver: index.{lower.code}.md." if lower
            else f"Bruk en av språkkodene i data/vocabulary.yml: {codes}.")
    return Problem(rel, None, "filnavn", f"«{code}» er ikke et språk i språklisten.", hint)


def _load_one(slug: str, path: Path, rel: str, language: Language, vocabulary: Vocabulary, has_picture: bool,
              render: Render) -> tuple[Version | None, list[Problem]]:
    src, problems = source.read(path, rel)
    if src is None:
        return None, problems
    values: dict[str, Any] = {}
    for key, entry in src.entries.items():
        if key in CREDITS:
            parse = FIELDS["authors"].parse
        elif key in _TEXT_FIELDS:
            parse = FIELDS[key].parse
        elif key in FIELDS:
            problems.append(Problem(rel, entry.line, key, "feltet hører til hovedhistorien (index.md) og skal "
                                    "ikke gjentas i en oversettelse.", "Fjern feltet fra oversettelsen."))
            continue
        else:
            meant = suggest_key(key)
            hint = (f"Mente du «{meant}»?" if meant in (*_TEXT_FIELDS, *CREDITS) else
                    "En oversettelse har bare title, description, image_alt og translated_by eller told_by.")
            problems.append(Problem(rel, entry.line, key, "ukjent felt.", hint))
            continue
        raw = entry.value if isinstance(entry.value, list) else [entry.value]
        if any(isinstance(item, str) and source.curly_quoted(item) for item in raw):
            problems.append(Problem(rel, entry.line, key, "verdien står i krøllete anførselstegn (“…”), som ville "
                                    "blitt en del av teksten.", source.CURLY_HINT))
            continue
        try:
            values[key] = parse(entry.value, vocabulary)
        except ValueError as error:
            for each in [error, *getattr(error, "more", [])]:
                problems.append(Problem(rel, entry.line, key, getattr(each, "message", str(each)),
                                        getattr(each, "suggestion", None)))
    for key in ("title", "description"):
        if key not in src.entries:
            problems.append(Problem(rel, 1, key, "feltet mangler.", f"Legg til «{key}:» på {language.name}."))
    credits = [key for key in CREDITS if key in src.entries]
    if not credits:
        problems.append(Problem(rel, 1, "translated_by", "feltet mangler: si hvem som har oversatt teksten.",
                                "Legg til «translated_by:» med navnet, eller «told_by:» hvis teksten er "
                                "fortellerens egne ord."))
    elif len(credits) > 1:
        problems.append(Problem(rel, src.entries["told_by"].line, "told_by", "en oversettelse har enten "
                                "translated_by eller told_by, ikke begge.", "Fjern det ene feltet."))
    if has_picture and "image_alt" not in src.entries:
        problems.append(Problem(rel, 1, "image_alt", "feltet mangler: bildet trenger en alternativ tekst på "
                                f"{language.name}.", "Legg til «image_alt:»."))
    elif not has_picture and "image_alt" in src.entries:
        problems.append(Problem(rel, src.entries["image_alt"].line, "image_alt", "hovedhistorien har ikke noe "
                                "bilde.", "Fjern feltet, eller gi hovedhistorien et bilde (image:)."))
    rendered = render(src, rel, problems)
    if problems or rendered is None:
        return None, problems
    return Version(slug=slug, language=language, source=rel, title=values["title"],
                   description=values["description"], words=len(src.body.split()), body_line=src.body_line,
                   html=rendered[0],
                   image_alt=values.get("image_alt", ""), credit=credits[0], credit_names=values[credits[0]]), []
