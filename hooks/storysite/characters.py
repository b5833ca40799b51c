"""Characters no story text may hold: what XML forbids, what makes text look like something else, and
invisible characters that can carry a hidden message."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator

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


# Invisible characters that can carry a hidden message: zero-width space and joiners, the word joiner
# and invisible operators, a byte-order mark inside text, the Mongolian vowel separator, and variation
# selectors (each of which can stand for a byte after one visible character). Two pairs are kept where
# a reader needs them: ZWNJ and ZWJ (U+200C, U+200D) part or join letters in Persian, Arabic, Urdu and
# Indic scripts and join emoji (👨‍👩‍👧), so one of them is allowed between two letters, marks or
# symbols; U+FE0E and U+FE0F choose text or emoji style (❤️), so one of them is allowed right after a
# visible character. Anything more (a run of them, one at a word's edge, the other selectors) shows
# nothing and may say something.
INVISIBLE = re.compile("[\u180e\u200b-\u200d\u2060-\u2064\ufeff\ufe00-\ufe0f\U000e0100-\U000e01ef]")
_JOINERS = "\u200c\u200d"
_STYLE_SELECTORS = "\ufe0e\ufe0f"
# Every character ``bad_character`` may refuse (whether it does can depend on its neighbours).
MAYBE_REFUSED = re.compile(_BAD.pattern[:-1] + INVISIBLE.pattern[1:-1] + "]")


def refused(text: str) -> Iterator[str]:
    """Each character of ``text`` that ``bad_character`` refuses, in order."""
    for at in _refused_at(text):
        yield text[at]


def without_refused(text: str) -> str:
    """``text`` without the characters ``bad_character`` refuses (joiners a word needs are kept)."""
    drop = set(_refused_at(text))
    return "".join(char for at, char in enumerate(text) if at not in drop) if drop else text


def _refused_at(text: str) -> Iterator[int]:
    for match in MAYBE_REFUSED.finditer(text):
        char, at = match.group(), match.start()
        if _BAD.match(char) or not _needed(char, text[at - 1: at], text[at + 1: at + 2]):
            yield at


def _needed(char: str, before: str, after: str) -> bool:
    """Whether an invisible ``char`` between ``before`` and ``after`` is one a reader needs."""
    if char in _JOINERS:
        return _joinable(before) and _joinable(after)
    if char in _STYLE_SELECTORS:
        return bool(before) and not before.isspace() and not INVISIBLE.match(before)
    return False


def _joinable(char: str) -> bool:
    return bool(char) and (unicodedata.category(char)[0] in "LMS" or char in _STYLE_SELECTORS)


def bad_character(text: str) -> str | None:
    """What is wrong with the first character a story may not hold, in words for the editor, or None.

    A text that shows nothing at all is left to ``renders_empty``, whose message fits it better,
    unless it holds a character XML forbids or one that turns the reading direction."""
    char = next(refused(text), None)
    if char is None or (INVISIBLE.match(char) and renders_empty(text) and not _BAD.search(text)):
        return None
    return describe(char)


def describe(char: str) -> str:
    """What is wrong with ``char``, one that ``refused`` gives, in words for the editor."""
    if INVISIBLE.match(char):
        return f"teksten har et usynlig tegn (U+{ord(char):04X}) som kan skjule tekst"
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
