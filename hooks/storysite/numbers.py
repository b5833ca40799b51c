"""«Visjonen i tall» and the short line of numbers on the front page and value pages, as plain data.

Every count here is made from the same published stories, so the numbers on every page agree: each
chart also counts the stories that have none of its rows («Uten sted») and ends in the number of
stories, so every story is in every chart.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from .catalogue import Catalogue
from .pagedata import PageData
from .story import Story
from .vocabulary import Place, Value

SHARE_STEP = 5  # a bar's length is a CSS class in steps of 5 % (the Content-Security-Policy allows no style="")
HEAT_LEVELS = 5  # shades of the value × place grid, 1 (fewest) to 5 (most); 0 is no stories
YEAR_TICKS_NARROW = 6  # at most this many year labels under the columns on a narrow screen
YEAR_TICKS_WIDE = 14  # … and on a wide one
LONG_LABEL = 12  # characters: a longer label goes above its bar on a narrow screen


@dataclass(frozen=True)
class Bar:
    """One row of a chart: a label, its count, the list it counts (if any) and the bar's length."""

    label: str
    count: int
    url: str | None
    share: int  # percent of the chart's largest count, in steps of SHARE_STEP; at least one step if count > 0


@dataclass(frozen=True)
class BarChart:
    """Horizontal bars, largest first, with the rows that are not on the list set apart below.

    ``counted`` is the sum of every row: more than ``total`` when a story can be in several rows.
    """

    caption: str
    heading: str  # what a row is: «Verdi», «Sted»
    bars: tuple[Bar, ...]
    apart: tuple[Bar, ...]  # «Hele Bærum», «Uten sted»: not compared with the places, but on the same scale
    total: int  # the stories
    counted: int
    several: str  # «flere verdier»: what a story can have more than one of («» when it cannot)
    missing: tuple[str, ...] = ()  # entries of the list without any story (places), named under the chart
    notes: tuple[tuple[str, str], ...] = ()  # (a row set apart, what it holds): «Uten sted», «historier som …»

    @property
    def long_labels(self) -> bool:
        """Whether a label is too long to stand beside its bar on a narrow screen (it then goes above)."""
        return any(len(bar.label) > LONG_LABEL for bar in (*self.bars, *self.apart))


@dataclass(frozen=True)
class Column:
    """One year of the column chart; ``label_on`` says at which widths its labels show."""

    label: str
    count: int
    share: int
    label_on: str  # "all", "wide" (hidden on a narrow screen) or "none" (only for screen readers)


@dataclass(frozen=True)
class ColumnChart:
    caption: str
    heading: str
    columns: tuple[Column, ...]  # oldest first
    total: int


@dataclass(frozen=True)
class HeatRow:
    label: str
    url: str | None
    cells: tuple[tuple[int, int], ...]  # (count, shade 0–HEAT_LEVELS) per value
    total: int


@dataclass(frozen=True)
class HeatMap:
    """Stories per place (rows) and value (columns) with totals: the shade says how many, so does the number."""

    caption: str
    columns: tuple[tuple[str, str], ...]  # (value name, its list's address)
    rows: tuple[HeatRow, ...]  # places, most stories first
    apart: tuple[HeatRow, ...]  # «Hele Bærum», «Uten sted»
    totals: tuple[int, ...]  # per value, every story
    total: int
    counted: int  # the sum of the value totals


@dataclass(frozen=True)
class Summary:
    """The few numbers the front page and a value page show, linking to /tall/."""

    stories: int
    places: int  # places on the map (not «Hele Bærum», which is the whole municipality)
    first_year: int | None
    last_year: int | None
    value_mentions: int = 0  # the stories counted once per value they have: more than ``stories`` if any has two


NO_PLACE = "Uten sted"


def numbers_page(catalogue: Catalogue) -> PageData:
    """«Visjonen i tall»: build-time charts, every figure linking to what it counts."""
    stories = _published(catalogue)
    v = catalogue.vocabulary
    return PageData("tall/index.md", "numbers.html", "Visjonen i tall",
                    "Hvor mange historier det er om hver verdi, hvert satsingsområde, hvert sted og hvert år.", {
        "summary": summary(catalogue),
        "by_value": _chart("Historier per verdi", "Verdi", "flere verdier", stories,
                           [(x.name.capitalize(), x.url, x) for x in v.values], lambda s: s.values),
        "by_focus": _chart("Historier per satsingsområde", "Satsingsområde", "flere satsingsområder", stories,
                           [(x.name, x.url, x) for x in v.focus], lambda s: s.focus, "Uten satsingsområde"),
        "by_partner": _chart("Historier per deltaker", "Hvem", "flere deltakere", stories,
                             [(x.name, x.url, x) for x in v.partners], lambda s: s.partners, "Ikke oppgitt"),
        "by_goal": _chart("Historier per hovedmål", "Mål", "flere mål", stories,
                          [(x.name, x.url, x) for x in v.goals], lambda s: s.goals, "Uten hovedmål"),
        "by_place": _place_chart(stories, v.places),
        "by_year": _year_chart(stories),
        "value_place": _heat_map(stories, v.values, v.places),
    })


def summary(catalogue: Catalogue, value: Value | None = None) -> Summary:
    stories = [s for s in _published(catalogue) if value is None or value in s.values]
    years = [s.date.year for s in stories]
    return Summary(len(stories), len({s.place for s in stories if s.place and _on_map(s.place)}),
                   min(years, default=None), max(years, default=None), sum(len(s.values) for s in stories))


def _published(catalogue: Catalogue) -> list[Story]:
    return [s for s in catalogue.stories if not s.draft]


def _on_map(place: Place) -> bool:
    """A place of its own, not the whole municipality («Hele Bærum» has no point)."""
    return place.lat is not None


Count = tuple[str, str | None, int]  # (label, its list's address, stories)


def _chart(caption: str, heading: str, several: str, stories: Sequence[Story],
           entries: Sequence[tuple[str, str, object]], of: Callable[[Story], Sequence[object]],
           unlisted: str | None = None) -> BarChart:
    """A chart of a list stories pick from (values, focus areas …); ``unlisted`` names the row of those with none."""
    rows: list[Count] = [(label, url, sum(1 for s in stories if entry in of(s))) for label, url, entry in entries]
    apart: list[Count] = [(unlisted, None, sum(1 for s in stories if not of(s)))] if unlisted else []
    return _bar_chart(caption, heading, several, len(stories), rows, [row for row in apart if row[2]])


def _place_chart(stories: Sequence[Story], places: Sequence[Place]) -> BarChart:
    counts = {place: sum(1 for s in stories if s.place == place) for place in places}
    on_map: list[Count] = [(p.name, p.url, n) for p, n in counts.items() if _on_map(p) and n]
    apart: list[Count] = [(p.name, p.url, n) for p, n in counts.items() if not _on_map(p) and n]
    apart += [(NO_PLACE, None, sum(1 for s in stories if s.place is None))]
    return _bar_chart("Historier per sted", "Sted", "", len(stories), on_map, [row for row in apart if row[2]],
                      missing=tuple(p.name for p, n in counts.items() if not n), notes=_place_notes(stories))


def _place_notes(stories: Sequence[Story]) -> tuple[tuple[str, str], ...]:
    """What the rows set apart from the places mean, for those the chart shows."""
    wholes = sorted({s.place.name for s in stories if s.place and not _on_map(s.place)})
    notes = [(name, "historier som gjelder hele kommunen") for name in wholes]
    if any(s.place is None for s in stories):
        notes.append((NO_PLACE, "historier som ikke hører til ett bestemt sted"))
    return tuple(notes)


def _bar_chart(caption: str, heading: str, several: str, total: int, rows: Sequence[Count],
               apart: Sequence[Count], missing: tuple[str, ...] = (),
               notes: tuple[tuple[str, str], ...] = ()) -> BarChart:
    largest = max((count for *_, count in (*rows, *apart)), default=0)
    ordered = sorted(rows, key=lambda row: -row[2])  # stable: ties keep the vocabulary's order

    def bars(entries: Iterable[Count]) -> tuple[Bar, ...]:
        return tuple(Bar(label, count, url, _share(count, largest)) for label, url, count in entries)

    return BarChart(caption, heading, bars(ordered), bars(apart), total,
                    sum(count for *_, count in (*rows, *apart)), several, missing, notes)


def _year_chart(stories: Sequence[Story]) -> ColumnChart:
    years = sorted({s.date.year for s in stories})
    counts = [(year, sum(1 for s in stories if s.date.year == year)) for year in
              range(years[0], years[-1] + 1)] if years else []
    largest = max((count for _, count in counts), default=0)
    narrow, wide = (math.ceil(len(counts) / ticks) for ticks in (YEAR_TICKS_NARROW, YEAR_TICKS_WIDE))
    return ColumnChart("Historier per år", "År", tuple(
        Column(str(year), count, _share(count, largest),
               "all" if i % narrow == 0 else "wide" if i % wide == 0 else "none")
        for i, (year, count) in enumerate(counts)), len(stories))


def _heat_map(stories: Sequence[Story], values: Sequence[Value], places: Sequence[Place]) -> HeatMap:
    def row(label: str, url: str | None, members: Sequence[Story]) -> tuple[str, str | None, tuple[int, ...], int]:
        return label, url, tuple(sum(1 for s in members if value in s.values) for value in values), len(members)

    at = {place: [s for s in stories if s.place == place] for place in places}
    rows = sorted((row(p.name, p.url, members) for p, members in at.items() if members and _on_map(p)),
                  key=lambda r: -r[3])
    apart = [row(p.name, p.url, members) for p, members in at.items() if members and not _on_map(p)]
    unplaced = [s for s in stories if s.place is None]
    if unplaced:
        apart.append(row(NO_PLACE, None, unplaced))
    largest = max((count for r in (*rows, *apart) for count in r[2]), default=0)

    def heat(rows: Iterable[tuple[str, str | None, tuple[int, ...], int]]) -> tuple[HeatRow, ...]:
        return tuple(HeatRow(label, url, tuple((n, _shade(n, largest)) for n in counts), total)
                     for label, url, counts, total in rows)

    totals = tuple(sum(1 for s in stories if value in s.values) for value in values)
    return HeatMap("Historier per sted og verdi", tuple((v.name.capitalize(), v.url) for v in values),
                   heat(rows), heat(apart), totals, len(stories), sum(totals))


def _share(count: int, largest: int) -> int:
    if not count:
        return 0
    return max(SHARE_STEP, SHARE_STEP * round(100 / SHARE_STEP * count / largest))


def _shade(count: int, largest: int) -> int:
    """0 for none; else 1 to HEAT_LEVELS, evenly from 1 story to the largest cell."""
    if not count:
        return 0
    if largest <= 1:
        return HEAT_LEVELS
    return 1 + round((HEAT_LEVELS - 1) * (count - 1) / (largest - 1))
