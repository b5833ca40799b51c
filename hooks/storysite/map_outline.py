"""Bærum's outline and its neighbours' (data/baerum-kart.geojson), and the plane geometry the map needs:
which area a point lies in, clipping a ring to the map's rectangle and thinning it (Douglas–Peucker).
No MkDocs here.

The file is Kartverket's municipal boundaries, clipped to the coast and simplified (CC BY 4.0,
«© Kartverket»). Coordinates are GeoJSON's: longitude first, WGS 84 degrees. The municipality the
site is about has ``"rolle": "kommunen"``; every other feature is a neighbour.
"""

from __future__ import annotations

import bisect
import json
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

OUTLINE_FILE = Path(__file__).resolve().parents[2] / "data" / "baerum-kart.geojson"
CREDIT = "Kartdata: © Kartverket (CC BY 4.0)"
SUBJECT_ROLE = "kommunen"

Point = tuple[float, float]  # (x, y): (longitude, latitude) in the file, viewBox units once projected
Ring = tuple[Point, ...]


class OutlineError(ValueError):
    """The outline file cannot be read or is not the GeoJSON the map expects."""


@dataclass(frozen=True)
class Area:
    """One municipality: its name, whether it is the one the site is about, and its rings (outer
    boundaries and holes alike: the map fills them with the even-odd rule)."""

    name: str
    subject: bool
    rings: tuple[Ring, ...]

    def contains(self, x: float, y: float) -> bool:
        return contains(self.rings, x, y)


@dataclass(frozen=True)
class Outline:
    areas: tuple[Area, ...]  # the neighbours first, the subject last (the order they are drawn in)

    @property
    def subject(self) -> Area:
        return self.areas[-1]


@lru_cache(maxsize=4)
def load(path: Path = OUTLINE_FILE) -> Outline:
    """Read the outline file: one feature with ``rolle: kommunen`` and any number of neighbours."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        areas = [_area(feature) for feature in data["features"]]
    except (OSError, ValueError, KeyError, TypeError, IndexError) as error:
        raise OutlineError(f"{path}: kan ikke leses som kartdata (GeoJSON): {error}") from None
    subjects = [area for area in areas if area.subject]
    if len(subjects) != 1:
        raise OutlineError(f"{path}: skal ha nøyaktig én kommune med «rolle»: «{SUBJECT_ROLE}»")
    return Outline((*(area for area in areas if not area.subject), subjects[0]))


def _area(feature: dict) -> Area:
    properties, geometry = feature["properties"], feature["geometry"]
    polygons = {"Polygon": [geometry["coordinates"]], "MultiPolygon": geometry["coordinates"]}[geometry["type"]]
    rings = tuple(tuple((float(lon), float(lat)) for lon, lat, *_ in ring) for polygon in polygons
                  for ring in polygon)
    if not rings or any(len(ring) < 3 for ring in rings):
        raise ValueError(f"{properties.get('kommunenavn')}: a ring with fewer than three points")
    return Area(str(properties["kommunenavn"]), properties.get("rolle") == SUBJECT_ROLE, rings)


def contains(rings: Iterable[Ring], x: float, y: float) -> bool:
    """Whether (x, y) lies inside the rings, by the even-odd rule (a ray to the right crosses an odd
    number of edges)."""
    inside = False
    for ring in rings:
        for (x1, y1), (x2, y2) in zip(ring, (*ring[1:], ring[0]), strict=True):
            if (y1 > y) != (y2 > y) and x < x1 + (y - y1) * (x2 - x1) / (y2 - y1):
                inside = not inside
    return inside


def crossings(rings: Iterable[Ring], y: float) -> list[float]:
    """Where the horizontal line at ``y`` crosses the rings' edges, in order: (x, y) is inside by the
    even-odd rule exactly when ``inside(crossings(rings, y), x)``, as ``contains`` finds it (the
    same sums), so the line is worked out once for every point on it."""
    found = []
    for ring in rings:
        for (x1, y1), (x2, y2) in zip(ring, (*ring[1:], ring[0]), strict=True):
            if (y1 > y) != (y2 > y):
                found.append(x1 + (y - y1) * (x2 - x1) / (y2 - y1))
    found.sort()
    return found


def inside(crossed: list[float], x: float) -> bool:
    """Whether a ray to the right of x crosses an odd number of edges (``crossed`` from ``crossings``)."""
    return (len(crossed) - bisect.bisect_right(crossed, x)) % 2 == 1


def distance_to_edge(rings: Iterable[Ring], x: float, y: float, floor: float = -math.inf) -> float:
    """The distance from (x, y) to the nearest edge of the rings, in the rings' own units; or, once
    an edge is found no farther than ``floor``, that edge's distance (the caller only needs to know
    the point is no deeper than ``floor``)."""
    best = math.inf
    for ring in rings:
        for a, b in zip(ring, (*ring[1:], ring[0]), strict=True):
            best = min(best, _to_segment((x, y), a, b))
            if best <= floor:
                return best
    return best


def _to_segment(p: Point, a: Point, b: Point) -> float:
    dx, dy = b[0] - a[0], b[1] - a[1]
    length = dx * dx + dy * dy
    t = 0.0 if length == 0 else max(0.0, min(1.0, ((p[0] - a[0]) * dx + (p[1] - a[1]) * dy) / length))
    return math.hypot(p[0] - a[0] - t * dx, p[1] - a[1] - t * dy)


def clip(ring: Sequence[Point], left: float, top: float, right: float, bottom: float) -> list[Point]:
    """The part of a ring inside a rectangle (Sutherland–Hodgman). The cut runs along the rectangle's
    sides, so a rectangle a little larger than what is shown keeps those cuts out of sight."""
    inside_tests = (
        lambda p: p[0] >= left, lambda p: p[0] <= right, lambda p: p[1] >= top, lambda p: p[1] <= bottom)
    crossings = (
        lambda a, b: _at_x(a, b, left), lambda a, b: _at_x(a, b, right),
        lambda a, b: _at_y(a, b, top), lambda a, b: _at_y(a, b, bottom))
    points = list(ring)
    for inside, cross in zip(inside_tests, crossings, strict=True):
        if not points:
            break
        kept: list[Point] = []
        for a, b in zip((points[-1], *points[:-1]), points, strict=True):
            if inside(b):
                if not inside(a):
                    kept.append(cross(a, b))
                kept.append(b)
            elif inside(a):
                kept.append(cross(a, b))
        points = kept
    return points


def _at_x(a: Point, b: Point, x: float) -> Point:
    return x, a[1] + (b[1] - a[1]) * (x - a[0]) / (b[0] - a[0])


def _at_y(a: Point, b: Point, y: float) -> Point:
    return a[0] + (b[0] - a[0]) * (y - a[1]) / (b[1] - a[1]), y


def simplify(ring: Sequence[Point], tolerance: float) -> list[Point]:
    """A closed ring with every point dropped that lies within ``tolerance`` of the line its
    neighbours keep (Douglas–Peucker, split at the point farthest from the first)."""
    points = [p for i, p in enumerate(ring) if i == 0 or p != ring[i - 1]]
    if len(points) > 1 and points[0] == points[-1]:
        points.pop()
    if len(points) < 4:
        return points
    far = max(range(len(points)), key=lambda i: math.dist(points[0], points[i]))
    first = _douglas_peucker(points[: far + 1], tolerance)
    second = _douglas_peucker([*points[far:], points[0]], tolerance)
    return first[:-1] + second[:-1]


def _douglas_peucker(points: list[Point], tolerance: float) -> list[Point]:
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        start, end = stack.pop()
        if end - start < 2:
            continue
        far, distance = max(((i, _to_segment(points[i], points[start], points[end])) for i in range(start + 1, end)),
                            key=lambda pair: pair[1])
        if distance > tolerance:
            keep[far] = True
            stack += [(start, far), (far, end)]
    return [p for p, kept in zip(points, keep, strict=True) if kept]


def area(ring: Sequence[Point]) -> float:
    """The ring's area (shoelace formula), whatever its direction."""
    return abs(sum(x1 * y2 - x2 * y1 for (x1, y1), (x2, y2) in zip(ring, (*ring[1:], ring[0]), strict=True))) / 2
