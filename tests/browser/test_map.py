"""The map on /steder/, the locator on a place's page and the small map on the front page, in the
browser: axe-core in both themes, every marker reached with Tab in order and with a visible focus,
reflow at 320 px, every marker's label shown, inside the map and clear of every other label at each
width the site supports, the colours as rendered (WCAG 1.4.11 and 1.4.3), and screenshots at 320
and 1280 px (tests/screenshots/kart-*.png) for people to look at."""

from __future__ import annotations

import re

import pytest

from .checks import assert_no_axe_violations, assert_reflows, keyboard_walk
from .pages import PALETTES

MAP = "steder/"
PLACE = "steder/sandvika/"
HOME = ""
WIDTHS = (320, 1280)
ALL_WIDTHS = (320, 375, 768, 1280)
SMALLEST_LABEL_PX = 12

# What a reader sees of the map: per marker, its visible labels; every visible text's and dot's box in
# CSS pixels, and the SVG's own box.
_DRAWN = r"""
() => {
  const svg = document.querySelector("svg.place-map__svg");
  const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
  const shown = (el) => el.checkVisibility() && el.getBoundingClientRect().width > 0;
  const box = (el) => { const r = el.getBoundingClientRect(); return [r.left, r.top, r.right, r.bottom]; };
  const text = (t) => ({text: t.textContent, box: box(t), px: parseFloat(t.getAttribute("font-size")) * scale});
  return {
    svg: box(svg),
    rem: parseFloat(getComputedStyle(document.documentElement).fontSize),
    markers: [...svg.querySelectorAll("a.place-map__marker")].map(a => ({
      name: a.getAttribute("aria-label"),
      labels: [...a.querySelectorAll("text.place-map__label")].filter(shown).map(text),
      dots: [...a.querySelectorAll("circle.place-map__dot")].filter(shown).map(box),
    })),
    areas: [...svg.querySelectorAll("text.place-map__area-name")].filter(shown).map(text),
    inset: [...svg.querySelectorAll(".place-map__inset-frame")].map(box),
    key: [...document.querySelectorAll(".place-list li")].filter(li => li.querySelector(".place-list__number"))
      .map(li => ({name: li.querySelector("a").textContent,
                   number: getComputedStyle(li.querySelector(".place-list__number"), "::before").content,
                   width: li.querySelector(".place-list__number").getBoundingClientRect().width})),
  };
}
"""

# The colours as rendered: each part of the map, and what is behind it.
_COLOURS = r"""
() => {
  const style = (selector) => getComputedStyle(document.querySelector(selector));
  const marker = "svg.place-map__svg a.place-map__marker";
  return {
    page: getComputedStyle(document.body).backgroundColor,
    water: style(".place-map__svg .map-land__water").fill,
    land: style(".place-map__svg .map-land__subject").fill,
    outline: style(".place-map__svg .map-land__subject").stroke,
    neighbour: style(".place-map__svg .map-land__neighbour").fill,
    dot: style(marker + " .place-map__dot").fill,
    halo: style(marker + " .place-map__dot").stroke,
    label: style(marker + " .place-map__label").fill,
    label_halo: style(marker + " .place-map__label").stroke,
    area_name: style(".place-map__area-name:not(.place-map__area-name--water)").fill,
    area_halo: style(".place-map__area-name:not(.place-map__area-name--water)").stroke,
    water_name: style(".place-map__area-name--water").fill,
    number: getComputedStyle(document.querySelector(".place-list__number"), "::before").color,
    number_bg: style(".place-list__number").backgroundColor,
  };
}
"""


def _overlap(a, b) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def _inside(inner, outer) -> bool:
    return inner[0] >= outer[0] and inner[1] >= outer[1] and inner[2] <= outer[2] and inner[3] <= outer[3]


def _luminance(colour: str) -> float:
    red, green, blue = (int(v) / 255 for v in re.findall(r"[\d.]+", colour)[:3])
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in (red, green, blue)]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def _contrast(a: str, b: str) -> float:
    light, dark = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


@pytest.mark.parametrize("path", [MAP, PLACE])
@pytest.mark.parametrize("palette", PALETTES)
def test_axe_finds_no_violation_on_the_map_and_the_locator(site_browser, palette, path):
    for width in WIDTHS:
        page = site_browser.open(path, palette=palette, width=width)
        assert_no_axe_violations(page, f"/{path} ({palette} theme, {width} px)")


@pytest.mark.parametrize("width", WIDTHS)
def test_tab_reaches_every_marker_in_order_with_a_visible_focus(site_browser, width):
    page = site_browser.open(MAP, width=width)
    names = page.eval_on_selector_all("svg.place-map__svg a", "links => links.map(a => a.getAttribute('aria-label'))")
    assert len(names) >= 10, f"only {len(names)} markers on /{MAP}"
    report = keyboard_walk(page)
    on_map = [stop for stop in report.stops if any(stop.description.endswith(f"«{name}»") for name in names)]
    assert [stop.description.split("«")[1].rstrip("»") for stop in on_map] == names, (
        f"Tab at {width} px reaches the markers as {[s.description for s in on_map]}, expected {names}")
    problems = [f"  {stop.description}: {'not visible' if not stop.visible else 'no focus indicator'}"
                for stop in on_map if not (stop.visible and stop.indicator)]
    assert not problems, f"KEYBOARD: markers on /{MAP} at {width} px (WCAG 2.4.7):\n" + "\n".join(problems)


@pytest.mark.parametrize("path", [MAP, PLACE, HOME])
def test_maps_reflow_at_320_pixels(site_browser, path):
    page = site_browser.open(path, width=320)
    assert_reflows(page, f"/{path} at 320 px")


@pytest.mark.parametrize("palette", PALETTES)
@pytest.mark.parametrize("width", ALL_WIDTHS)
def test_every_marker_keeps_a_readable_label_inside_the_map_clear_of_the_others(site_browser, screenshots,
                                                                                palette, width):
    page = site_browser.open(MAP, palette=palette, width=width)
    drawn = page.evaluate(_DRAWN)
    markers, svg = drawn["markers"], drawn["svg"]
    assert len(markers) >= 10, f"only {len(markers)} markers on /{MAP}"
    problems = [f"{m['name']}: {len(m['labels'])} labels and {len(m['dots'])} dots shown" for m in markers
                if len(m["labels"]) != 1 or len(m["dots"]) != 1]
    assert not problems, f"at {width} px ({palette}): {problems}"
    labels = [{**m["labels"][0], "marker": m["name"]} for m in markers]
    # The narrow map (under 30rem, the stylesheet's container query) numbers the places (the list under
    # it names them), the wide one names them.
    numbers = svg[2] - svg[0] < 30 * drawn["rem"]
    wrong = [f"{label['marker']} reads «{label['text']}»" for label in labels
             if label["text"].isdigit() != numbers or (not numbers and not label["marker"].startswith(label["text"]))]
    assert not wrong, f"at {width} px: {wrong}"
    # The list under the map shows each marker's number beside its name.
    shown_key = {item["name"]: item["number"].strip('"') for item in drawn["key"] if item["width"] >= 10}
    expected = {m["name"].split(",")[0]: m["name"].split("nr. ")[1].rstrip(")") for m in markers}
    assert shown_key == expected, f"the list's numbers at {width} px: {shown_key}, the map's: {expected}"
    texts = labels + drawn["areas"]
    small = [f"{t['text']} ({t['px']:.1f} px)" for t in texts if t["px"] < SMALLEST_LABEL_PX]
    assert not small, f"labels smaller than {SMALLEST_LABEL_PX} px at {width} px: {small}"
    outside = [t["text"] for t in texts if not _inside(t["box"], svg)]
    assert not outside, f"labels cut off by the edge of the map at {width} px: {outside}"
    dots = [dot for m in markers for dot in m["dots"]]
    overlaps = [f"{a['text']} / {b['text']}" for i, a in enumerate(texts) for b in texts[i + 1:]
                if _overlap(a["box"], b["box"])]
    overlaps += [f"{a['text']} covers a marker" for a in texts for dot in dots if _overlap(a["box"], dot)]
    overlaps += [f"{a['text']} covers the inset" for a in texts for inset in drawn["inset"] if _overlap(a["box"], inset)]
    assert not overlaps, f"labels overlap on /{MAP} at {width} px ({palette}): {overlaps}"
    if width in WIDTHS:
        page.locator("figure.place-map").screenshot(path=screenshots / f"kart-steder-{width}-{palette}.png",
                                                    animations="disabled")


@pytest.mark.parametrize("palette", PALETTES)
def test_the_map_s_colours_as_rendered_reach_their_contrast(site_browser, palette):
    """Graphics 3:1 against what is behind them (WCAG 1.4.11), text 4.5:1 (1.4.3)."""
    page = site_browser.open(MAP, palette=palette, width=1280)
    c = page.evaluate(_COLOURS)
    pairs = [
        ("water", "page", 3), ("land", "water", 3), ("neighbour", "water", 3),
        ("outline", "land", 3), ("outline", "water", 3), ("outline", "neighbour", 3),
        ("dot", "land", 3), ("dot", "neighbour", 3), ("dot", "halo", 3),
        ("label", "label_halo", 4.5), ("area_name", "area_halo", 4.5), ("area_halo", "neighbour", 1),
        ("water_name", "water", 4.5), ("number", "number_bg", 4.5), ("number_bg", "page", 3),
    ]
    low = [f"{a} {c[a]} on {b} {c[b]}: {_contrast(c[a], c[b]):.2f} : 1, needs {need} : 1"
           for a, b, need in pairs if _contrast(c[a], c[b]) < need]
    assert c["area_halo"] == c["neighbour"], "a neighbour's name has a halo of another colour than its land"
    assert not low, f"CONTRAST on /{MAP} ({palette} theme):\n  " + "\n  ".join(low)


@pytest.mark.parametrize("palette", PALETTES)
def test_a_focused_marker_s_ring_stands_out_from_land_and_water(site_browser, palette):
    page = site_browser.open(MAP, palette=palette, width=1280)
    c = page.evaluate(_COLOURS)
    for _ in range(60):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.matches('a.place-map__marker')"):
            break
    ring = page.evaluate("""() => { const s = getComputedStyle(document.activeElement);
        return {colour: s.outlineColor, width: parseFloat(s.outlineWidth), style: s.outlineStyle}; }""")
    assert ring["style"] != "none" and ring["width"] >= 2, ring
    low = [f"ring {ring['colour']} on {behind} {c[behind]}: {_contrast(ring['colour'], c[behind]):.2f} : 1"
           for behind in ("water", "land", "neighbour", "page") if _contrast(ring["colour"], c[behind]) < 3]
    assert not low, f"FOCUS on /{MAP} ({palette} theme):\n  " + "\n  ".join(low)


@pytest.mark.parametrize("width", WIDTHS)
def test_locator_is_drawn_beside_its_caption(site_browser, screenshots, width):
    page = site_browser.open(PLACE, width=width)
    locator = page.locator("figure.place-locator")
    box = locator.locator("svg").bounding_box()
    assert box and 100 < box["width"] < 260, f"the locator is {box} at {width} px"
    assert page.locator("circle.place-locator__here").count() == 1
    assert page.locator("figure.place-locator path.map-land__subject").count() == 1
    locator.screenshot(path=screenshots / f"kart-sted-{width}-light.png", animations="disabled")


@pytest.mark.parametrize("palette", PALETTES)
@pytest.mark.parametrize("width", WIDTHS)
def test_the_front_page_map_shows_and_leads_to_the_places(site_browser, screenshots, palette, width):
    page = site_browser.open(HOME, palette=palette, width=width)
    figure = page.locator("figure.home-map")
    svg = figure.locator("svg").bounding_box()
    assert svg and 150 <= svg["width"] <= min(width, 420), f"the front page's map is {svg} at {width} px"
    assert figure.locator("circle.home-map__dot").count() >= 10
    link = figure.locator("a.home-map__link")
    assert link.get_attribute("href").rstrip("/").endswith("steder")
    link.click()
    page.wait_for_url("**/steder/")
    page.go_back()
    page.locator("figure.home-map").screenshot(path=screenshots / f"kart-forside-{width}-{palette}.png",
                                               animations="disabled")
