"""The story model: one validated story, and loading every story in a folder."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, UnidentifiedImageError

from . import body, source
from .fields import FIELDS, suggest_key
from .problems import FieldError, Problem
from .slugs import is_slug, slugify
from .vocabulary import FocusArea, Place, Value, Vocabulary

IMAGE_FORMATS = {"JPEG": "JPEG", "PNG": "PNG", "WEBP": "WebP"}
MAX_IMAGE_BYTES = 15 * 1024 * 1024


@dataclass(frozen=True)
class Picture:
    """A story's picture: the original file in ``stories/`` and what is said about it."""

    path: Path
    name: str  # file name relative to the story's folder
    alt: str
    credit: str
    width: int
    height: int


@dataclass(frozen=True)
class Story:
    """A valid story. The consent note is checked but not kept: it must never reach the site."""

    slug: str
    source: str  # the file, relative to the project: stories/<slug>.md
    title: str
    description: str
    date: datetime.date
    authors: tuple[str, ...]
    values: tuple[Value, ...]
    place: Place | None
    focus: tuple[FocusArea, ...]
    picture: Picture | None
    featured: bool
    draft: bool
    body: str
    body_line: int

    @property
    def url(self) -> str:
        return f"historier/{self.slug}/"

    @property
    def folder(self) -> bool:
        """Whether the story is a folder (``stories/<slug>/index.md``) that may keep files beside it."""
        return self.source.endswith("/index.md")


def discover(stories_dir: Path, root: Path) -> tuple[list[tuple[str, Path]], list[Problem]]:
    """Find story files: ``<slug>.md`` and ``<slug>/index.md``; skip names starting with ``_`` or ``.``."""
    found: list[tuple[str, Path]] = []
    problems: list[Problem] = []
    if not stories_dir.is_dir():
        return found, problems
    for entry in sorted(stories_dir.iterdir()):
        if entry.name.startswith(("_", ".")):
            continue
        if entry.is_dir():
            index = entry / "index.md"
            if index.is_file():
                found.append((entry.name, index))
            else:
                problems.append(Problem(_rel(entry, root) + "/", None, "fil",
                                        "mappen har ingen index.md, så den er ikke en historie.",
                                        "Kall historiefilen i mappen index.md."))
        elif entry.suffix == ".md":
            found.append((entry.stem, entry))
    return found, problems


def load_all(stories_dir: Path, root: Path, vocabulary: Vocabulary, only: set[Path] | None = None,
             cache: dict | None = None) -> tuple[list[Story], list[Problem]]:
    """Load and validate every story; return the valid ones and every problem in every file.

    ``cache`` (optional, kept by a long-running preview) maps a story's file, the sizes and times of
    it and of the files beside a folder story, and the vocabulary to what reading it gave; a story
    whose files did not change is not read again.
    """
    found, problems = discover(stories_dir, root)
    stories: list[Story] = []
    by_slug: dict[str, list[Path]] = {}
    for name, path in found:
        by_slug.setdefault(name, []).append(path)
        if only is not None and path.resolve() not in only:
            continue
        key = (path, vocabulary, _stat(path, path.name == "index.md")) if cache is not None else None
        if key is not None and key in cache:
            story, story_problems = cache[key]
        else:
            story, story_problems = load(name, path, stories_dir, root, vocabulary)
            if key is not None:
                cache[key] = (story, story_problems)
        problems += story_problems
        if story:
            stories.append(story)
    for name, paths in by_slug.items():
        if len(paths) > 1:
            others = " og ".join(_rel(p, root) for p in paths)
            for path in paths:
                problems.append(Problem(_rel(path, root), None, "filnavn",
                                        f"to historier har samme adresse «{name}»: {others}.",
                                        "Gi den ene et annet filnavn."))
            stories = [s for s in stories if s.slug != name]
    return stories, problems


def load(name: str, path: Path, stories_dir: Path, root: Path,
         vocabulary: Vocabulary) -> tuple[Story | None, list[Problem]]:
    """Read and validate one story file."""
    rel = _rel(path, root)
    problems: list[Problem] = []
    if not is_slug(name):
        kind = "mappenavnet" if path.name == "index.md" else "filnavnet"
        better = slugify(name) or "min-historie"
        example = better if path.name == "index.md" else better + ".md"
        problems.append(Problem(rel, None, "filnavn",
                                f"{kind} «{name}» kan ikke brukes som nettadresse (bare a–z, 0–9 og bindestrek).",
                                f"Gi det navnet «{example}»."))
    src, read_problems = source.read(path, rel)
    problems += read_problems
    if src is None:
        return None, problems
    values: dict[str, object] = {}
    for key, entry in src.entries.items():
        field = FIELDS.get(key)
        if field is not None and entry.value is None and not field.required:
            continue  # an optional field left empty counts as not given
        if field is None:
            meant = suggest_key(key)
            hint = f"Mente du «{meant}»?" if meant else "Se feltlisten i bidragsveiledningen."
            problems.append(Problem(rel, entry.line, key, "ukjent felt.", hint))
            continue
        try:
            values[key] = field.parse(entry.value, vocabulary)
        except FieldError as error:
            problems.append(Problem(rel, entry.line, key, error.message, error.suggestion))
    for key, field in FIELDS.items():
        if field.required and key not in src.entries:
            problems.append(Problem(rel, 1, key, "feltet mangler.", f"Legg til «{key}:». {field.help}"))
    picture = _picture(values, src, path, stories_dir, rel, problems)
    problems += body.check(src.body, rel, src.body_line)
    if problems:
        return None, problems
    return Story(
        slug=name,
        source=rel,
        title=values["title"],
        description=values["description"],
        date=values["date"],
        authors=values["authors"],
        values=values["tags"],
        place=values.get("place"),
        focus=values.get("focus", ()),
        picture=picture,
        featured=values.get("featured", False),
        draft=values.get("draft", False),
        body=src.body,
        body_line=src.body_line,
    ), []


def _picture(values, src, path: Path, stories_dir: Path, rel: str, problems: list[Problem]) -> Picture | None:
    entries = src.entries
    name = values.get("image")
    if not name:
        for key in ("image_alt", "image_credit"):
            if values.get(key):
                problems.append(Problem(rel, entries[key].line, key, "feltet brukes bare sammen med image.",
                                        "Legg til image, eller fjern feltet."))
        return None
    for key in ("image_alt", "image_credit"):
        given = entries.get(key)
        if given is None or given.value is None:
            what = "en alternativ tekst som beskriver bildet" if key == "image_alt" else "hvem som har tatt eller eier bildet"
            problems.append(Problem(rel, given.line if given else entries["image"].line, key,
                                    f"feltet mangler: bildet trenger {what}.", f"Fyll inn «{key}:»."))
    line = entries["image"].line
    target = (path.parent / name).resolve()
    if not target.is_relative_to(stories_dir.resolve()) or name.startswith("/") or "\\" in name:
        problems.append(Problem(rel, line, "image", f"«{name}» peker ut av mappen stories/.",
                                "Legg bildet i historiens mappe og skriv bare filnavnet."))
        return None
    if not target.is_file():
        hint = ("Sjekk stavemåten og at filen ligger i samme mappe som historien."
                if path.name == "index.md" else
                "Gjør historien om til en mappe: stories/<navn>/index.md med bildet ved siden av.")
        problems.append(Problem(rel, line, "image", f"finner ikke bildefilen «{name}».", hint))
        return None
    size = target.stat().st_size
    if size > MAX_IMAGE_BYTES:
        problems.append(Problem(rel, line, "image", f"bildet er {size // (1024 * 1024)} MB; grensen er 15 MB.",
                                "Lagre det i mindre størrelse, for eksempel 2400 piksler bredt."))
        return None
    try:
        with Image.open(target) as image:
            kind, width, height = image.format, image.width, image.height
            if image.getexif().get(0x0112) in (5, 6, 7, 8):  # taken sideways: shown rotated
                width, height = height, width
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        problems.append(Problem(rel, line, "image", f"«{name}» er ikke et bilde som kan leses.",
                                "Bruk et JPEG-, PNG- eller WebP-bilde."))
        return None
    if kind not in IMAGE_FORMATS:
        problems.append(Problem(rel, line, "image", f"bildeformatet {kind} støttes ikke.",
                                "Bruk JPEG, PNG eller WebP."))
        return None
    return Picture(path=target, name=name, alt=values.get("image_alt", ""), credit=values.get("image_credit", ""),
                   width=width, height=height)


def _stat(path: Path, folder: bool) -> tuple:
    files = sorted(path.parent.iterdir()) if folder else [path]
    return tuple((f.name, f.stat().st_mtime_ns, f.stat().st_size) for f in files if f.is_file())


def _rel(path: Path, root: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()
