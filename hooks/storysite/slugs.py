"""Transliteration and slug rules, as Bærum's own site writes its addresses."""

from __future__ import annotations

import re
import unicodedata

_TRANSLITERATION = str.maketrans({"æ": "a", "ø": "o", "å": "a", "Æ": "a", "Ø": "o", "Å": "a"})
_SLUG_RE = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")  # always with fullmatch: «$» matches before a final newline


def nfc(text: str) -> str:
    """Return ``text`` in Unicode normal form C (files saved on a Mac can arrive in NFD)."""
    return unicodedata.normalize("NFC", text)


def slugify(text: str) -> str:
    """Make a web address part: «Bærums Verk» → ``barums-verk``."""
    text = nfc(text).translate(_TRANSLITERATION).lower()
    # Drop remaining accents (é → e), then anything that is not a-z or 0-9.
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")


def is_slug(text: str) -> bool:
    """Tell whether ``text`` is a valid slug: lowercase a–z, 0–9 and single hyphens."""
    return bool(_SLUG_RE.fullmatch(text))


def fold(text: str) -> str:
    """Compare words without regard to case or Unicode normal form."""
    return nfc(text).strip().casefold()
