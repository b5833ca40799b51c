"""«Visjonen i tall»: every table's figures against a hand-counted set of stories, and where they link."""

from __future__ import annotations

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


def _table(site, caption: str) -> dict[str, tuple[str, str | None]]:
    """{row label: (figure, the figure's link)} of the table with ``caption``."""
    table = next(t for t in site.article("tall/").select("table") if t.caption.get_text(strip=True) == caption)
    rows = {}
    for tr in table.tbody.select("tr"):
        label = tr.th.a.get_text(strip=True) if tr.th.a else tr.th.contents[0].strip()
        cell = tr.select_one("td.count-table__number")
        rows[label] = (cell.get_text(strip=True), cell.a["href"] if cell.a else None)
    return rows


def test_stories_per_value(site):
    table = _table(site, "Historier per verdi")
    assert {k: v[0] for k, v in table.items()} == {"Mangfold": "2", "Raushet": "3", "Bærekraft": "2"}
    assert table["Raushet"][1] == "../verdier/raushet/"


def test_stories_per_focus_area_partner_and_goal(site):
    focus = {k: v[0] for k, v in _table(site, "Historier per satsingsområde").items()}
    assert focus == {"Involvering og medvirkning": "0", "Styring og ledelse": "1", "Partnerskap og samarbeid": "0",
                     "Identitet": "2"}
    assert _table(site, "Historier per deltaker")["Innbyggere"][0] == "1"
    assert _table(site, "Historier per hovedmål")["Dialog og medvirkning"] == ("1", "../mal/dialog/")


def test_stories_per_place_lists_every_place_and_invites_where_there_is_none(site):
    table = next(t for t in site.article("tall/").select("table") if t.caption.get_text() == "Historier per sted")
    rows = {tr.th.get_text(" ", strip=True).split(" Ingen")[0]: tr for tr in table.tbody.select("tr")}
    assert len(rows) == 25  # every place in the vocabulary
    assert rows["Jar"].select_one("td").get_text(strip=True) == "2"  # the draft is not counted
    assert rows["Sandvika"].th.a["href"] == "../steder/sandvika/"
    grav = rows["Grav"]
    assert grav.select_one("td").get_text(strip=True) == "0"
    assert " ".join(grav.th.get_text(" ").split()) == "Grav Ingen historier fra Grav ennå – bidra!"
    assert grav.select_one(".count-table__invite a")["href"] == "../bidra/"


def test_stories_per_year_include_the_years_without_stories(site):
    assert {k: v[0] for k, v in _table(site, "Historier per år").items()} == {
        "2016": "2", "2017": "0", "2018": "0", "2019": "3"}


def test_value_by_place_table_with_totals(site):
    table = next(t for t in site.article("tall/").select("table")
                 if t.caption.get_text() == "Historier per sted og verdi")
    assert [th.get_text(strip=True) for th in table.thead.select("th")] == [
        "Sted", "Mangfold", "Raushet", "Bærekraft", "Historier i alt"]
    assert all(th.get("scope") == "col" for th in table.thead.select("th"))
    rows = {tr.th.get_text(strip=True): [td.get_text(strip=True) for td in tr.select("td")]
            for tr in table.tbody.select("tr")}
    assert rows == {"Jar": ["2", "1", "0", "2"], "Sandvika": ["0", "0", "1", "1"], "Hele Bærum": ["0", "1", "1", "1"]}
    assert [td.get_text(strip=True) for td in table.tfoot.select("td")][:3] == ["2", "2", "2"]


def test_bars_are_css_classes_scaled_to_the_largest_row(site):
    table = next(t for t in site.article("tall/").select("table") if t.caption.get_text() == "Historier per verdi")
    widths = {tr.th.get_text(strip=True): tr.select_one(".bar")["class"][1] for tr in table.tbody.select("tr")}
    assert widths == {"Mangfold": "bar--65", "Raushet": "bar--100", "Bærekraft": "bar--65"}
    assert not site.article("tall/").select("[style]")


def test_front_page_and_value_pages_link_to_the_numbers(site):
    strip = site.article("").select_one(".summary-line")
    assert " ".join(strip.get_text(" ").split()) == "Visjonen i tall : 5 historier fra 3 steder, 2016–2019. Åpne data"
    value = site.article("verdier/mangfold/").select_one(".summary-line")
    assert " ".join(value.get_text(" ").split()) == "Mangfold i tall : 2 historier fra 1 sted, 2016."
    footer = [a.get_text(strip=True) for a in site.html("").select(".site-footer__links a")]
    assert "Visjonen i tall" in footer and "Åpne data" in footer


def test_numbers_are_written_the_norwegian_way():
    assert nb_number(1234567) == "1\u00a0234\u00a0567"
    assert count_label(1000) == "1\u00a0000 historier"
