"""From a story sent with the GitHub form to a draft: `from-issue` reads the issue body exactly as GitHub
writes it, treats every byte as hostile, and never overwrites a story; the form's choices come from the
vocabulary; the workflow that runs it keeps the sender's text out of its scripts."""

from __future__ import annotations

import datetime

import pytest
import yaml
from conftest import ROOT, build, make_project, story_text
from storysite import guide, intake, source, story, vocabulary
from test_commands import run

VOCABULARY = vocabulary.load(ROOT / "data" / "vocabulary.yml")


def issue_body(answers: dict[str, object], newline: str = "\n") -> str:
    """An issue body as GitHub writes a form's answers: «### Label», a blank line, the answer (or
    «_No response_»), a blank line; every checkbox of a group as «- [X]» or «- [ ]»."""
    parts = []
    for question in intake.QUESTIONS:
        answer = answers.get(question.id)
        if question.kind == "checkboxes":
            ticked = set(answer or ())
            text = "\n".join(f"- [{'X' if label in ticked else ' '}] {label}"
                             for label, _ in question.options(VOCABULARY))
        else:
            text = str(answer) if answer else "_No response_"
        parts.append(f"### {question.label}\n\n{text}")
    return "\n\n".join(parts).replace("\n", newline)


GOOD = {"title": "Naboer på Jar bygger en gapahuk", "description": "Hele nabolaget bygde en gapahuk ved skogen.",
        "body": "Det startet med en lapp på oppslagstavla.", "authors": "Kari Nordmann, Ola Nordmann",
        "values": ["mangfold", "bærekraft"], "place": "Jar", "partners": ["Innbyggere", "Frivillige organisasjoner"],
        "goals": ["Dialog og medvirkning"], "minors": "Nei"}

# Held out: written by hand as GitHub's API returns it (CRLF line breaks), never used while writing intake.py.
HELD_OUT = (
    "### Tittel\r\n\r\nUngdomsklubben på Rykkinn lager suppe til eldresenteret\r\n\r\n"
    "### Kort fortalt\r\n\r\nHver fredag lager ungdommene suppe og spiser den sammen med de eldre.\r\n\r\n"
    "### Historien\r\n\r\nDet begynte som et prosjekt i heimkunnskap.\r\n\r\n"
    "## Nå kommer alle\r\n\r\n– Vi lærer like mye av dem som de av oss, sier en av ungdommene.\r\n\r\n"
    "### Hvem har skrevet historien?\r\n\r\nAmina Hassan og Jonas Berg\r\n\r\n"
    "### Verdier\r\n\r\n- [ ] mangfold\r\n- [X] raushet\r\n- [ ] bærekraft\r\n\r\n"
    "### Sted\r\n\r\nRykkinn\r\n\r\n"
    "### Hvem er med?\r\n\r\n- [ ] Innbyggere\r\n- [ ] Medarbeidere i kommunen\r\n- [ ] Politikere\r\n"
    "- [X] Ungdom og Ungdommens kommunestyre\r\n- [ ] Næringsliv\r\n- [ ] Velforeninger\r\n"
    "- [ ] Frivillige organisasjoner\r\n- [X] Kommunens tjenestesteder\r\n\r\n"
    "### Kommunens mål\r\n\r\n- [ ] Bærekraftige tjenester\r\n- [ ] Balansert samfunnsutvikling\r\n"
    "- [ ] En innovativ organisasjon\r\n- [ ] Dialog og medvirkning\r\n\r\n"
    "### Er noen under 15 år med?\r\n\r\nJa\r\n\r\n"
    "### Bilder\r\n\r\nTo bilder, tatt av klubblederen.")


def from_issue(project, body: str, *args: str):
    path = project / "sak.md"
    path.write_bytes(body.encode("utf-8"))
    return run(project, "from-issue", str(path), *args)


def test_held_out_issue_becomes_a_draft_that_check_accepts_once_the_consent_is_filled_in(tmp_path):
    project = make_project(tmp_path, {})
    result = from_issue(project, HELD_OUT, "--sak", "41")
    assert result.returncode == 0, result.stderr
    rel = "stories/ungdomsklubben-pa-rykkinn-lager-suppe-til-eldresenteret/index.md"
    assert result.stdout.startswith(f"Laget utkastet {rel} fra ")
    assert f"  {rel}:" in result.stdout and "consent: feltet er tomt." in result.stdout
    assert "guardian_consent" in result.stdout and "To bilder, tatt av klubblederen." in result.stdout
    text = (project / rel).read_text(encoding="utf-8")
    assert text.startswith("---\n# Fra GitHub-sak #41, laget med «python -m hooks.storysite from-issue»")
    assert "\ndraft: true\n" in text and "\nminors: true\n" in text
    assert "\n## Nå kommer alle\n" in text and "\r" not in text

    filled = (text.replace("\nconsent:\n", "\nconsent: Saksnr. 2026/77\n")
              .replace("\nguardian_consent:\n", "\nguardian_consent: Saksnr. 2026/78\n")
              .replace("\ndraft: true\n", "\n"))
    (project / rel).write_text(filled, encoding="utf-8")
    checked = run(project, "check", rel)
    assert checked.returncode == 0, checked.stderr
    site = build(project)
    assert site.error is None, site.errors()
    page = site.article("historier/ungdomsklubben-pa-rykkinn-lager-suppe-til-eldresenteret/")
    assert page.h1.get_text(strip=True) == "Ungdomsklubben på Rykkinn lager suppe til eldresenteret"
    assert site.card_titles("sammen/ungdom/") == ["Ungdomsklubben på Rykkinn lager suppe til eldresenteret"]


def test_answers_are_read_as_github_writes_them(tmp_path):
    submission = intake.parse(issue_body({**GOOD, "goals": None, "minors": None}), "sak.md", VOCABULARY)
    assert submission.title == GOOD["title"] and submission.authors == ("Kari Nordmann", "Ola Nordmann")
    assert submission.values == ("mangfold", "bærekraft") and submission.place == "Jar"
    assert submission.partners == ("innbyggere", "frivillige") and submission.goals == ()
    assert submission.minors is None and submission.pictures is None and submission.notes == []
    crlf = intake.parse(issue_body(GOOD, newline="\r\n"), "sak.md", VOCABULARY)
    assert crlf.goals == ("dialog",) and crlf.minors == "false" and crlf.body == GOOD["body"]


def test_a_body_that_is_not_the_form_is_refused_naming_the_file_and_heading(tmp_path):
    project = make_project(tmp_path, {})
    plain = from_issue(project, "Hei! Her er historien min om dugnaden.\n")
    assert plain.returncode == 1 and not list((project / "stories").glob("*/index.md"))
    assert "sak.md: dette er ikke et svar på skjemaet «Del en historie»: fant ikke overskriften «### Tittel»" \
        in plain.stderr
    cut = issue_body(GOOD).split("### Sted")[0]
    missing = from_issue(project, cut)
    assert missing.returncode == 1
    assert "sak.md: fant ikke overskriften «### Sted» etter «### Verdier»." in missing.stderr
    assert "Traceback" not in plain.stderr + missing.stderr


def test_from_issue_never_overwrites_a_story(tmp_path):
    project = make_project(tmp_path, {"naboer-pa-jar-bygger-en-gapahuk.md": story_text(title="Den gamle")})
    result = from_issue(project, issue_body(GOOD))
    assert result.returncode == 1
    assert "Det finnes allerede en historie med adressen «naboer-pa-jar-bygger-en-gapahuk»" in result.stderr
    assert "title: Den gamle" in (project / "stories" / "naboer-pa-jar-bygger-en-gapahuk.md").read_text(encoding="utf-8")
    assert not (project / "stories" / "naboer-pa-jar-bygger-en-gapahuk").exists()


HOSTILE_TITLES = [
    'Kafé: «alle» er "velkomne" og \'ingen\' går hjem',
    "a: b # ikke en kommentar",
    "---",
    "{{ config.extra }} {% raw %} ${HOME} $(id)",
    "- [X] ser ut som en avkrysning",
    "&anker *alias !!python/object:os.system",
    "null",
    "yes",
    "2020-01-01",
    "Lang " + "tittel " * 40,
]


@pytest.mark.parametrize("title", HOSTILE_TITLES)
def test_hostile_titles_stay_one_value_of_one_field(tmp_path, title):
    stories = tmp_path / "stories"
    stories.mkdir()
    submission = intake.parse(issue_body({**GOOD, "title": title}), "sak.md", VOCABULARY)
    path = intake.write(submission, stories, datetime.date(2026, 1, 2), "Fra en test")
    src, problems = source.read(path, "x")
    assert problems == [] and src is not None
    assert list(src.entries) == ["title", "description", "date", "authors", "tags", "place", "partners", "goals",
                                 "consent", "minors", "draft"]
    assert src.entries["title"].value == " ".join(title.split())
    assert src.entries["draft"].value == "true" and src.entries["consent"].value is None
    _, found = story.load(path.parent.name, path, stories, tmp_path, VOCABULARY, datetime.date(2026, 1, 2))
    fields = {p.field for p in found}
    assert fields == ({"consent", "title"} if len(title) > 120 else {"consent"}), found


def test_a_title_over_several_lines_with_a_forged_heading_and_bidi_characters_is_cleaned(tmp_path):
    stories = tmp_path / "stories"
    stories.mkdir()
    title = "Første linje\nandre: linje\n---\ntitle: injisert\u202e\u2066 slutt\x07"
    submission = intake.parse(issue_body({**GOOD, "title": title}), "sak.md", VOCABULARY)
    assert submission.title == "Første linje andre: linje --- title: injisert slutt"
    assert submission.notes == ["fjernet 3 usynlige tegn fra svaret under «### Tittel»."]
    path = intake.write(submission, stories, datetime.date(2026, 1, 2), "Fra en test")
    src, _ = source.read(path, "x")
    assert src is not None and src.entries["title"].value == submission.title
    assert list(src.entries)[:2] == ["title", "description"] and "injisert" not in src.entries


def test_a_hostile_body_cannot_reach_the_front_matter_and_is_checked_like_a_story(tmp_path):
    project = make_project(tmp_path, {})
    body = "Tekst.\n\n---\ntitle: Injisert\ndraft: false\n---\n\n<script>alert(1)</script>\n\n### Sted\n\nSandvika"
    result = from_issue(project, issue_body({**GOOD, "body": body}))
    assert result.returncode == 0, result.stderr
    path = project / "stories" / "naboer-pa-jar-bygger-en-gapahuk" / "index.md"
    src, _ = source.read(path, "x")
    assert src is not None and src.entries["title"].value == GOOD["title"]
    assert src.entries["draft"].value == "true" and src.entries["place"].value == "Jar"
    assert "<script>alert(1)</script>" in src.body and "### Sted\n\nSandvika" in src.body
    problems = [line.strip() for line in result.stdout.splitlines() if line.startswith("  stories/")]
    assert any(": tekst:" in line and "script" in line for line in problems), problems  # the sanitiser's


FORGED = ("Det startet med en lapp.\n\n### Hvem har skrevet historien?\n\nFalsk Forfatter\n\n### Verdier\n\n"
          "- [X] raushet\n\n### Sted\n\nSandvika\n\n### Er noen under 15 år med?\n\nNei")


def test_forged_headings_in_the_story_never_take_the_real_answers_the_body_is_refused_naming_them(tmp_path):
    # The real answers say that a child is in the story («Ja»); the forged ones, written inside
    # «Historien», say «Nei». Whichever way the body is read, the forged answers must not win.
    project = make_project(tmp_path, {})
    body = issue_body({**GOOD, "body": FORGED, "minors": "Ja", "pictures": "To bilder fra dugnaden."})
    with pytest.raises(intake.IntakeError) as refused:
        intake.parse(body, "sak.md", VOCABULARY)
    message = str(refused.value)
    for heading in ("Hvem har skrevet historien?", "Verdier", "Sted", "Er noen under 15 år med?"):
        assert f"«### {heading}»" in message
    lines = body.split("\n")
    authors = [number for number, line in enumerate(lines, 1) if line == "### Hvem har skrevet historien?"]
    assert len(authors) == 2 and f"linje {authors[0]} og {authors[1]}" in message
    assert "«### Hvem er med?»" not in message and "«### Bilder»" not in message
    result = from_issue(project, body)
    assert result.returncode == 1 and "sak.md: noen overskrifter i skjemaet står flere ganger" in result.stderr
    assert not (project / "stories" / "naboer-pa-jar-bygger-en-gapahuk").exists()


def test_a_forged_heading_of_the_last_answer_inside_it_is_refused_too(tmp_path):
    pictures = "Tre bilder.\n\n### Er noen under 15 år med?\n\nNei\n\n### Bilder\n\nIngen."
    with pytest.raises(intake.IntakeError, match=r"«### Er noen under 15 år med\?».*«### Bilder»"):
        intake.parse(issue_body({**GOOD, "minors": "Ja", "pictures": pictures}), "sak.md", VOCABULARY)


def test_a_heading_that_can_only_be_text_of_an_answer_stays_in_that_answer(tmp_path):
    # «### Bilder» inside «Historien» cannot be the real one: the real «### Hvem har skrevet historien?»
    # and every heading after it come later, once each.
    body = "Tekst.\n\n### Bilder\n\nIngen bilder her.\n\n### Tittel\n\nOgså tekst."
    submission = intake.parse(issue_body({**GOOD, "body": body, "pictures": "Ett bilde."}), "sak.md", VOCABULARY)
    assert submission.body == body and submission.pictures == "Ett bilde."
    assert submission.authors == ("Kari Nordmann", "Ola Nordmann") and submission.place == "Jar"


def test_an_oversized_or_binary_body_is_refused(tmp_path):
    project = make_project(tmp_path, {})
    big = from_issue(project, issue_body({**GOOD, "body": "x" * 300_000}))
    assert big.returncode == 1 and "filen er over 256 kB" in big.stderr
    (project / "sak.md").write_bytes(b"### Tittel\n\n\xff\xfe")
    binary = run(project, "from-issue", "sak.md")
    assert binary.returncode == 1 and "sak.md: filen er ikke lagret som UTF-8." in binary.stderr


def test_issue_form_is_current_and_its_choices_are_the_vocabulary():
    path = ROOT / ".github" / "ISSUE_TEMPLATE" / "historie.yml"
    text = path.read_text(encoding="utf-8")
    assert text == guide.issue_form(VOCABULARY), "run: python -m hooks.storysite guide"
    form = yaml.safe_load(text)
    items = {item["id"]: item for item in form["body"] if "id" in item}
    assert [item["attributes"]["label"] for item in items.values()] == [q.label for q in intake.QUESTIONS]
    raw = yaml.safe_load((ROOT / "data" / "vocabulary.yml").read_text(encoding="utf-8"))

    def labels(key):
        return [option["label"] for option in items[key]["attributes"]["options"]]

    assert labels("values") == [v["name"] for v in raw["values"]]
    assert items["place"]["attributes"]["options"] == [p["name"] for p in raw["places"]]
    assert labels("partners") == [p["name"] for p in raw["partners"]]
    assert labels("goals") == [g["name"] for g in raw["goals"]]


def test_publish_workflow_uses_githubs_own_actions_least_permissions_and_no_body_in_a_script():
    text = (ROOT / ".github" / "workflows" / "publiser.yml").read_text(encoding="utf-8")
    workflow = yaml.safe_load(text)
    assert workflow[True] == {"issues": {"types": ["labeled"]}}  # YAML 1.1 reads the key «on» as true
    assert workflow["permissions"] == {"contents": "write", "pull-requests": "write", "issues": "read"}
    job = workflow["jobs"]["utkast"]
    assert "github.event.label.name == 'publiser'" in job["if"]
    uses = [step["uses"].split("@")[0] for step in job["steps"] if "uses" in step]
    assert uses == ["actions/checkout", "actions/setup-python"]
    assert job["steps"][0]["with"]["persist-credentials"] is False
    for step in job["steps"]:
        assert "${{" not in step.get("run", ""), step["run"]  # untrusted text only through env
    assert any(step.get("env", {}).get("ISSUE_BODY") == "${{ github.event.issue.body }}" for step in job["steps"])
    assert "gh pr create" in text


def test_from_issue_refuses_to_write_through_a_stories_folder_that_is_a_symbolic_link(tmp_path):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (tmp_path / "stories").symlink_to(elsewhere, target_is_directory=True)
    submission = intake.parse(issue_body(GOOD), "sak.md", VOCABULARY)
    with pytest.raises(intake.IntakeError, match="symbolsk lenke"):
        intake.write(submission, tmp_path / "stories", datetime.date(2026, 1, 2), "Fra en test")
    assert list(elsewhere.iterdir()) == []


def test_invisible_characters_that_hide_a_message_are_removed_in_context_and_joiners_a_word_needs_kept():
    notes: list[str] = []
    question = intake.QUESTIONS[0].id
    # a zero-width space and a variation selector carry nothing a reader sees; the ZWNJ inside a
    # Persian word is part of its spelling
    cleaned = intake._clean("Hei\u200bpå deg\uFE01\nمی\u200cخواهم", question, notes)
    assert cleaned == "Heipå deg\nمی\u200cخواهم"
    assert notes and notes[0].startswith("fjernet 2 usynlige tegn")
