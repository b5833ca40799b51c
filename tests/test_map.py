"""The map of Bærum on /steder/ and the locator on each place's page (hooks/storysite/geo.py)."""

from __future__ import annotations

import itertools
import math
from urllib.parse import urljoin

import pytest
from conftest import ROOT, build, make_project, story_text
from hypothesis import given, settings
from hypothesis import strategies as st
from storysite import geo, vocabulary
from storysite.vocabulary import Place

VOCABULARY = vocabulary.load(ROOT / "data" / "vocabulary.yml")
PLACES = VOCABULARY.places
LOCATED = [p for p in PLACES if p.lat is not None]
COUNTS = {"Sandvika": 3, "Lommedalen": 2, "Fornebu": 1, "Hele Bærum": 1}


# ---------------------------------------------------------------------------------------------
# The projection


def test_every_place_but_hele_baerum_has_a_point():
    assert [p.name for p in PLACES if p.lat is None or p.lon is None] == ["Hele Bærum"]
    assert len(LOCATED) == 24


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
# The label rule: no two labels' boxes overlap, no label covers a marker, every label is inside the frame


def _rule_breaks(made: geo.PlaceMap) -> list[str]:
    frame = geo.frame(made.width, made.height)
    problems = []
    for i, size in enumerate(geo.SIZES):
        markers = [(m.place.name, geo.marker_box(m.x, m.y, m.drawings[i].radius)) for m in made.markers]
        labels = []
        for m in made.markers:
            label = m.drawings[i].label
            if label is not None:
                box = geo.label_box(label.text, label.x, label.y, label.anchor, size.font_size)
                assert box == label.box
                labels.append((m.place.name, box))
                if not box.inside(frame):
                    problems.append(f"{size.name}: {m.place.name}'s label leaves the frame")
        for (a, box_a), (b, box_b) in itertools.combinations(labels, 2):
            if box_a.overlaps(box_b):
                problems.append(f"{size.name}: the labels of {a} and {b} overlap")
        for (a, box_a), (b, box_b) in itertools.product(labels, markers):
            if box_a.overlaps(box_b):
                problems.append(f"{size.name}: {a}'s label covers the marker of {b}")
    return problems


@pytest.mark.parametrize("counts", ["equal", "varied", "one big"])
def test_label_rule_holds_for_all_24_places_with_stories(counts):
    weights = {"equal": lambda i: 1, "varied": lambda i: i % 7 + 1, "one big": lambda i: 200 if i == 17 else 1}
    made = geo.places_map([(p, weights[counts](i)) for i, p in enumerate(PLACES)], PLACES)
    assert made is not None and len(made.markers) == 24
    assert not _rule_breaks(made)
    wide, narrow = ([m.drawings[i].label for m in made.markers] for i in range(2))
    assert sum(label is not None for label in wide) >= 22, "the wide map names (almost) every place"
    assert sum(label is not None for label in narrow) >= 12, "the narrow map names at least half the places"


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(PLACES), st.integers(1, 500)), unique_by=lambda t: t[0].slug))
def test_label_rule_holds_for_any_places_and_counts(chosen):
    made = geo.places_map(chosen, PLACES)
    if made is not None:
        assert not _rule_breaks(made)


def test_a_label_goes_left_when_there_is_no_room_on_the_right():
    """Lysaker is the easternmost place: its name does not fit between it and the frame."""
    made = geo.places_map([(VOCABULARY.place("Lysaker"), 1)], PLACES)
    assert made is not None
    label = made.markers[0].drawings[0].label
    assert label is not None and label.anchor == "end" and label.x < made.markers[0].x


def test_a_label_that_fits_nowhere_is_dropped():
    crowd = [(Place(f"Sted med et langt navn {i}", f"s{i}", 59.9 + i * 0.0004, 10.5), 1) for i in range(12)]
    made = geo.places_map(crowd, [*PLACES, *(p for p, _ in crowd)])
    assert made is not None
    labels = [m.drawings[0].label for m in made.markers]
    assert None in labels and any(labels)
    assert not _rule_breaks(made)


def test_text_width_estimate_is_generous_for_wide_letters():
    assert geo.text_width("Bærums Verk", 10) > geo.text_width("Jar", 10) * 3
    assert geo.text_width("Ø", 10) >= 0.778 * 10


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


def test_one_marker_per_place_with_stories_with_name_and_count(site):
    figure = site.html("steder/").select_one("article figure.place-map")
    svg = figure.select_one("svg")
    assert [a["aria-label"] for a in svg.select("a")] == [
        "Fornebu, 1 historie", "Lommedalen, 2 historier", "Sandvika, 3 historier"]
    assert svg.find("title").get_text() == "Kart over Bærum med 3 steder som har historier"
    assert "Kart over stedene i Bærum som har historier" in figure.figcaption.get_text()
    assert svg.get("role") == "group"


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


def test_hele_baerum_is_beside_the_map_not_a_marker(site):
    figure = site.html("steder/").select_one("figure.place-map")
    assert "Hele Bærum" not in str(figure.svg)
    beside = figure.select_one(".place-map__unplaced")
    assert beside.a.get_text() == "Hele Bærum" and urljoin("steder/", beside.a["href"]) == "steder/hele-barum/"
    assert "(1 historie)" in beside.get_text()


def test_the_list_stays_under_the_map_as_its_text_version(site):
    article = site.article("steder/")
    figure, listing = article.select_one("figure.place-map"), article.select_one("ul.place-list")
    assert listing is not None and figure.find_next("ul", class_="place-list") is listing
    assert [a.get_text() for a in listing.select("a")] == ["Fornebu", "Lommedalen", "Sandvika", "Hele Bærum"]


def test_svgs_hold_no_foreign_address_no_style_and_no_script(site):
    for url in ("steder/", "steder/sandvika/"):
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
    frame = geo.frame(view[2], view[3])
    problems = []
    for size in geo.SIZES:
        groups = svg.select(f"a > g.place-map__{size.name}")
        markers = [geo.marker_box(float(g.circle["cx"]), float(g.circle["cy"]), float(g.circle["r"])) for g in groups]
        boxes = []
        for g in groups:
            if g.find("text"):
                t = g.find("text")
                assert float(t["font-size"]) == size.font_size
                boxes.append((t.get_text(), geo.label_box(t.get_text(), float(t["x"]), float(t["y"]),
                                                          t["text-anchor"], size.font_size)))
        problems += [f"{size.name}: {a} leaves the frame" for a, box in boxes if not box.inside(frame)]
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
        here = svg.select("circle.place-locator__here")
        assert len(here) == 1 and len(svg.select("circle.place-locator__dot")) == 23
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
