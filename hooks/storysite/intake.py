"""From a submitted story to a draft: the GitHub issue form «Del en historie» and its answers.

``QUESTIONS`` is the form: ``guide.issue_form`` writes ``.github/ISSUE_TEMPLATE/historie.yml`` from
it and the vocabulary, and ``parse`` reads an issue's body exactly as GitHub writes it: each question
as a ``### Label`` heading, ``_No response_`` for an empty answer, ``- [X]`` / ``- [ ]`` for each
checkbox. Every byte of the body is hostile: sizes are limited, characters no story may hold are
removed, the front matter is written by the YAML library (never by pasting text into YAML), and the
draft is then checked by the story model like any other story.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from .characters import bad_character, without_refused
from .slugs import nfc, slugify
from .source import MAX_FILE_BYTES
from .vocabulary import Vocabulary

NO_RESPONSE = "_No response_"
MAX_SLUG = 80  # characters of the address made from the title
MINORS_YES = "Ja"
MINORS_NO = "Nei"
MINORS_UNSURE = "Vet ikke"


@dataclass(frozen=True)
class Question:
    """One question of the issue form: its id, its heading (the label GitHub writes as ``### label``),
    its kind (``input``, ``textarea``, ``dropdown``, ``checkboxes``) and what it tells the sender."""

    id: str
    label: str
    kind: str
    description: str
    required: bool = False
    # For choices: the options (label, key) from the vocabulary, or fixed ones.
    options: Callable[[Vocabulary], list[tuple[str, str]]] | None = None


QUESTIONS: tuple[Question, ...] = (
    Question("title", "Tittel", "input", "Noen få ord om hva historien handler om.", required=True),
    Question("description", "Kort fortalt", "textarea",
             "Én eller to setninger om hva som skjedde. Dette står under tittelen.", required=True),
    Question("body", "Historien", "textarea",
             "Hva skjedde? Hvem var med, og hva betydde det? Skriv med dine egne ord. Redaksjonen hjelper deg "
             "med teksten.", required=True),
    Question("authors", "Hvem har skrevet historien?", "input", "Navnet ditt, og andre som har skrevet.",
             required=True),
    Question("values", "Verdier", "checkboxes", "Hvilke av verdiene i visjonen passer? Velg en eller flere.",
             required=False, options=lambda v: [(value.name, value.name) for value in v.values]),
    Question("place", "Sted", "dropdown", "Hvor i Bærum skjedde det?",
             options=lambda v: [(place.name, place.name) for place in v.places]),
    Question("partners", "Hvem er med?", "checkboxes", "Hvem er med og skaper fremtiden sammen i historien?",
             options=lambda v: [(partner.name, partner.key) for partner in v.partners]),
    Question("goals", "Kommunens mål", "checkboxes", "Hvilke av kommunens hovedmål handler historien om? "
             "Hopp over dette hvis du er usikker.", options=lambda v: [(goal.name, goal.key) for goal in v.goals]),
    Question("minors", "Er noen under 15 år med?", "dropdown",
             "Kan noen under 15 år kjennes igjen i historien eller på bildene? Da må foreldrene eller de "
             "foresatte også si ja.",
             options=lambda v: [(MINORS_YES, "true"), (MINORS_NO, "false"), (MINORS_UNSURE, "")]),
    Question("pictures", "Bilder", "textarea",
             "Har du bilder? Skriv hvem som tok dem. Redaksjonen tar kontakt og får bildene av deg."),
)

_HEADING = re.compile(r"### (.*)")
_CHECKBOX = re.compile(r"- \[([ xX])\] (.*)")


class IntakeError(ValueError):
    """The file is not an answer to the form; the message names the file and the heading."""


@dataclass
class Submission:
    """What the sender answered, as plain text and vocabulary keys."""

    title: str
    description: str
    body: str
    authors: tuple[str, ...]
    values: tuple[str, ...] = ()
    place: str | None = None
    partners: tuple[str, ...] = ()
    goals: tuple[str, ...] = ()
    minors: str | None = None  # "true", "false" or None (not answered, or not sure)
    pictures: str | None = None
    notes: list[str] = field(default_factory=list)  # what the converter changed or could not use


def read(path: Path, shown: str, vocabulary: Vocabulary) -> Submission:
    """Read an issue body from ``path`` (``shown`` names it in messages)."""
    try:
        with path.open("rb") as file:
            raw = file.read(MAX_FILE_BYTES + 1)
    except OSError as error:
        raise IntakeError(f"{shown}: filen kan ikke leses ({error.strerror}).") from None
    if len(raw) > MAX_FILE_BYTES:
        raise IntakeError(f"{shown}: filen er over {MAX_FILE_BYTES // 1024} kB; et svar på skjemaet er mye mindre.")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise IntakeError(f"{shown}: filen er ikke lagret som UTF-8.") from None
    return parse(text, shown, vocabulary)


def parse(text: str, shown: str, vocabulary: Vocabulary) -> Submission:
    """The answers in an issue body as GitHub writes it; ``IntakeError`` if it is not one."""
    text = nfc(text.replace("\r\n", "\n").replace("\r", "\n"))
    notes: list[str] = []
    answers = _sections(text, shown)
    clean = {key: _clean(value, key, notes) for key, value in answers.items()}
    by_id = {q.id: q for q in QUESTIONS}

    def one_line(key: str) -> str:
        value = clean[key]
        return " ".join(value.split()) if value is not None else ""

    def chosen(key: str) -> tuple[str, ...]:
        return _ticked(clean[key], by_id[key], vocabulary, notes)

    minors = None
    if clean["minors"] is not None:
        options = dict(by_id["minors"].options(vocabulary)) if by_id["minors"].options else {}
        answer = one_line("minors")
        if answer not in options:
            notes.append(f"svaret «{answer[:60]}» under «### {by_id['minors'].label}» er ikke et av valgene.")
        minors = options.get(answer) or None
    place = one_line("place") or None
    if place is not None and vocabulary.place(place) is None:
        notes.append(f"stedet «{place[:60]}» er ikke i stedslisten, og er ikke tatt med.")
        place = None
    authors = tuple(name.strip() for name in re.split(r",| og ", one_line("authors")) if name.strip())
    return Submission(
        title=one_line("title"), description=one_line("description"), body=(clean["body"] or "").strip("\n"),
        authors=authors, values=chosen("values"), place=place, partners=chosen("partners"),
        goals=chosen("goals"), minors=minors, pictures=one_line("pictures") or None, notes=notes)


def _sections(text: str, shown: str) -> dict[str, str | None]:
    """Each question's answer, by the form's headings in the form's order; ``IntakeError`` if the body
    can be read in more than one way.

    GitHub writes each heading once, in the form's order, but a sender may write a heading into an
    answer (``### Er noen under 15 år med?`` and a forged «Nei» inside «Historien»). So the headings are
    matched twice: each as early as the order allows, and each as late as it allows. Where the two
    agree, only one reading exists, and it is GitHub's: a heading the sender wrote is text of the answer
    it stands in. Where they differ, a forged heading could take the real answer's place (or the other
    way round), so the body is refused, naming each heading written more than once and its lines, for
    the editor to mend."""
    lines = text.split("\n")
    headings = [f"### {question.label}" for question in QUESTIONS]
    starts = _earliest(lines, headings, shown)
    latest = _latest(lines, headings)
    if starts != latest:  # name every heading written more than once: the editor removes them all
        places = {heading: [number for number, line in enumerate(lines, 1) if line.rstrip() == heading]
                  for heading in headings}
        named = "; ".join(f"«{heading}» på linje {_numbers(numbers)}"
                          for heading, numbers in places.items() if len(numbers) > 1)
        raise IntakeError(f"{shown}: noen overskrifter i skjemaet står flere ganger, så det er uklart hvilket svar "
                          f"som er det riktige: {named}. Skjemaet skriver hver overskrift én gang; de andre står "
                          "i et svar. Fjern dem fra svaret (eller skriv dem om, for eksempel til «Sted:»), og prøv "
                          "igjen.")
    answers: dict[str, str | None] = {}
    for index, question in enumerate(QUESTIONS):
        end = starts[index + 1] if index + 1 < len(starts) else len(lines)
        answer = "\n".join(lines[starts[index] + 1 : end]).strip("\n")
        answers[question.id] = None if answer.strip() in ("", NO_RESPONSE) else answer
    return answers


def _earliest(lines: list[str], headings: list[str], shown: str) -> list[int]:
    """The line of each heading, each as early as the form's order allows; ``IntakeError`` if one is
    missing, or if text comes before the first."""
    starts: list[int] = []
    position = 0
    for heading in headings:
        found = next((i for i in range(position, len(lines)) if lines[i].rstrip() == heading), None)
        if found is None:
            if not starts:
                first = next((line for line in lines if line.strip()), "")
                raise IntakeError(
                    f"{shown}: dette er ikke et svar på skjemaet «Del en historie»: fant ikke overskriften "
                    f"«{heading}» (første linje er «{first[:60]}»). Lagre hele teksten i saken, slik GitHub "
                    "viser den under «Edit», og prøv igjen.")
            raise IntakeError(f"{shown}: fant ikke overskriften «{heading}» etter «{headings[len(starts) - 1]}». "
                              "Skjemaet kan ha blitt endret; lagre hele teksten i saken på nytt.")
        if not starts and any(line.strip() for line in lines[:found]):
            raise IntakeError(f"{shown}: det står tekst før overskriften «{heading}»; et svar på skjemaet "
                              "begynner med den.")
        starts.append(found)
        position = found + 1
    return starts


def _latest(lines: list[str], headings: list[str]) -> list[int]:
    """The line of each heading, each as late as the form's order allows (every heading is known to be
    there: ``_earliest`` found them in order)."""
    starts: list[int] = []
    position = len(lines)
    for heading in reversed(headings):
        position = next(i for i in range(position - 1, -1, -1) if lines[i].rstrip() == heading)
        starts.append(position)
    return starts[::-1]


def _numbers(numbers: list[int]) -> str:
    """``[3, 9, 12]`` as «3, 9 og 12»."""
    shown = [str(number) for number in numbers]
    return shown[0] if len(shown) == 1 else ", ".join(shown[:-1]) + " og " + shown[-1]


def _clean(value: str | None, key: str, notes: list[str]) -> str | None:
    """``value`` without the characters no story may hold (controls, bidi overrides, …)."""
    if value is None or not bad_character(value):
        return value
    # In context, line by line: a joiner a word needs is kept, one that only hides something is not.
    kept = "\n".join(without_refused(line) for line in value.split("\n"))
    label = next(q.label for q in QUESTIONS if q.id == key)
    notes.append(f"fjernet {len(value) - len(kept)} usynlige tegn fra svaret under «### {label}».")
    return kept or None


def _ticked(answer: str | None, question: Question, vocabulary: Vocabulary, notes: list[str]) -> tuple[str, ...]:
    """The keys of the ticked boxes; a box the form does not have is noted, not used."""
    if answer is None or question.options is None:
        return ()
    keys = dict(question.options(vocabulary))
    ticked: list[str] = []
    for line in answer.split("\n"):
        match = _CHECKBOX.fullmatch(line.strip())
        if not match:
            continue
        label = " ".join(match.group(2).split())
        if label not in keys:
            notes.append(f"valget «{label[:60]}» under «### {question.label}» finnes ikke, og er ikke tatt med.")
        elif match.group(1) != " " and keys[label] not in ticked:
            ticked.append(keys[label])
    return tuple(ticked)


class _Dumper(yaml.SafeDumper):
    """Never an anchor or alias, whatever the data."""

    def ignore_aliases(self, data: object) -> bool:
        return True


def front_matter(submission: Submission, today: datetime.date, origin: str) -> str:
    """The draft's front matter: every value written by the YAML library, so no answer can end a
    value, add a key or close the block."""
    fields: dict[str, object] = {"title": submission.title, "description": submission.description,
                                 "authors": list(submission.authors)}
    if submission.values:
        fields["tags"] = list(submission.values)
    if submission.place:
        fields["place"] = submission.place
    if submission.partners:
        fields["partners"] = list(submission.partners)
    if submission.goals:
        fields["goals"] = list(submission.goals)
    lines = [f"# {origin}"]
    for key, value in fields.items():
        lines.append(yaml_line(key, value))
        if key == "description":
            lines.append(f"date: {today.isoformat()}")
    lines.append("# Hvor samtykket fra dem som er med, er arkivert (saksnummer). Fylles ut av redaksjonen.")
    lines.append("consent:")
    if submission.minors:
        lines.append(f"minors: {submission.minors}")
    if submission.minors == "true":
        lines.append("guardian_consent:")
    lines.append("draft: true")
    return "---\n" + "\n".join(lines) + "\n---\n"


def yaml_line(key: str, value: object) -> str:
    """``key: value`` on one line, the value quoted and escaped by the YAML library as it needs; a list
    as ``[a, b]``, like the template's."""
    if isinstance(value, list):
        flow = yaml.dump(value, Dumper=_Dumper, allow_unicode=True, width=1_000_000, default_flow_style=True)
        return f"{key}: " + flow.rstrip("\n")
    line = yaml.dump({key: value}, Dumper=_Dumper, allow_unicode=True, width=1_000_000, default_flow_style=False)
    return line.rstrip("\n")


def slug_for(title: str) -> str:
    """The address made from the title, cut at a hyphen to at most ``MAX_SLUG`` characters."""
    slug = slugify(title)
    if len(slug) > MAX_SLUG:
        slug = slug[:MAX_SLUG].rsplit("-", 1)[0]
    return slug or "historie"


def write(submission: Submission, stories_dir: Path, today: datetime.date, origin: str) -> Path:
    """Write ``stories/<slug>/index.md``; ``FileExistsError`` if any story has that address,
    ``IntakeError`` if ``stories/`` is not a plain folder."""
    if stories_dir.is_symlink() or not stories_dir.is_dir():
        raise IntakeError("mappen stories/ er en symbolsk lenke eller finnes ikke; utkastet er ikke skrevet.")
    slug = slug_for(submission.title)
    folder = stories_dir / slug
    if (stories_dir / f"{slug}.md").exists() or folder.exists() or folder.is_symlink():
        raise FileExistsError(slug)
    folder.mkdir()
    target = folder / "index.md"
    text = front_matter(submission, today, origin) + "\n" + submission.body + "\n"
    with target.open("x", encoding="utf-8", newline="\n") as file:
        file.write(text)
    return target


def to_do(submission: Submission, rel: str) -> list[str]:
    """What the editor must still do before the draft can be published."""
    steps = ["Les gjennom teksten sammen med den som sendte den, og rett språket (klarspråk, korte avsnitt).",
             "Få samtykke fra alle som er med i historien eller på bildene, og skriv saksnummeret i «consent:».",
             ]
    if submission.minors == "true":
        steps.append("Noen under 15 år er med: få samtykke fra foreldrene eller de foresatte, og skriv "
                     "saksnummeret i «guardian_consent:».")
    elif submission.minors is None:
        steps.append("Finn ut om noen under 15 år kan kjennes igjen. Skriv «minors: true» (og «guardian_consent:») "
                     "eller «minors: false».")
    if submission.pictures:
        steps.append(f"Bilder: «{submission.pictures[:200]}». Få bildene, legg dem i mappen ved siden av "
                     "index.md, og fyll inn «image:», «image_alt:» og «image_credit:».")
    if not submission.values:
        steps.append("Velg minst én verdi i «tags:» (mangfold, raushet, bærekraft).")
    steps.append(f"Fjern linjen «draft: true», og sjekk: python -m hooks.storysite check {rel}")
    return steps
