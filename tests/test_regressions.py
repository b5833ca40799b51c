"""Tests that catch a small regression at the trust boundary, each tried against the bug it names
(see the README's test section): hostile text in every free-text field on every page type, every
limit at its boundary (the numbers the README promises, written out, so moving a limit fails a test),
an exception in one story's reading becoming that story's problem, and the story cache being read."""

from __future__ import annotations

import datetime
import io
import json
import struct
import zlib

import pytest
from conftest import ROOT, build, make_project, story_text
from PIL import Image
from storysite import feeds, pictures, source, story, story_cache, vocabulary

VOCABULARY = vocabulary.load(ROOT / "data" / "vocabulary.yml")
TODAY = datetime.date(2026, 6, 1)


# Hostile text in every free-text field, on every page type --------------------------------------

FREE_TEXT = ("title", "description", "authors", "image_alt", "image_credit")


def hostile(key: str) -> str:
    """Text that breaks out of an attribute, an element and a script if it is ever printed raw."""
    return f'x" onmouseover="hostile_{key}()" data-hostile="<script>hostile_{key}()</script>'


def _jpeg() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (800, 500), (30, 120, 200)).save(out, "JPEG", quality=90)
    return out.getvalue()


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory):
    """One story on every kind of page (values, place, focus area, partners, goals, the front page, the
    numbers, the feeds, the search index, the open data), with hostile text in each free-text field."""
    fields = {key: "'" + hostile(key) + "'" for key in FREE_TEXT}
    stories = {
        "farlig/index.md": story_text(
            "Vanlig tekst.\n", image="bilde.jpg", place="Sandvika", focus="medvirkning", tags="[raushet, mangfold]",
            partners="[innbyggere, ungdom]", minors="false", goals="dialog", featured="true", **fields),
        "farlig/bilde.jpg": _jpeg(),
        "nabo.md": story_text(title="Naboen", place="Sandvika", tags="raushet", focus="medvirkning", goals="dialog"),
    }
    site = build(make_project(tmp_path_factory.mktemp("hostile"), stories))
    assert site.error is None, site.errors()
    return site


def test_hostile_text_in_every_free_text_field_is_shown_as_text_on_its_page(hostile_site):
    article = hostile_site.article("historier/farlig/")
    assert article.select_one("h1").get_text() == hostile("title")
    assert article.select_one("figure img")["alt"] == hostile("image_alt")
    assert hostile("image_credit") in article.select_one("figure figcaption").get_text()
    text = article.get_text()
    assert hostile("description") in text and hostile("authors") in text


def test_hostile_text_runs_nowhere_on_any_page_of_the_site(hostile_site):
    pages = sorted(hostile_site.site_dir.rglob("*.html"))
    found = set()
    for path in pages:
        soup = hostile_site.html(path.relative_to(hostile_site.site_dir).as_posix())
        name = path.relative_to(hostile_site.site_dir)
        for script in soup.find_all("script"):
            if script.get("type") in ("application/ld+json", "application/json"):  # data: no markup inside
                assert "<" not in (script.string or ""), (name, script)
            else:
                assert "hostile_" not in (script.string or ""), (name, script)
        for element in soup.find_all(True):
            for attribute, value in element.attrs.items():
                assert not (attribute.startswith("on") and "hostile_" in str(value)), (name, element)
                assert attribute != "data-hostile", (name, element)  # what a broken-out value would add
        if "hostile_" in soup.get_text():
            found.add(path.parent.relative_to(hostile_site.site_dir).as_posix())
    # The text reached every kind of page that shows a story (so the checks above looked at it).
    for address in ("historier/farlig", "historier", ".", "verdier/raushet", "steder/sandvika",
                    "satsingsomrader/medvirkning", "sammen/ungdom", "mal/dialog", "historier/nabo"):
        assert address in found, address


def test_hostile_text_is_escaped_in_the_feeds_the_search_index_and_the_sharing_tags(hostile_site):
    for feed in ("feed.xml", "verdier/raushet/feed.xml"):
        xml = (hostile_site.site_dir / feed).read_text(encoding="utf-8")
        assert "hostile_title" in xml and "<script>" not in xml and "<img" not in xml, feed
    index = json.loads((hostile_site.site_dir / "search" / "search_index.json").read_text(encoding="utf-8"))
    for doc in index["docs"]:
        assert "<script>" not in doc["title"] + doc.get("text", ""), doc["location"]
    head = hostile_site.html("historier/farlig/").head
    assert head.select_one('meta[property="og:title"]')["content"] == hostile("title")
    assert head.select_one('meta[name="description"]')["content"] == hostile("description")


# Every limit at its boundary: just under passes, just over is refused --------------------------


def _problems(tmp_path, text: str | bytes, name: str = "a.md", today: datetime.date = TODAY) -> list[str]:
    folder = tmp_path / "stories"
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    _, found = story.load(path.stem if name.endswith(".md") and "/" not in name else path.parent.name, path, folder,
                          tmp_path, VOCABULARY, today=today)
    return [str(p) for p in found]


@pytest.mark.parametrize(("days", "refused"), [(365, False), (366, True)])
def test_a_date_at_most_a_year_ahead(tmp_path, days, refused):
    date = (TODAY + datetime.timedelta(days)).isoformat()
    found = _problems(tmp_path, story_text(date=date))
    assert found == ([f"stories/a.md:4: date: datoen {date} er mer enn et år fram i tid. Skriv datoen historien "
                      "publiseres, eller sett «draft: true» til da."] if refused else [])


def test_a_draft_may_be_dated_further_ahead(tmp_path):
    assert _problems(tmp_path, story_text(date="2030-01-01", draft="true")) == []


@pytest.mark.parametrize(("size", "refused"), [(256 * 1024, False), (256 * 1024 + 1, True)])
def test_a_story_file_of_at_most_256_kb(tmp_path, size, refused):
    head = story_text("")
    text = head + "x" * (size - len(head.encode("utf-8")) - 1) + "\n"
    assert len(text.encode("utf-8")) == size
    found = _problems(tmp_path, text)
    assert [p for p in found if ": fil: filen er over" in p] == (
        ["stories/a.md: fil: filen er over 256 kB; en historie er sjelden over 20 kB. Kort ned teksten, eller del den "
         "i flere historier."] if refused else []), found


@pytest.mark.parametrize(("size", "refused"), [(16 * 1024, False), (16 * 1024 + 1, True)])
def test_front_matter_of_at_most_16_kb(tmp_path, size, refused):
    base = story_text("Tekst.\n").split("\n---\n")[0][4:] + "\n"  # the fields, as source.split returns them
    padding = size - len(base) - len("# \n")
    text = "---\n" + base + "# " + "x" * padding + "\n---\n\nTekst.\n"
    assert len(source.split(text)[0]) == size
    found = _problems(tmp_path, text)
    assert [p for p in found if "feltene er til sammen over" in p] == (
        ["stories/a.md:1: front matter: feltene er til sammen over 16 kB. Feltene skal være korte; selve historien "
         "skrives under den andre ---."] if refused else []), found


@pytest.mark.parametrize(("depth", "refused"), [(3, False), (4, True)])
def test_nesting_of_at_most_three_levels_inside_a_field_is_read(tmp_path, depth, refused):
    value = "[" * (depth + 1) + "raushet" + "]" * (depth + 1)  # the field's own list, then `depth` more
    found = _problems(tmp_path, story_text(tags=value))
    assert found == [
        "stories/a.md:6: tags: verdien har lister inni lister; et felt er én verdi eller én liste. Skriv verdiene "
        "som en enkel liste: [a, b]." if refused else
        "stories/a.md:6: tags: skal være én tekst, ikke en liste. Skriv verdien rett etter kolonet, uten [ ] eller -."]


@pytest.mark.parametrize(("length", "refused"), [(60_000, False), (60_001, True)])
def test_a_body_of_at_most_60000_characters(tmp_path, length, refused):
    body = ("Ord og ord. " * 6000)[: length - 2] + "\n"  # the body starts with the line after ---
    found = _problems(tmp_path, story_text(body))
    assert any("tekst: teksten er 60 001 tegn; grensen er 60 000." in p for p in found) == refused, found
    assert refused or found == []


@pytest.mark.parametrize(("count", "refused"), [(20, False), (21, True)])
def test_at_most_20_authors(tmp_path, count, refused):
    names = "[" + ", ".join(f"Person {n}" for n in range(count)) + "]"
    found = _problems(tmp_path, story_text(authors=names))
    assert found == (["stories/a.md:5: authors: listen har 21 verdier; grensen er 20. Ta bare med de viktigste."]
                     if refused else [])


@pytest.mark.parametrize(("key", "limit"), [("title", 120), ("description", 300), ("image_alt", 250),
                                            ("image_credit", 120), ("consent", 500), ("guardian_consent", 500)])
def test_each_text_field_at_its_length_limit(tmp_path, key, limit):
    extra = {"minors": "true"} if key == "guardian_consent" else {}
    if key.startswith("image_"):
        extra = {"image_alt": "Et bilde", "image_credit": "Ola"}
    for length, refused in ((limit, False), (limit + 1, True)):
        fields = {**extra, key: "x" * length}
        found = [p for p in _problems(tmp_path, story_text(**fields)) if f": {key}: teksten er " in p]
        message = f"{key}: teksten er {limit + 1} tegn lang, men kan være høyst {limit} tegn. Kort den ned med 1 tegn."
        assert [p.split(": ", 1)[1] for p in found] == ([message] if refused else []), (length, found)


@pytest.mark.parametrize(("length", "refused"), [(100, False), (101, True)])
def test_an_author_name_of_at_most_100_characters(tmp_path, length, refused):
    found = _problems(tmp_path, story_text(authors="x" * length))
    assert [p.split(": ", 2)[2] for p in found] == ([f"navnet «{'x' * 40}…» er over 100 tegn. Skriv bare navnet."]
                                                   if refused else []), found


@pytest.mark.parametrize(("length", "refused"), [(100, False), (101, True)])
def test_a_picture_file_name_of_at_most_100_characters(tmp_path, length, refused):
    name = "b" * (length - 4) + ".jpg"
    found = _problems(tmp_path, story_text(image=name, image_alt="Et bilde", image_credit="Ola"), "a/index.md")
    assert any(f"image: filnavnet er {length} tegn; grensen er 100." in p for p in found) == refused, found


@pytest.mark.parametrize(("count", "entries"), [(50, 50), (51, 50)])
def test_a_feed_holds_the_newest_50_stories(count, entries):
    stories = [_story(n) for n in reversed(range(count))]  # newest first, as the catalogue gives them
    xml = feeds.atom(stories, title="T", subtitle="S", site_url="https://example.org/", page_url="historier/",
                     feed_url="feed.xml").decode("utf-8")
    assert xml.count("<entry>") == entries
    assert "historie-0/" not in xml if count == 51 else "historie-0/" in xml  # the oldest goes first


def _story(n: int) -> story.Story:
    return story.Story(slug=f"historie-{n}", source=f"stories/historie-{n}.md", title=f"Historie {n}",
                       description="Om.", date=datetime.date(2000, 1, 1) + datetime.timedelta(n), authors=("Kari",),
                       values=(VOCABULARY.values[0],), place=None, focus=(), picture=None, featured=False, draft=False,
                       words=1, body_line=9, html="<p>Tekst.</p>")


def _png_header(width: int, height: int) -> bytes:
    """A PNG whose header says ``width`` × ``height`` (the pixel limit is read before any decoding)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b"")) + chunk(b"IEND", b"")


@pytest.mark.parametrize(("width", "refused"), [(10_000, False), (10_001, True)])
def test_a_picture_of_at_most_50_megapixels(tmp_path, width, refused):
    path = tmp_path / "bilde.png"
    path.write_bytes(_png_header(width, 5_000))
    if refused:
        with pytest.raises(pictures.PictureError, match="grensen er 50 megapiksler"):
            pictures.inspect(path)
    else:
        assert pictures.inspect(path).width == width


@pytest.mark.parametrize(("size", "refused"), [(15 * 1024 * 1024, False), (15 * 1024 * 1024 + 1, True)])
def test_a_picture_file_of_at_most_15_mb(tmp_path, size, refused):
    path = tmp_path / "bilde.png"
    header = _png_header(100, 100)
    path.write_bytes(header + b"\0" * (size - len(header)))
    try:
        pictures.inspect(path)
        message = ""
    except pictures.PictureError as error:
        message = error.message
    assert ("MB" in message) == refused, message


# One story's failure is that story's problem ----------------------------------------------------


@pytest.mark.parametrize("where", ["read", "parse", "render"])
def test_an_exception_while_reading_one_story_becomes_its_problem_and_the_others_load(tmp_path, monkeypatch, where):
    folder = tmp_path / "stories"
    folder.mkdir()
    (folder / "god.md").write_text(story_text(title="God"), encoding="utf-8")
    (folder / "feil.md").write_text(story_text(title="Feil", description="Utløser feilen."), encoding="utf-8")

    def broken(original):
        def call(*args, **kwargs):
            if any("feil" in str(arg) or "Utløser" in str(arg) for arg in args):
                raise RuntimeError("injisert feil")
            return original(*args, **kwargs)
        return call

    if where == "read":
        monkeypatch.setattr(story.source, "read", broken(story.source.read))
    elif where == "parse":
        field = story.FIELDS["description"]
        monkeypatch.setitem(story.FIELDS, "description", type(field)(field.key, field.required, broken(field.parse),
                                                                      field.help))
    else:
        monkeypatch.setattr(story.body, "render", broken(story.body.render))
    stories, problems = story.load_all(folder, tmp_path, VOCABULARY)
    assert [s.slug for s in stories] == ["god"]
    assert [str(p) for p in problems] == [
        "stories/feil.md: fil: filen kan ikke leses (RuntimeError: injisert feil). Sjekk filen mot malen i "
        "stories/_mal.md, og si fra til nettredaksjonen."]


# The story cache is read ------------------------------------------------------------------------


def _never_read_again(*args, **kwargs):
    raise AssertionError("the story was read again although its file did not change")


def test_the_previews_cache_is_read_for_a_story_that_did_not_change(tmp_path, monkeypatch):
    folder = tmp_path / "stories"
    folder.mkdir()
    (folder / "a.md").write_text(story_text(title="A"), encoding="utf-8")
    cache: dict = {}
    first = story.load_all(folder, tmp_path, VOCABULARY, cache=cache)
    monkeypatch.setattr(story, "load", _never_read_again)
    assert story.load_all(folder, tmp_path, VOCABULARY, cache=cache) == first
    (folder / "a.md").write_text(story_text(title="A, endret"), encoding="utf-8")
    with pytest.raises(AssertionError, match="read again"):
        story.load_all(folder, tmp_path, VOCABULARY, cache=cache)


def test_the_cache_between_builds_is_read_for_a_story_that_did_not_change(tmp_path, monkeypatch):
    folder = tmp_path / "stories"
    folder.mkdir()
    (folder / "a.md").write_text(story_text(title="A"), encoding="utf-8")
    file, vocabulary_file = tmp_path / "cache" / "stories.json", ROOT / "data" / "vocabulary.yml"
    cache = story_cache.StoryCache(file, VOCABULARY, vocabulary_file)
    first = story.load_all(folder, tmp_path, VOCABULARY, cache=cache)
    cache.save()
    monkeypatch.setattr(story, "load", _never_read_again)
    again = story.load_all(folder, tmp_path, VOCABULARY, cache=story_cache.StoryCache(file, VOCABULARY,
                                                                                         vocabulary_file))
    assert [s.title for s in again[0]] == [s.title for s in first[0]] == ["A"]
