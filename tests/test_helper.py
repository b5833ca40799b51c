"""The helper process (storysite/helper.py): part of a build's pages rendered in a second process
while the build renders the rest. A site built with a helper is the site built without one, byte for
byte, also when the helper fails at a page, warns on one or stops midway; a failed build stops its
helper. The same holds for the pictures a helper makes. The example site is smaller than a helper is
started for, so the tests lower that limit."""

from __future__ import annotations

import logging
import os
import sys

import pytest
from conftest import ROOT, build, make_project, story_text

pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="the helper runs on Linux only")


def _files(site_dir) -> dict[str, bytes]:
    return {p.relative_to(site_dir).as_posix(): p.read_bytes() for p in sorted(site_dir.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def without_helper(tmp_path_factory) -> dict[str, bytes]:
    """The example site as a build renders it alone."""
    import storysite.helper as helper

    available = helper.available
    helper.available = lambda: False
    try:
        site = build(make_project(tmp_path_factory.mktemp("alone"), None))
    finally:
        helper.available = available
    assert site.error is None, site.errors()
    return _files(site.site_dir)


@pytest.fixture
def helped(monkeypatch):
    """Every build in the test starts a helper (whatever the machine's cores); returns the pids of the
    helpers started, and counts the pages the build took from them (``pids.taken``)."""
    import storysite.helper as helper

    monkeypatch.setattr(helper, "available", lambda: True)
    monkeypatch.setattr(helper, "MIN_PAGES", 1)
    monkeypatch.setattr(helper, "MIN_PICTURES", 10**9)  # the pictures' tests lower it (a cold cache would start one)
    pids = Helpers()
    take = helper.Helper.take

    def counted(self, name):
        page = take(self, name)
        pids.taken += page is not None
        return page

    monkeypatch.setattr(helper.Helper, "take", counted)
    start = helper.Helper.start.__func__

    def recorded(cls, *args, **kwargs):
        started = start(cls, *args, **kwargs)
        if started is not None:
            pids.append(started.pid)
            pids.names.append(list(args[0]))
        return started

    monkeypatch.setattr(helper.Helper, "start", classmethod(recorded))
    return pids


class Helpers(list):
    taken = 0

    def __init__(self) -> None:
        super().__init__()
        self.names: list[list[str]] = []  # what each helper was given to do


def _in_helper_at(monkeypatch, page_uri: str, act) -> None:
    """Make the helper (and only the helper) call ``act()`` when it starts rendering ``page_uri``."""
    site_build = sys.modules["storysite.site_build"]
    get_context = site_build.get_context
    build_pid = os.getpid()

    def acting(nav, files, config, page, *args, **kwargs):
        if os.getpid() != build_pid and page.file.src_uri == page_uri:
            act()
        return get_context(nav, files, config, page, *args, **kwargs)

    monkeypatch.setattr(site_build, "get_context", acting)


def test_the_pages_a_helper_renders_are_byte_for_byte_those_the_build_renders_alone(tmp_path, helped,
                                                                                   without_helper):
    site = build(make_project(tmp_path, None))
    assert site.error is None, site.errors()
    assert len(helped) == 1
    pages = [name for name in without_helper if name.endswith(".html") and name != "404.html"]
    assert len(pages) * 0.6 < helped.taken < len(pages) * 0.7  # the helper's share, as the build wrote it
    assert _files(site.site_dir) == without_helper
    with pytest.raises(ChildProcessError):
        os.waitpid(helped[0], os.WNOHANG)  # ended, and waited for


@pytest.mark.parametrize("trouble", ["raises", "warns"])
def test_a_page_the_helper_fails_at_or_warns_on_is_rendered_by_the_build_itself(tmp_path, helped, without_helper,
                                                                                 monkeypatch, trouble):
    project = make_project(tmp_path, None)
    marker = tmp_path / "hjelperen-feilet"
    target = next(p for p in sorted((project / "stories").glob("*.md")) if not p.name.startswith("_"))
    page_uri = f"historier/{target.stem}/index.md"

    def act():
        marker.write_text("ja")
        if trouble == "raises":
            raise RuntimeError("en feil i hjelperen")
        logging.getLogger("mkdocs.plugins.storysite").warning("en advarsel i hjelperen")

    import storysite.helper as helper

    monkeypatch.setattr(helper, "share", lambda names, fraction=1.0: list(names))  # the helper takes every page
    _in_helper_at(monkeypatch, page_uri, act)
    site = build(project)
    assert site.error is None, site.errors()
    assert marker.read_text() == "ja"  # the helper did meet the trouble
    pages = [name for name in without_helper if name.endswith(".html") and name != "404.html"]
    assert helped.taken == len(pages) - 1  # and rendered every other page; that one the build rendered
    assert _files(site.site_dir) == without_helper


def test_when_the_helper_stops_midway_the_build_renders_the_rest_of_its_pages(tmp_path, helped, without_helper,
                                                                              monkeypatch):
    project = make_project(tmp_path, None)
    marker = tmp_path / "hjelperen-stoppet"
    stories = sorted(p for p in (project / "stories").glob("*.md") if not p.name.startswith("_"))

    def stop():
        marker.write_text("ja")
        os._exit(1)

    import storysite.helper as helper

    monkeypatch.setattr(helper, "share", lambda names, fraction=1.0: list(names))
    _in_helper_at(monkeypatch, f"historier/{stories[len(stories) // 2].stem}/index.md", stop)
    site = build(project)
    assert site.error is None, site.errors()
    assert marker.read_text() == "ja"
    assert _files(site.site_dir) == without_helper


def test_a_helper_that_hangs_is_stopped_and_the_build_renders_the_rest_of_its_pages(tmp_path, helped,
                                                                                   without_helper, monkeypatch):
    import time

    import storysite.helper as helper

    monkeypatch.setattr(helper, "WAIT_SECONDS", 1)
    monkeypatch.setattr(helper, "share", lambda names, fraction=1.0: list(names))
    project = make_project(tmp_path, None)
    stories = sorted(p for p in (project / "stories").glob("*.md") if not p.name.startswith("_"))
    _in_helper_at(monkeypatch, f"historier/{stories[3].stem}/index.md", lambda: time.sleep(3600))
    site = build(project)
    assert site.error is None, site.errors()
    pages = [name for name in without_helper if name.endswith(".html") and name != "404.html"]
    assert 0 < helped.taken < len(pages) - 1  # the pages before it from the helper, the rest from the build
    assert _files(site.site_dir) == without_helper
    with pytest.raises(ChildProcessError):
        os.waitpid(helped[0], os.WNOHANG)


def test_a_build_that_cannot_start_a_helper_renders_every_page_itself(tmp_path, helped, without_helper,
                                                                     monkeypatch):
    import storysite.helper as helper

    def no_process():
        raise OSError(11, "Resource temporarily unavailable")

    monkeypatch.setattr(helper.os, "fork", no_process)
    site = build(make_project(tmp_path, None))
    assert site.error is None, site.errors()
    assert helped == [] and _files(site.site_dir) == without_helper


def test_a_failed_build_stops_its_helper(tmp_path, helped, monkeypatch):
    from mkdocs.exceptions import PluginError

    project = make_project(tmp_path, None)
    site_build = sys.modules["storysite.site_build"].SiteBuild
    pages_done = []
    page_output = site_build.page_output

    def fails_after_some(self, output, page, finish):
        if len(pages_done) == 3:
            raise PluginError("en side kunne ikke skrives")
        pages_done.append(page)
        return page_output(self, output, page, finish)

    monkeypatch.setattr(site_build, "page_output", fails_after_some)
    assert build(project).error is not None
    assert len(helped) == 1
    with pytest.raises(ChildProcessError):
        os.waitpid(helped[0], os.WNOHANG)  # stopped and waited for: no process is left behind


def test_the_templates_a_page_names_are_compiled_before_the_helper_is_forked():
    from jinja2 import DictLoader, Environment
    from storysite.site_build import compile_templates

    env = Environment(loader=DictLoader({
        "side.html": '{%- extends "grunn.html" %}',
        "grunn.html": "{% include 'del.html' %}{% import \"makro.html\" as m %}{% from 'fra.html' import x %}"
                      "{% include 'mangler.html' ignore missing %}{% include 'del-' ~ navn ~ '.html' %}",
        "del.html": "del", "makro.html": "", "fra.html": "{% macro x() %}{% endmacro %}",
        "ubrukt.html": "aldri nevnt",
    }))
    compile_templates(env, {"side.html"})
    assert {name for _, name in env.cache} == {"side.html", "grunn.html", "del.html", "makro.html", "fra.html"}


def test_the_helpers_share_is_spread_evenly_through_the_build_order():
    from storysite.helper import share

    names = [str(n) for n in range(1000)]
    taken = share(names, 0.65)
    assert len(taken) == 650
    for start in range(0, 1000, 100):  # every stretch of the build has the helper's share
        assert 60 <= len([n for n in taken if start <= int(n) < start + 100]) <= 70
    assert share(names[:1], 0.65) == [] and share(names[:2], 0.65) == ["1"]


# Reading the stories -------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def many_stories(tmp_path_factory):
    """150 generated stories (bench/storygen.py) and three broken ones, each a problem of its own."""
    sys.path.insert(0, str(ROOT / "bench"))
    import storygen

    root = tmp_path_factory.mktemp("mange")
    folder = root / "stories"
    storygen.generate(folder, 150, ROOT / "data" / "vocabulary.yml", pictures=False)
    (folder / "uten-verdi.md").write_text(story_text(title="Uten verdi", tags="ukjent"), encoding="utf-8")
    (folder / "skript.md").write_text(story_text("<script>alert(1)</script>\n", title="Skript"), encoding="utf-8")
    (folder / "tom.md").write_bytes(b"")
    return root


def _read(root, read_many=None):
    from storysite import vocabulary
    from storysite.story import load_all

    words = vocabulary.load(ROOT / "data" / "vocabulary.yml")
    return load_all(root / "stories", root, words, cache={}, read_many=read_many and (
        lambda items, load_one: read_many(items, load_one, words)))


def test_stories_a_helper_reads_are_the_stories_the_build_reads_alone_with_the_same_problems(many_stories, helped):
    from storysite.story_cache import load_with_helper

    alone = _read(many_stories)
    assert len(alone[0]) == 150 and len(alone[1]) >= 3
    assert _read(many_stories, load_with_helper) == alone
    assert len(helped) == 1 and 70 <= helped.taken <= 80  # the helper read half of them


@pytest.mark.parametrize("trouble", ["raises", "stops"])
def test_a_story_the_helper_fails_at_is_read_by_the_build_itself(many_stories, helped, trouble):
    from storysite.story_cache import load_with_helper

    build_pid = os.getpid()

    def troubled(items, load_one, words):
        def load(name, path):
            if os.getpid() != build_pid and name == items[41][0]:  # one the helper reads (odd places)
                if trouble == "raises":
                    raise RuntimeError("en feil i hjelperen")
                os._exit(1)
            return load_one(name, path)
        return load_with_helper(items, load, words)

    assert _read(many_stories, troubled) == _read(many_stories)
    # of its 76 (every other of 153), the helper handed back the 20 before that one, or all but that one
    assert helped.taken == (20 if trouble == "stops" else 75)


# Making the pictures -------------------------------------------------------------------------------

PICTURED = 6  # stories, each with a picture of its own


def _pictured_project(tmp_path):
    """Six stories, each with a picture wide enough for both versions (600 and 1200 px)."""
    import io

    from PIL import Image

    stories = {}
    for n in range(PICTURED):
        out = io.BytesIO()
        Image.linear_gradient("L").resize((1300, 800)).convert("RGB").point(lambda v, n=n: (v + 40 * n) % 256).save(
            out, "JPEG")
        stories[f"bilde-{n}/index.md"] = story_text(title=f"Bilde {n}", image="bilde.jpg", image_alt="Et bilde",
                                                    image_credit="Ola")
        stories[f"bilde-{n}/bilde.jpg"] = out.getvalue()
    return make_project(tmp_path, stories)


def _build_cold(project, cache, monkeypatch):
    """A build with its own, empty cache folder: every picture is made."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(cache))
    return build(project)


@pytest.fixture
def pictures_made_here(monkeypatch):
    """The pictures this process makes (those a helper makes are made in the helper's)."""
    import storysite.pictures as pictures

    build_pid, made = os.getpid(), []
    make = pictures.make

    def counted(source, versions):
        if os.getpid() == build_pid:
            made.append(source)
        return make(source, versions)

    monkeypatch.setattr(pictures, "make", counted)
    return made


@pytest.fixture
def pictures_alone(tmp_path_factory):
    import storysite.helper as helper

    available = helper.available
    helper.available = lambda: False
    try:
        root = tmp_path_factory.mktemp("bilder-alene")
        with pytest.MonkeyPatch.context() as patch:
            site = _build_cold(_pictured_project(root), root / "cache", patch)
    finally:
        helper.available = available
    assert site.error is None, site.errors()
    assert len([name for name in _files(site.site_dir) if name.endswith("-1200.jpg")]) == PICTURED
    return _files(site.site_dir)


def test_the_pictures_a_helper_makes_are_byte_for_byte_those_the_build_makes_alone(tmp_path, helped, monkeypatch,
                                                                                   pictures_alone, pictures_made_here):
    import storysite.helper as helper

    monkeypatch.setattr(helper, "MIN_PICTURES", 1)
    site = _build_cold(_pictured_project(tmp_path), tmp_path / "cache", monkeypatch)
    assert site.error is None, site.errors()
    assert [len(names) for names in helped.names if len(names[0]) == 64] == [PICTURED]  # one helper, by digest
    assert pictures_made_here == []  # every picture made by the helper
    assert _files(site.site_dir) == pictures_alone
    for pid in helped:
        with pytest.raises(ChildProcessError):
            os.waitpid(pid, os.WNOHANG)  # ended, and waited for


@pytest.mark.parametrize("trouble", ["raises", "stops"])
def test_a_picture_the_helper_fails_at_is_made_by_the_build_itself(tmp_path, helped, monkeypatch, pictures_alone,
                                                                   pictures_made_here, trouble):
    import storysite.helper as helper
    import storysite.pictures as pictures

    monkeypatch.setattr(helper, "MIN_PICTURES", 1)
    build_pid, make = os.getpid(), pictures.make
    met = []

    def troubled(source, versions):
        if os.getpid() != build_pid and source.parent.name == "bilde-2":
            if trouble == "raises":
                raise RuntimeError("en feil i hjelperen")
            os._exit(1)
        met.append(source.parent.name)
        return make(source, versions)

    monkeypatch.setattr(pictures, "make", troubled)
    site = _build_cold(_pictured_project(tmp_path), tmp_path / "cache", monkeypatch)
    assert site.error is None, site.errors()
    assert _files(site.site_dir) == pictures_alone
    # made here: that picture, and after a stop every picture the helper had not made yet
    assert "bilde-2" in met and (len(met) == 1) == (trouble == "raises")


def test_a_picture_the_helper_refuses_stops_the_build_naming_its_story(tmp_path, helped, monkeypatch,
                                                                      pictures_made_here):
    import storysite.helper as helper
    import storysite.pictures as pictures

    monkeypatch.setattr(helper, "MIN_PICTURES", 1)
    make = pictures.make

    def refusing(source, versions):
        if source.parent.name == "bilde-4":
            raise pictures.PictureError("bildet er skadet og kan ikke leses.", "Lagre bildet på nytt.")
        return make(source, versions)

    monkeypatch.setattr(pictures, "make", refusing)
    site = _build_cold(_pictured_project(tmp_path), tmp_path / "cache", monkeypatch)
    assert site.error is not None
    assert site.errors() == ("stories/bilde-4/index.md: image: bildet er skadet og kan ikke leses. "
                             "Lagre bildet på nytt.")
    assert pictures_made_here == []  # the helper's refusal was reported as it was, not found again here


def test_a_failed_build_stops_its_picture_helper(tmp_path, helped, monkeypatch):
    import time

    import storysite.helper as helper
    import storysite.pictures as pictures
    from mkdocs.exceptions import PluginError

    monkeypatch.setattr(helper, "MIN_PICTURES", 1)
    import storysite.site_build

    monkeypatch.setattr(pictures, "make", lambda source, versions: time.sleep(3600))
    site_build = storysite.site_build.SiteBuild

    def fails(self, output, page, finish):
        raise PluginError("en side kunne ikke skrives")

    monkeypatch.setattr(site_build, "page_output", fails)
    assert _build_cold(_pictured_project(tmp_path), tmp_path / "cache", monkeypatch).error is not None
    assert [len(names) for names in helped.names if len(names[0]) == 64] == [PICTURED]  # and one for pages
    for pid in helped:
        with pytest.raises(ChildProcessError):
            os.waitpid(pid, os.WNOHANG)  # stopped and waited for: no process is left behind
