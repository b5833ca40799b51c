"""The map on /steder/ and the locator on a place's page, in the browser: axe-core in both themes, every
marker reached with Tab in order and with a visible focus, reflow at 320 px, labels that do not overlap
as drawn, text big enough to read, and screenshots at 320 and 1280 px (tests/screenshots/kart-*.png)
for people to look at."""

from __future__ import annotations

import pytest

from .checks import assert_no_axe_violations, assert_reflows, keyboard_walk
from .pages import PALETTES

MAP = "steder/"
PLACE = "steder/sandvika/"
WIDTHS = (320, 1280)
SMALLEST_LABEL_PX = 12

# What a reader sees of the map: each visible label's and dot's box in CSS pixels, and the label's font size.
_DRAWN = r"""
() => {
  const svg = document.querySelector("svg.place-map__svg");
  const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
  const shown = (el) => el.checkVisibility() && el.getBoundingClientRect().width > 0;
  const box = (el) => { const r = el.getBoundingClientRect(); return [r.left, r.top, r.right, r.bottom]; };
  return {
    labels: [...svg.querySelectorAll("text.place-map__label")].filter(shown).map(t => ({
      text: t.textContent, box: box(t), px: parseFloat(t.getAttribute("font-size")) * scale})),
    dots: [...svg.querySelectorAll("circle.place-map__dot")].filter(shown).map(c => box(c)),
    markers: svg.querySelectorAll("a").length,
  };
}
"""


def _overlap(a, b) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


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


@pytest.mark.parametrize("path", [MAP, PLACE])
def test_map_and_locator_reflow_at_320_pixels(site_browser, path):
    page = site_browser.open(path, width=320)
    assert_reflows(page, f"/{path} at 320 px")


@pytest.mark.parametrize("palette", PALETTES)
@pytest.mark.parametrize("width", WIDTHS)
def test_labels_are_readable_and_do_not_overlap_as_drawn(site_browser, screenshots, palette, width):
    page = site_browser.open(MAP, palette=palette, width=width)
    drawn = page.evaluate(_DRAWN)
    labels, dots = drawn["labels"], drawn["dots"]
    assert len(dots) == drawn["markers"], f"{len(dots)} dots shown for {drawn['markers']} markers at {width} px"
    assert len(labels) >= drawn["markers"] / 2, f"only {len(labels)} of {drawn['markers']} places named at {width} px"
    small = [f"{label['text']} ({label['px']:.1f} px)" for label in labels if label["px"] < SMALLEST_LABEL_PX]
    assert not small, f"labels smaller than {SMALLEST_LABEL_PX} px at {width} px: {small}"
    overlaps = [f"{a['text']} / {b['text']}" for i, a in enumerate(labels) for b in labels[i + 1:]
                if _overlap(a["box"], b["box"])]
    overlaps += [f"{a['text']} covers a marker" for a in labels for dot in dots if _overlap(a["box"], dot)]
    assert not overlaps, f"labels overlap on /{MAP} at {width} px ({palette}): {overlaps}"
    page.locator("figure.place-map").screenshot(path=screenshots / f"kart-steder-{width}-{palette}.png",
                                                animations="disabled")


@pytest.mark.parametrize("width", WIDTHS)
def test_locator_is_drawn_beside_its_caption(site_browser, screenshots, width):
    page = site_browser.open(PLACE, width=width)
    locator = page.locator("figure.place-locator")
    box = locator.locator("svg").bounding_box()
    assert box and 100 < box["width"] < 260, f"the locator is {box} at {width} px"
    assert page.locator("circle.place-locator__here").count() == 1
    locator.screenshot(path=screenshots / f"kart-sted-{width}-light.png", animations="disabled")
