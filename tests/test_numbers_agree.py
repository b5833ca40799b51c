"""Every count a reader sees agrees with the open data: each table on /tall/, the front page's value tiles, line
of numbers and lists, each value page and /steder/ are recomputed here from the built site's own
``data/historier.json`` and compared cell by cell with the HTML.

Two sites: the project's example stories (one without a place, one for «Hele Bærum», most with two values) and a
generated one with a couple of hundred stories (``bench/storygen.py``: every place, stories without a place,
up to three values, a decade of years). The recount below knows only the open data and the vocabulary's labels.
"""

from __future__ import annotations

import json
import re
import sys
from collections import Counter
from dataclasses import dataclass

import pytest
from conftest import ROOT, Site, build
from storysite import vocabulary as vocabulary_module

sys.path.insert(0, str(ROOT / "bench"))

import sites
import storygen

GENERATED = 200
NO_PLACE = "Uten sted"
UNLISTED = {"Historier per satsingsområde": "Uten satsingsområde", "Historier per deltaker": "Ikke oppgitt",
            "Historier per hovedmål": "Uten hovedmål"}


@pytest.fixture(scope="module")
def generated_site(tmp_path_factory) -> Site:
    folder = tmp_path_factory.mktemp("stories") / "stories"
    storygen.generate(folder, GENERATED, ROOT / "data" / "vocabulary.yml", seed=16)
    site = build(sites.ours(folder, tmp_path_factory.mktemp("generated") / "project"))
    assert site.error is None, site.error
    return site


@pytest.fixture(params=["example", "generated"], scope="module")
def site(request) -> Site:
    return request.getfixturevalue("real_site" if request.param == "example" else "generated_site")


# ---------------------------------------------------------------------------------------------
# The recount: from historier.json and the vocabulary's labels only


@dataclass
class Recount:
    stories: list[dict]
    vocabulary: vocabulary_module.Vocabulary

    @classmethod
    def of(cls, site: Site) -> Recount:
        rows = json.loads((site.site_dir / "data" / "historier.json").read_text(encoding="utf-8"))
        # one row per language version: a story is counted once, by its bokmål row
        stories = [row for row in rows if row["language"] == "nb"]
        assert stories, "the open data holds no stories"
        return cls(stories, vocabulary_module.load(site.root / "data" / "vocabulary.yml"))

    @property
    def total(self) -> int:
        return len(self.stories)

    def value_counts(self) -> dict[str, int]:
        return {v.name.capitalize(): sum(v.name in s["values"] for s in self.stories) for v in self.vocabulary.values}

    def list_counts(self, caption: str) -> dict[str, int]:
        """A chart of a list stories pick several from, with the row of the stories that have none."""
        field, entries = {
            "Historier per verdi": ("values", [(v.name.capitalize(), v.name) for v in self.vocabulary.values]),
            "Historier per satsingsområde": ("focus", [(f.name, f.key) for f in self.vocabulary.focus]),
            "Historier per deltaker": ("partners", [(p.name, p.key) for p in self.vocabulary.partners]),
            "Historier per hovedmål": ("goals", [(g.name, g.key) for g in self.vocabulary.goals]),
        }[caption]
        counts = {label: sum(key in s[field] for s in self.stories) for label, key in entries}
        without = sum(not s[field] for s in self.stories)
        if without:
            counts[UNLISTED[caption]] = without
        return counts

    def place_counts(self) -> Counter:
        return Counter(s["place"] or NO_PLACE for s in self.stories)

    def places_on_map(self) -> set[str]:
        return {p.name for p in self.vocabulary.places if p.lat is not None}

    def year_counts(self) -> dict[str, int]:
        years = Counter(int(s["date"][:4]) for s in self.stories)
        return {str(year): years[year] for year in range(min(years), max(years) + 1)}

    def grid(self) -> dict[str, list[int]]:
        """Per place (and «Uten sted»): stories per value, then stories in all."""
        rows: dict[str, list[int]] = {}
        for place in self.place_counts():
            members = [s for s in self.stories if (s["place"] or NO_PLACE) == place]
            rows[place] = [sum(v.name in s["values"] for s in members) for v in self.vocabulary.values] + [
                len(members)]
        return rows

    def summary(self, value: str | None = None) -> tuple[int, int, int, int]:
        """(stories, places on the map, first year, last year) of every story or of one value's."""
        chosen = [s for s in self.stories if value is None or value in s["values"]]
        years = [int(s["date"][:4]) for s in chosen]
        return (len(chosen), len({s["place"] for s in chosen} & self.places_on_map()), min(years), max(years))


@pytest.fixture(scope="module")
def recount(site) -> Recount:
    return Recount.of(site)


# ---------------------------------------------------------------------------------------------
# Reading the HTML


def number(text: str) -> int:
    """«1 234» (a no-break space between thousands) → 1234."""
    digits = re.sub(r"[\s\u00a0]", "", text)
    assert digits.isdigit(), f"not a count: {text!r}"
    return int(digits)


def words(element) -> str:
    return " ".join(element.get_text(" ").split())


def chart(site: Site, caption: str):
    tables = [t for t in site.article("tall/").select("table") if t.caption and words(t.caption) == caption]
    assert len(tables) == 1, f"/tall/ has {len(tables)} tables captioned «{caption}»"
    return tables[0]


def body_rows(table, selector: str = "tbody tr") -> list[tuple[str, list[str]]]:
    return [(words(tr.th), [words(td) for td in tr.select("td")]) for tr in table.select(selector)]


def single_counts(table, selector: str = "tbody tr") -> dict[str, int]:
    rows = body_rows(table, selector)
    assert all(len(cells) == 1 for _, cells in rows), f"{words(table.caption)}: a row without exactly one count"
    counts = {label: number(cells[0]) for label, cells in rows}
    assert len(counts) == len(rows), f"{words(table.caption)}: a label twice"
    return counts


def footer_total(table) -> int:
    [(label, cells)] = body_rows(table, "tfoot tr")
    assert label == "Historier i alt"
    return number(cells[-1])


def note(table) -> str:
    return " ".join(words(p) for p in table.find_parent(class_="chart").select(".chart__note"))


def assert_largest_first(table) -> None:
    counts = list(single_counts(table, "tbody:not(.bar-chart__apart) tr").values())
    assert counts == sorted(counts, reverse=True), f"{words(table.caption)} is not sorted largest first: {counts}"


# ---------------------------------------------------------------------------------------------
# /tall/


@pytest.mark.parametrize("caption", ["Historier per verdi", "Historier per satsingsområde", "Historier per deltaker",
                                     "Historier per hovedmål"])
def test_each_list_chart_on_the_numbers_page_matches_the_open_data(site, recount, caption):
    table = chart(site, caption)
    assert single_counts(table) == recount.list_counts(caption)
    assert footer_total(table) == recount.total
    assert_largest_first(table)
    counted = sum(recount.list_counts(caption).values())
    if counted > recount.total:  # a story with two values is counted twice: said in plain words, with the sum
        assert f"til sammen {counted}, mens det er {recount.total} historier" in note(table).replace("\u00a0", "")
    else:
        assert "til sammen" not in note(table)


def test_the_places_chart_holds_every_story_once_and_names_the_places_without_any(site, recount):
    table = chart(site, "Historier per sted")
    counts = recount.place_counts()
    on_map = recount.places_on_map()
    assert single_counts(table, "tbody:not(.bar-chart__apart) tr") == {p: n for p, n in counts.items() if p in on_map}
    assert single_counts(table, "tbody.bar-chart__apart tr") == {p: n for p, n in counts.items() if p not in on_map}
    assert footer_total(table) == recount.total == sum(counts.values())
    assert_largest_first(table)
    missing = [p.name for p in recount.vocabulary.places if not counts[p.name]]
    shown = table.find_parent(class_="chart").select_one(".chart__missing")
    if missing:
        text = words(shown)
        named = re.sub(r"^Ingen historier ennå fra (.*?)\. Har du.*$", r"\1", text)
        assert re.split(r", | og ", named) == missing
    else:
        assert shown is None


def test_the_year_columns_run_from_the_first_year_to_the_last(site, recount):
    table = chart(site, "Historier per år")
    assert list(single_counts(table).items()) == list(recount.year_counts().items())
    assert footer_total(table) == recount.total


def test_the_value_by_place_grid_matches_the_open_data_cell_by_cell(site, recount):
    table = chart(site, "Historier per sted og verdi")
    expected = recount.grid()
    rows = {label: [number(cell) for cell in cells] for label, cells in body_rows(table)}
    assert rows == expected
    [(label, cells)] = body_rows(table, "tfoot tr")
    assert label == "Alle historier"
    assert [number(cell) for cell in cells] == [*recount.value_counts().values(), recount.total]
    # the grid's totals are the value chart's figures
    assert dict(zip(recount.value_counts(), [number(c) for c in cells], strict=False)) == single_counts(
        chart(site, "Historier per verdi"))


def test_no_table_on_the_numbers_page_has_a_blank_cell(site):
    blank = [(words(t.caption), str(cell)[:80]) for t in site.article("tall/").select("table")
             for cell in t.select("td, th") if not words(cell)]
    assert blank == []


def test_the_numbers_page_introduction_matches_the_open_data(site, recount):
    stories, places, first, last = recount.summary()
    intro = words(site.article("tall/").select_one("h1 + p")).replace("\u00a0", "")
    assert intro.startswith(f"Her er historiene på nettstedet talt opp: {stories} historier fra {places} steder i "
                            f"Bærum, fra {first} til {last}.")


# ---------------------------------------------------------------------------------------------
# The front page, the value pages and /steder/

SUMMARY = re.compile(r"^(?P<what>.+?) i tall : (?P<stories>[\d\u00a0]+) historier? fra (?P<places>[\d\u00a0]+) "
                     r"steder?, (?P<first>\d{4})(?:–(?P<last>\d{4}))?\.")


def summary_numbers(line) -> tuple[str, int, int, int, int]:
    match = SUMMARY.match(words(line))
    assert match, f"the line of numbers reads «{words(line)}»"
    first = int(match["first"])
    return (match["what"], number(match["stories"]), number(match["places"]), first, int(match["last"] or first))


def test_the_front_page_value_tiles_and_line_of_numbers_match_the_open_data(site, recount):
    home = site.article("")
    tiles = {words(tile.select_one(".value-tile__name")): number(words(tile.select_one(".value-tile__count")).split()[0])
             for tile in home.select(".value-tile")}
    assert tiles == recount.value_counts()
    line = home.select_one(".summary-line")
    assert summary_numbers(line) == ("Visjonen", *recount.summary())
    mentions = sum(recount.value_counts().values())
    assert (f"flere verdier, så tallene over er til sammen {mentions}." in words(line).replace("\u00a0", "")) == (
        mentions > recount.total)


def test_the_front_page_lists_of_focus_areas_and_goals_match_the_open_data(site, recount):
    home = site.article("")
    focus = {words(li.a): number(re.search(r"\(([\d\u00a0]+) historier?\)", words(li))[1])
             for li in home.select(".focus-list li")}
    expected = recount.list_counts("Historier per satsingsområde")
    expected.pop("Uten satsingsområde", None)
    assert focus == expected
    wording = {g.wording: g.name for g in recount.vocabulary.goals}
    goals = {wording[words(li.a)]: number(re.search(r"\(([\d\u00a0]+) historier?\)", words(li))[1])
             for li in home.select(".goal-list li")}
    expected = recount.list_counts("Historier per hovedmål")
    expected.pop("Uten hovedmål", None)
    assert goals == expected


def test_each_value_page_counts_what_the_open_data_holds(site, recount):
    for value in recount.vocabulary.values:
        page = site.article(value.url)
        stories, places, first, last = recount.summary(value.name)
        listing = words(page.select_one(".listing__count"))
        assert number(listing.split(" historie")[0]) == stories, value.name
        assert summary_numbers(page.select_one(".summary-line")) == (value.name.capitalize(), stories, places, first,
                                                                     last)


def test_the_places_page_counts_what_the_open_data_holds(site, recount):
    page = site.article("steder/")
    counts = recount.place_counts()
    listed = {}
    for li in page.select(".place-list li"):
        match = re.fullmatch(r"(.+) \(([\d\u00a0]+) historier?\)", words(li))
        assert match, f"/steder/ lists «{words(li)}»"
        listed[match[1]] = number(match[2])
    assert listed == {p: n for p, n in counts.items() if p != NO_PLACE}
    # the stories without a place are said too, so the page adds up to every story
    unplaced = page.select_one(".places__unplaced")
    if counts.get(NO_PLACE):
        said = re.match(r"([\d\u00a0]+) historier? er ikke knyttet til ett bestemt sted", words(unplaced))
        assert said and number(said[1]) == counts[NO_PLACE], words(unplaced)
        assert sum(listed.values()) + number(said[1]) == recount.total
    else:
        assert unplaced is None
    # every place the map names with a count (its markers' labels) agrees too
    places = {p.name for p in recount.vocabulary.places}
    marked = 0
    for element in page.select("[aria-label]"):
        # «Sandvika, 3 historier (nr. 13)»: the number is the marker's key in the narrow map's list
        match = re.fullmatch(r"(.+), ([\d\u00a0]+) historier?(?: \(nr\. \d+\))?", element["aria-label"])
        if match and match[1] in places:
            assert number(match[2]) == counts[match[1]], element["aria-label"]
            marked += 1
    # every place with a point on the map was read, so the check above cannot pass by matching nothing
    assert marked == len([p for p in page.select(".place-map__marker")]) > 0
