"""«Visjonen i tall»: every chart's figures against a hand-counted set of stories, where they link, and how
they are drawn (bar lengths and shades as classes, no inline style)."""

from __future__ import annotations

import re

import pytest
from conftest import story_text
from storysite.pages import count_label, nb_number


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    from conftest import build, make_project

    stories = {  # hand-counted below
        "a.md": story_text(title="A", date="2016-03-01", tags="[mangfold, raushet]", place="Jar", focus="identitet",
                           partners="[innbyggere]", goals="[dialog]"),
        "b.md": story_text(title="B", date="2016-09-01", tags="mangfold", place="Jar"),
        "c.md": story_text(title="C", date="2019-01-01", tags="bærekraft", place="Sandvika", focus="[identitet, styring]"),
        "d.md": story_text(title="D", date="2019-05-05", tags="[raushet, bærekraft]", place="Hele Bærum"),
        "e.md": story_text(title="E", date="2019-06-06", tags="raushet"),
        "utkast.md": story_text(title="Utkast", date="2020-01-01", tags="mangfold", place="Jar", draft="true"),
    }
    built = build(make_project(tmp_path_factory.mktemp("tall"), stories))
    assert built.error is None, built.errors()
    return built


def _words(element) -> str:
    return " ".join(element.get_text(" ").split())


def _chart(site, caption: str):
    return next(t for t in site.article("tall/").select("table") if t.caption.get_text(strip=True) == caption)


def _rows(table, part: str = "tbody:not(.bar-chart__apart)") -> list[tuple[str, str, str | None]]:
    """(label, figure, the figure's link) of each row, in order, of every ``part`` of ``table``."""
    rows = []
    for group in table.select(part):
        for tr in group.select("tr"):
            cell = tr.select_one("td")
            link = cell.select_one("a")
            rows.append((tr.th.get_text(strip=True), cell.get_text(strip=True), link["href"] if link else None))
    return rows


def _note(table) -> str:
    return " ".join(_words(p) for p in table.find_parent(class_="chart").select(".chart__note"))


def test_stories_per_value_largest_first_with_their_total_and_why_the_counts_add_up_to_more(site):
    table = _chart(site, "Historier per verdi")
    assert _rows(table) == [("Raushet", "3", "../verdier/raushet/"), ("Mangfold", "2", "../verdier/mangfold/"),
                            ("Bærekraft", "2", "../verdier/barekraft/")]
    assert _rows(table, "tfoot") == [("Historier i alt", "5", None)]
    assert _note(table) == ("En historie kan ha flere verdier. Da telles den én gang for hver, så tallene over er til "
                            "sammen 7, mens det er 5 historier.")


def test_focus_areas_partners_and_goals_count_the_stories_without_any(site):
    focus = _chart(site, "Historier per satsingsområde")
    assert [row[:2] for row in _rows(focus)] == [("Identitet", "2"), ("Styring og ledelse", "1"),
                                                 ("Involvering og medvirkning", "0"), ("Partnerskap og samarbeid", "0")]
    assert _rows(focus, "tbody.bar-chart__apart") == [("Uten satsingsområde", "3", None)]
    assert _rows(focus)[2][2] is None  # no link to an empty list
    partners = _chart(site, "Historier per deltaker")
    assert _rows(partners)[0] == ("Innbyggere", "1", "../sammen/innbyggere/")
    assert _rows(partners, "tbody.bar-chart__apart") == [("Ikke oppgitt", "4", None)]
    goals = _chart(site, "Historier per hovedmål")
    assert _rows(goals)[0] == ("Dialog og medvirkning", "1", "../mal/dialog/")
    assert _rows(goals, "tfoot") == [("Historier i alt", "5", None)]


def test_places_set_apart_the_whole_municipality_and_the_stories_without_a_place(site):
    table = _chart(site, "Historier per sted")
    assert _rows(table) == [("Jar", "2", "../steder/jar/"),  # the draft is not counted
                                                           ("Sandvika", "1", "../steder/sandvika/")]
    assert _rows(table, "tbody.bar-chart__apart") == [("Hele Bærum", "1", "../steder/hele-barum/"),
                                                      ("Uten sted", "1", None)]
    assert _rows(table, "tfoot") == [("Historier i alt", "5", None)]  # 2 + 1 + 1 + 1
    note = _note(table)
    assert "«Hele Bærum» er historier som gjelder hele kommunen." in note
    assert "«Uten sted» er historier som ikke hører til ett bestemt sted." in note
    assert "flere" not in note  # a story has one place: the counts add up


def test_places_without_stories_are_named_with_an_invitation_to_share_one(site):
    missing = site.article("tall/").select_one(".chart__missing")
    text = _words(missing)
    assert text.startswith("Ingen historier ennå fra Bekkestua, Blommenholm, Bærums Verk,")
    assert "Snarøya" in text and " og Østerås." in text and "Jar" not in text and "Sandvika" not in text
    assert missing.a["href"] == "../del-din-historie/"
    assert not site.article("tall/").select('a[href$="bidra/"]')


def test_stories_per_year_are_columns_oldest_first_with_the_years_without_stories(site):
    table = _chart(site, "Historier per år")
    assert [row[:2] for row in _rows(table)] == [("2016", "2"), ("2017", "0"), ("2018", "0"), ("2019", "3")]
    assert _rows(table, "tfoot") == [("Historier i alt", "5", None)]
    assert [c["class"][1] for c in table.select(".column")] == ["bar--65", "bar--0", "bar--0", "bar--100"]
    # a table whose display the stylesheet changes keeps its meaning through its roles
    assert table["role"] == "table" and {tr["role"] for tr in table.select("tr")} == {"row"}


def test_value_by_place_grid_has_totals_in_every_row_and_column(site):
    table = _chart(site, "Historier per sted og verdi")
    assert [_words(th) for th in table.thead.select("th")] == [
        "Sted", "Mangfold", "Raushet", "Bærekraft", "Historier i alt"]
    assert all(th.get("scope") == "col" for th in table.thead.select("th"))
    rows = [(tr.th.get_text(strip=True), [td.get_text(strip=True) for td in tr.select("td")])
            for tr in table.select("tbody tr")]
    assert rows == [("Jar", ["2", "1", "0", "2"]), ("Sandvika", ["0", "0", "1", "1"]),
                    ("Hele Bærum", ["0", "1", "1", "1"]), ("Uten sted", ["0", "1", "0", "1"])]
    assert [td.get_text(strip=True) for td in table.tfoot.select("td")] == ["2", "3", "2", "5"]
    assert table.tfoot.th.get_text(strip=True) == "Alle historier"
    assert not [td for td in table.select("td") if not td.get_text(strip=True)]  # no blank cell


def test_grid_shades_scale_from_one_story_to_the_largest_cell(site):
    jar = _chart(site, "Historier per sted og verdi").select("tbody tr")[0]
    assert [td["class"] for td in jar.select("td.heat")] == [["heat", "heat--5"], ["heat", "heat--1"],
                                                             ["heat", "heat--0"]]


def test_bars_share_one_scale_per_chart_as_css_classes(site):
    table = _chart(site, "Historier per sted")
    widths = {tr.th.get_text(strip=True): tr.select_one(".bar")["class"][1] for tr in table.select("tbody tr")}
    assert widths == {"Jar": "bar--100", "Sandvika": "bar--50", "Hele Bærum": "bar--50", "Uten sted": "bar--50"}
    article = site.article("tall/")
    assert not article.select("[style]")
    assert "Andel av den største" not in article.get_text()
    assert len(article.select("script")) == 0


def test_front_page_and_value_pages_link_to_the_numbers(site):
    strip = site.article("").select_one(".summary-line")
    assert _words(strip) == ("Visjonen i tall : 5 historier fra 2 steder, 2016–2019. En historie kan ha flere "
                             "verdier, så tallene over er til sammen 7. Åpne data")
    value = site.article("verdier/mangfold/").select_one(".summary-line")
    assert _words(value) == "Mangfold i tall : 2 historier fra 1 sted, 2016."
    footer = [a.get_text(strip=True) for a in site.html("").select(".site-footer__links a")]
    assert "Visjonen i tall" in footer and "Åpne data" in footer


def test_the_numbers_page_says_what_it_counts(site):
    intro = _words(site.article("tall/").select_one("h1 + p"))
    assert re.match(r"Her er historiene på nettstedet talt opp: 5 historier fra 2 steder i Bærum, fra 2016 til "
                    r"2019\.", intro)


def test_numbers_are_written_the_norwegian_way():
    assert nb_number(1234567) == "1\u00a0234\u00a0567"
    assert count_label(1000) == "1\u00a0000 historier"
