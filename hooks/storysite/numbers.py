"""«Visjonen i tall» and the short line of numbers on the front page and value pages, as plain data.

Every count here is made from the same published stories, so the numbers on every page agree.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from .catalogue import Catalogue
from .pagedata import PageData
from .vocabulary import Value


@dataclass(frozen=True)
class Bar:
    """One row of a table of counts: a label, its count, the list it counts (if any) and the bar's width."""

    label: str
    count: int
    url: str | None
    width: int  # percent of the largest count in its table, in steps of 5 (a CSS class, not a style)


@dataclass(frozen=True)
class CrossTable:
    """Stories per value (columns) and place (rows), with totals."""

    columns: tuple[tuple[str, str], ...]  # (value name, its list's address)
    rows: tuple[tuple[str, str, tuple[int, ...], int], ...]  # (place, its list's address, counts, total)
    totals: tuple[int, ...]


@dataclass(frozen=True)
class Summary:
    """The few numbers the front page and a value page show, linking to /tall/."""

    stories: int
    places: int
    first_year: int | None
    last_year: int | None


def numbers_page(catalogue: Catalogue) -> PageData:
    """«Visjonen i tall»: build-time tables with CSS bars, every figure linking to what it counts."""
    stories = [s for s in catalogue.stories if not s.draft]
    years = sorted({s.date.year for s in stories})
    by_year = [(str(year), sum(s.date.year == year for s in stories), None)
               for year in range(years[0], years[-1] + 1)] if years else []
    places = [(p, len([s for s in stories if s.place == p])) for p in catalogue.vocabulary.places]
    values = catalogue.vocabulary.values
    used = [(place, count) for place, count in places if count]
    cross = CrossTable(
        columns=tuple((value.name.capitalize(), value.url) for value in values),
        rows=tuple((place.name, place.url, tuple(sum(1 for s in stories if s.place == place and value in s.values)
                                                  for value in values), count) for place, count in used),
        totals=tuple(sum(1 for s in stories if value in s.values and s.place) for value in values),
    )
    return PageData("tall/index.md", "numbers.html", "Visjonen i tall",
                    "Hvor mange historier det er om hver verdi, hvert satsingsområde, hvert sted og hvert år.", {
        "summary": summary(catalogue),
        "by_value": _bars([(v.name.capitalize(), sum(v in s.values for s in stories), v.url) for v in values]),
        "by_focus": _bars([(a.name, sum(a in s.focus for s in stories), a.url) for a in catalogue.vocabulary.focus]),
        "by_partner": _bars([(p.name, sum(p in s.partners for s in stories), p.url)
                             for p in catalogue.vocabulary.partners]),
        "by_goal": _bars([(g.name, sum(g in s.goals for s in stories), g.url) for g in catalogue.vocabulary.goals]),
        "by_place": _bars([(p.name, count, p.url if count else None) for p, count in places]),
        "by_year": _bars(by_year),
        "value_place": cross,
    })


def summary(catalogue: Catalogue, value: Value | None = None) -> Summary:
    stories = [s for s in catalogue.stories if not s.draft and (value is None or value in s.values)]
    years = [s.date.year for s in stories]
    return Summary(len(stories), len({s.place for s in stories if s.place}), min(years, default=None),
                   max(years, default=None))


def _bars(rows: Sequence[tuple[str, int, str | None]]) -> tuple[Bar, ...]:
    largest = max((count for _, count, _ in rows), default=0) or 1
    return tuple(Bar(label, count, url, 5 * round(20 * count / largest)) for label, count, url in rows)


