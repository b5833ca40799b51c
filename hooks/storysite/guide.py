"""The contributor guide's reference part, generated from the schema and the vocabulary.

``CONTRIBUTING.md`` keeps the generated tables between two marker lines; ``python -m
hooks.storysite guide`` rewrites them, the tests check they are current, and the site's /bidra/
page is rendered with freshly generated tables, so the guide never drifts from the data.
"""

from __future__ import annotations

import re

from .fields import FIELDS
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


def for_site(text: str, vocabulary: Vocabulary) -> str:
    """The guide as a site page: fresh tables, and links into the repository shown as plain paths."""
    text = fill(text, vocabulary)
    return re.sub(r"\[([^\]]+)\]\((?!https?:|mailto:|#)([^)]+)\)", r"\1 (`\2`)", text)
