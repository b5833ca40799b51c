"""«Visjonen i tall» in the browser: each chart read at a glance at 320 and 1280 px (every count beside its bar,
inside the chart, one scale per chart, year labels clear of each other, the grid without sideways scrolling),
and each still a table for a screen reader, whatever the stylesheet does to its display."""

from __future__ import annotations

import re
from itertools import pairwise

import pytest

WIDTHS = (320, 1280)

_CHARTS = r"""
() => {
  const box = (el) => { const r = el.getBoundingClientRect(); return [r.left, r.top, r.right, r.bottom]; };
  const shown = (el) => { const r = el.getBoundingClientRect();
    return r.width > 1 && r.height > 1 && el.checkVisibility({visibilityProperty: true}); };
  const caption = (el) => el.querySelector("caption").textContent.trim();
  return {
    bars: [...document.querySelectorAll(".bar-chart")].map(chart => ({
      caption: caption(chart), box: box(chart),
      rows: [...chart.querySelectorAll("tbody tr")].map(tr => ({
        label: tr.querySelector("th").textContent.trim(),
        count: parseInt(tr.querySelector(".bar-chart__count").textContent.replace(/\s/g, "")),
        bar: box(tr.querySelector(".bar")), number: box(tr.querySelector(".bar-chart__count")),
      })),
    })),
    columns: [...document.querySelectorAll(".column-chart")].map(chart => ({
      caption: caption(chart), box: box(chart),
      columns: [...chart.querySelectorAll("tbody tr")].map(tr => ({
        count: parseInt(tr.querySelector(".column-chart__count").textContent.replace(/\s/g, "")),
        column: box(tr.querySelector(".column")),
        label: shown(tr.querySelector(".column-chart__label")) ? box(tr.querySelector(".column-chart__label")) : null,
      })),
    })),
    grids: [...document.querySelectorAll(".heat-map")].map(grid => ({
      caption: caption(grid), scroll: grid.scrollWidth, width: grid.clientWidth})),
  };
}
"""


def _overlap(a, b) -> bool:
    return a[0] < b[2] - 0.5 and b[0] < a[2] - 0.5 and a[1] < b[3] - 0.5 and b[1] < a[3] - 0.5


def _inside(inner, outer) -> bool:
    return inner[0] >= outer[0] - 0.5 and inner[2] <= outer[2] + 0.5


@pytest.mark.parametrize("width", WIDTHS)
def test_every_count_stands_at_its_bar_s_end_inside_the_chart_on_one_scale(site_browser, width):
    drawn = site_browser.open("tall/", width=width).evaluate(_CHARTS)
    assert len(drawn["bars"]) == 5
    problems = []
    for chart in drawn["bars"]:
        for row in chart["rows"]:
            if not _inside(row["number"], chart["box"]) or not _inside(row["bar"], chart["box"]):
                problems.append(f"{chart['caption']}: {row['label']} reaches outside the chart")
            if row["number"][0] < row["bar"][2] or row["number"][0] - row["bar"][2] > 16:
                problems.append(f"{chart['caption']}: the count of {row['label']} is not at its bar's end")
            if (row["bar"][2] - row["bar"][0] > 0) != (row["count"] > 0):
                problems.append(f"{chart['caption']}: {row['label']} ({row['count']}) has a bar of "
                                f"{row['bar'][2] - row['bar'][0]:.0f} px")
        lengths = sorted((row["count"], row["bar"][2] - row["bar"][0]) for row in chart["rows"])
        if any(b[1] < a[1] - 0.5 or (a[0] == b[0] and abs(a[1] - b[1]) > 0.5) for a, b in pairwise(lengths)):
            problems.append(f"{chart['caption']}: bar lengths do not follow the counts: {lengths}")
    assert not problems, f"/tall/ at {width} px:\n  " + "\n  ".join(problems)


@pytest.mark.parametrize("width", WIDTHS)
def test_year_columns_grow_with_their_counts_and_their_labels_stay_clear(site_browser, width):
    drawn = site_browser.open("tall/", width=width).evaluate(_CHARTS)
    [chart] = drawn["columns"]
    columns = chart["columns"]
    heights = sorted((c["count"], c["column"][3] - c["column"][1]) for c in columns)
    assert all(b[1] >= a[1] - 0.5 for a, b in pairwise(heights)), heights
    assert all(c["column"][0] < d["column"][0] for c, d in pairwise(columns))  # oldest left
    labels = [c["label"] for c in columns if c["label"]]
    assert len(labels) >= min(len(columns), 6), f"only {len(labels)} year labels shown at {width} px"
    assert not [(a, b) for a, b in pairwise(labels) if _overlap(a, b)], "year labels overlap"
    assert all(_inside(label, chart["box"]) for label in labels), "a year label is cut off by the chart's edge"


def test_the_grid_fits_a_phone_without_sideways_scrolling(site_browser):
    drawn = site_browser.open("tall/", width=320).evaluate(_CHARTS)
    assert drawn["grids"] and all(g["scroll"] <= g["width"] for g in drawn["grids"]), drawn["grids"]


@pytest.mark.parametrize("width", WIDTHS)
def test_each_chart_is_a_table_to_a_screen_reader(site_browser, width):
    """The accessibility tree Chromium gives assistive technology: a table, a row per entry, its header and count."""
    page = site_browser.open("tall/", width=width)
    captions = page.eval_on_selector_all("article table caption", "cs => cs.map(c => c.textContent.trim())")
    assert len(captions) == 7  # five bar charts, the grid and the years
    for caption in captions:
        table = page.get_by_role("table", name=caption, exact=True)
        tree = table.aria_snapshot()
        assert tree.startswith(f'- table "{caption}"'), tree[:200]
        rows = re.findall(r'- row "([^"]+)"', tree)
        cells = page.eval_on_selector_all(
            "article table", """(tables, caption) => [...tables.find(t => t.caption.textContent.trim() === caption)
                .querySelectorAll("tbody tr, tfoot tr")].map(tr => [...tr.children]
                .map(cell => cell.textContent.replace(/\\s+/g, " ").trim()).join(" "))""",
            caption)
        assert rows[1:] == cells, f"{caption} at {width} px: a screen reader gets {rows[1:]}, the page shows {cells}"
