"""Contrast as rendered (WCAG 1.4.11 non-text contrast, 1.4.3 text): the charts on /tall/, the map on /steder/
and a place page's locator, in the light and the dark scheme.

Every colour is read from the page as Chromium draws it (``getComputedStyle``: fill, background, colour, outline)
and compared with what is painted *behind* it at that spot: the elements under it there
(``document.elementsFromPoint``), see-through layers mixed over the first opaque one, and the page's own
background last. So a bar is judged against the page, a shaded cell against the table, a dot against the land it
sits on, the land against the fjord, a focus ring against what is around the focused element. An SVG text with a
halo (``paint-order: stroke``) is judged against its halo; a marker with a ring of its own passes if its fill
stands out from the ring or the ring from what is behind it.

Limits: graphics that carry information (bars, columns, shaded cells, land, water, markers) and focus rings 3:1,
text 4.5:1 (3:1 from 24 px, or 18.66 px bold). The map's parts are named by their classes in
``overrides/partials/map-land.html``, ``place-map.html`` and ``place-locator.html``.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from playwright.sync_api import Page

from .pages import PALETTES

GRAPHIC = 3.0
TEXT = 4.5


@dataclass(frozen=True)
class Part:
    """Elements of one kind on a page: ``paint`` is what their colour is ("fill", "background" or "text")."""

    what: str
    selector: str
    paint: str
    limit: float = GRAPHIC


NUMBERS = (
    Part("bar", ".bar-chart .bar:not(.bar--0)", "background"),
    Part("year column", ".column-chart .column:not(.bar--0)", "background"),
    Part("shaded cell", ".heat-map td.heat:not(.heat--0)", "background"),
    Part("text in a chart", ".chart :is(caption, th, td, a, span, p)", "text", TEXT),
)
MAP = (
    Part("water", ".place-map__svg .map-land__water", "fill"),
    Part("Bærum's land", ".place-map__svg .map-land__subject", "fill"),
    Part("a neighbour's land", ".place-map__svg .map-land__neighbour", "fill"),
    Part("marker", ".place-map__svg .place-map__dot", "fill"),
    Part("marker label", ".place-map__svg .place-map__label", "text", TEXT),
    Part("area name", ".place-map__svg .place-map__area-name", "text", TEXT),
    Part("number in the list", ".place-list__number", "background"),  # its digit is CSS content: see test_map.py
)
LOCATOR = (
    Part("water", ".place-locator__svg .map-land__water", "fill"),
    Part("Bærum's land", ".place-locator__svg .map-land__subject", "fill"),
    Part("this place", ".place-locator__svg .place-locator__here", "fill"),
    Part("another place", ".place-locator__svg .place-locator__dot", "fill"),
)
PAGES = {"tall/": NUMBERS, "steder/": MAP, "steder/sandvika/": LOCATOR}
FOCUSED = {"tall/": "article a, article [tabindex='0']", "steder/": "a.place-map__marker",
           "steder/sandvika/": ".place-locator a"}  # (a ring over a picture cannot be judged from the page's styles)


# ---------------------------------------------------------------------------------------------
# In the page: colours as rendered and what is behind them

_MEASURE = r"""
async ({parts, limits}) => {
  const canvas = document.createElement("canvas");
  canvas.width = canvas.height = 1;
  const ctx = canvas.getContext("2d", {willReadFrequently: true});
  // Any CSS colour (rgb(), color(srgb …), oklch() …) as [r, g, b, a], 0–255 and 0–1, as the canvas draws it.
  const rgba = (colour) => {
    if (!colour || colour === "none" || colour === "transparent" || colour.startsWith("url(")) return null;
    ctx.clearRect(0, 0, 1, 1);
    ctx.fillStyle = "#000"; ctx.fillStyle = colour;
    ctx.fillRect(0, 0, 1, 1);
    const [r, g, b, a] = ctx.getImageData(0, 0, 1, 1).data;
    return a === 0 ? null : [r, g, b, a / 255];
  };
  const opacity = (el) => { let o = 1; for (let e = el; e; e = e.parentElement) o *= parseFloat(getComputedStyle(e).opacity); return o; };
  const over = (top, bottom) => {
    const a = top[3];
    return [0, 1, 2].map(i => top[i] * a + bottom[i] * (1 - a)).concat([1]);
  };
  const isSvg = (el) => el instanceof SVGElement;
  // The colour an element paints at a point: its background (HTML) or fill (an SVG shape).
  const paintOf = (el) => {
    const cs = getComputedStyle(el);
    let c;
    if (isSvg(el)) {
      if (el instanceof SVGSVGElement || el instanceof SVGGElement || el instanceof SVGAElement
          || el instanceof SVGTextElement) c = rgba(cs.backgroundColor);
      else { c = rgba(cs.fill); if (c) c[3] *= parseFloat(cs.fillOpacity); }
    } else c = rgba(cs.backgroundColor);
    if (c) c[3] *= opacity(el);
    return c;
  };
  const pageColour = () => rgba(getComputedStyle(document.body).backgroundColor)
    || rgba(getComputedStyle(document.documentElement).backgroundColor) || [255, 255, 255, 1];
  // What is painted at (x, y) from the element `from` down (under it if `under`): see-through layers mixed
  // over the first opaque one, the page's background if none is.
  const behind = (x, y, from, under) => {
    const stack = document.elementsFromPoint(x, y);
    const i = stack.indexOf(from);
    const layers = [];
    for (const el of i < 0 ? stack : stack.slice(under ? i + 1 : i)) {
      const c = paintOf(el);
      if (!c) continue;
      layers.push(c);
      if (c[3] >= 0.999) break;
    }
    let colour = layers.length && layers[layers.length - 1][3] >= 0.999 ? layers.pop() : pageColour();
    while (layers.length) colour = over(layers.pop(), colour);
    return colour;
  };
  const luminance = ([r, g, b]) => {
    const lin = [r, g, b].map(v => { v /= 255; return v <= 0.04045 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; });
    return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2];
  };
  const ratio = (a, b) => { const [l, d] = [luminance(a), luminance(b)].sort((x, y) => y - x); return (l + 0.05) / (d + 0.05); };
  const hex = (c) => "#" + c.slice(0, 3).map(v => Math.round(v).toString(16).padStart(2, "0")).join("");
  const describe = (el) => {
    const cls = (el.getAttribute("class") || "").trim().split(/\s+/).filter(c => c && c !== "focus-visible").join(".");
    const text = (el.textContent || "").replace(/\s+/g, " ").trim().slice(0, 30);
    return `<${el.tagName.toLowerCase()}${cls ? "." + cls : ""}>` + (text ? ` «${text}»` : "");
  };
  const shown = (el) => {
    const r = el.getBoundingClientRect();
    return r.width >= 2 && r.height >= 2 && el.checkVisibility({visibilityProperty: true, opacityProperty: true});
  };
  const ownText = (el) => [...el.childNodes].some(n => n.nodeType === Node.TEXT_NODE && n.textContent.trim());
  // Points on the element where it is the one hit, spread over its box (a land's box holds water too).
  const pointsOn = (el) => {
    const r = el.getBoundingClientRect();
    const found = [];
    for (const fy of [0.5, 0.25, 0.75, 0.1, 0.9]) for (const fx of [0.5, 0.25, 0.75, 0.1, 0.9]) {
      const x = r.left + fx * r.width, y = r.top + fy * r.height;
      if (x < 0 || y < 0 || x >= innerWidth || y >= innerHeight) continue;
      if (document.elementsFromPoint(x, y).includes(el)) found.push([x, y]);
      if (found.length >= 5) return found;
    }
    return found;
  };
  const found = [];
  let counted = 0;
  for (const part of parts) {
    for (const el of document.querySelectorAll(part.selector)) {
      if (!shown(el)) continue;
      if (part.paint === "text" && !ownText(el)) continue;
      el.scrollIntoView({block: "center", inline: "center"});
      const cs = getComputedStyle(el);
      let own, points = pointsOn(el), against = null;
      if (part.paint === "text") {
        own = rgba(isSvg(el) ? cs.fill : cs.color);
        const halo = isSvg(el) && cs.paintOrder.startsWith("stroke") && parseFloat(cs.strokeWidth) >= 1.5
          ? rgba(cs.stroke) : null;
        if (halo && halo[3] >= 0.999) against = halo;
      } else {
        own = part.paint === "fill" ? rgba(cs.fill) : rgba(cs.backgroundColor);
        if (own && part.paint === "fill") own[3] *= parseFloat(cs.fillOpacity);
      }
      if (!own) { found.push({what: part.what, element: describe(el), problem: "no colour of its own"}); continue; }
      own[3] *= opacity(el);
      if (!points.length) {
        const r = el.getBoundingClientRect();
        points = [[r.left + r.width / 2, r.top + r.height / 2]];
      }
      // A shape with a ring of its own (an opaque stroke at least 1 px wide on screen) stands out if its fill
      // does against the ring, or the ring does against what is behind.
      let ring = null;
      if (part.paint === "fill" && el instanceof SVGGeometryElement) {
        const stroke = rgba(cs.stroke);
        if (stroke && stroke[3] >= 0.999 && parseFloat(cs.strokeWidth) * el.getScreenCTM().a >= 1) ring = stroke;
      }
      let worst = null;
      for (const [x, y] of points) {
        const back = against || behind(x, y, el, part.paint !== "text");
        const drawn = own[3] < 0.999 ? over(own, back) : own;
        const size = parseFloat(cs.fontSize), bold = parseInt(cs.fontWeight) >= 700;
        const limit = part.paint === "text" && (size >= 24 || (bold && size >= 18.66)) ? limits.largeText : part.limit;
        let value = ratio(drawn, back), shownOn = back;
        if (ring && Math.max(ratio(drawn, ring), ratio(ring, back)) > value) {
          value = Math.max(ratio(drawn, ring), ratio(ring, back));
          shownOn = ring;
        }
        if (!worst || value < worst.value) worst = {value, limit, colour: hex(drawn), behind: hex(shownOn)};
      }
      counted++;
      if (worst.value < worst.limit) {
        found.push({what: part.what, element: describe(el), colour: worst.colour, behind: worst.behind,
                    ratio: Math.round(worst.value * 100) / 100, limit: worst.limit});
      }
    }
  }
  window.scrollTo(0, 0);
  return {counted, found};
}
"""

_RING = r"""
() => {
  const el = document.activeElement;
  const cs = getComputedStyle(el);
  if (cs.outlineStyle === "none" || parseFloat(cs.outlineWidth) === 0) return null;
  el.scrollIntoView({block: "center", inline: "nearest"});
  const r = el.getBoundingClientRect();
  const width = cs.outlineStyle === "auto" ? Math.max(2, parseFloat(cs.outlineWidth)) : parseFloat(cs.outlineWidth);
  const out = parseFloat(cs.outlineOffset) + width / 2;
  // Covered by something fixed to the window (the header): not where the ring is seen.
  const covered = (x, y) => {
    for (let e = document.elementFromPoint(x, y); e; e = e.parentElement) {
      const position = getComputedStyle(e).position;
      if ((position === "fixed" || position === "sticky") && !e.contains(el)) return true;
    }
    return false;
  };
  // Where the ring is drawn: the middle of each side, just outside the element.
  const spots = [[r.left + r.width / 2, r.top - out], [r.left + r.width / 2, r.bottom + out],
                 [r.left - out, r.top + r.height / 2], [r.right + out, r.top + r.height / 2]]
    .filter(([x, y]) => x >= 0 && y >= 0 && x < innerWidth && y < innerHeight && !covered(x, y));
  return {colour: cs.outlineColor, spots, element: el.outerHTML.slice(0, 90).replace(/\s+/g, " ")};
}
"""

# The keyboard's starting point at the start of the content: a stand-in focused there and removed.
_FROM_CONTENT = """() => {
  const start = document.createElement("span");
  start.tabIndex = -1;
  document.querySelector("article").prepend(start);
  start.focus();
  start.remove();
}"""

_BEHIND_AT = r"""
({colour, spots}) => {
  const canvas = document.createElement("canvas");
  canvas.width = canvas.height = 1;
  const ctx = canvas.getContext("2d", {willReadFrequently: true});
  const rgba = (c) => { if (!c || c === "none" || c === "transparent" || c.startsWith("url(")) return null;
    ctx.clearRect(0, 0, 1, 1); ctx.fillStyle = "#000"; ctx.fillStyle = c; ctx.fillRect(0, 0, 1, 1);
    const [r, g, b, a] = ctx.getImageData(0, 0, 1, 1).data; return a === 0 ? null : [r, g, b, a / 255]; };
  const over = (t, b) => [0, 1, 2].map(i => t[i] * t[3] + b[i] * (1 - t[3])).concat([1]);
  const paint = (el) => { const cs = getComputedStyle(el);
    const geometry = el instanceof SVGGeometryElement && !(el instanceof SVGTextContentElement);
    const c = rgba(geometry ? cs.fill : cs.backgroundColor);
    if (c && geometry) c[3] *= parseFloat(cs.fillOpacity);
    return c; };
  const pageColour = rgba(getComputedStyle(document.body).backgroundColor) || [255, 255, 255, 1];
  return spots.map(([x, y]) => {
    const layers = [];
    for (const el of document.elementsFromPoint(x, y)) {
      const c = paint(el); if (!c) continue; layers.push(c); if (c[3] >= 0.999) break; }
    let back = layers.length && layers[layers.length - 1][3] >= 0.999 ? layers.pop() : pageColour;
    while (layers.length) back = over(layers.pop(), back);
    return {ring: rgba(colour), behind: back};
  });
}
"""


def _luminance(rgb) -> float:
    linear = [v / 255 / 12.92 if v / 255 <= 0.04045 else ((v / 255 + 0.055) / 1.055) ** 2.4 for v in rgb[:3]]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a, b) -> float:
    light, dark = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def low_contrast(page: Page, parts: tuple[Part, ...]) -> tuple[int, list[str]]:
    """How many elements were measured, and each one under its limit, described."""
    result = page.evaluate(_MEASURE, {"parts": [p.__dict__ for p in parts], "limits": {"largeText": GRAPHIC}})
    problems = [
        f"  {f['what']} {f['element']}: " + (f"{f['problem']}" if "problem" in f else
                                               f"{f['colour']} on {f['behind']} is {f['ratio']} : 1, needs {f['limit']} : 1")
        for f in result["found"]
    ]
    return result["counted"], problems


def weak_focus_rings(page: Page, selector: str, *, most: int = 400) -> tuple[int, list[str]]:
    """Press Tab through the page from the start of its content (the header's search would open and dim the
    page); every focused element matching ``selector`` must show a ring 3:1 against what is around it, where the
    ring is drawn."""
    page.evaluate(_FROM_CONTENT)
    seen: set[str] = set()
    problems: list[str] = []
    walk: list[str] = []
    judged = 0
    for _ in range(most):
        page.keyboard.press("Tab")
        key = page.evaluate("""(selector) => { const e = document.activeElement;
            if (!e || e === document.body) return "";
            if (!e.dataset.ringKey) e.dataset.ringKey = Math.random().toString(36).slice(2);
            return (e.matches(selector) ? "y" : "n") + e.dataset.ringKey + " " + e.outerHTML.slice(0, 60); }""",
                            selector)
        key, _, html = key.partition(" ")
        walk.append(html)
        if not key or key[1:] in seen:
            if key and key[1:] in seen:
                break
            continue
        seen.add(key[1:])
        if key[0] != "y":
            continue
        ring = page.evaluate(_RING)
        if ring is None:
            problems.append(f"  no outline when focused: {page.evaluate('document.activeElement.outerHTML.slice(0, 90)')}")
            continue
        if not ring["spots"]:
            walk.append(f"(no spot to judge: {ring})")
            continue
        judged += 1
        for spot in page.evaluate(_BEHIND_AT, ring):
            if spot["ring"] is None:
                problems.append(f"  an invisible ring ({ring['colour']}) on {ring['element']}")
                break
            value = contrast(spot["ring"], spot["behind"])
            if value < GRAPHIC:
                problems.append(f"  ring {ring['colour']} on {_hex(spot['behind'])}: {value:.2f} : 1 around "
                                f"{ring['element']}")
                break
    if not judged:
        problems.append("  Tab went " + " → ".join(walk))
    return judged, problems


def _hex(rgba) -> str:
    return "#" + "".join(f"{round(v):02x}" for v in rgba[:3])


# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("palette", PALETTES)
@pytest.mark.parametrize("path", list(PAGES))
def test_graphics_and_text_reach_their_contrast_as_rendered(site_browser, path, palette):
    page = site_browser.open(path, palette=palette, width=1280)
    counted, problems = low_contrast(page, PAGES[path])
    assert counted >= len(PAGES[path]), f"only {counted} elements measured on /{path}: the parts are not on the page"
    assert not problems, (f"CONTRAST on /{path} ({palette} scheme), WCAG 1.4.11 and 1.4.3, {len(problems)} of "
                          f"{counted} elements under the limit:\n" + "\n".join(problems))


@pytest.mark.parametrize("palette", PALETTES)
def test_the_narrow_map_reaches_its_contrast_as_rendered(site_browser, palette):
    page = site_browser.open("steder/", palette=palette, width=320)
    counted, problems = low_contrast(page, MAP)
    assert counted >= 10
    assert not problems, f"CONTRAST on /steder/ at 320 px ({palette} scheme):\n" + "\n".join(problems)


@pytest.mark.parametrize("palette", PALETTES)
@pytest.mark.parametrize("path", list(FOCUSED))
def test_focus_rings_stand_out_from_what_is_around_them(site_browser, path, palette):
    page = site_browser.open(path, palette=palette, width=1280)
    judged, problems = weak_focus_rings(page, FOCUSED[path])
    assert judged >= (3 if path != "steder/sandvika/" else 1), (
        f"Tab reached only {judged} of the elements «{FOCUSED[path]}» on /{path}:\n" + "\n".join(problems))
    assert not problems, f"FOCUS on /{path} ({palette} scheme), WCAG 1.4.11:\n" + "\n".join(problems)


# The checks find what they are for: the dark bars of before (#003f4f on #1e2129, 1.4 : 1), a pale shade, and a
# focus ring in the page's own colour.
FAULTS = {
    "mørke-søyler": (".bar, .column { background: #003f4f !important; }", "bar"),
    "blek-rute": (".heat--1 { background: #e6f2f5 !important; }", "shaded cell"),
    "grå-tekst": (".chart__note { color: #9aa0a6 !important; }", "text in a chart"),
}


@pytest.mark.parametrize("fault", list(FAULTS))
def test_the_contrast_check_finds_a_colour_under_the_limit(site_browser, fault):
    style, what = FAULTS[fault]
    page = site_browser.open("tall/", palette="dark" if fault == "mørke-søyler" else "light", width=1280)
    page.add_style_tag(content=style)
    _, problems = low_contrast(page, NUMBERS)
    assert any(line.strip().startswith(what) for line in problems), f"{fault} was not found: {problems}"


def test_the_focus_check_finds_a_ring_in_the_page_s_own_colour(site_browser):
    page = site_browser.open("tall/", palette="dark", width=1280)
    page.add_style_tag(content="article a:focus-visible { outline: 2px solid #262a33 !important; }")
    _, problems = weak_focus_rings(page, FOCUSED["tall/"], most=40)
    assert problems and "ring" in problems[0], problems
