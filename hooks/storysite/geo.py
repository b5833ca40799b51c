"""The map of Bærum on /steder/ and the front page, and the locator on each place's page, drawn at
build time as data for an inline SVG (no map service, no tiles, no script). No MkDocs here.

The land comes from Kartverket's municipal boundaries (``map_outline``, data/baerum-kart.geojson):
the fjord is the map's background, the neighbours are drawn lightly and Bærum clearly, then the
places with stories as markers sized by their number of stories, each with a label (``map_labels``).

Projection: equirectangular with the longitude scaled by cos(middle latitude), which is good to a
few metres over a municipality this size. The map shows the built-up south of Bærum: the extent
(and so the SVG's viewBox) is every place in the vocabulary that has a point, not only those with
stories, plus ``MARGIN`` of land and fjord around them, so the map keeps its size and every place
keeps its spot when stories come and go. North is up: a larger latitude gives a smaller y.

The SVG scales with the width of the page, and its text scales with it. One label size cannot be
readable both at 288 px (a 320 px phone) and at 750 px, so the map is drawn in ``SIZES``: each has
its own text size, marker sizes and labels, and the stylesheet shows the one that fits the width of
the map (a container query). The wide map names each place beside its marker; the narrow one
numbers them, and the list under the map gives each number its name. Any marker whose name fits
nowhere on the wide map gets its number there too.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from . import map_outline
from .map_labels import ASCENT, DESCENT, HALO, Box, Label, Spot, frame, marker_box, n, place, text_width
from .map_outline import Outline, Ring
from .vocabulary import Place

VIEW_WIDTH = 640  # the viewBox's width; its height follows from the places' extent
MARGIN = 60  # land and fjord around the outermost places, in viewBox units (some 1.2 km)
MIN_SPAN = 0.01  # degrees: the smallest extent, so one place (or places on one spot) still makes a map
CLIP = 6  # the land is cut this far outside the viewBox, so the cut never shows
SIMPLIFY = 0.6  # Douglas–Peucker tolerance in viewBox units: under a pixel on the widest map
LOCATOR_RADIUS, LOCATOR_HERE_RADIUS = 8.0, 22.0
WATER_NAME = "Oslofjorden"
INSET_HEIGHT, INSET_PAD, INSET_GAP = 112, 6, 8  # the inset of all Bærum (viewBox units), the water in it
# around Bærum, and its distance from the map's edge (clear of the rounded corner)
NAME_STEP = 16  # the grid (viewBox units) on which the names of the neighbours and the fjord are placed


@dataclass(frozen=True)
class Size:
    """One size the map is drawn in; ``name`` is the suffix of its CSS class (``place-map__<name>``)."""

    name: str
    font_size: float  # viewBox units
    min_radius: float  # a marker for the fewest stories
    max_radius: float  # a marker for the most stories
    numbers: bool  # label each marker with its number (else with its name)


# "wide" is shown when the map is at least 30rem (600 px) wide: 14 units are 13–17 px there.
# "narrow" below that: 28 units are 12.6 px on a 320 px phone (288 px of map) and grow with the map.
SIZES = (Size("wide", 14, 6, 14, numbers=False), Size("narrow", 28, 9, 18, numbers=True))


@dataclass(frozen=True)
class Drawing:
    """How one marker is drawn in one ``Size``: its radius, and its label unless no label fitted."""

    size: str
    font_size: float
    radius: float
    label: Label | None


@dataclass(frozen=True)
class Marker:
    """A place with stories: its number (in the list under the map), where it is, and how it is drawn
    in each size (in ``SIZES`` order)."""

    place: Place
    count: int
    number: int
    x: float
    y: float
    drawings: tuple[Drawing, ...]


@dataclass(frozen=True)
class Shape:
    """A municipality as drawn: ``path`` is SVG path data in viewBox units (fill rule even-odd)."""

    name: str
    subject: bool  # Bærum (drawn clearly), not a neighbour (drawn lightly)
    path: str


@dataclass(frozen=True)
class AreaName:
    """The name of a neighbour or of the fjord, in one ``Size``."""

    size: str
    font_size: float
    label: Label
    water: bool


@dataclass(frozen=True)
class Inset:
    """All of Bærum, small, in a corner of the map (``box``), with the part the map shows marked
    (``view``): the map itself shows only the built-up south."""

    box: Box
    shapes: tuple[Shape, ...]
    view: Box


@dataclass(frozen=True)
class Land:
    """What every map of the same extent shares: the municipalities, their names and the inset."""

    shapes: tuple[Shape, ...]
    names: tuple[AreaName, ...]
    inset: Inset | None = None
    credit: str = map_outline.CREDIT


@dataclass(frozen=True)
class PlaceMap:
    """What partials/place-map.html draws: the land, the markers in the order of the places (the Tab
    order, numbered from 1), and the places with stories that have no point (such as «Hele Bærum»),
    to list beside the map."""

    width: int
    height: int
    land: Land
    markers: tuple[Marker, ...]
    unplaced: tuple[tuple[Place, int], ...]

    def number(self, place: Place) -> int | None:
        """The place's number on the map (None for a place without a marker)."""
        return next((m.number for m in self.markers if m.place.slug == place.slug), None)


@dataclass(frozen=True)
class Dot:
    x: float
    y: float


@dataclass(frozen=True)
class Locator:
    """What partials/place-locator.html draws: the land, every place as a faint dot and ``place``
    highlighted."""

    width: int
    height: int
    land: Land
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
        x, y = self.exact(lat, lon)
        return n(x), n(y)

    def exact(self, lat: float, lon: float) -> tuple[float, float]:
        return MARGIN + (lon - self.west) * self.cos_lat * self.scale, MARGIN + (self.north - lat) * self.scale


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


# ---------------------------------------------------------------------------------------------
# The land


@lru_cache(maxsize=8)
def land(project: Projection, outline: Outline, reserved: tuple[Box, ...] = ()) -> Land:
    """The municipalities cut to the map and thinned, the inset of all Bærum in a corner clear of
    ``reserved`` (the markers' largest boxes), and where the names of the neighbours and of the fjord
    go: deep inside their area, clear of both."""
    projected = _projected(project.exact, outline, Box(-CLIP, -CLIP, project.width + CLIP, project.height + CLIP))
    shapes = tuple(Shape(area.name, area.subject, _path(rings)) for area, rings in projected)
    drawn_inset = inset(project, outline, reserved)
    if drawn_inset is not None:
        reserved = (*reserved, drawn_inset.box)
    named = [(area.name.upper(), rings, False) for area, rings in projected if not area.subject]
    every_ring = tuple(ring for _, rings in projected for ring in rings)
    names = []
    for size in SIZES:
        for text, rings, water in [*named, (WATER_NAME, every_ring, True)]:
            label = _area_label(text, rings, water, size.font_size, project, reserved)
            if label is not None:
                names.append(AreaName(size.name, size.font_size, label, water))
    return Land(shapes, tuple(names), drawn_inset)


def inset(project: Projection, outline: Outline, reserved: Sequence[Box]) -> Inset | None:
    """All of Bærum in the first corner of the map (top left, top right, bottom left, bottom right)
    that no marker can reach; None if every corner is taken."""
    points = [point for ring in outline.subject.rings for point in ring]
    west, east = min(lon for lon, _ in points), max(lon for lon, _ in points)
    south, north = min(lat for _, lat in points), max(lat for _, lat in points)
    scale = (INSET_HEIGHT - 2 * INSET_PAD) / (north - south)
    width = (east - west) * project.cos_lat * scale + 2 * INSET_PAD
    edge = Box(INSET_GAP, INSET_GAP, project.width - INSET_GAP, project.height - INSET_GAP)
    corners = [(edge.left, edge.top), (edge.right - width, edge.top), (edge.left, edge.bottom - INSET_HEIGHT),
               (edge.right - width, edge.bottom - INSET_HEIGHT)]
    box = next((box for left, top in corners
                if not any((box := Box(left, top, left + width, top + INSET_HEIGHT)).overlaps(r) for r in reserved)),
               None)
    if box is None:
        return None

    def to_inset(lat: float, lon: float) -> tuple[float, float]:
        return (box.left + INSET_PAD + (lon - west) * project.cos_lat * scale,
                box.top + INSET_PAD + (north - lat) * scale)

    shapes = tuple(Shape(area.name, area.subject, _path(rings))
                   for area, rings in _projected(to_inset, outline, box, tolerance=SIMPLIFY / 2))
    # The map's own extent: its corners back in degrees, then into the inset.
    left, top = to_inset(project.north + MARGIN / project.scale,
                         project.west - MARGIN / project.scale / project.cos_lat)
    right, bottom = to_inset(project.north - (project.height - MARGIN) / project.scale,
                             project.west + (project.width - MARGIN) / project.scale / project.cos_lat)
    view = Box(n(max(left, box.left)), n(max(top, box.top)), n(min(right, box.right)), n(min(bottom, box.bottom)))
    return Inset(Box(n(box.left), n(box.top), n(box.right), n(box.bottom)), shapes, view)


def _projected(to_xy: Callable[[float, float], tuple[float, float]], outline: Outline, cut: Box, *,
               tolerance: float = SIMPLIFY) -> list[tuple[map_outline.Area, tuple[Ring, ...]]]:
    """Each municipality that shows inside ``cut``, with its rings in viewBox units (``to_xy`` takes
    latitude and longitude), cut to it and thinned."""
    projected = []
    for area in outline.areas:
        rings = []
        for ring in area.rings:
            flat = [to_xy(lat, lon) for lon, lat in ring]
            kept = map_outline.simplify(map_outline.clip(flat, cut.left, cut.top, cut.right, cut.bottom), tolerance)
            if len(kept) >= 3 and map_outline.area(kept) >= tolerance ** 2:
                rings.append(tuple(kept))
        if rings:
            projected.append((area, tuple(rings)))
    return projected


def _path(rings: Sequence[Sequence[tuple[float, float]]]) -> str:
    return "".join("M" + " ".join(f"{n(x)} {n(y)}" for x, y in ring) + "Z" for ring in rings)


def _area_label(text: str, rings: tuple[Ring, ...], water: bool, font_size: float, project: Projection,
                reserved: Sequence[Box]) -> Label | None:
    """A name where its whole box lies in its area (or, for water, on no land) and clear of
    ``reserved``: of the spots on a grid, the one farthest from the area's edge.

    The spots of one row share their box's top and bottom, so what lies beside the row and where the
    row's lines of test points cross the rings are found once for the whole row. The sums are
    ``label_box``'s, so every box, and so the spot chosen, is exactly the same."""
    best: tuple[float, Label] | None = None
    view = frame(project.width, project.height)
    width, halo = text_width(text, font_size), HALO * font_size
    rows = {}
    for gy in range(NAME_STEP // 2, project.height, NAME_STEP):
        top, bottom = gy - ASCENT * font_size - halo, gy + DESCENT * font_size + halo
        if top >= view.top and bottom <= view.bottom:
            lines = [(y, map_outline.crossings(rings, y)) for y in (top + (bottom - top) * j / 2 for j in range(3))]
            rows[gy] = (top, bottom, lines, [r for r in reserved if r.top < bottom and top < r.bottom])
    for gx in range(NAME_STEP // 2, project.width, NAME_STEP):
        left = gx - width / 2
        box_left, box_right = left - halo, left + width + halo
        if box_left < view.left or box_right > view.right:
            continue
        # The box's edges and middle, clear of any island.
        xs = [box_left + (box_right - box_left) * i / 4 for i in range(5)]
        for gy, (top, bottom, lines, beside) in rows.items():
            if any(box_left < r.right and r.left < box_right for r in beside):
                continue
            if not all(map_outline.inside(crossed, x) != water for _, crossed in lines for x in xs):
                continue
            # Deeper than the best so far, or not taken: a point nearer the edge ends the count.
            floor = best[0] if best is not None else -math.inf
            depth = math.inf
            for y, _ in lines:
                for x in xs:
                    depth = min(depth, map_outline.distance_to_edge(rings, x, y, floor))
                    if depth <= floor:
                        break
                if depth <= floor:
                    break
            else:
                best = (depth, Label(text, gx, gy, "middle", Box(box_left, top, box_right, bottom)))
    return best[1] if best else None


# ---------------------------------------------------------------------------------------------
# The maps


def _radius(count: int, most: int, size: Size) -> float:
    """A marker's area grows with its number of stories; the place with the most gets ``max_radius``."""
    return n(max(size.min_radius, size.max_radius * math.sqrt(count / most)))


def places_map(places: Sequence[tuple[Place, int]], all_places: Sequence[Place], *,
               outline: Outline | None = None) -> PlaceMap | None:
    """The map of every place with stories (``(place, count)``); ``all_places`` fixes the extent.

    None when no place with stories has a point (there would be nothing to draw). The front page and
    /steder/ draw the same map: it is worked out once for both.
    """
    return _places_map(tuple(places), tuple(all_places), outline)


@lru_cache(maxsize=8)
def _places_map(places: tuple[tuple[Place, int], ...], all_places: tuple[Place, ...],
                outline: Outline | None) -> PlaceMap | None:
    project = projection(all_places)
    if project is None:
        return None
    located: list[tuple[Place, int, tuple[float, float]]] = []
    unplaced: list[tuple[Place, int]] = []
    for where_place, count in places:
        where = _where(project, where_place)
        if where is None:
            unplaced.append((where_place, count))
        else:
            located.append((where_place, count, where))
    if not located:
        return None
    drawn_land = _land(project, all_places, outline)
    most = max(count for _, count, _ in located)
    box = frame(project.width, project.height)
    drawings: list[list[Drawing]] = [[] for _ in located]
    for size in SIZES:
        names = [name.label.box for name in drawn_land.names if name.size == size.name]
        if drawn_land.inset is not None:
            names.append(drawn_land.inset.box)
        spots = [Spot((str(number),) if size.numbers else (p.name, str(number)), count, x, y,
                      _radius(count, most, size))
                 for number, (p, count, (x, y)) in enumerate(located, start=1)]
        for drawn, spot, label in zip(drawings, spots, place(spots, size.font_size, box, names), strict=True):
            drawn.append(Drawing(size.name, size.font_size, spot.radius, label))
    markers = tuple(Marker(p, count, number, x, y, tuple(drawn))
                    for number, ((p, count, (x, y)), drawn) in enumerate(zip(located, drawings, strict=True), start=1))
    return PlaceMap(project.width, project.height, drawn_land, markers, tuple(unplaced))


def _land(project: Projection, all_places: Sequence[Place], outline: Outline | None) -> Land:
    """The land of the map, its names kept clear of where any place's largest marker could be."""
    reserved = tuple(marker_box(*where, max(size.max_radius for size in SIZES) + 2) for p in all_places
                     if (where := _where(project, p)) is not None)
    return land(project, outline or map_outline.load(), reserved)


def locator(place: Place, all_places: Sequence[Place], *, outline: Outline | None = None) -> Locator | None:
    """A small map that shows where ``place`` is among all places; None for a place without a point."""
    project = projection(all_places)
    here = _where(project, place) if project else None
    if project is None or here is None:
        return None
    others = tuple(Dot(*where) for other in all_places
                   if other.slug != place.slug and (where := _where(project, other)) is not None)
    return Locator(project.width, project.height, _land(project, all_places, outline), place, Dot(*here), others)
