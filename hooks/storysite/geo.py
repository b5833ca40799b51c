"""The map of Bærum on /steder/ and the locator on each place's page, drawn at build time as data
for an inline SVG (no map service, no script, no outline of the municipality). No MkDocs here.

Projection: equirectangular with the longitude scaled by cos(middle latitude), which is good to a
few metres over a municipality this size. The extent (and so the SVG's viewBox) comes from *all*
places in the vocabulary that have a point, not only those with stories, so the map keeps its size
and every place keeps its spot when stories come and go. North is up: a larger latitude gives a
smaller y.

The SVG scales with the width of the page, and its text scales with it. One label size cannot be
readable both at 288 px (a 320 px phone) and at 750 px, so the map is drawn in ``SIZES``: each
has its own text size, marker sizes and label placement, and the stylesheet shows the one that
fits the width of the map (a container query). Each size follows the label rule in ``_place_labels``.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from .vocabulary import Place

VIEW_WIDTH = 640  # the viewBox's width; its height follows from the places' extent
MARGIN = 34  # room around the outermost places, in viewBox units
MIN_SPAN = 0.01  # degrees: the smallest extent, so one place (or places on one spot) still makes a map
ASCENT, DESCENT = 0.8, 0.25  # a label's height above and below its baseline, in ems (Å and Ø included)
HALO = 0.12  # the outline behind a label's letters (ems), counted into its box
GAP = 0.25  # between a marker and its label (ems)
LOCATOR_RADIUS, LOCATOR_HERE_RADIUS = 10.0, 22.0


@dataclass(frozen=True)
class Size:
    """One size the map is drawn in; ``name`` is the suffix of its CSS class (``place-map__<name>``)."""

    name: str
    font_size: float  # viewBox units
    min_radius: float  # a marker for the fewest stories
    max_radius: float  # a marker for the most stories


# "wide" is shown when the map is at least 30rem (600 px) wide: 14 units are 13–17 px there.
# "narrow" below that: 28 units are 12.6 px on a 320 px phone (288 px of map) and grow with the map.
SIZES = (Size("wide", 14, 6, 14), Size("narrow", 28, 9, 18))


@dataclass(frozen=True)
class Box:
    """A rectangle in viewBox units."""

    left: float
    top: float
    right: float
    bottom: float

    def overlaps(self, other: Box) -> bool:
        """Whether the two share more than an edge."""
        return (self.left < other.right and other.left < self.right
                and self.top < other.bottom and other.top < self.bottom)

    def inside(self, other: Box) -> bool:
        return (self.left >= other.left and self.right <= other.right
                and self.top >= other.top and self.bottom <= other.bottom)


@dataclass(frozen=True)
class Label:
    """A place's name on the map: an SVG ``<text>`` at (x, y) (the baseline) with ``text-anchor``."""

    text: str
    x: float
    y: float
    anchor: str  # "start", "end" or "middle"
    box: Box  # the estimated box of its letters and halo: what the label rule compares


@dataclass(frozen=True)
class Drawing:
    """How one marker is drawn in one ``Size``: its radius, and its label unless the label did not fit."""

    size: str
    font_size: float
    radius: float
    label: Label | None


@dataclass(frozen=True)
class Marker:
    """A place with stories: where it is and how it is drawn in each size (in ``SIZES`` order)."""

    place: Place
    count: int
    x: float
    y: float
    drawings: tuple[Drawing, ...]


@dataclass(frozen=True)
class PlaceMap:
    """What partials/place-map.html draws: markers in the order of the places (the Tab order), and
    the places with stories that have no point (such as «Hele Bærum»), to list beside the map."""

    width: int
    height: int
    markers: tuple[Marker, ...]
    unplaced: tuple[tuple[Place, int], ...]


@dataclass(frozen=True)
class Dot:
    x: float
    y: float


@dataclass(frozen=True)
class Locator:
    """What partials/place-locator.html draws: every place as a faint dot and ``place`` highlighted."""

    width: int
    height: int
    place: Place
    here: Dot
    others: tuple[Dot, ...]
    radius: float = LOCATOR_RADIUS
    here_radius: float = LOCATOR_HERE_RADIUS


@dataclass(frozen=True)
class Projection:
    """Latitude and longitude (WGS 84 degrees) to viewBox units."""

    west: float
    north: float
    cos_lat: float
    scale: float  # viewBox units per degree of latitude
    width: int
    height: int

    def point(self, lat: float, lon: float) -> tuple[float, float]:
        x = MARGIN + (lon - self.west) * self.cos_lat * self.scale
        y = MARGIN + (self.north - lat) * self.scale
        return _n(x), _n(y)


def _n(value: float) -> float:
    """A coordinate as the SVG has it: to a tenth, and without «.0» (so the output reads cleanly)."""
    value = round(float(value), 1)
    return int(value) if value.is_integer() else value


def _located(places: Sequence[Place]) -> list[Place]:
    return [p for p in places if p.lat is not None and p.lon is not None]


def _where(project: Projection, place: Place) -> tuple[float, float] | None:
    return None if place.lat is None or place.lon is None else project.point(place.lat, place.lon)


def projection(all_places: Sequence[Place]) -> Projection | None:
    """The projection that fits every place with a point into ``VIEW_WIDTH`` (None if none has one)."""
    located = _located(all_places)
    if not located:
        return None
    lats = [float(p.lat) for p in located if p.lat is not None]
    lons = [float(p.lon) for p in located if p.lon is not None]
    south, north, west, east = min(lats), max(lats), min(lons), max(lons)
    cos_lat = math.cos(math.radians((south + north) / 2))
    # A span under MIN_SPAN grows about its middle, so one place lands in the middle of the map.
    lat_span, lon_span = max(north - south, MIN_SPAN), max((east - west) * cos_lat, MIN_SPAN)
    north += (lat_span - (north - south)) / 2
    west -= (lon_span / cos_lat - (east - west)) / 2
    scale = (VIEW_WIDTH - 2 * MARGIN) / lon_span
    height = math.ceil(lat_span * scale + 2 * MARGIN)
    return Projection(west, north, cos_lat, scale, VIEW_WIDTH, height)


# Advance widths of Arial/Helvetica/Liberation Sans in ems (the site's system font stack falls back
# to these); a letter not listed counts as wide. ``WIDTH_MARGIN`` covers wider system fonts.
_WIDTHS = {
    **dict.fromkeys("ijl", 0.222), **dict.fromkeys("ftI ", 0.278), **dict.fromkeys("r-", 0.333),
    **dict.fromkeys("cksvxyzJ", 0.5), **dict.fromkeys("abdeghnopqu", 0.556), "ø": 0.611, "å": 0.556,
    **dict.fromkeys("FTZL", 0.611), **dict.fromkeys("ABEKPSVXYÅ", 0.667), **dict.fromkeys("CDHNRUw", 0.722),
    **dict.fromkeys("GOQØ", 0.778), **dict.fromkeys("mM", 0.833), "æ": 0.889, "W": 0.944, "Æ": 1.0,
}
WIDTH_MARGIN = 1.12


def text_width(text: str, font_size: float) -> float:
    """The estimated width of ``text`` at ``font_size``, on the generous side."""
    return sum(_WIDTHS.get(c, 0.8) for c in text) * font_size * WIDTH_MARGIN


def label_box(text: str, x: float, y: float, anchor: str, font_size: float) -> Box:
    """The box a label's letters and halo cover: from its attributes, as the SVG has them."""
    width = text_width(text, font_size)
    left = {"start": x, "middle": x - width / 2, "end": x - width}[anchor]
    halo = HALO * font_size
    return Box(left - halo, y - ASCENT * font_size - halo, left + width + halo, y + DESCENT * font_size + halo)


def marker_box(x: float, y: float, radius: float) -> Box:
    return Box(x - radius, y - radius, x + radius, y + radius)


def _candidates(text: str, x: float, y: float, radius: float, font_size: float) -> list[Label]:
    """Where a label may go, in the order tried: right, left, above, below, then the four corners."""
    gap = GAP * font_size
    middle = (ASCENT - DESCENT) / 2 * font_size  # from the baseline to the middle of the letters
    corner = radius * math.sqrt(0.5) + gap / 2  # beside the circle at 45°, clear of it
    spots = [
        ("start", x + radius + gap, y + middle),
        ("end", x - radius - gap, y + middle),
        ("middle", x, y - radius - gap - (DESCENT + HALO) * font_size),
        ("middle", x, y + radius + gap + (ASCENT + HALO) * font_size),
        ("start", x + corner, y - corner - (DESCENT + HALO) * font_size),
        ("end", x - corner, y - corner - (DESCENT + HALO) * font_size),
        ("start", x + corner, y + corner + (ASCENT + HALO) * font_size),
        ("end", x - corner, y + corner + (ASCENT + HALO) * font_size),
    ]
    labels = []
    for anchor, lx, ly in spots:
        lx, ly = _n(lx), _n(ly)
        labels.append(Label(text, lx, ly, anchor, label_box(text, lx, ly, anchor, font_size)))
    return labels


def _place_labels(points: Sequence[tuple[str, int, float, float, float]], font_size: float,
                  frame: Box) -> list[Label | None]:
    """Labels for ``points`` (name, count, x, y, radius), following this rule:

    **No label's box overlaps another label's box or any marker's box, and every label lies inside
    the frame.** A label's box is its estimated text width (``text_width``, generous) by its ascent and
    descent, plus the halo (``label_box``); a marker's box is the square around its circle.

    Places are labelled greedily: most stories first; among equals, the place with the fewest spots
    clear of markers and the frame first (a place at the edge or in a cluster), then in the given
    order. Each tries right of its marker, left, above, below and the four corners, and takes the
    first spot that keeps the rule. A place with no such spot gets no label: its marker still has its accessible name
    («Sandvika, 3 historier») and the place is in the list under the map.
    """
    taken = [marker_box(x, y, r) for _, _, x, y, r in points]
    candidates = [[label for label in _candidates(name, x, y, r, font_size)
                   if label.box.inside(frame) and not any(label.box.overlaps(box) for box in taken)]
                  for name, _, x, y, r in points]
    labels: list[Label | None] = [None] * len(points)
    for i in sorted(range(len(points)), key=lambda i: (-points[i][1], len(candidates[i]), i)):
        for label in candidates[i]:
            if not any(label.box.overlaps(box) for box in taken):
                labels[i] = label
                taken.append(label.box)
                break
    return labels


def _radius(count: int, most: int, size: Size) -> float:
    """A marker's area grows with its number of stories; the place with the most gets ``max_radius``."""
    return _n(max(size.min_radius, size.max_radius * math.sqrt(count / most)))


def frame(width: float, height: float) -> Box:
    """Where labels may go: the viewBox less the frame's line."""
    return Box(2, 2, width - 2, height - 2)


def places_map(places: Sequence[tuple[Place, int]], all_places: Sequence[Place]) -> PlaceMap | None:
    """The map of every place with stories (``(place, count)``); ``all_places`` fixes the extent.

    None when no place with stories has a point (there would be nothing to draw).
    """
    project = projection(all_places)
    if project is None:
        return None
    located: list[tuple[Place, int, tuple[float, float]]] = []
    unplaced: list[tuple[Place, int]] = []
    for place, count in places:
        where = _where(project, place)
        if where is None:
            unplaced.append((place, count))
        else:
            located.append((place, count, where))
    if not located:
        return None
    most = max(count for _, count, _ in located)
    box = frame(project.width, project.height)
    drawings: list[list[Drawing]] = [[] for _ in located]
    for size in SIZES:
        spots = [(place.name, count, x, y, _radius(count, most, size)) for place, count, (x, y) in located]
        for drawn, spot, label in zip(drawings, spots, _place_labels(spots, size.font_size, box), strict=True):
            drawn.append(Drawing(size.name, size.font_size, spot[4], label))
    markers = tuple(Marker(place, count, x, y, tuple(drawn))
                    for (place, count, (x, y)), drawn in zip(located, drawings, strict=True))
    return PlaceMap(project.width, project.height, markers, tuple(unplaced))


def locator(place: Place, all_places: Sequence[Place]) -> Locator | None:
    """A small map that shows where ``place`` is among all places; None for a place without a point."""
    project = projection(all_places)
    here = _where(project, place) if project else None
    if project is None or here is None:
        return None
    others = tuple(Dot(*where) for other in all_places
                   if other.slug != place.slug and (where := _where(project, other)) is not None)
    return Locator(project.width, project.height, place, Dot(*here), others)
