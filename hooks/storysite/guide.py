"""What is generated from the schema and the vocabulary: the contributor guide's reference part and
the GitHub issue form's choices.

``CONTRIBUTING.md`` keeps the generated tables between two marker lines; ``python -m
hooks.storysite guide`` rewrites them and ``.github/ISSUE_TEMPLATE/historie.yml``, the tests check
both are current, and the site's /bidra/redaksjon/ page is rendered with freshly generated tables,
so neither the guide nor the form drifts from the data.
"""

from __future__ import annotations

import re

import yaml

from .fields import FIELDS
from .intake import QUESTIONS
from .vocabulary import Vocabulary

START = "<!-- felter:start -->"
END = "<!-- felter:slutt -->"


def reference(vocabulary: Vocabulary) -> str:
    """Markdown tables of every field, value, focus area and place."""
    lines = ["| Felt | Påkrevd | Hva det er |", "|---|---|---|"]
    for field in FIELDS.values():
        lines.append(f"| `{field.key}` | {'ja' if field.required else 'nei'} | {field.help} |")
    lines += ["", "**Verdier** (`tags`, én eller flere):", "", "| Verdi | Hva den betyr |", "|---|---|"]
    lines += [f"| `{v.name}` | {v.description} |" for v in vocabulary.values]
    lines += ["", "**Satsingsområder** (`focus`, ett eller flere):", "",
              "| Skriv | Satsingsområde | Ordlyd i visjonen |", "|---|---|---|"]
    lines += [f"| `{f.key}` | {f.name} | {f.wording} |" for f in vocabulary.focus]
    lines += ["", "**Hvem er med** (`partners`, én eller flere):", "",
              "| Skriv | Hvem | Hva det betyr |", "|---|---|---|"]
    lines += [f"| `{p.key}` | {p.name} | {p.description} |" for p in vocabulary.partners]
    lines += ["", "**Kommunens hovedmål** (`goals`, ett eller flere):", "", "| Skriv | Mål |", "|---|---|"]
    lines += [f"| `{g.key}` | {g.wording} |" for g in vocabulary.goals]
    lines += ["", "**Steder** (`place`, ett av disse):", "", ", ".join(p.name for p in vocabulary.places) + "."]
    return "\n".join(lines)


def fill(text: str, vocabulary: Vocabulary) -> str:
    """``text`` with the reference between the markers replaced by a fresh one."""
    pattern = re.compile(re.escape(START) + r".*?" + re.escape(END), re.DOTALL)
    if not pattern.search(text):
        raise ValueError(f"fant ikke merkene {START} og {END}")
    block = f"{START}\n<!-- Generert fra data/vocabulary.yml med «python -m hooks.storysite guide». -->\n\n" \
            f"{reference(vocabulary)}\n\n{END}"
    return pattern.sub(lambda _: block, text, count=1)


def for_site(text: str, vocabulary: Vocabulary, depth: int = 2) -> str:
    """The guide as a site page ``depth`` folders below the root: fresh tables, links to the site's own
    pages (``docs/…``) as links from there, other links into the repository shown as plain paths."""
    text = fill(text, vocabulary)
    text = re.sub(r"\]\(docs/([^)]+\.md)\)", lambda m: "](" + "../" * depth + m.group(1) + ")", text)
    return re.sub(r"\[([^\]]+)\]\((?!https?:|mailto:|#|\.\./)([^)]+)\)", r"\1 (`\2`)", text)


FORM_HEADER = """\
# Skjemaet «Del en historie» på GitHub. Generert fra data/vocabulary.yml og hooks/storysite/intake.py
# med «python -m hooks.storysite guide»: endre det der, ikke her. «from-issue» leser svarene.
"""


def issue_form(vocabulary: Vocabulary) -> str:
    """The GitHub issue form ``historie.yml``: the questions of ``intake.QUESTIONS`` with their
    choices from the vocabulary, so ``from-issue`` can read every answer."""
    body: list[dict] = [{"type": "markdown", "attributes": {"value": (
        "Takk for at du vil dele en historie! Svar med dine egne ord. En redaktør i kommunen tar kontakt, "
        "hjelper deg med teksten og spør alle som er med om samtykke før noe blir publisert. Det du skriver "
        "her, kan alle på GitHub lese. Skriv derfor ikke telefonnummer eller adresse; redaksjonen tar "
        "kontakt med deg her i saken.")}}]
    for question in QUESTIONS:
        attributes: dict[str, object] = {"label": question.label, "description": question.description}
        if question.options is not None:
            labels = [label for label, _ in question.options(vocabulary)]
            attributes["options"] = labels if question.kind == "dropdown" else [{"label": label} for label in labels]
        item: dict[str, object] = {"type": question.kind, "id": question.id, "attributes": attributes}
        if question.required:
            item["validations"] = {"required": True}
        body.append(item)
    form = {"name": "Del en historie", "description": "Send en historie om mangfold, raushet eller bærekraft i Bærum.",
            "title": "Historie: ", "labels": ["historie"], "body": body}
    return FORM_HEADER + yaml.safe_dump(form, allow_unicode=True, sort_keys=False, width=100)
