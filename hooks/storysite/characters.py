"""Characters no story text may hold: what XML forbids, and what makes text look like something else."""

from __future__ import annotations

import re
import unicodedata

# Bidirectional formatting: they reorder what a reader sees (a spoofed title or link text).
BIDI_CONTROLS = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
# Unicode tag characters (U+E0000–U+E007F): invisible letters that can carry a hidden message.
TAGS = range(0xE0000, 0xE0080)
# Letters and symbols that are drawn as nothing: the Hangul fillers and the blank Braille pattern.
BLANK_LOOKING = frozenset("\u115f\u1160\u3164\uffa0\u2800")


def xml_forbidden(char: str) -> bool:
    """Whether XML 1.0 forbids ``char`` (feeds, sitemap) or it is a C1 control."""
    code = ord(char)
    if code in (0x9, 0xA, 0xD):
        return False
    return code < 0x20 or 0x7F <= code <= 0x9F or 0xD800 <= code <= 0xDFFF or code in (0xFFFE, 0xFFFF)


_BAD = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff\U000e0000-\U000e007f"
                  + "".join(BIDI_CONTROLS) + "]")


def bad_character(text: str) -> str | None:
    """What is wrong with the first character a story may not hold, in words for the editor, or None."""
    match = _BAD.search(text)
    if match is None:
        return None
    char = match.group()
    if char in BIDI_CONTROLS:
        return f"teksten har et usynlig tegn som snur leseretningen (U+{ord(char):04X})"
    if ord(char) in TAGS:
        return f"teksten har et usynlig merketegn (U+{ord(char):04X})"
    return f"teksten har et usynlig kontrolltegn (U+{ord(char):04X})"


def renders_empty(text: str) -> bool:
    """Whether ``text`` shows nothing: only spaces, invisible formatting characters, marks with
    nothing to sit on, and letters drawn as blank (Hangul fillers, the empty Braille pattern)."""
    return all(char.isspace() or char in BLANK_LOOKING or unicodedata.category(char) in _SHOWS_NOTHING
               for char in text)


_SHOWS_NOTHING = ("Cf", "Cc", "Zs", "Mn")


def visible(text: str) -> str:
    """``text`` with every control character shown as its code, so printing it cannot start a new
    line (a forged CI workflow command such as ``::error``) or move the cursor."""
    return "".join(
        f"<U+{ord(char):04X}>" if unicodedata.category(char) == "Cc" or char in BIDI_CONTROLS
        or char in "\u2028\u2029" or ord(char) in TAGS else char
        for char in text
    )
