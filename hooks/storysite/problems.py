"""A problem in a story, worded for the editor who has to fix it."""

from __future__ import annotations

from dataclasses import dataclass

from .characters import visible

MAX_FIELD_SHOWN = 60  # a field name is what the editor typed: show the start of a very long one


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong in one story file.

    ``path`` is relative to the project (``stories/x.md``); ``line`` is the line in that file,
    when known; ``field`` names the front-matter key, or the part of the file (``fil``,
    ``front matter``, ``tekst``).
    """

    path: str
    line: int | None
    field: str
    message: str
    suggestion: str | None = None

    def __str__(self) -> str:
        """One line, whatever the story held: control characters are shown as codes, so a printed
        problem can never start a line of its own (GitHub Actions reads ``::error`` at a line start)."""
        where = f"{self.path}:{self.line}" if self.line else self.path
        name = self.field if len(self.field) <= MAX_FIELD_SHOWN else self.field[: MAX_FIELD_SHOWN - 1] + "…"
        text = f"{where}: {name}: {self.message}"
        if self.suggestion:
            text += f" {self.suggestion}"
        return visible(text)


class FieldError(ValueError):
    """Raised by a field parser: what is wrong with one value, and how to fix it."""

    def __init__(self, message: str, suggestion: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.suggestion = suggestion
        self.more: list[FieldError] = []  # further problems of the same field (one per bad list entry)


def report(problems: list[Problem]) -> str:
    """Format problems for the terminal: a count, then one problem a line."""
    count = len(problems)
    noun = "problem" if count == 1 else "problemer"
    files = len({p.path for p in problems})
    file_noun = "fil" if files == 1 else "filer"
    lines = [f"Fant {count} {noun} i {files} {file_noun}:"]
    lines += [f"  {p}" for p in sorted(problems, key=_sort_key)]
    return "\n".join(lines)


def _sort_key(problem: Problem) -> tuple[str, int, str]:
    return (problem.path, problem.line or 0, problem.field)
