"""Commands for editors: ``new`` makes a story file, ``check`` validates stories, ``withdraw`` takes
a story down when its consent is withdrawn, ``guide`` updates the reference tables in CONTRIBUTING.md.

    python -m hooks.storysite new "Tittelen på historien" [--bilde bilde.jpg]
    python -m hooks.storysite check [stories/fil.md | stories/mappe/ ...]
    python -m hooks.storysite withdraw <adresse> [--date ÅÅÅÅ-MM-DD]
    python -m hooks.storysite guide
"""

from __future__ import annotations

import argparse
import datetime
import re
import shutil
import sys
from pathlib import Path

from . import guide, source
from . import vocabulary as vocabulary_module
from .problems import Problem, report
from .slugs import is_slug, slugify
from .story import load_all

ROOT = Path(__file__).resolve().parents[2]
STORIES = ROOT / "stories"
TEMPLATE = STORIES / "_mal.md"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m hooks.storysite", description="Verktøy for historiene.")
    commands = parser.add_subparsers(dest="command", required=True)
    new = commands.add_parser("new", help="lag en ny historie fra malen")
    new.add_argument("title", help="tittelen på historien, i anførselstegn")
    new.add_argument("--bilde", type=Path, help="et bilde: historien blir en mappe med bildet ved siden av")
    check = commands.add_parser("check", help="sjekk historiene uten å bygge nettstedet")
    check.add_argument("files", nargs="*", type=Path, help="filer eller mapper som skal sjekkes (standard: alle)")
    withdraw = commands.add_parser("withdraw", help="trekk tilbake en historie (samtykket er trukket)")
    withdraw.add_argument("slug", help="historiens adresse, for eksempel hele-lommedalen-pa-dugnad")
    withdraw.add_argument("--date", help="datoen samtykket ble trukket (standard: i dag), ÅÅÅÅ-MM-DD")
    commands.add_parser("guide", help="oppdater felttabellene i CONTRIBUTING.md")
    args = parser.parse_args(argv)
    try:
        vocabulary = vocabulary_module.load(ROOT / "data" / "vocabulary.yml")
    except vocabulary_module.VocabularyError as error:
        print(f"Feil i ordlisten: {error}", file=sys.stderr)
        return 2
    if args.command == "new":
        return _new(args.title, picture=args.bilde)
    if args.command == "check":
        return _check(args.files, vocabulary)
    if args.command == "withdraw":
        return _withdraw(args.slug, args.date)
    return _guide(vocabulary)


def _new(title: str, today: datetime.date | None = None, picture: Path | None = None) -> int:
    title = " ".join(title.split())
    slug = slugify(title)
    if not slug:
        print("Tittelen må inneholde minst én bokstav eller ett tall.", file=sys.stderr)
        return 1
    target = STORIES / slug / "index.md" if picture else STORIES / f"{slug}.md"
    if picture is not None and not picture.is_file():
        print(f"Finner ikke bildet {picture}. Skriv stien til bildefilen etter --bilde.", file=sys.stderr)
        return 1
    for existing in (STORIES / f"{slug}.md", STORIES / slug / "index.md"):
        if existing.exists():
            print(f"{existing.relative_to(ROOT)} finnes allerede. Velg en annen tittel, "
                  "eller åpne den filen og skriv videre der.", file=sys.stderr)
            return 1
    if len(title) > 120:
        print(f"Tittelen er {len(title)} tegn; den kan være høyst 120.", file=sys.stderr)
        return 1
    if not TEMPLATE.is_file():
        print(f"Finner ikke malen {TEMPLATE.relative_to(ROOT)}.", file=sys.stderr)
        return 1
    quoted = '"' + title.replace("\\", "\\\\").replace('"', '\\"') + '"'
    date = (today or datetime.date.today()).isoformat()
    picture_name = None
    if picture is not None:
        picture_name = (slugify(picture.stem) or "bilde") + picture.suffix.lower()
    lines = []
    for line in TEMPLATE.read_text(encoding="utf-8").split("\n"):
        if line.startswith("title:"):
            line = f"title: {quoted}"
        elif line.startswith("date:"):
            line = f"date: {date}"
        elif line.startswith("image:") and picture_name:
            line = f"image: {picture_name}"
        lines.append(line)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text("\n".join(lines), encoding="utf-8")
    if picture is not None and picture_name:
        shutil.copyfile(picture, target.parent / picture_name)
        print(f"Kopierte bildet til {(target.parent / picture_name).relative_to(ROOT)}. "
              "Fyll inn image_alt (hva bildet viser) og image_credit (hvem som tok det).")
    print(f"Laget {target.relative_to(ROOT)}. Fyll inn feltene, og sjekk med «python -m hooks.storysite check».")
    return 0


def _check(files: list[Path], vocabulary) -> int:
    """Check every story, or the stories the given files and folders belong to. Says all is well only
    when it checked at least one story and found nothing."""
    only: set[Path] | None = None
    problems: list[Problem] = []
    skipped: list[str] = []
    if files:
        only = set()
        for given in files:
            story_file, problem = _story_file(given)
            if problem:
                problems.append(problem)
            elif story_file is None:
                skipped.append(str(given))
            else:
                only.add(story_file)
    stories, found = load_all(STORIES, ROOT, vocabulary, only=only)
    if only is not None:
        found = [p for p in found if (ROOT / p.path).resolve() in only]
    problems += found
    if problems:
        print(report(problems), file=sys.stderr)
        return 1
    if skipped:
        print(f"Ikke sjekket (maler og skjulte filer er ikke historier): {', '.join(skipped)}.")
    count = len(stories)
    if count == 0:
        if skipped:
            return 0
        print("Fant ingen historier å sjekke. Historiene ligger i stories/, som stories/navn.md eller "
              "stories/navn/index.md.", file=sys.stderr)
        return 1
    print(f"Alt i orden: {count} {'historie' if count == 1 else 'historier'} sjekket.")
    return 0


def _story_file(given: Path) -> tuple[Path | None, Problem | None]:
    """The story file a path given to ``check`` stands for: a story file, a story folder's index.md,
    or the story a file in its folder belongs to; None for templates; or a problem."""
    path = given.resolve()
    shown = given.as_posix()
    if not path.exists():
        return None, Problem(shown, None, "fil", "finnes ikke.", "Sjekk stavemåten, og at du står i prosjektmappen.")
    stories = STORIES.resolve()
    if path != stories and not path.is_relative_to(stories):
        return None, Problem(shown, None, "fil", "ligger ikke i mappen stories/.", "Historiene ligger i stories/.")
    if path == stories:
        return None, Problem(shown, None, "fil", "er hele mappen med historier.",
                             "Kjør check uten filnavn for å sjekke alle.")
    inside = path.relative_to(stories).parts
    if inside[0].startswith(("_", ".")):
        return None, None
    if path.is_dir() or len(inside) > 1:  # a story folder, or a picture or file in one
        folder = stories / inside[0]
        index = folder / "index.md"
        if not index.is_file():
            return None, Problem(f"stories/{inside[0]}/", None, "fil", "mappen har ingen index.md, så den er "
                                 "ikke en historie.", "Kall historiefilen i mappen index.md.")
        return index, None
    return path, None


def _withdraw(slug: str, when: str | None) -> int:
    """Take a story down: set ``withdrawn``, delete its body and pictures from the working tree, keep
    its front matter (the record of what was published, and its consent reference), and tell the
    editor what is left to do."""
    date = when or datetime.date.today().isoformat()
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", date):
        print(f"«{date}» er ikke en dato på formen ÅÅÅÅ-MM-DD.", file=sys.stderr)
        return 1
    candidates = [STORIES / f"{slug}.md", STORIES / slug / "index.md"]
    path = next((c for c in candidates if c.is_file() and not c.is_symlink()), None)
    if path is None or not is_slug(slug):
        print(f"Finner ingen historie med adressen «{slug}» i stories/. Adressen er filnavnet uten .md, "
              "eller mappenavnet.", file=sys.stderr)
        return 1
    text = path.read_text(encoding="utf-8-sig").replace("\r\n", "\n")
    try:
        front, _, _ = source.split(text)
    except ValueError as error:
        print(f"{path.relative_to(ROOT)}: {error}. Rett filen først.", file=sys.stderr)
        return 1
    lines = [line for line in front.rstrip("\n").split("\n") if not line.startswith("withdrawn:")]
    lines.append(f"withdrawn: {date}")
    path.write_text("---\n" + "\n".join(lines) + "\n---\n", encoding="utf-8")
    removed = []
    if path.name == "index.md":
        for other in sorted(path.parent.iterdir()):
            if other != path:
                if other.is_dir() and not other.is_symlink():
                    shutil.rmtree(other)
                else:
                    other.unlink()
                removed.append(other.name)
    rel = path.relative_to(ROOT)
    print(f"Historien «{slug}» er merket som trukket tilbake ({date}) i {rel}.")
    print("Teksten er slettet" + (f", og disse filene: {', '.join(removed)}." if removed else "."))
    print("Feltene står igjen, også «consent»: skriv der hvorfor og når samtykket ble trukket (det vises aldri).")
    print()
    print("Dette må du gjøre nå:")
    print(f"  1. Sjekk og send inn endringen: python -m hooks.storysite check {rel}, så en pull request.")
    print("  2. Når den er slått sammen, forsvinner historien fra nettstedet. Adressen viser at den er trukket "
          "tilbake.")
    print("  3. Be søkemotorene fjerne lagrede kopier (for eksempel Googles verktøy for utdatert innhold).")
    print("  4. Teksten og bildene finnes fortsatt i git-historikken og i kopier (forks) av prosjektet. Les "
          "«Samtykke og tilbaketrekking» i CONTRIBUTING.md: der står det når og hvordan kommunen fjerner dem "
          "derfra, og at Nasjonalbibliotekets nettarkiv kan ha en kopi.")
    return 0


def _guide(vocabulary) -> int:
    path = ROOT / "CONTRIBUTING.md"
    text = path.read_text(encoding="utf-8")
    try:
        updated = guide.fill(text, vocabulary)
    except ValueError as error:
        print(f"CONTRIBUTING.md: {error}", file=sys.stderr)
        return 1
    if updated != text:
        path.write_text(updated, encoding="utf-8")
        print("Oppdaterte felttabellene i CONTRIBUTING.md.")
    else:
        print("Felttabellene i CONTRIBUTING.md er oppdatert.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
