"""The map's faster geometry against the plain versions it replaced: the same answers, so the same
SVG (hooks/storysite/geo.py, map_labels.py, map_outline.py)."""

from __future__ import annotations

from collections.abc import Sequence

from conftest import ROOT
from hypothesis import given, settings
from hypothesis import strategies as st
from storysite import geo, map_labels, map_outline, vocabulary
from storysite.map_labels import Box, Label, Spot, frame, label_box

OUTLINE = map_outline.load()
PLACES = vocabulary.load(ROOT / "data" / "vocabulary.yml").places

# Coordinates on a coarse grid, so segments and boxes often touch, share edges or are degenerate.
COORD = st.one_of(st.integers(-4, 12).map(float), st.floats(-4, 12, allow_nan=False), st.sampled_from([0.5, 7.25]))


def _crossed_by(box: Box, x1: float, y1: float, x2: float, y2: float) -> bool:
    """``Box.crossed_by`` as it was: Liang–Barsky alone."""
    low, high = 0.0, 1.0
    for p, q in ((x1 - x2, x1 - box.left), (x2 - x1, box.right - x1), (y1 - y2, y1 - box.top), (y2 - y1, box.bottom - y1)):
        if p == 0:
            if q < 0:
                return False
            continue
        t = q / p
        if p < 0:
            low = max(low, t)
        else:
            high = min(high, t)
        if low >= high:
            return False
    return True


@settings(max_examples=3000, deadline=None)
@given(COORD, COORD, COORD, COORD, COORD, COORD, COORD, COORD)
def test_a_segment_crosses_a_box_as_before(left, top, right, bottom, x1, y1, x2, y2):
    box = Box(left, top, right, bottom)
    assert box.crossed_by(x1, y1, x2, y2) == _crossed_by(box, x1, y1, x2, y2)


@settings(max_examples=300, deadline=None)
@given(st.floats(59.80, 60.10), st.floats(10.30, 10.80), st.integers(0, len(OUTLINE.areas) - 1))
def test_a_point_is_inside_as_before(lat, lon, which):
    rings = OUTLINE.areas[which].rings
    every = tuple(ring for area in OUTLINE.areas for ring in area.rings)
    for tested in (rings, every):
        crossed = map_outline.crossings(tested, lat)
        assert map_outline.inside(crossed, lon) == map_outline.contains(tested, lon, lat)
        # A point on a crossing or a vertex: where the comparison is closest.
        for x in crossed[:3]:
            assert map_outline.inside(crossed, x) == map_outline.contains(tested, x, lat)


@settings(max_examples=200, deadline=None)
@given(st.floats(59.80, 60.10), st.floats(10.30, 10.80), st.floats(0, 0.05))
def test_the_distance_to_an_edge_stops_only_below_the_floor(lat, lon, floor):
    rings = OUTLINE.subject.rings
    exact = map_outline.distance_to_edge(rings, lon, lat)
    found = map_outline.distance_to_edge(rings, lon, lat, floor)
    assert found == exact if exact > floor else found <= floor


def _area_label(text: str, rings, water: bool, font_size: float, project: geo.Projection,
                reserved: Sequence[Box]) -> Label | None:
    """``geo._area_label`` as it was: every spot of the grid tested on its own."""
    best: tuple[float, Label] | None = None
    view = frame(project.width, project.height)
    for gx in range(geo.NAME_STEP // 2, project.width, geo.NAME_STEP):
        for gy in range(geo.NAME_STEP // 2, project.height, geo.NAME_STEP):
            label = Label(text, gx, gy, "middle", label_box(text, gx, gy, "middle", font_size))
            box = label.box
            if not box.inside(view) or any(box.overlaps(other) for other in reserved):
                continue
            corners = [(box.left + (box.right - box.left) * i / 4, box.top + (box.bottom - box.top) * j / 2)
                       for i in range(5) for j in range(3)]
            if not all(map_outline.contains(rings, x, y) != water for x, y in corners):
                continue
            depth = min(map_outline.distance_to_edge(rings, x, y) for x, y in corners)
            if best is None or depth > best[0]:
                best = (depth, label)
    return best[1] if best else None


def _projected_areas(project: geo.Projection) -> list[tuple[str, tuple, bool]]:
    cut = Box(-geo.CLIP, -geo.CLIP, project.width + geo.CLIP, project.height + geo.CLIP)
    projected = geo._projected(project.exact, OUTLINE, cut)
    every = tuple(ring for _, rings in projected for ring in rings)
    return [*((area.name.upper(), rings, False) for area, rings in projected if not area.subject),
            (geo.WATER_NAME, every, True)]


def test_the_names_of_the_neighbours_and_the_fjord_go_where_they_went():
    project = geo.projection(PLACES)
    reserved = tuple(map_labels.marker_box(*project.point(p.lat, p.lon), 16) for p in PLACES if p.lat is not None)
    for size in geo.SIZES:
        for text, rings, water in _projected_areas(project):
            for kept in (reserved, reserved[::3], ()):
                assert (geo._area_label(text, rings, water, size.font_size, project, kept)
                        == _area_label(text, rings, water, size.font_size, project, kept))


@settings(max_examples=60, deadline=None)
@given(st.lists(st.integers(0, 180), min_size=1, max_size=12), st.integers(-40, 40), st.integers(-40, 40),
       st.sampled_from([12, 16, 22]))
def test_the_names_go_where_they_went_among_any_markers(indices, dx, dy, font_size):
    """Smaller grids of projections (every place moved) and of markers: many names fit nowhere, some
    only in one spot."""
    moved = [p for p in PLACES if p.lat is not None]
    project = geo.projection(moved)
    boxes = tuple(map_labels.marker_box(30 + (i * 37) % 580 + dx, 30 + (i * 53) % 300 + dy, 14) for i in indices)
    text, rings, water = _projected_areas(project)[indices[0] % 3]
    assert (geo._area_label(text, rings, water, font_size, project, boxes)
            == _area_label(text, rings, water, font_size, project, boxes))


def _place(spots: Sequence[Spot], font_size: float, box: Box, obstacles: Sequence[Box] = ()) -> list[Label | None]:
    """``map_labels.place`` as it was: each round checked every label against every box again."""
    markers = [map_labels.marker_box(s.x, s.y, s.radius) for s in spots]
    fixed = [*markers, *obstacles]

    def free(label: Label, own: int, taken: Sequence[Box], leaders: Sequence[tuple[float, ...]]) -> bool:
        if not label.box.inside(box) or any(label.box.overlaps(other) for other in taken):
            return False
        if any(_crossed_by(label.box, *line) for line in leaders):
            return False
        return label.leader is None or not any(
            _crossed_by(other, *label.leader) for i, other in enumerate(taken) if i != own)

    options = [[label for text in s.texts for label in map_labels.candidates(text, s.x, s.y, s.radius, font_size)
                if free(label, i, fixed, ())] for i, s in enumerate(spots)]
    first_free = [sum(label.text == s.texts[0] for label in found) for s, found in zip(spots, options, strict=True)]
    order = sorted(range(len(spots)), key=lambda i: (first_free[i], -spots[i].weight, i))
    short: set[int] = set()
    best: list[Label | None] = []
    for round_number in range(map_labels.REPAIRS + 1):
        labels: list[Label | None] = [None] * len(spots)
        taken = list(fixed)
        leaders: list[tuple[float, ...]] = []
        for i in order:
            tried = [found for found in options[i] if i not in short or found.text != spots[i].texts[0]]
            label = next((found for found in tried if free(found, i, taken, leaders)), None)
            if label is not None:
                labels[i] = label
                taken.append(label.box)
                if label.leader:
                    leaders.append(label.leader)
        if not best or labels.count(None) < best.count(None):
            best = labels
        if None not in labels:
            break
        left = [i for i in order if labels[i] is None]
        if round_number >= 1:
            short.update(i for i in left if len(spots[i].texts) > 1)
        order = left + [i for i in order if labels[i] is not None]
    return best


SPOT = st.builds(lambda name, weight, x, y, r: Spot((name, str(weight)), weight, x, y, r),
                 st.sampled_from(["Sandvika", "Bekkestua", "Lommedalen", "Ø", "Fornebu sentrum"]),
                 st.integers(1, 9), st.integers(0, 300).map(float), st.integers(0, 200).map(float),
                 st.sampled_from([6.0, 9.5, 14.0]))


@settings(max_examples=150, deadline=None)
@given(st.lists(SPOT, max_size=14), st.sampled_from([14, 28]),
       st.lists(st.tuples(st.integers(0, 280), st.integers(0, 180)), max_size=3))
def test_labels_go_where_they_went(spots, font_size, corners):
    """Crowded maps, so repairs, leader lines and labels left out all happen."""
    box = frame(300, 200)
    obstacles = [Box(x, y, x + 20, y + 20) for x, y in corners]
    assert map_labels.place(spots, font_size, box, obstacles) == _place(spots, font_size, box, obstacles)


def test_the_same_stories_draw_one_map():
    """The front page and /steder/ ask for the same map: it is worked out once, and a change in the
    stories' places gives a new one."""
    counts = [(p, i % 4 + 1) for i, p in enumerate(PLACES)]
    first = geo.places_map(counts, PLACES)
    assert geo.places_map(list(counts), list(PLACES)) is first
    assert geo.places_map(counts[1:], PLACES) != first
