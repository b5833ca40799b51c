"""The story model: one validated story, and loading every story in a folder."""

from __future__ import annotations

import datetime
import os
import re
import stat
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import body, pictures, source, versions
from .characters import bad_character
from .fields import FIELDS, WITHDRAWN_KEEPS, suggest_key, withdrawn_leftovers
from .problems import Problem
from .slugs import is_slug, slugify
from .versions import Version
from .vocabulary import FocusArea, Goal, Language, Partner, Place, Value, Vocabulary

if TYPE_CHECKING:
    from collections.abc import Callable

    Loaded = tuple["Story | None", list[Problem]]  # what reading one story file gave
    ReadMany = Callable[[list[tuple[str, Path]], Callable[[str, Path], Loaded]], dict[Path, Loaded]]

MAX_BODY = 60_000  # characters: about 10,000 words, five times a long story
# Characters of text in a story folder: the story and all its versions together (ten versions of a
# long story), so one folder's work is bounded, not one file's.
MAX_FOLDER_TEXT = 2 * MAX_BODY
FUTURE_DAYS = 365  # a published story may be dated at most this far ahead
# Endings an editor may give a Markdown file; only ``.md`` is read, the others get a problem.
MARKDOWN_LOOKALIKES = (".markdown", ".mdown", ".mkd", ".mkdn", ".md.txt")
# ``<slug>.<code>.md``: a version written beside a one-file story, which cannot hold one.
_FLAT_VERSION = re.compile(r"[a-z0-9-]+\.[a-z]{2,3}(-[a-z0-9]{1,8})*")


@dataclass(frozen=True)
class Picture:
    """A story's picture: the original file in ``stories/`` and what is said about it."""

    path: Path
    name: str  # file name relative to the story's folder
    alt: str
    credit: str
    width: int
    height: int
    digest: str = ""  # SHA-256 of the file's bytes: names its published versions, with the story's slug

    @property
    def pixels(self) -> int:
        return self.width * self.height


@dataclass(frozen=True)
class Story:
    """A valid story. The consent records (``consent``, ``minors``, ``guardian_consent``) are checked
    but not kept: they must never reach the site."""

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
    words: int  # in the body as written: its reading time (the text itself is not kept: ``html`` is published)
    body_line: int
    html: str = ""  # the body rendered and sanitised: what is published
    body_pictures: tuple[Picture, ...] = ()  # pictures the body shows, from the story's folder
    withdrawn: datetime.date | None = None  # consent withdrawn: nothing of the story is published
    partners: tuple[Partner, ...] = ()  # who takes part («Sammen»)
    goals: tuple[Goal, ...] = ()  # which of the municipality's main goals it serves
    versions: tuple[Version, ...] = ()  # the story in other languages (``index.<code>.md``), in the list's order
    original_language: Language | None = None  # the bokmål text is a translation from this language

    @property
    def youth(self) -> bool:
        """Whether young people and Ungdommens kommunestyre take part."""
        return any(partner.key == "ungdom" for partner in self.partners)

    @property
    def url(self) -> str:
        return f"historier/{self.slug}/"

    def in_version(self, version: Version) -> Story:
        """This story with a version's text: its title, ingress, body and picture text; the rest is the
        story's own."""
        picture = replace(self.picture, alt=version.image_alt) if self.picture else None
        return replace(self, title=version.title, description=version.description, words=version.words,
                       body_line=version.body_line, html=version.html, picture=picture)

    @property
    def folder(self) -> bool:
        """Whether the story is a folder (``stories/<slug>/index.md``) that may keep files beside it."""
        return self.source.endswith("/index.md")


def discover(stories_dir: Path, root: Path) -> tuple[list[tuple[str, Path]], list[Problem]]:
    """Find story files: ``<slug>.md`` and ``<slug>/index.md``; skip names starting with ``_`` or ``.``.

    Nothing is followed through a symbolic link: a link in ``stories/`` could publish any file of
    the machine that builds the site. So every link anywhere in ``stories/`` is a problem, and so is
    every name that is not UTF-8 (it could be neither printed nor published)."""
    found: list[tuple[str, Path]] = []
    problems: list[Problem] = []
    if stories_dir.is_symlink():
        return found, [Problem(_rel(stories_dir, root), None, "fil", "mappen er en symbolsk lenke.",
                               "Gjør den til en vanlig mappe.")]
    if not stories_dir.is_dir():
        return found, problems
    for entry in sorted(stories_dir.iterdir()):
        rel = _rel(entry, root)
        if not _utf8(entry.name):
            folder = entry.is_dir() and not entry.is_symlink()
            problems.append(_not_utf8(rel, "mappen" if folder else "filen",
                                      "min-historie" if folder else "min-historie.md"))
        elif entry.is_symlink():
            problems.append(Problem(rel, None, "fil", "er en symbolsk lenke, og den følges ikke.",
                                    "Legg selve filen eller mappen i stories/."))
        elif entry.name.startswith(("_", ".")):
            if entry.is_dir():  # not a story, but a link in it would still be a link in the project
                problems += [Problem(f"{rel}/{_shown(inside)}", None, "fil", "er en symbolsk lenke, og den følges "
                                     "ikke.", "Legg inn selve filen, eller fjern lenken.")
                             for inside, link in _odd_entries(entry) if link]
        elif entry.is_dir():
            index = entry / "index.md"
            if index.is_symlink():
                problems.append(Problem(_rel(index, root), None, "fil", "er en symbolsk lenke, og den følges ikke.",
                                        "Legg selve filen i mappen."))
            elif index.is_file():
                found.append((entry.name, index))
                problems += [
                    Problem(_rel(index, root), None, "fil", f"«{_shown(inside)}» i mappen er en symbolsk lenke, og "
                            "den følges ikke.", "Legg inn selve filen, eller fjern lenken.") if link
                    else _not_utf8(_rel(index, root), f"filen «{_shown(inside)}» i mappen", "bilde.jpg")
                    for inside, link in _odd_entries(entry)
                ]
            elif versions.files_in(entry):
                problems += [Problem(_rel(path, root), None, "fil", "oversettelsen har ingen hovedhistorie: "
                                     "mappen har ingen index.md.", "Legg historien på bokmål i mappen som index.md.")
                             for _, path in versions.files_in(entry)]
            else:
                problems.append(Problem(rel + "/", None, "fil",
                                        "mappen har ingen index.md, så den er ikke en historie.",
                                        "Kall historiefilen i mappen index.md."))
        elif entry.suffix == ".md" and _FLAT_VERSION.fullmatch(entry.stem):
            slug, code = entry.stem.split(".", 1)
            problems.append(Problem(rel, None, "filnavn", "en oversettelse må ligge i historiens mappe.",
                                    f"Gjør historien om til mappen stories/{slug}/ med historien som index.md og "
                                    f"oversettelsen som index.{code}.md."))
        elif entry.suffix == ".md":
            found.append((entry.stem, entry))
        elif entry.suffix.lower() == ".md" or entry.name.lower().endswith(MARKDOWN_LOOKALIKES):
            stem = entry.name.split(".")[0]
            problems.append(Problem(rel, None, "filnavn", "bare filer som slutter på .md blir lest som historier.",
                                    f"Gi filen navnet «{slugify(stem) or 'min-historie'}.md»."))
    return found, problems


def _odd_entries(folder: Path) -> list[tuple[str, bool]]:
    """Every symbolic link (``True``) and every other name that is not UTF-8 (``False``) anywhere in
    ``folder``, relative to it; no link is entered, and ``index.md`` (reported on its own) is left out."""
    odd: list[tuple[str, bool]] = []
    for here, folders, files in os.walk(folder, followlinks=False):
        folders.sort()
        for name in sorted(folders + files):
            inside = (Path(here) / name).relative_to(folder).as_posix()
            if (Path(here) / name).is_symlink():
                if inside != "index.md":
                    odd.append((inside, True))
            elif not _utf8(name):
                odd.append((inside, False))
    return odd


def _utf8(name: str) -> bool:
    """Whether a name read from the disk was valid UTF-8 (Python keeps other bytes as surrogates)."""
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _shown(text: str) -> str:
    """``text`` printable whatever bytes its name held: each byte that is not UTF-8 becomes «�»."""
    return os.fsencode(text).decode("utf-8", "replace") if not _utf8(text) else text


def _not_utf8(rel: str, what: str, example: str) -> Problem:
    return Problem(_shown(rel), None, "filnavn",
                   f"{what} har et navn med tegn som ikke er UTF-8 (vist som «�»), og blir ikke lest.",
                   f"Gi den et nytt navn med bare a–z, 0–9 og bindestrek, for eksempel «{example}».")


def load_all(stories_dir: Path, root: Path, vocabulary: Vocabulary, only: set[Path] | None = None,
             cache: Any = None, read_many: ReadMany | None = None) -> tuple[list[Story], list[Problem]]:
    """Load and validate every story; return the valid ones and every problem in every file.

    ``cache`` (optional: a dict kept by a long-running preview, or ``story_cache.StoryCache`` between
    builds) maps a story's file, the sizes and times of it and of the files beside a folder story, and
    the vocabulary to what reading it gave; a story whose files did not change is not read again.
    ``read_many`` (optional: ``story_cache.load_with_helper``) reads the stories the cache can hold
    but does not, some of them in a second process; it returns what it read.
    Each picture file is inspected once however many stories show it, and all the stories' pictures
    together keep within ``pictures.MAX_BUILD_PIXELS``.
    """
    found, problems = discover(stories_dir, root)
    inspections = pictures.Inspections()
    stories: list[Story] = []
    by_slug: dict[str, list[Path]] = {}
    todo: list[tuple[str, Path, tuple | None, Loaded | None]] = []
    for name, path in found:
        by_slug.setdefault(name, []).append(path)
        if only is not None and path.resolve() not in only:
            continue
        cacheable = cache is not None and not (path.name == "index.md" and versions.files_in(path.parent))
        key = (path, vocabulary, _stat(path, path.name == "index.md")) if cacheable else None
        todo.append((name, path, key, cache.get(key) if key is not None else None))

    def load_one(name: str, path: Path) -> Loaded:
        return load(name, path, stories_dir, root, vocabulary, inspections=inspections)

    read = read_many([(name, path) for name, path, key, cached in todo if key and not cached], load_one) \
        if read_many else {}
    for name, path, key, cached in todo:
        if cached is not None:
            story, story_problems = cached
        else:
            story, story_problems = read.get(path) or load_one(name, path)
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
    over = _over_build_budget(stories)
    problems += over.values()
    return [s for s in stories if s.source not in over], problems


def _over_build_budget(stories: list[Story]) -> dict[str, Problem]:
    """A problem for each story whose pictures take the build's pictures, each file counted once,
    over ``pictures.MAX_BUILD_PIXELS`` (counted in the order the stories were found)."""
    counted: dict[str, int] = {}
    over: dict[str, Problem] = {}
    for story in stories:
        mine = {p.digest: p.pixels for p in ([story.picture] if story.picture else []) + list(story.body_pictures)}
        total = sum({**counted, **mine}.values())
        if total > pictures.MAX_BUILD_PIXELS:
            limit = pictures.megapixels(pictures.MAX_BUILD_PIXELS)
            over[story.source] = Problem(
                story.source, None, "bilder",
                f"med bildene i denne historien blir bildene på hele nettstedet til sammen "
                f"{pictures.megapixels(total)} megapiksler; grensen er {limit} megapiksler.",
                "Lagre bildene i mindre størrelse, for eksempel 2400 piksler bredt, og si fra til nettredaksjonen.")
        else:
            counted.update(mine)
    return over


def load(name: str, path: Path, stories_dir: Path, root: Path, vocabulary: Vocabulary,
         today: datetime.date | None = None,
         inspections: pictures.Inspections | None = None) -> tuple[Story | None, list[Problem]]:
    """Read and validate one story file. Whatever goes wrong becomes a problem of this story: one
    hostile file can neither stop the others nor the build. ``inspections`` is the build's, so
    that a picture file shown by many stories is read once."""
    rel = _rel(path, root)
    try:
        return _load(name, path, stories_dir, rel, vocabulary, today or datetime.date.today(),
                     inspections or pictures.Inspections())
    except RecursionError:
        return None, [Problem(rel, None, "tekst", "teksten er nøstet for dypt til å kunne vises.",
                              "Bruk færre lister eller sitater inni hverandre.")]
    except Exception as error:  # noqa: BLE001 - the point is that nothing about one story stops the build
        return None, [Problem(rel, None, "fil", f"filen kan ikke leses ({type(error).__name__}: {error}).",
                              "Sjekk filen mot malen i stories/_mal.md, og si fra til nettredaksjonen.")]


def _load(name: str, path: Path, stories_dir: Path, rel: str, vocabulary: Vocabulary,
          today: datetime.date, inspections: pictures.Inspections) -> tuple[Story | None, list[Problem]]:
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
    values: dict[str, Any] = {}
    for key, entry in src.entries.items():
        field = FIELDS.get(key)
        if field is not None and entry.value is None and not field.required:
            continue  # an optional field left empty counts as not given
        raw = entry.value if isinstance(entry.value, list) else [entry.value]
        if field is not None and any(isinstance(item, str) and source.curly_quoted(item) for item in raw):
            problems.append(Problem(rel, entry.line, key, "verdien står i krøllete anførselstegn (“…”), som ville "
                                    "blitt en del av teksten.", source.CURLY_HINT))
            continue
        if field is None:
            meant = suggest_key(key)
            hint = f"Mente du «{meant}»?" if meant else "Se feltlisten i bidragsveiledningen."
            problems.append(Problem(rel, entry.line, key, "ukjent felt.", hint))
            continue
        try:
            values[key] = field.parse(entry.value, vocabulary)
        except ValueError as error:
            for each in [error, *getattr(error, "more", [])]:
                problems.append(Problem(rel, entry.line, key, getattr(each, "message", str(each)),
                                        getattr(each, "suggestion", None)))
    # A withdrawn story keeps only WITHDRAWN_KEEPS (what the withdraw command leaves): the rest is
    # required of every other story, and a problem to delete in a withdrawn one.
    is_withdrawn = "withdrawn" in src.entries
    for key, field in FIELDS.items():
        if field.required and key not in src.entries and (not is_withdrawn or key in WITHDRAWN_KEEPS):
            problems.append(Problem(rel, 1, key, "feltet mangler.", f"Legg til «{key}:». {field.help}"))
    if is_withdrawn:
        problems += _withdrawn_leftovers(src, path, rel)
    date = values.get("date")
    if isinstance(date, datetime.date) and not values.get("draft") and date > today + datetime.timedelta(FUTURE_DAYS):
        problems.append(Problem(rel, src.entries["date"].line, "date",
                                f"datoen {date.isoformat()} er mer enn et år fram i tid.",
                                "Skriv datoen historien publiseres, eller sett «draft: true» til da."))
    problems += _consent_problems(values, src, rel)
    withdrawn = values.get("withdrawn")
    folder = path.parent if path.name == "index.md" else None
    rendered: tuple[str, tuple[Picture, ...]] | None = ("", ())
    picture = None
    told: list[versions.Version] = []
    if withdrawn and folder is not None:  # a withdrawn story withdraws every version
        problems += versions.withdrawn_problems(folder, rel.rsplit("/", 1)[0])
    if not withdrawn:  # a withdrawn story's body and pictures are gone (see the withdraw command)
        gallery = _Gallery(folder, name, inspections)
        picture = _picture(values, src, gallery, rel, problems)
        before = len(problems)
        rendered = _body(src, gallery, rel, problems)
        if folder is not None and rendered is not None:
            # Versions of a refused body are read but not rendered: the story is refused either way.
            left = None if len(problems) > before else MAX_FOLDER_TEXT - len(src.body)
            told, version_problems, shown = _versions(name, folder, rel, vocabulary, "image" in values, gallery,
                                                      rendered[1], left)
            problems += version_problems
            rendered = (rendered[0], shown)
    if problems or rendered is None:
        return None, problems
    if withdrawn:  # only its address and the date consent was withdrawn remain
        return Story(slug=name, source=rel, title="", description="", date=withdrawn, authors=(), values=(),
                     place=None, focus=(), picture=None, featured=False, draft=values.get("draft", False),
                     words=0, body_line=src.body_line, withdrawn=withdrawn), []
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
        words=len(src.body.split()),
        body_line=src.body_line,
        html=rendered[0],
        body_pictures=rendered[1],
        withdrawn=withdrawn,
        partners=values.get("partners", ()),
        goals=values.get("goals", ()),
        versions=tuple(told),
        original_language=values.get("original_language"),
    ), []


def _withdrawn_leftovers(src: source.Source, path: Path, rel: str) -> list[Problem]:
    """What a withdrawn story still holds that says who or what it was: other fields, its text, and
    files beside it (versions are ``versions.withdrawn_problems``'s)."""
    found = []
    leftover = withdrawn_leftovers(src.entries)
    if leftover is not None:
        found.append(Problem(rel, src.entries["withdrawn"].line, "withdrawn", leftover.message, leftover.suggestion))
    if src.body.strip():
        first_line = src.body_line + src.body[:len(src.body) - len(src.body.lstrip())].count("\n")
        found.append(Problem(rel, first_line, "tekst", "teksten skal slettes når samtykket er trukket tilbake.",
                             "Slett alt under den andre ---."))
    if path.name == "index.md":
        version_names = {version.name for _, version in versions.files_in(path.parent)}
        try:
            others = sorted(entry.name for entry in path.parent.iterdir()
                            if entry.name != "index.md" and entry.name not in version_names)
        except OSError:
            others = []
        if others:
            names = ", ".join(f"«{name}»" for name in others[:5]) + (" …" if len(others) > 5 else "")
            found.append(Problem(rel, None, "fil", f"historien er trukket tilbake, men mappen har fortsatt {names}.",
                                 "Slett filene: bilder og andre filer sier hvem og hva historien handlet om."))
    return found


def _versions(name: str, folder: Path, rel: str, vocabulary: Vocabulary, has_picture: bool, gallery: _Gallery,
              body_pictures: tuple[Picture, ...],
              left: int | None) -> tuple[list[versions.Version], list[Problem], tuple[Picture, ...]]:
    """The story's versions, each body rendered with the story's gallery (so all of them keep within
    one story's picture budget), and the pictures the bodies show: the story's own, then any that only
    a version shows (published beside the story all the same). ``left`` is how many characters of
    text the versions may have together (``MAX_FOLDER_TEXT``), or None when the story's own body is
    refused: then no version is rendered, nor any after one that is refused."""
    shown = list(body_pictures)

    def render(text: source.Source, version_rel: str, found: list[Problem]) -> tuple[str, tuple] | None:
        nonlocal left
        if left is None:
            return None
        if len(text.body) > left:
            found.append(Problem(version_rel, text.body_line, "tekst", "historien og oversettelsene har til sammen "
                                 f"mer enn {MAX_FOLDER_TEXT:,} tegn tekst; grensen er {MAX_FOLDER_TEXT:,}."
                                 .replace(",", " "), "Kort ned teksten, eller del historien i flere historier."))
            left = None  # the rest are not rendered either
            return None
        left -= len(text.body)
        before = len(found)
        done = _body(text, gallery, version_rel, found, "../")
        if len(found) > before:
            left = None  # a refused body refuses the story: the rest are not rendered
        if done is not None:
            shown.extend(p for p in done[1] if p not in shown)
        return done

    told, problems = versions.load(name, folder, rel.rsplit("/", 1)[0], vocabulary, has_picture, render)
    return told, problems, tuple(shown)


def _consent_problems(values: dict[str, Any], src: source.Source, rel: str) -> list[Problem]:
    """A recognisable child under 15 needs a guardian's consent on record (it is never published)."""
    entries = src.entries
    youth = any(partner.key == "ungdom" for partner in values.get("partners", ()))
    if youth and "minors" not in values:
        given = entries.get("minors")
        if given is not None and given.value is not None:
            return []  # its value is wrong, and that is reported already
        return [Problem(rel, given.line if given else entries["partners"].line, "minors",
                        f"{_absent(given)}: en historie der ungdom er med, må si om barn under 15 år kan kjennes "
                        "igjen.",
                        "Skriv «minors: true» (og «guardian_consent:») hvis noen under 15 år kan kjennes igjen i "
                        "tekst eller bilde, ellers «minors: false».")]
    if values.get("minors") is True and not values.get("guardian_consent"):
        given = entries.get("guardian_consent")
        if given is not None and given.value is not None:
            return []  # its value is wrong, and that is reported already
        return [Problem(rel, given.line if given else entries["minors"].line, "guardian_consent",
                        f"{_absent(given)}: når barn under 15 år kan kjennes igjen, må foresatte ha samtykket.",
                        "Legg til «guardian_consent:» med saksnummeret der samtykket fra foresatte er arkivert.")]
    if values.get("guardian_consent") and values.get("minors") is not True:
        return [Problem(rel, entries["guardian_consent"].line, "guardian_consent",
                        "feltet brukes bare sammen med «minors: true».",
                        "Skriv «minors: true» hvis barn under 15 år kan kjennes igjen, ellers fjern feltet.")]
    return []


def _body(src: source.Source, gallery: _Gallery, rel: str, problems: list[Problem],
          up: str = "") -> tuple[str, tuple[Picture, ...]] | None:
    """The body rendered and sanitised, and the pictures it shows; every problem in it is added. ``up``
    leads from the page that shows it to the story's folder (a version's page is one folder deeper)."""
    if len(src.body) > MAX_BODY:
        problems.append(Problem(rel, src.body_line, "tekst", f"teksten er {len(src.body):,} tegn; grensen er "
                                f"{MAX_BODY:,}.".replace(",", " "), "Kort den ned, eller del den i flere historier."))
        return None
    if bad_character(src.body):  # rare: only then find the line
        for number, line in enumerate(src.body.split("\n"), start=src.body_line):
            bad = bad_character(line)
            if bad:
                problems.append(Problem(rel, number, "tekst", f"{bad}.", "Skriv linjen på nytt for hånd."))
                return None

    def resolve(name: str) -> str:
        picture = gallery.find(name)
        return up + pictures.versions(picture.digest, gallery.slug, picture.width, picture.height, Path())[-1].name

    rendered = body.render(src.body, rel, src.body_line, resolve)
    problems += rendered.problems
    return rendered.html, tuple(gallery.find(name) for name in rendered.pictures)


class _Gallery:
    """The pictures of one story: each name looked up and each file inspected once, however often
    the story shows it, and all of them together within ``pictures.MAX_STORY_PIXELS`` (each file
    counted once). Once a picture is over that budget, no further picture is even read."""

    def __init__(self, folder: Path | None, slug: str, inspections: pictures.Inspections) -> None:
        self.folder = folder
        self.slug = slug
        self.inspections = inspections
        self.seen: dict[str, Picture | body.PictureRefused] = {}
        self.pixels: dict[str, int] = {}  # digest → pixels of the pictures within the budget
        self.over: body.PictureRefused | None = None

    def find(self, name: str) -> Picture:
        """The picture ``name``; ``body.PictureRefused`` (the same each time) if it cannot be shown."""
        if name not in self.seen:
            try:
                self.seen[name] = self._find(name)
            except body.PictureRefused as refused:
                self.seen[name] = refused
        seen = self.seen[name]
        if isinstance(seen, body.PictureRefused):
            raise body.PictureRefused(seen.message, seen.suggestion)
        return seen

    def _find(self, name: str) -> Picture:
        if self.over is not None:
            raise self.over
        path, info = _find_picture(self.folder, name, self.inspections)
        total = sum({**self.pixels, info.digest: info.pixels}.values())
        if total > pictures.MAX_STORY_PIXELS:
            self.over = body.PictureRefused(
                f"med «{name}» blir bildene i historien til sammen {pictures.megapixels(total)} megapiksler; "
                f"grensen er {pictures.megapixels(pictures.MAX_STORY_PIXELS)} megapiksler for én historie.",
                "Bruk færre bilder, eller lagre dem i mindre størrelse, for eksempel 2400 piksler bredt.")
            raise self.over
        self.pixels[info.digest] = info.pixels
        return Picture(path=path, name=name, alt="", credit="", width=info.width, height=info.height,
                       digest=info.digest)


def _find_picture(folder: Path | None, name: str,
                  inspections: pictures.Inspections) -> tuple[Path, pictures.PictureInfo]:
    """The picture file ``name`` beside a folder story, inspected; ``body.PictureRefused`` if it
    cannot be published. Only a regular file right in the story's folder counts: no path, no
    symbolic link, nothing outside ``stories/``."""
    if folder is None:
        raise body.PictureRefused(
            f"en historie med bilde («{name}») må være en mappe.",
            "Gjør historien om til en mappe: stories/<navn>/index.md med bildet ved siden av.")
    if not name or "/" in name or "\\" in name or name.startswith(".") or name != name.strip():
        raise body.PictureRefused(f"«{name}» er ikke et filnavn i historiens mappe.",
                                  "Legg bildet i historiens mappe og skriv bare filnavnet, for eksempel bilde.jpg.")
    bad = bad_character(name)
    if bad or any(char in name for char in "#?%"):
        better = slugify(Path(name).stem) or "bilde"
        raise body.PictureRefused(f"filnavnet «{name}» har tegn som ikke kan brukes i en nettadresse.",
                                  f"Gi filen et enklere navn, for eksempel «{better}{Path(name).suffix.lower()}».")
    path = folder / name
    try:
        info = path.lstat()
    except (OSError, ValueError):
        info = None
    if info is not None and stat.S_ISLNK(info.st_mode):
        raise body.PictureRefused(f"«{name}» er en symbolsk lenke, og den følges ikke.",
                                  "Legg selve bildefilen i historiens mappe.")
    if info is None or not stat.S_ISREG(info.st_mode) or name not in _names_in(folder):
        near = [n for n in _names_in(folder) if n.casefold() == name.casefold()]
        hint = (f"Filen heter «{near[0]}»: skriv navnet nøyaktig likt, med store og små bokstaver."
                if near else "Sjekk stavemåten og at filen ligger i samme mappe som historien.")
        raise body.PictureRefused(f"finner ikke bildefilen «{name}».", hint)
    try:
        return path, inspections.inspect(path)
    except pictures.PictureError as error:
        raise body.PictureRefused(f"«{name}»: {error.message}", error.suggestion) from None


def _names_in(folder: Path) -> set[str]:
    """The exact file names in ``folder`` (a case-insensitive disk would find «Bilde.JPG» as «bilde.jpg»)."""
    try:
        return {entry.name for entry in folder.iterdir()}
    except OSError:
        return set()


def _picture(values: dict, src: source.Source, gallery: _Gallery, rel: str,
             problems: list[Problem]) -> Picture | None:
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
            what = ("en alternativ tekst som beskriver bildet" if key == "image_alt"
                    else "hvem som har tatt eller eier bildet")
            problems.append(Problem(rel, given.line if given else entries["image"].line, key,
                                    f"{_absent(given)}: bildet trenger {what}.", f"Fyll inn «{key}:»."))
    assert isinstance(name, str)
    try:
        found = gallery.find(name)
    except body.PictureRefused as refused:
        problems.append(Problem(rel, entries["image"].line, "image", refused.message, refused.suggestion))
        return None
    return replace(found, alt=str(values.get("image_alt", "")), credit=str(values.get("image_credit", "")))


def _absent(entry: source.Entry | None) -> str:
    """How a field without a value is described: missing, or present and empty."""
    return "feltet mangler" if entry is None else "feltet er tomt"


def _stat(path: Path, folder: bool) -> tuple:
    files = sorted(path.parent.iterdir()) if folder else [path]
    return tuple((f.name, f.lstat().st_mtime_ns, f.lstat().st_size, f.is_symlink()) for f in files)


def _rel(path: Path, root: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()
