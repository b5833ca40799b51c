"""The rendered-page cache (storysite/page_cache.py): a second build writes every page as the first did,
from the cache; a changed story renders again exactly the pages that show it; a changed template or
setting renders every page again; entries no page uses are removed; keys are the same in every process.

Each test marks the cache's entries after a build, so the next build shows which pages it took from
the cache (they carry the mark) and which it rendered again (they do not)."""

from __future__ import annotations

import contextlib
import os
import sqlite3
import subprocess
import sys
import textwrap
import threading

from conftest import ROOT, build, make_project, story_text
from storysite import caches

MARK = "<!-- fra hurtiglageret -->"


def _pages(site) -> dict[str, str]:
    return {p.relative_to(site.site_dir).as_posix(): p.read_text(encoding="utf-8")
            for p in sorted(site.site_dir.rglob("*.html")) if p.name != "404.html"}


def _database(project) -> sqlite3.Connection:
    return sqlite3.connect(caches.project(project) / "rendered.sqlite3", isolation_level=None)


def _entries(project) -> list[str]:
    """The pages kept, as text."""
    with contextlib.closing(_database(project)) as db:
        return [bytes(html).decode("utf-8") for (html,) in db.execute("SELECT html FROM pages ORDER BY key")]


def _mark_entries(project) -> int:
    with contextlib.closing(_database(project)) as db:
        return db.execute("UPDATE pages SET html = CAST(html || ? AS BLOB)", (MARK,)).rowcount


def _from_cache(site) -> set[str]:
    return {name for name, html in _pages(site).items() if html.endswith(MARK)}


def _two_stories(title_a: str = "Dugnad i Sandvika") -> dict[str, str]:
    return {"a.md": story_text(title=title_a, tags="raushet", place="Sandvika"),
            "b.md": story_text(title="Kor på Fornebu", tags="raushet", place="Fornebu")}


def test_a_second_build_writes_every_page_from_the_cache_as_the_first_build_wrote_it(tmp_path):
    project = make_project(tmp_path, None)
    first = build(project)
    assert first.error is None, first.errors()
    pages = _pages(first)
    assert _mark_entries(project) == len(pages)  # one entry per page: no page was left out of the cache

    second = build(project)
    assert second.error is None, second.errors()
    assert _from_cache(second) == set(pages)
    assert {name: html.removesuffix(MARK) for name, html in _pages(second).items()} == pages


def test_pages_handed_to_the_writing_thread_one_by_one_with_the_build_waiting_for_it_are_all_kept(
        tmp_path, monkeypatch):
    """The pages go to the database in a thread of their own: with a batch per page and room for one
    batch in the queue, the build waits for the thread at almost every page; nothing may be lost."""
    import storysite.page_cache as page_cache

    monkeypatch.setattr(page_cache, "BATCH_BYTES", 1)
    monkeypatch.setattr(page_cache, "BATCHES_WAITING", 1)
    batches = []
    hand_over = page_cache.PageCache._hand_over

    def counted(self):
        batches.append(len(self._batch))
        hand_over(self)

    monkeypatch.setattr(page_cache.PageCache, "_hand_over", counted)
    project = make_project(tmp_path, _two_stories())
    first = build(project)
    assert first.error is None, first.errors()
    pages = _pages(first)
    assert batches.count(1) == len(pages)  # the patched module is the build's: a batch per page
    assert sorted(_entries(project)) == sorted(pages.values())
    assert not [thread.name for thread in threading.enumerate() if thread.name == "page-cache"]  # joined


def test_a_changed_story_renders_again_the_pages_that_show_it_and_no_others(tmp_path):
    project = make_project(tmp_path, _two_stories())
    assert build(project).error is None
    _mark_entries(project)
    (project / "stories" / "a.md").write_text(story_text(title="Vaffeldugnad i Sandvika", tags="raushet",
                                                         place="Sandvika"), encoding="utf-8")
    site = build(project)
    assert site.error is None, site.errors()
    rendered = set(_pages(site)) - _from_cache(site)
    showing = {name for name, html in _pages(site).items() if "Vaffeldugnad i Sandvika" in html}
    assert "historier/a/index.html" in showing
    assert "historier/b/index.html" in showing  # A is among B's related stories
    assert "index.html" in showing and "historier/index.html" in showing and "steder/sandvika/index.html" in showing
    assert showing <= rendered
    assert "personvern/index.html" not in rendered and "steder/fornebu/index.html" not in rendered
    assert not any("Dugnad i Sandvika" in html for html in _pages(site).values())  # the old title is nowhere


def test_a_changed_template_renders_every_page_again(tmp_path):
    project = make_project(tmp_path, _two_stories())
    assert build(project).error is None
    _mark_entries(project)
    template = project / "overrides" / "partials" / "site-footer.html"
    template.write_text(template.read_text(encoding="utf-8") + "<p>Ny linje i bunnteksten</p>\n", encoding="utf-8")
    site = build(project)
    assert site.error is None, site.errors()
    assert _from_cache(site) == set()
    assert all("Ny linje i bunnteksten" in html for html in _pages(site).values())


def test_a_changed_setting_from_the_environment_renders_every_page_again(tmp_path, monkeypatch):
    project = make_project(tmp_path, _two_stories())
    monkeypatch.setenv("SITE_URL", "https://forste.example/")
    assert build(project).error is None
    _mark_entries(project)
    monkeypatch.setenv("SITE_URL", "https://andre.example/")
    site = build(project)
    assert site.error is None, site.errors()
    assert _from_cache(site) == set()
    canonical = site.html("historier/a/").select_one('link[rel="canonical"]')["href"]
    assert canonical == "https://andre.example/historier/a/"


def test_the_entries_of_pages_that_are_gone_are_removed(tmp_path):
    project = make_project(tmp_path, _two_stories())
    first = build(project)
    assert len(_entries(project)) == len(_pages(first))
    (project / "stories" / "b.md").unlink()
    second = build(project)
    assert second.error is None, second.errors()
    assert not second.exists("historier/b/")
    assert len(_entries(project)) == len(_pages(second))
    assert not any("Kor på Fornebu" in entry for entry in _entries(project))


def test_a_failed_build_keeps_no_page_and_the_next_build_renders_afresh(tmp_path):
    project = make_project(tmp_path, _two_stories())
    assert build(project).error is None
    _mark_entries(project)
    (project / "stories" / "a.md").write_text(story_text(title="Uten verdi", tags="ukjent"), encoding="utf-8")
    assert build(project).error is not None  # refused: the site is not built
    (project / "stories" / "a.md").write_text(story_text(title="Dugnad i Sandvika", tags="raushet", place="Sandvika"),
                                              encoding="utf-8")
    site = build(project)
    assert site.error is None, site.errors()
    assert _from_cache(site) == set(_pages(site))  # back to the first build's sources: every page as it was


def test_a_damaged_cache_is_replaced_and_every_page_rendered_as_before(tmp_path):
    project = make_project(tmp_path, _two_stories())
    pages = _pages(build(project))
    (caches.project(project) / "rendered.sqlite3").write_bytes(b"ikke en database\n" * 100)
    site = build(project)
    assert site.error is None, site.errors()
    assert _pages(site) == pages
    assert len(_entries(project)) == len(pages)  # kept again, in a new database


def test_a_page_whose_entry_cannot_be_read_after_all_is_rendered_as_before_and_kept(tmp_path, monkeypatch):
    """MkDocs picks a page's template before the hook learns the entry is gone (another build removed
    it, a read error): the page is rendered with its own template all the same."""
    project = make_project(tmp_path, _two_stories())
    pages = _pages(build(project))
    _mark_entries(project)
    page_cache = sys.modules["storysite.page_cache"]  # the build's own copy of the module
    get = page_cache.PageCache.get

    def removed_first(self, key):  # the entry is gone between has() and get() (as another build's close does)
        with self._lock:  # the writing thread shares the connection
            self._db.execute("DELETE FROM pages WHERE key = ?", (key,))
        return get(self, key)

    monkeypatch.setattr(page_cache.PageCache, "get", removed_first)
    site = build(project)
    assert site.error is None, site.errors()
    assert _from_cache(site) == set()
    assert _pages(site) == pages  # every page as the first build wrote it, its policy included
    assert len(_entries(project)) == len(pages) and not any(MARK in entry for entry in _entries(project))


def test_a_key_is_the_same_in_every_process_and_differs_when_any_part_does(tmp_path):
    """Python's own hash differs per process for text (PYTHONHASHSEED); the cache's key must not."""
    script = textwrap.dedent("""
        import datetime, sys
        sys.path.insert(0, sys.argv[1])
        from pathlib import Path
        from storysite.page_cache import PageCache
        cache = PageCache(Path(sys.argv[2]), "nettsted")
        print(cache.key("historier/a/", {"verdier": {"mangfold", "raushet", "bærekraft"}}, [1, "1"],
                        datetime.date(2020, 5, 17)))
    """)
    keys = {subprocess.run([sys.executable, "-c", script, str(ROOT / "hooks"), str(tmp_path / "c")], check=True,
                           capture_output=True, text=True, env=os.environ | {"PYTHONHASHSEED": seed}).stdout.strip()
            for seed in ("1", "2", "3")}
    assert len(keys) == 1 and len(keys.pop()) == 40

    from storysite.page_cache import PageCache
    cache = PageCache(tmp_path / "d", "nettsted")
    assert cache.key(1) != cache.key("1") != cache.key(1.0)
    assert cache.key(["a", "b"]) != cache.key(["ab"]) != cache.key([["a"], "b"])
    assert cache.key({"a": 1}) != cache.key({"a": 2})
    assert PageCache(tmp_path / "e", "et annet nettsted").key(1) != cache.key(1)
    assert cache.key(object()) is None  # no stable encoding: the page is rendered, never taken from the cache


def test_a_build_that_fails_midway_keeps_none_of_its_pages_and_leaves_no_scratch_folder(tmp_path, monkeypatch):
    import tempfile

    from mkdocs.exceptions import PluginError

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "tmp"))
    (tmp_path / "tmp").mkdir()
    project = make_project(tmp_path, _two_stories())
    assert build(project).error is None
    assert list((tmp_path / "tmp").iterdir()) == []  # the feeds and open data were written there, then removed
    kept = _entries(project)
    (project / "stories" / "b.md").write_text(story_text(title="Kor på Snarøya", tags="raushet", place="Fornebu"),
                                              encoding="utf-8")
    site_build = sys.modules["storysite.site_build"].SiteBuild
    pages_done = []
    page_output = site_build.page_output

    def fails_after_some(self, output, page, finish):
        if len(pages_done) == 5:
            raise PluginError("en side kunne ikke skrives")
        pages_done.append(page)
        return page_output(self, output, page, finish)

    monkeypatch.setattr(site_build, "page_output", fails_after_some)
    assert build(project).error is not None
    assert list((tmp_path / "tmp").iterdir()) == []
    assert _entries(project) == kept  # none of the failed build's pages were kept, none of the last build's lost
