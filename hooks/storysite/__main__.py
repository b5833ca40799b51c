"""Commands for editors: ``new`` makes a story file, ``check`` validates stories, ``withdraw`` takes
a story down when its consent is withdrawn, ``from-issue`` makes a draft from a story sent with the
GitHub form, ``guide`` updates the reference tables in CONTRIBUTING.md and the form's choices.

    python -m hooks.storysite new "Tittelen på historien" [--bilde bilde.jpg]
    python -m hooks.storysite check [stories/fil.md | stories/mappe/ ...]
    python -m hooks.storysite withdraw <stories/fil.md | stories/mappe/ | adresse> [--date ÅÅÅÅ-MM-DD]
    python -m hooks.storysite from-issue <fil> [--sak NUMMER]
    python -m hooks.storysite guide
"""

from __future__ import annotations

import datetime
import re
import shutil
import sys
from pathlib import Path

from . import guide, intake, source
from . import vocabulary as vocabulary_module
from .characters import visible
from .fields import WITHDRAWN_KEEPS
from .norwegian_argparse import Parser
from .problems import Problem, report
from .slugs import is_slug, slugify
from .story import load_all

ROOT = Path(__file__).resolve().parents[2]
STORIES = ROOT / "stories"
TEMPLATE = STORIES / "_mal.md"
ISSUE_FORM = ROOT / ".github" / "ISSUE_TEMPLATE" / "historie.yml"


def main(argv: list[str] | None = None) -> int:
    parser = Parser(prog="python -m hooks.storysite", description="Verktøy for historiene.")
    commands = parser.add_subparsers(dest="command", required=True, metavar="kommando",
                                     title="kommandoer")
    new = commands.add_parser("new", help="lag en ny historie fra malen")
    new.add_argument("title", metavar="tittel", help="tittelen på historien, i anførselstegn")
    new.add_argument("--bilde", type=Path, metavar="BILDE",
                     help="et bilde: historien blir en mappe med bildet ved siden av")
    check = commands.add_parser("check", help="sjekk historiene uten å bygge nettstedet")
    check.add_argument("files", nargs="*", type=Path, metavar="fil",
                       help="filer eller mapper som skal sjekkes (standard: alle)")
    withdraw = commands.add_parser("withdraw", help="trekk tilbake en historie (samtykket er trukket)")
    withdraw.add_argument("story", metavar="historie",
                          help="historiefilen eller mappen (stories/navn.md, stories/navn/), eller adressen (navn)")
    withdraw.add_argument("--date", metavar="ÅÅÅÅ-MM-DD",
                          help="datoen samtykket ble trukket (standard: i dag)")
    from_issue = commands.add_parser("from-issue", help="lag et utkast fra en historie sendt med skjemaet på GitHub")
    from_issue.add_argument("file", type=Path, metavar="fil", help="en fil med teksten i saken, slik GitHub skrev den")
    from_issue.add_argument("--sak", type=int, metavar="NUMMER", help="saksnummeret på GitHub (vises i utkastet)")
    commands.add_parser("guide", help="oppdater felttabellene i CONTRIBUTING.md og valgene i skjemaet på GitHub")
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
        return _withdraw(args.story, args.date)
    if args.command == "from-issue":
        return _from_issue(args.file, args.sak, vocabulary)
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
    rel = (target.relative_to(ROOT)).as_posix()
    for line in _without_header(TEMPLATE.read_text(encoding="utf-8").split("\n")):
        if line.startswith("# Sjekk historien med:"):
            line = f"# Sjekk historien med: python -m hooks.storysite check {rel}"
        elif line.startswith("title:"):
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


def _without_header(lines: list[str]) -> list[str]:
    """The template without its header: the comment lines at the top up to a line that is only ``#``,
    which speak of the template itself."""
    if len(lines) > 1 and lines[0] == "---" and "#" in lines:
        end = lines.index("#")
        if all(line.startswith("#") for line in lines[1:end]):
            return [lines[0], *lines[end + 1 :]]
    return lines


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
        found = [p for p in found if _covered(ROOT / p.path, only)]
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


def _covered(path: Path, only: set[Path]) -> bool:
    """Whether a problem's file belongs to one of the stories checked: the story file itself, or, for a
    folder story, any file in its folder (its language versions ``index.<code>.md`` and its pictures),
    so that a version's problems are never hidden when the story or the version is named."""
    path = path.resolve()
    return any(path == story or (story.name == "index.md" and path.is_relative_to(story.parent)) for story in only)


def _story_file(given: Path) -> tuple[Path | None, Problem | None]:
    """The story file a path given to ``check`` stands for: a story file, a story folder's index.md,
    or the story a file in its folder belongs to (a language version stands for its main story, which
    reads and checks it); None for templates; or a problem."""
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


def _withdraw(given: str, when: str | None) -> int:
    """Take a story down: keep only what the tombstone and the archive need (``WITHDRAWN_KEEPS``: the
    consent reference and the date; the file name keeps the address), delete the body and every file
    beside the story, and tell the editor what is left to do."""
    date = when or datetime.date.today().isoformat()
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", date):
        print(f"«{visible(date)}» er ikke en dato på formen ÅÅÅÅ-MM-DD.", file=sys.stderr)
        return 1
    path, refusal = _withdraw_target(given)
    if path is None:
        print(refusal, file=sys.stderr)
        return 1
    rel = path.relative_to(ROOT).as_posix()
    src, problems = source.read(path, rel)
    if src is None:
        print(report(problems) + "\nRett feltene først (teksten og bildene er ikke slettet).", file=sys.stderr)
        return 1
    kept: dict[str, object] = {}
    for key in WITHDRAWN_KEEPS:
        entry = src.entries.get(key)
        if key != "withdrawn" and entry is not None and entry.value is not None:
            kept[key] = entry.value
    lines = [intake.yaml_line(key, value) for key, value in kept.items()]
    if "consent" not in kept:
        lines.append("consent:")
    lines.append(f"withdrawn: {date}")
    dropped = [key for key in src.entries if key not in WITHDRAWN_KEEPS]
    path.write_text("---\n" + "\n".join(lines) + "\n---\n", encoding="utf-8")
    removed = []
    if path.name == "index.md":
        for other in sorted(path.parent.iterdir()):
            if other != path:
                if other.is_dir() and not other.is_symlink():
                    shutil.rmtree(other)
                else:
                    other.unlink()
                removed.append(other.name + ("/" if other.is_dir() else ""))
    slug = path.parent.name if path.name == "index.md" else path.stem
    print(f"Historien «{slug}» er merket som trukket tilbake ({date}) i {rel}.")
    print("Teksten er slettet" + (f", og disse filene: {visible(', '.join(removed))}." if removed else "."))
    if dropped:
        print(f"Feltene {visible(', '.join(dropped))} er slettet: filen sier ikke lenger hvem eller hva historien "
              "handlet om.")
    print("Bare «consent» og «withdrawn» står igjen. Skriv i «consent» når og hvorfor samtykket ble trukket "
          "(det vises aldri).")
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


def _withdraw_target(given: str) -> tuple[Path | None, str]:
    """The story file ``withdraw`` was given (a path as ``check`` takes it, or an address), or why it
    is refused. Nothing is followed through a symbolic link, and nothing outside stories/ is touched."""
    shown = visible(given)
    what = "med adressen " if is_slug(given) else ""
    not_found = (f"Finner ingen historie {what}«{shown}» i stories/. Skriv historiefilen (stories/navn.md), "
                 "mappen (stories/navn/) eller adressen (navn).")
    if is_slug(given):
        candidates = [STORIES / f"{given}.md", STORIES / given / "index.md"]
        existing = [c for c in candidates if c.exists() or c.is_symlink()]
        if len(existing) > 1:
            return None, (f"To historier har adressen «{given}»: {' og '.join(_rel(c) for c in existing)}. "
                          "Skriv filen du mener.")
        if not existing:
            return None, not_found
        path = existing[0]
    else:
        path = Path(given)
        if not path.is_absolute():
            path = Path.cwd() / path
        if path.is_dir() and not path.is_symlink():
            path = path / "index.md"
    stories = STORIES.absolute()
    try:
        inside = path.absolute().relative_to(stories).parts
    except ValueError:
        return None, f"{shown} ligger ikke i mappen stories/. Bare historier i stories/ kan trekkes tilbake."
    for depth in range(len(inside) + 1):
        part = stories.joinpath(*inside[:depth])
        if part.is_symlink():
            return None, (f"{_rel(part)} er en symbolsk lenke, og den følges ikke: ingenting er slettet. "
                          "Historier ligger som vanlige filer og mapper i stories/.")
    if not path.is_file():
        return None, not_found
    if path.resolve() != path.absolute() or not path.resolve().is_relative_to(STORIES.resolve()):
        return None, f"{shown} ligger ikke i mappen stories/. Bare historier i stories/ kan trekkes tilbake."
    story_file, problem = _story_file(path)
    if problem is not None or story_file is None or story_file.resolve() != path.resolve():
        return None, f"{shown} er ikke en historie: skriv stories/navn.md eller stories/navn/ (med index.md)."
    return path, ""


def _rel(path: Path) -> str:
    try:
        return path.absolute().relative_to(ROOT).as_posix()
    except ValueError:
        return visible(path.as_posix())


def _from_issue(file: Path, number: int | None, vocabulary) -> int:
    """Make a draft story from a story sent with the GitHub form, check it, and say what is left."""
    shown = visible(file.as_posix())
    try:
        submission = intake.read(file, shown, vocabulary)
    except intake.IntakeError as error:
        print(visible(str(error)), file=sys.stderr)
        return 1
    if not submission.title:
        print(f"{shown}: svaret under «### {intake.QUESTIONS[0].label}» er tomt; utkastet trenger en tittel.",
              file=sys.stderr)
        return 1
    today = datetime.date.today()
    origin = (f"Fra GitHub-sak #{number}" if number is not None else "Fra skjemaet «Del en historie» på GitHub") + \
        f", laget med «python -m hooks.storysite from-issue» {today.isoformat()}. Fylles ut av redaksjonen."
    try:
        target = intake.write(submission, STORIES, today, origin)
    except FileExistsError as error:
        print(f"Det finnes allerede en historie med adressen «{error}» i stories/. Ingenting er skrevet over. "
              "Er det samme historie, skriv videre i den; ellers gi tittelen i saken et annet ord og prøv igjen.",
              file=sys.stderr)
        return 1
    except intake.IntakeError as error:
        print(str(error), file=sys.stderr)
        return 1
    rel = target.relative_to(ROOT).as_posix()
    print(f"Laget utkastet {rel} fra {shown}.")
    for note in submission.notes:
        print(f"Merk: {visible(note)}")
    _, problems = load_all(STORIES, ROOT, vocabulary, only={target.resolve()})
    mine = [p for p in problems if p.path == rel]
    if mine:
        print()
        print("Sjekken fant dette (det må rettes før historien kan publiseres):")
        print("\n".join(f"  {p}" for p in sorted(mine)))
    print()
    print("Dette må du gjøre:")
    for number_, step in enumerate(intake.to_do(submission, rel), start=1):
        print(f"  {number_}. {visible(step)}")
    return 0


def _guide(vocabulary) -> int:
    """Refresh the generated parts: the guide's tables and the GitHub form's choices."""
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
    form = guide.issue_form(vocabulary)
    form_rel = ISSUE_FORM.relative_to(ROOT).as_posix()
    if not ISSUE_FORM.is_file() or ISSUE_FORM.read_text(encoding="utf-8") != form:
        ISSUE_FORM.parent.mkdir(parents=True, exist_ok=True)
        ISSUE_FORM.write_text(form, encoding="utf-8")
        print(f"Oppdaterte valgene i skjemaet {form_rel}.")
    else:
        print(f"Valgene i skjemaet {form_rel} er oppdatert.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
