"""Commands for editors: ``new`` makes a story file, ``check`` validates stories, ``guide`` updates
the reference tables in CONTRIBUTING.md.

    python -m hooks.storysite new "Tittelen på historien"
    python -m hooks.storysite check [stories/fil.md ...]
    python -m hooks.storysite guide
"""

from __future__ import annotations

import argparse
import datetime
import sys
from pathlib import Path

from . import guide
from . import vocabulary as vocabulary_module
from .problems import report
from .slugs import slugify
from .story import load_all

ROOT = Path(__file__).resolve().parents[2]
STORIES = ROOT / "stories"
TEMPLATE = STORIES / "_mal.md"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m hooks.storysite", description="Verktøy for historiene.")
    commands = parser.add_subparsers(dest="command", required=True)
    new = commands.add_parser("new", help="lag en ny historie fra malen")
    new.add_argument("title", help="tittelen på historien, i anførselstegn")
    check = commands.add_parser("check", help="sjekk historiene uten å bygge nettstedet")
    check.add_argument("files", nargs="*", type=Path, help="filer som skal sjekkes (standard: alle)")
    commands.add_parser("guide", help="oppdater felttabellene i CONTRIBUTING.md")
    args = parser.parse_args(argv)
    try:
        vocabulary = vocabulary_module.load(ROOT / "data" / "vocabulary.yml")
    except vocabulary_module.VocabularyError as error:
        print(f"Feil i ordlisten: {error}", file=sys.stderr)
        return 2
    if args.command == "new":
        return _new(args.title)
    if args.command == "check":
        return _check(args.files, vocabulary)
    return _guide(vocabulary)


def _new(title: str, today: datetime.date | None = None) -> int:
    title = " ".join(title.split())
    slug = slugify(title)
    if not slug:
        print("Tittelen må inneholde minst én bokstav eller ett tall.", file=sys.stderr)
        return 1
    target = STORIES / f"{slug}.md"
    for existing in (target, STORIES / slug / "index.md"):
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
    lines = []
    for line in TEMPLATE.read_text(encoding="utf-8").split("\n"):
        if line.startswith("title:"):
            line = f"title: {quoted}"
        elif line.startswith("date:"):
            line = f"date: {date}"
        lines.append(line)
    target.write_text("\n".join(lines), encoding="utf-8")
    print(f"Laget {target.relative_to(ROOT)}. Fyll inn feltene, og sjekk med «python -m hooks.storysite check».")
    return 0


def _check(files: list[Path], vocabulary) -> int:
    only = None
    if files:
        only = {f.resolve() for f in files if not f.name.startswith(("_", "."))
                and not f.parent.name.startswith(("_", "."))}
    stories, problems = load_all(STORIES, ROOT, vocabulary, only=only)
    if only is not None:
        problems = [p for p in problems if (ROOT / p.path).resolve() in only]
    if problems:
        print(report(problems), file=sys.stderr)
        return 1
    count = len(stories)
    print(f"Alt i orden: {count} {'historie' if count == 1 else 'historier'} sjekket.")
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
