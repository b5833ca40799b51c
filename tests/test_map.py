"""The map of Bærum on /steder/ and the locator on each place's page (hooks/storysite/geo.py)."""

from __future__ import annotations

import itertools
import json
import math
from urllib.parse import urljoin

import pytest
from conftest import ROOT, build, make_project, story_text
from hypothesis import given, settings
from hypothesis import strategies as st
from storysite import geo, map_outline, vocabulary
from storysite.map_labels import Box, frame, label_box, marker_box, text_width
from storysite.vocabulary import Place

VOCABULARY = vocabulary.load(ROOT / "data" / "vocabulary.yml")
PLACES = VOCABULARY.places
LOCATED = [p for p in PLACES if p.lat is not None]
COUNTS = {"Sandvika": 3, "Lommedalen": 2, "Fornebu": 1, "Hele Bærum": 1}
OUTLINE = map_outline.load()
BAERUM = OUTLINE.subject
KM_PER_DEGREE = 111.2
CREDIT = "Kartdata: © Kartverket (CC BY 4.0)"


def _km(rings, lat: float, lon: float) -> tuple[tuple, float, float]:
    """Rings and a point in kilometres (longitude scaled by the cosine of the latitude), for distances."""
    cos_lat = math.cos(math.radians(lat))
    flat = tuple(tuple((x * cos_lat * KM_PER_DEGREE, y * KM_PER_DEGREE) for x, y in ring) for ring in rings)
    return flat, lon * cos_lat * KM_PER_DEGREE, lat * KM_PER_DEGREE


# ---------------------------------------------------------------------------------------------
# The outline of Bærum (data/baerum-kart.geojson)


def test_the_outline_holds_baerum_and_its_named_neighbours():
    assert BAERUM.name == "Bærum" and BAERUM.subject
    neighbours = {area.name for area in OUTLINE.areas if not area.subject}
    assert {"Oslo", "Asker"} <= neighbours, neighbours
    # Bærum reaches from the fjord at Snarøya to Krokskogen in the north (some 20 km).
    lats = [lat for ring in BAERUM.rings for _, lat in ring]
    assert min(lats) < 59.87 and max(lats) > 60.0


def test_the_outline_names_its_source_and_licence():
    data = json.loads(map_outline.OUTLINE_FILE.read_text(encoding="utf-8"))
    assert "Kartverket" in data["attribution"] and "CC BY 4.0" in data["attribution"]
    assert "© Kartverket" in data["attribution"] and "© Kartverket" in map_outline.CREDIT


@pytest.mark.parametrize("place", LOCATED, ids=lambda p: p.slug)
def test_every_place_lies_inside_baerum_and_clear_of_its_border(place):
    """At least 100 m inside the outline: a marker on the border would read as in Asker or Oslo."""
    assert BAERUM.contains(place.lon, place.lat), f"{place.name} ({place.lat}, {place.lon}) lies outside Bærum"
    rings, x, y = _km(BAERUM.rings, place.lat, place.lon)
    assert map_outline.distance_to_edge(rings, x, y) > 0.1, f"{place.name} lies on Bærum's border"
    assert not any(area.contains(place.lon, place.lat) for area in OUTLINE.areas if not area.subject)


def test_a_point_across_the_border_counts_as_the_neighbours():
    """Slependen's old point (59.872, 10.492) lay in Asker: the test above catches such a point."""
    asker = next(area for area in OUTLINE.areas if area.name == "Asker")
    assert not BAERUM.contains(10.492, 59.872) and asker.contains(10.492, 59.872)
    assert not BAERUM.contains(10.75, 59.91)  # Oslo's city centre


def test_clipping_keeps_the_part_of_a_ring_inside_the_rectangle():
    square = [(0, 0), (10, 0), (10, 10), (0, 10)]
    clipped = map_outline.clip(square, 5, -5, 20, 5)
    assert sorted(set(clipped)) == [(5, 0), (5, 5), (10, 0), (10, 5)]
    assert map_outline.clip(square, 20, 20, 30, 30) == []


def test_simplifying_drops_points_on_a_straight_line_and_keeps_the_corners():
    ring = [(0, 0), (5, 0.1), (10, 0), (10, 10), (5, 10), (0, 10), (0, 0)]
    assert map_outline.simplify(ring, 0.5) == [(0, 0), (10, 0), (10, 10), (0, 10)]
    assert map_outline.simplify(ring, 0.01) == [(0, 0), (5, 0.1), (10, 0), (10, 10), (0, 10)]


def test_an_outline_without_the_municipality_is_refused_with_a_message(tmp_path):
    path = tmp_path / "kart.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": [{
        "type": "Feature", "properties": {"kommunenavn": "Asker", "rolle": "nabokommune"},
        "geometry": {"type": "Polygon", "coordinates": [[[10.4, 59.8], [10.5, 59.8], [10.5, 59.9]]]}}]}),
        encoding="utf-8")
    with pytest.raises(map_outline.OutlineError, match="nøyaktig én kommune"):
        map_outline.load(path)
    path.write_text("{", encoding="utf-8")
    with pytest.raises(map_outline.OutlineError, match="kan ikke leses som kartdata"):
        map_outline.load(path)


# ---------------------------------------------------------------------------------------------
# The projection


def test_every_place_but_hele_baerum_has_a_point():
    assert [p.name for p in PLACES if p.lat is None or p.lon is None] == ["Hele Bærum"]
    assert len(LOCATED) == len(PLACES) - 1 > 0


def test_projection_puts_west_left_north_up_and_fills_the_width():
    project = geo.projection(PLACES)
    assert project is not None and project.width == geo.VIEW_WIDTH
    xs = {p.name: project.point(p.lat, p.lon) for p in LOCATED}
    west, east = min(LOCATED, key=lambda p: p.lon), max(LOCATED, key=lambda p: p.lon)
    north, south = max(LOCATED, key=lambda p: p.lat), min(LOCATED, key=lambda p: p.lat)
    assert xs[west.name][0] == pytest.approx(geo.MARGIN, abs=0.1)
    assert xs[east.name][0] == pytest.approx(geo.VIEW_WIDTH - geo.MARGIN, abs=0.1)
    assert xs[north.name][1] == pytest.approx(geo.MARGIN, abs=0.1)
    assert xs[south.name][1] == pytest.approx(project.height - geo.MARGIN, abs=1)
    for a, b in itertools.combinations(LOCATED, 2):
        (ax, ay), (bx, by) = xs[a.name], xs[b.name]
        if a.lon < b.lon:
            assert ax < bx, (a.name, b.name)
        if a.lat > b.lat:
            assert ay < by, (a.name, b.name)


def test_projection_scales_longitude_by_the_cosine_of_latitude():
    """A kilometre east is as long on the map as a kilometre north (within 0.5 %)."""
    project = geo.projection(PLACES)
    assert project is not None
    lat, lon = 59.91, 10.55
    km_lat = 1 / 111.2
    km_lon = km_lat / math.cos(math.radians(lat))
    x0, y0 = project.point(lat, lon)
    x1, _ = project.point(lat, lon + 10 * km_lon)
    _, y1 = project.point(lat + 10 * km_lat, lon)
    assert (x1 - x0) == pytest.approx(y0 - y1, rel=0.005)
    # Bærum is about 11 km from Skui to Lysaker: 572 units, so some 52 units a kilometre.
    assert 48 < (x1 - x0) / 10 < 56


def test_one_place_lands_in_the_middle_and_no_point_means_no_map():
    one = Place("Midt", "midt", 59.9, 10.5)
    project = geo.projection([one, Place("Overalt", "overalt")])
    assert project is not None
    x, y = project.point(59.9, 10.5)
    assert x == pytest.approx(project.width / 2, abs=0.1) and y == pytest.approx(project.height / 2, abs=1)
    assert geo.projection([Place("Overalt", "overalt")]) is None
    assert geo.places_map([(Place("Overalt", "overalt"), 2)], [Place("Overalt", "overalt")]) is None
    assert geo.places_map([(VOCABULARY.place("Hele Bærum"), 2)], PLACES) is None


def test_the_map_keeps_its_size_and_spots_when_stories_change():
    """The extent comes from all places, not from the places that have stories."""
    few = geo.places_map([(VOCABULARY.place("Sandvika"), 1)], PLACES)
    many = geo.places_map([(p, 1) for p in PLACES], PLACES)
    assert few is not None and many is not None
    assert (few.width, few.height) == (many.width, many.height)
    sandvika = next(m for m in many.markers if m.place.name == "Sandvika")
    assert (few.markers[0].x, few.markers[0].y) == (sandvika.x, sandvika.y)


def test_map_data_is_deterministic_and_hashable():
    places = [(p, i % 4 + 1) for i, p in enumerate(PLACES)]
    first, second = geo.places_map(places, PLACES), geo.places_map(places, PLACES)
    assert first == second and hash(first) == hash(second)
    assert hash(geo.locator(VOCABULARY.place("Jar"), PLACES)) == hash(geo.locator(VOCABULARY.place("Jar"), PLACES))


def test_markers_grow_with_their_number_of_stories():
    made = geo.places_map([(VOCABULARY.place("Sandvika"), 9), (VOCABULARY.place("Jar"), 1),
                           (VOCABULARY.place("Skui"), 4)], PLACES)
    assert made is not None
    for i, size in enumerate(geo.SIZES):
        radius = {m.place.name: m.drawings[i].radius for m in made.markers}
        assert radius["Sandvika"] == size.max_radius
        assert size.min_radius <= radius["Jar"] < radius["Skui"] < radius["Sandvika"]


# ---------------------------------------------------------------------------------------------
# The label rule: every marker has a label in every size, no two labels' boxes overlap, no label
# covers a marker or a neighbour's name, no leader line crosses another label or marker, every label
# lies inside the frame


def _rule_breaks(made: geo.PlaceMap) -> list[str]:
    box = frame(made.width, made.height)
    problems = []
    for i, size in enumerate(geo.SIZES):
        markers = [(m.place.name, marker_box(m.x, m.y, m.drawings[i].radius)) for m in made.markers]
        names = [(name.label.text, name.label.box) for name in made.land.names if name.size == size.name]
        if made.land.inset is not None:
            names.append(("the inset", made.land.inset.box))
        labels, leaders = [], []
        for m in made.markers:
            label = m.drawings[i].label
            if label is None:
                problems.append(f"{size.name}: {m.place.name} has no label")
                continue
            assert label_box(label.text, label.x, label.y, label.anchor, size.font_size) == label.box
            expected = [str(m.number)] if size.numbers else [m.place.name, str(m.number)]
            assert label.text in expected, (size.name, m.place.name, label.text)
            labels.append((m.place.name, label.box))
            if label.leader:
                leaders.append((m.place.name, label.leader))
            if not label.box.inside(box):
                problems.append(f"{size.name}: {m.place.name}'s label leaves the frame")
        for (a, box_a), (b, box_b) in itertools.combinations(labels, 2):
            if box_a.overlaps(box_b):
                problems.append(f"{size.name}: the labels of {a} and {b} overlap")
        for (a, box_a), (b, box_b) in itertools.product(labels, [*markers, *names]):
            if box_a.overlaps(box_b):
                problems.append(f"{size.name}: {a}'s label covers {b}")
        for (a, line), (b, box_b) in itertools.product(leaders, [*markers, *labels]):
            if a != b and box_b.crossed_by(*line):
                problems.append(f"{size.name}: {a}'s leader line crosses {b}")
    return problems


@pytest.mark.parametrize("counts", ["equal", "varied", "one big"])
def test_every_located_place_keeps_its_label_in_every_size(counts):
    weights = {"equal": lambda i: 1, "varied": lambda i: i % 7 + 1, "one big": lambda i: 200 if i == 17 else 1}
    made = geo.places_map([(p, weights[counts](i)) for i, p in enumerate(PLACES)], PLACES)
    assert made is not None and len(made.markers) == len(LOCATED)
    assert not _rule_breaks(made)
    wide, narrow = ([m.drawings[i].label.text for m in made.markers] for i in range(2))
    assert wide == [m.place.name for m in made.markers], "the wide map names every place"
    assert narrow == [str(n) for n in range(1, 25)], "the narrow map numbers every place"


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(PLACES), st.integers(1, 500)), unique_by=lambda t: t[0].slug))
def test_label_rule_holds_for_any_places_and_counts(chosen):
    made = geo.places_map(chosen, PLACES)
    if made is not None:
        assert not _rule_breaks(made)


def test_markers_are_numbered_in_the_order_of_the_places():
    made = geo.places_map([(VOCABULARY.place(name), 1) for name in ("Fornebu", "Jar", "Skui")], PLACES)
    assert made is not None
    assert [(m.number, m.place.name) for m in made.markers] == [(1, "Fornebu"), (2, "Jar"), (3, "Skui")]
    assert made.number(VOCABULARY.place("Jar")) == 2 and made.number(VOCABULARY.place("Hele Bærum")) is None


def test_a_label_goes_left_when_there_is_no_room_on_the_right():
    """Lysaker is the easternmost place: its name does not fit between it and the frame."""
    made = geo.places_map([(VOCABULARY.place("Lysaker"), 1)], PLACES)
    assert made is not None
    label = made.markers[0].drawings[0].label
    assert label is not None and label.anchor == "end" and label.x < made.markers[0].x


def test_a_crowd_gets_leader_lines_and_numbers_so_every_marker_keeps_a_label():
    """Eight long names in a row 330 m apart: some move out along a leader line, some fall back to
    their number (the list under the map names it), none is lost."""
    row = [(Place(f"Sted med et langt navn {i}", f"s{i}", 59.92, 10.50 + i * 0.006), 1) for i in range(8)]
    made = geo.places_map(row, [*PLACES, *(p for p, _ in row)])
    assert made is not None
    wide = [m.drawings[0].label for m in made.markers]
    assert all(wide) and not _rule_breaks(made)
    assert any(label.leader for label in wide if label), "no label moved out along a leader line"
    assert any(label.text.isdigit() for label in wide if label), "no marker fell back to its number"


def test_a_marker_with_no_room_at_all_goes_without_a_label_and_nothing_overlaps():
    column = [(Place(f"Sted med et langt navn {i}", f"s{i}", 59.92 + i * 0.0004, 10.55), 1) for i in range(12)]
    made = geo.places_map(column, [*PLACES, *(p for p, _ in column)])
    assert made is not None
    assert None in [m.drawings[0].label for m in made.markers]
    problems = _rule_breaks(made)
    assert problems and all(problem.endswith("has no label") for problem in problems), problems


def test_text_width_estimate_is_generous_for_wide_letters():
    assert text_width("Bærums Verk", 10) > text_width("Jar", 10) * 3
    assert text_width("Ø", 10) >= 0.778 * 10


def test_a_segment_crosses_a_box_only_where_it_passes_through():
    box = Box(0, 0, 10, 10)
    assert box.crossed_by(-5, 5, 15, 5) and box.crossed_by(5, 5, 6, 6)
    assert not box.crossed_by(-5, -5, -1, 20) and not box.crossed_by(11, 0, 20, 20)


# ---------------------------------------------------------------------------------------------
# The land


def test_the_land_is_cut_to_the_map_thinned_and_drawn_neighbours_first():
    made = geo.places_map([(VOCABULARY.place("Sandvika"), 1)], PLACES)
    assert made is not None
    shapes = made.land.shapes
    assert [shape.name for shape in shapes][-1] == "Bærum" and shapes[-1].subject
    assert {"Oslo", "Asker"} <= {shape.name for shape in shapes if not shape.subject}
    for shape in shapes:
        numbers = [float(v) for v in shape.path.replace("M", " ").replace("Z", " ").split()]
        xs, ys = numbers[0::2], numbers[1::2]
        assert min(xs) >= -geo.CLIP and max(xs) <= made.width + geo.CLIP, shape.name
        assert min(ys) >= -geo.CLIP and max(ys) <= made.height + geo.CLIP, shape.name
    assert sum(len(shape.path) for shape in shapes) < 4000, "the outline is not thinned"


def test_the_neighbours_and_the_fjord_are_named_where_they_are():
    made = geo.places_map([(p, 1) for p in PLACES], PLACES)
    assert made is not None
    project = geo.projection(PLACES)
    wide = {name.label.text: name for name in made.land.names if name.size == "wide"}
    assert {"OSLO", "ASKER", geo.WATER_NAME} <= set(wide), set(wide)
    areas = {area.name.upper(): area for area in OUTLINE.areas}
    for text, name in wide.items():
        # The middle of the name, back in degrees, lies in its municipality (or in no land: the fjord).
        lat = project.north - (name.label.y - geo.MARGIN) / project.scale
        lon = project.west + (name.label.x - geo.MARGIN) / project.scale / project.cos_lat
        inside = [area.name for area in OUTLINE.areas if area.contains(lon, lat)]
        assert inside == ([] if name.water else [areas[text].name]), (text, inside)


def test_the_inset_shows_all_of_baerum_in_a_corner_no_marker_reaches():
    made = geo.places_map([(p, 1) for p in PLACES], PLACES)
    assert made is not None and made.land.inset is not None
    inset = made.land.inset
    assert inset.box.inside(frame(made.width, made.height))
    largest = max(size.max_radius for size in geo.SIZES)
    assert not any(inset.box.overlaps(marker_box(m.x, m.y, largest)) for m in made.markers)
    baerum = next(shape for shape in inset.shapes if shape.subject)
    numbers = [float(v) for v in baerum.path.replace("M", " ").replace("Z", " ").split()]
    # All of Bærum, uncut: from the fjord to Krokskogen, inside the inset's padding.
    assert min(numbers[1::2]) == pytest.approx(inset.box.top + geo.INSET_PAD, abs=0.2)
    assert max(numbers[1::2]) == pytest.approx(inset.box.bottom - geo.INSET_PAD, abs=0.2)
    assert min(numbers[0::2]) > inset.box.left and max(numbers[0::2]) < inset.box.right
    # The part the map shows: the south of the inset, below Krokskogen.
    assert inset.view.inside(inset.box) and inset.view.top > inset.box.top + 20
    assert inset.view.bottom > (inset.box.top + inset.box.bottom) / 2


def test_no_inset_when_markers_fill_every_corner():
    corners = [Place(f"Hjørne {i}", f"h{i}", lat, lon)
               for i, (lat, lon) in enumerate([(59.96, 10.44), (59.96, 10.64), (59.87, 10.44), (59.87, 10.64)])]
    made = geo.places_map([(p, 1) for p in corners], corners)
    assert made is not None and made.land.inset is None


def test_the_locator_draws_the_same_land_as_the_map():
    made = geo.places_map([(VOCABULARY.place("Jar"), 1)], PLACES)
    located = geo.locator(VOCABULARY.place("Jar"), PLACES)
    assert made is not None and located is not None
    assert located.land.shapes == made.land.shapes


# ---------------------------------------------------------------------------------------------
# The built pages


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    stories = {}
    for place, count in COUNTS.items():
        for n in range(count):
            slug = place.lower().replace(" ", "-").replace("æ", "a")
            stories[f"{slug}-{n}.md"] = story_text(title=f"Historie {n + 1} fra {place}", place=place)
    built = build(make_project(tmp_path_factory.mktemp("map"), stories))
    assert built.error is None, built.error
    return built


def _markers(svg) -> dict[str, dict]:
    return {a["aria-label"].split(",")[0]: a for a in svg.select("a.place-map__marker")}


def test_one_marker_per_place_with_stories_with_name_count_and_number(site):
    figure = site.html("steder/").select_one("article figure.place-map")
    svg = figure.select_one("svg")
    assert [a["aria-label"] for a in svg.select("a")] == [
        "Fornebu, 1 historie (nr. 1)", "Lommedalen, 2 historier (nr. 2)", "Sandvika, 3 historier (nr. 3)"]
    assert svg.find("title").get_text() == "Kart over Bærum med 3 steder som har historier"
    assert svg.get("role") == "group"


def test_each_marker_shows_its_name_wide_and_its_number_narrow(site):
    for a in site.html("steder/").select("svg.place-map__svg a"):
        name, number = a["aria-label"].split(",")[0], a["aria-label"].split("nr. ")[1].rstrip(")")
        assert a.select_one("g.place-map__wide text").get_text() == name
        assert a.select_one("g.place-map__narrow text").get_text() == number


def test_markers_link_to_the_place_pages(site):
    for name, a in _markers(site.html("steder/").select_one("svg.place-map__svg")).items():
        target = urljoin("steder/", a["href"])
        assert target == VOCABULARY.place(name).url
        assert site.exists(target)


def test_markers_follow_longitude_and_latitude(site):
    markers = _markers(site.html("steder/").select_one("svg.place-map__svg"))
    spot = {name: (float(a.circle["cx"]), float(a.circle["cy"])) for name, a in markers.items()}
    by_x = sorted(spot, key=lambda name: spot[name][0])
    by_y = sorted(spot, key=lambda name: spot[name][1])
    assert by_x == sorted(spot, key=lambda name: VOCABULARY.place(name).lon)  # west → east
    assert by_y == sorted(spot, key=lambda name: -VOCABULARY.place(name).lat)  # north at the top
    assert by_x == ["Lommedalen", "Sandvika", "Fornebu"] and by_y == ["Lommedalen", "Fornebu", "Sandvika"]
    radius = {name: float(a.circle["r"]) for name, a in markers.items()}
    assert radius["Sandvika"] > radius["Lommedalen"] > radius["Fornebu"]


def test_the_map_draws_the_fjord_the_neighbours_and_baerum_with_the_credit_under_it(site):
    figure = site.html("steder/").select_one("article figure.place-map")
    svg = figure.svg
    children = [tag for tag in svg.children if getattr(tag, "name", None)]
    assert children[1]["class"] == ["map-land__water"], "the fjord is the background"
    neighbours, baerum = svg.select(":scope > path.map-land__neighbour"), svg.select(":scope > path.map-land__subject")
    assert len(neighbours) >= 2 and len(baerum) == 1
    assert children.index(baerum[0]) > max(children.index(path) for path in neighbours)
    assert children.index(baerum[0]) < children.index(svg.select_one("a"))
    inset = svg.select_one("g.place-map__inset")
    assert inset["aria-hidden"] == "true" and inset.select_one("path.map-land__subject")
    assert "hele kommunen" in figure.figcaption.get_text()
    names = {text.get_text() for text in svg.select("text.place-map__area-name")}
    assert {"OSLO", "ASKER", "Oslofjorden"} <= names
    assert all(text["aria-hidden"] == "true" for text in svg.select("text.place-map__area-name"))
    credit = figure.select_one(".place-map__credit")
    assert credit.get_text() == CREDIT and credit.find_previous("svg") is svg


def test_every_map_of_the_site_draws_the_same_outline(site):
    """/steder/, a place's locator and the front page's small map: one Bærum."""
    outlines = {url: site.html(url).select_one(f"article svg.{kind} path.map-land__subject")["d"]
                for url, kind in (("steder/", "place-map__svg"), ("steder/sandvika/", "place-locator__svg"),
                                  ("", "home-map__svg"))}
    assert len(set(outlines.values())) == 1, outlines.keys()
    for url in ("steder/sandvika/", ""):
        assert site.article(url).find(string=lambda text: CREDIT in text), f"/{url} has no credit for the map"


def test_the_front_page_map_leads_to_the_places(site):
    figure = site.article("").select_one("figure.home-map")
    link = figure.select_one("a.home-map__link")
    assert urljoin("", link["href"]) == "steder/" and site.exists("steder/")
    assert link.get_text(" ", strip=True) == "Se alle stedene på kartet over Bærum"
    svg = link.svg
    assert svg["aria-hidden"] == "true" and not svg.find("a")
    assert len(svg.select("circle.home-map__dot")) == 3  # Fornebu, Lommedalen, Sandvika


def test_hele_baerum_is_in_the_list_not_a_marker(site):
    article = site.article("steder/")
    figure = article.select_one("figure.place-map")
    assert "Hele Bærum" not in str(figure)
    assert "Historier om hele kommunen står bare i listen." in figure.figcaption.get_text(" ", strip=True)
    item = next(li for li in article.select("ul.place-list li") if li.a.get_text() == "Hele Bærum")
    assert urljoin("steder/", item.a["href"]) == "steder/hele-barum/"
    assert item.get_text(" ", strip=True) == "Hele Bærum (1 historie)"
    assert item.select_one(".place-list__number") is None


def test_the_list_after_the_map_is_its_key_and_its_text_version(site):
    article = site.article("steder/")
    figure, listing = article.select_one("figure.place-map"), article.select_one("ul.place-list")
    assert listing is not None and figure.find_next("ul", class_="place-list") is listing
    assert [li.get_text(" ", strip=True) for li in listing.select("li")] == [
        "Fornebu (1 historie)", "Lommedalen (2 historier)", "Sandvika (3 historier)", "Hele Bærum (1 historie)"]
    numbers = {li.a.get_text(): li.select_one(".place-list__number") for li in listing.select("li")}
    for name, a in _markers(figure.svg).items():
        # The stylesheet draws data-number; the marker's own name says it to a screen reader.
        assert numbers[name]["data-number"] == a.select_one("g.place-map__narrow text").get_text()
        assert numbers[name]["aria-hidden"] == "true"


def test_the_places_page_says_each_thing_once(site):
    article = site.article("steder/")
    sentences = [sentence.strip() for block in article.select("p, figcaption")
                 for sentence in block.get_text(" ", strip=True).split(".") if sentence.strip()]
    repeated = {sentence for sentence in sentences if sentences.count(sentence) > 1}
    assert not repeated, repeated
    assert "Velg et sted" in article.p.get_text()
    assert "Velg et sted" not in article.select_one("figure.place-map").get_text()


def test_the_places_page_has_no_sidebar_with_one_lonely_link(site):
    """Hidden on a wide screen (Material's own `hidden`); the drawer on a small screen keeps the menu."""
    page = site.html("steder/")
    primary = page.select_one(".md-sidebar--primary")
    assert primary.has_attr("hidden") and len(primary.select("a.md-nav__link")) > 1
    assert page.select_one(".md-sidebar--secondary").has_attr("hidden")
    assert not site.html("steder/sandvika/").select_one(".md-sidebar--primary").has_attr("hidden")


def test_the_maps_stay_small(site, real_site):
    """The SVGs' bytes as written (the outline is cut to the map and thinned)."""
    for built in (site, real_site):
        sizes = {url: len(str(built.html(url).select_one(f"article svg.{kind}")).encode())
                 for url, kind in (("steder/", "place-map__svg"), ("steder/sandvika/", "place-locator__svg"),
                                   ("", "home-map__svg"))}
        assert sizes["steder/"] < 16_000 and sizes["steder/sandvika/"] < 5_000 and sizes[""] < 5_000, sizes


def test_svgs_hold_no_foreign_address_no_style_and_no_script(site):
    for url in ("steder/", "steder/sandvika/", ""):
        for svg in site.html(url).select("article svg"):
            assert not svg.find_all(["style", "script", "foreignObject", "image", "use"])
            for tag in [svg, *svg.find_all(True)]:
                assert "style" not in tag.attrs, f"{url}: style attribute on <{tag.name}>"
                for name, value in tag.attrs.items():
                    text = " ".join(value) if isinstance(value, list) else str(value)
                    assert "http" not in text and "//" not in text, f"{url}: <{tag.name} {name}={text!r}>"
                    assert not name.startswith("on") and ":" not in name, f"{url}: <{tag.name} {name}>"
            for a in svg.find_all("a"):
                assert site.exists(urljoin(url, a["href"])), a["href"]


def _svg_label_breaks(svg) -> list[str]:
    """The label rule checked from the SVG's own attributes, the way geo computes each box."""
    view = [float(v) for v in svg["viewbox"].split()]
    box = frame(view[2], view[3])
    problems = []
    for size in geo.SIZES:
        groups = svg.select(f"a > g.place-map__{size.name}")
        markers = [marker_box(float(g.circle["cx"]), float(g.circle["cy"]), float(g.circle["r"])) for g in groups]
        boxes = []
        for g in groups:
            t = g.find("text")
            if t is None:
                problems.append(f"{size.name}: a marker without a label")
                continue
            assert float(t["font-size"]) == size.font_size
            boxes.append((t.get_text(), label_box(t.get_text(), float(t["x"]), float(t["y"]),
                                                  t["text-anchor"], size.font_size)))
        problems += [f"{size.name}: {a} leaves the frame" for a, b in boxes if not b.inside(box)]
        problems += [f"{size.name}: {a} overlaps {b}" for (a, x), (b, y) in itertools.combinations(boxes, 2)
                     if x.overlaps(y)]
        problems += [f"{size.name}: {a} covers a marker" for a, x in boxes for m in markers if x.overlaps(m)]
    return problems


def test_label_rule_holds_in_the_built_svgs(site, real_site):
    for built in (site, real_site):
        svg = built.html("steder/").select_one("svg.place-map__svg")
        assert svg is not None and svg.select("text")
        assert not _svg_label_breaks(svg)


def test_locator_highlights_the_place_on_its_page(site):
    markers = _markers(site.html("steder/").select_one("svg.place-map__svg"))
    for name in ("Sandvika", "Fornebu", "Lommedalen"):
        figure = site.article(VOCABULARY.place(name).url).select_one("figure.place-locator")
        svg = figure.svg
        assert svg["aria-hidden"] == "true"
        assert svg.select_one("path.map-land__subject") is not None
        here = svg.select("circle.place-locator__here")
        assert len(here) == 1 and len(svg.select("circle.place-locator__dot")) == len(LOCATED) - 1
        circle = markers[name].circle
        assert (here[0]["cx"], here[0]["cy"]) == (circle["cx"], circle["cy"])
        assert f"Kartet viser hvor {name} ligger i Bærum." in figure.figcaption.get_text(" ", strip=True)
    assert site.article("steder/hele-barum/").select_one("figure.place-locator") is None


def test_a_site_with_stories_only_for_hele_baerum_has_the_list_and_no_map(build_site):
    site = build_site({"a.md": story_text(title="Om hele kommunen", place="Hele Bærum")})
    assert site.error is None, site.error
    article = site.article("steder/")
    assert article.select_one("figure.place-map") is None
    assert [a.get_text() for a in article.select("ul.place-list a")] == ["Hele Bærum"]
    assert article.select_one("ul.place-list").get_text(" ", strip=True) == "Hele Bærum (1 historie)"
    assert site.article("").select_one("figure.home-map") is None
