"""«Del din historie» by e-mail: ``mailto:`` links that open the reader's own mail program with a
subject and a body to fill in. Nothing passes through another host and no script runs.

The address is ``extra.story_email`` in ``mkdocs.yml``; the questions follow the story's fields, so
an editor can turn the answer into a story (see ``stories/_mal.md``).
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote

SUBJECT = "Min historie til «Sammen skaper vi fremtiden»"
YOUTH_SUBJECT = "Historie fra ungdom til «Sammen skaper vi fremtiden»"

# One question a line, each followed by an empty line to write in. RFC 6068 asks for CRLF line breaks.
QUESTIONS = (
    "Tittel (noen få ord om hva historien handler om):",
    "Hva skjedde?",
    "Hvor i Bærum skjedde det?",
    "Hvilke av verdiene passer best: mangfold, raushet eller bærekraft?",
    "Hvem var med?",
    "Har du bilder? Hvem tok dem?",
    "Navnet ditt og telefonnummeret ditt, så redaksjonen kan ta kontakt:",
)
YOUTH_QUESTIONS = (
    "Hva vil du kalle historien?",
    "Hva skjedde?",
    "Hvor i Bærum var det?",
    "Hva passer best: mangfold, raushet eller bærekraft?",
    "Hvem var med?",
    "Har du bilder? Hvem tok dem?",
    "Hvor gammel er du?",
    "Navnet ditt og telefonnummeret ditt, så vi kan ta kontakt:",
)


@dataclass(frozen=True)
class StoryMail:
    """The two e-mail links: for everyone, and for young people (on /sammen/ungdom/)."""

    address: str
    everyone: str
    youth: str


def links(address: str) -> StoryMail | None:
    """The e-mail links to ``address``; None when the site has no story address."""
    address = address.strip()
    if not address:
        return None
    return StoryMail(address=address, everyone=mailto(address, SUBJECT, _form(QUESTIONS)),
                     youth=mailto(address, YOUTH_SUBJECT, _form(YOUTH_QUESTIONS)))


def mailto(address: str, subject: str, body: str) -> str:
    """A ``mailto:`` address with subject and body, every reserved character percent-encoded (RFC 6068:
    spaces as %20, never +; line breaks as %0D%0A)."""
    return (f"mailto:{quote(address, safe='@')}?subject={quote(subject, safe='')}"
            f"&body={quote(body.replace(chr(10), chr(13) + chr(10)), safe='')}")


def _form(questions: tuple[str, ...]) -> str:
    return "".join(f"{question}\n\n" for question in questions)
