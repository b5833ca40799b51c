"""`mkdocs serve` as staff use it: drafts show, broken stories never freeze the preview, hooks reload."""

from __future__ import annotations

import inspect
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from urllib.parse import urlparse

import pytest
import yaml
from bs4 import BeautifulSoup
from conftest import build, make_project, story_text


class Preview:
    def __init__(self, project, port: int, base: str) -> None:
        self.project = project
        self.root = f"http://127.0.0.1:{port}{base}"

    def get(self, path: str = "", timeout: float = 10.0) -> tuple[int, str]:
        """Fetch a page; a server that does not answer within ``timeout`` fails the test. A hung server
        never answers, so the limit only has to be far above a loaded machine's slowest answer."""
        try:
            with urllib.request.urlopen(self.root + path, timeout=timeout) as response:
                return response.status, response.read().decode("utf-8")
        except urllib.error.HTTPError as error:
            return error.code, ""

    def page(self, path: str = "") -> BeautifulSoup:
        status, text = self.get(path)
        assert status == 200, path
        return BeautifulSoup(text, "html.parser")

    def wait_for(self, check, path: str = "", seconds: float = 60) -> BeautifulSoup:
        """Poll until ``check(page)`` holds; the rebuild after a save takes a moment."""
        deadline = time.monotonic() + seconds
        while True:
            status, text = self.get(path, timeout=10)
            page = BeautifulSoup(text, "html.parser")
            if status == 200 and check(page):
                return page
            assert time.monotonic() < deadline, f"{path}: not updated within {seconds} s"
            time.sleep(0.2)

    def write(self, name: str, text: str) -> None:
        (self.project / "stories" / name).write_text(text, encoding="utf-8")


def banner(page: BeautifulSoup):
    return page.select_one(".problem-banner")


@pytest.fixture
def preview(tmp_path):
    started = []

    def start(stories: dict[str, str], *options: str) -> Preview:
        project = make_project(tmp_path, stories)
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        config = yaml.load((project / "mkdocs.yml").read_text(encoding="utf-8"), Loader=yaml.BaseLoader)
        site_url = config.get("site_url", "/")
        site_url = site_url[-1] if isinstance(site_url, list) else site_url  # !ENV [SITE_URL, default]
        base = urlparse(site_url).path or "/"
        process = subprocess.Popen(
            [sys.executable, "-m", "mkdocs", "serve", *options, "-a", f"127.0.0.1:{port}"],
            cwd=project, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            env={**os.environ, "NO_MKDOCS_2_WARNING": "1"}, start_new_session=True)
        started.append(process)
        server = Preview(project, port, base)
        deadline = time.monotonic() + 60
        while True:
            assert process.poll() is None, "mkdocs serve stopped"
            try:
                if server.get("", timeout=5)[0] == 200:
                    return server
            except OSError:
                pass
            assert time.monotonic() < deadline, "mkdocs serve did not start"
            time.sleep(0.2)

    yield start
    for process in started:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=10)


def test_broken_story_keeps_the_preview_alive_with_a_banner_until_fixed(preview):
    server = preview({"a.md": story_text(title="Historie A"), "b.md": story_text(title="Historie B")})
    assert banner(server.page()) is None

    server.write("a.md", story_text(title="Historie A", tags="bærekraftig"))
    server.wait_for(lambda page: banner(page) is not None)
    for path in ("", "historier/", "historier/b/", "verdier/raushet/"):
        page = server.page(path)  # answers within a second
        items = [li.get_text(" ", strip=True) for li in banner(page).select("li")]
        assert len(items) == 1
        assert items[0].startswith("stories/a.md:6 tags : «bærekraftig» er ikke en av verdiene")
        assert "Mente du «bærekraft»?" in items[0]
    assert server.page("historier/a/").h1.get_text() == "Historien har feil"  # its problems, at its address
    assert [a.get_text() for a in server.page("historier/").select(".story-card__title a")] == ["Historie B"]

    server.write("a.md", story_text(title="Historie A"))
    page = server.wait_for(lambda page: banner(page) is None, "historier/")
    assert sorted(a.get_text() for a in page.select(".story-card__title a")) == ["Historie A", "Historie B"]


def test_preview_starts_even_when_a_story_is_broken(preview):
    server = preview({"a.md": story_text(date="2015-02-30"), "b.md": story_text(title="Frisk")})
    items = banner(server.page()).select("li")
    assert [li.code.get_text() for li in items] == ["stories/a.md:4"]


def test_drafts_show_in_the_preview_marked_and_never_in_a_build(preview):
    stories = {"utkast.md": story_text(title="Mitt utkast", draft="true"), "ferdig.md": story_text(title="Ferdig")}
    server = preview(stories)
    page = server.page("historier/utkast/")
    assert "Utkast" in page.select_one(".story__header .draft-badge").get_text()
    cards = server.page("historier/").select(".story-card")
    draft_card = next(c for c in cards if c.select_one(".story-card__title").get_text(strip=True) == "Mitt utkast")
    assert draft_card.select_one(".draft-badge").get_text() == "Utkast"

    site = build(server.project)
    assert site.error is None
    assert not site.exists("historier/utkast/")
    assert "Mitt utkast" not in site.all_output()


def test_a_change_in_a_hook_module_shows_on_the_next_rebuild(preview):
    server = preview({"a.md": story_text(title="Historie A")})
    assert server.page("historier/").h1.get_text() == "Alle historier"
    module = server.project / "hooks" / "storysite" / "catalogue.py"
    module.write_text(module.read_text(encoding="utf-8").replace('"Alle historier"', '"Alle fortellingene"'),
                      encoding="utf-8")
    server.wait_for(lambda page: page.h1 and page.h1.get_text() == "Alle fortellingene", "historier/")


def test_incremental_preview_refreshes_every_page_that_shows_an_edited_story(preview):
    """`mkdocs serve --dirty` rebuilds only pages whose data changed; those must all be fresh."""
    server = preview({"a.md": story_text(title="Gammel tittel", tags="raushet", place="Jar", featured="true"),
                      "b.md": story_text(title="Nabo", tags="raushet", place="Jar")}, "--dirty")
    server.write("a.md", story_text(title="Ny tittel", tags="raushet", place="Jar", featured="true"))

    def shows_new_title(page):
        return "Ny tittel" in page.get_text() and "Gammel tittel" not in page.get_text()

    for path in ("historier/a/", "historier/b/", "verdier/raushet/", "steder/jar/", "historier/", ""):
        server.wait_for(shows_new_title, path)
    server.write("b.md", story_text(title="Nabo", tags="raushetx"))
    server.wait_for(lambda page: banner(page) is not None, "visjonen/")
    server.write("b.md", story_text(title="Nabo", tags="raushet"))
    server.wait_for(lambda page: banner(page) is None, "visjonen/")


def test_dirty_preview_refreshes_counts_and_cards_when_an_older_story_changes_focus_value_and_place(preview):
    """An older story (not on the front page's newest list) moves from one focus area, value and place
    to others: every page that shows a count or a card of it must change, the front page included."""
    old = {"title": "Eldre historie", "date": "2015-01-01", "tags": "raushet", "place": "Jar", "focus": "identitet"}
    newer = {f"n{i}.md": story_text(title=f"Nyere {i}", date=f"2020-01-0{i + 1}", tags="mangfold") for i in range(7)}
    server = preview({"eldre.md": story_text(**old), **newer}, "--dirty")

    def focus_counts(page):
        return {li.a["href"].strip("/").split("/")[-1]: li.get_text(" ", strip=True).split("(")[1].split(")")[0]
                for li in page.select(".focus-list li")}

    assert focus_counts(server.page(""))["identitet"] == "1 historie"
    # First the focus area alone: nothing else the front page shows changes.
    server.write("eldre.md", story_text(**{**old, "focus": "styring"}))

    def moved(page):
        counts = focus_counts(page)
        return counts["identitet"] == "0 historier" and counts["styring"] == "1 historie"

    server.wait_for(moved, "")
    server.wait_for(moved, "satsingsomrader/")
    server.write("eldre.md", story_text(**{**old, "tags": "bærekraft", "place": "Grav", "focus": "styring"}))
    def tiles(page):
        return {t.select_one(".value-tile__name").get_text(strip=True): t.select_one(".value-tile__count").get_text()
                for t in page.select(".value-tile")}

    server.wait_for(lambda page: tiles(page) == {"Mangfold": "7 historier", "Raushet": "0 historier",
                                                 "Bærekraft": "1 historie"}, "")

    def titles(page):
        return [a.get_text(strip=True) for a in page.select(".story-card__title a")]

    server.wait_for(lambda page: titles(page) == ["Eldre historie"], "verdier/barekraft/")
    server.wait_for(lambda page: titles(page) == [], "verdier/raushet/")
    server.wait_for(lambda page: titles(page) == ["Eldre historie"], "satsingsomrader/styring/")
    server.wait_for(lambda page: titles(page) == [], "satsingsomrader/identitet/")
    server.wait_for(lambda page: titles(page) == ["Eldre historie"], "steder/grav/")
    server.wait_for(lambda page: "Grav" in page.get_text() and "Jar" not in page.get_text(), "steder/")
    story = server.wait_for(lambda page: "Grav" in page.select_one(".story-meta").get_text(), "historier/eldre/")
    assert "Styring og ledelse" in story.select_one(".story-meta").get_text()


def test_withdrawing_a_story_in_the_preview_replaces_its_page_and_empties_its_lists(preview):
    server = preview({"hagen.md": story_text(title="Hagen", tags="raushet", place="Jar"),
                      "nabo.md": story_text(title="Naboen", tags="mangfold")})
    assert "Hagen" in server.page("historier/hagen/").h1.get_text()
    server.write("hagen.md", "---\nconsent: Saksnr. 2020/1\nwithdrawn: 2026-11-30\n---\n")  # as withdraw leaves it
    page = server.wait_for(lambda page: page.h1 and page.h1.get_text() == "Historien er trukket tilbake",
                           "historier/hagen/")
    assert "Hagen" not in page.select_one("article").get_text()
    server.wait_for(lambda page: [a.get_text(strip=True) for a in page.select(".story-card__title a")] == ["Naboen"],
                    "historier/")
    server.wait_for(lambda page: "Jar" not in page.select_one("article").get_text(), "steder/")


def test_a_broken_storys_address_lists_its_problems_in_the_preview(preview):
    server = preview({"hagen.md": story_text(tags="vennlighet", date="31.05.2025")})
    page = server.page("historier/hagen/")
    assert page.h1.get_text() == "Historien har feil"
    items = [" ".join(li.get_text(" ").split()) for li in page.select(".story-problems li")]
    assert items == [
        "stories/hagen.md:4 date : «31.05.2025» er ikke en dato på formen ÅÅÅÅ-MM-DD. Skriv 2025-05-31.",
        "stories/hagen.md:6 tags : «vennlighet» er ikke en av verdiene. Velg blant: mangfold, raushet, bærekraft.",
    ]


def test_drafts_are_left_out_of_the_previews_feeds(preview):
    server = preview({"utkast.md": story_text(title="Et utkast", draft="true"),
                      "ferdig.md": story_text(title="Ferdig")})
    assert server.page("historier/utkast/").h1 is not None  # the draft itself is shown, marked
    status, feed = server.get("feed.xml")
    assert status == 200 and "Ferdig" in feed and "Et utkast" not in feed


def test_the_open_data_follows_an_edited_story_in_a_dirty_preview(preview):
    """The open data keeps each unchanged story's rows from the last rebuild (``opendata._rows``): an
    edited story's rows must be written afresh, in the JSON and in the CSV."""
    server = preview({"a.md": story_text(title="Gammel tittel"), "b.md": story_text(title="Nabo")}, "--dirty")
    assert "Gammel tittel" in server.get("data/historier.json")[1]
    server.write("a.md", story_text(title="Ny tittel", date="2021-01-01"))
    deadline = time.monotonic() + 60
    while "Ny tittel" not in server.get("data/historier.csv")[1]:
        assert time.monotonic() < deadline, "data/historier.csv: not updated within 60 s"
        time.sleep(0.2)
    rows = json.loads(server.get("data/historier.json")[1])
    assert [(row["slug"], row["title"], row["date"]) for row in rows] == [("a", "Ny tittel", "2021-01-01"),
                                                                         ("b", "Nabo", "2020-05-17")]
    lines = server.get("data/historier.csv")[1].splitlines()
    assert [line.split(",")[0] for line in lines] == ["slug", "a", "b"] and "Gammel tittel" not in lines[1]


def test_serve_polls_every_watched_path_more_often_than_mkdocs(tmp_path, monkeypatch):
    """MkDocs' own ``serve`` command, stopped where it would start serving: every path it watches
    (``docs/``, ``mkdocs.yml`` and ``watch:``) polls at the site's interval, not at MkDocs' 0.5 s, and
    waits the site's shorter delay before a rebuild."""
    from mkdocs.commands import serve
    from mkdocs.livereload import LiveReloadServer
    from storysite import watching

    project = make_project(tmp_path, {"a.md": story_text(title="Historie A")})
    seen: dict = {}

    def stop_before_serving(server: LiveReloadServer, open_in_browser: bool = False) -> None:
        seen["polls"] = {emitter.watch.raw_path: emitter.timeout for emitter in server.observer.emitters}
        seen["build_delay"] = server.build_delay
        raise KeyboardInterrupt  # what Ctrl-C does: MkDocs shuts the server down and removes its folder

    monkeypatch.setattr(LiveReloadServer, "serve", stop_before_serving)
    monkeypatch.setenv("NO_MKDOCS_2_WARNING", "1")
    monkeypatch.chdir(project)
    serve.serve(config_file=str(project / "mkdocs.yml"), build_type="dirty")

    mkdocs_interval = inspect.signature(LiveReloadServer).parameters["polling_interval"].default
    assert mkdocs_interval > watching.POLLING_INTERVAL
    assert seen["polls"] == {str(project / name): watching.POLLING_INTERVAL
                             for name in ("docs", "mkdocs.yml", "stories", "hooks", "overrides", "data")}
    assert seen["build_delay"] == watching.BUILD_DELAY < 0.1


def test_a_server_unlike_mkdocs_own_keeps_its_polling(tmp_path):
    """A watch made on the observer itself (not through ``watch``) cannot be made again as it was:
    every watch then stays as MkDocs made it. Through ``watch`` alone, every watch moves, and ``unwatch``
    still finds each one."""
    from mkdocs.livereload import LiveReloadServer
    from storysite import watching
    from watchdog.events import FileSystemEventHandler

    for name in ("docs", "stories"):
        (tmp_path / name).mkdir()
    (tmp_path / "mkdocs.yml").write_text("site_name: x\n", encoding="utf-8")

    def server_watching(*names: str) -> LiveReloadServer:
        server = LiveReloadServer(builder=lambda: None, host="127.0.0.1", port=0, root=str(tmp_path))
        for name in names:
            server.watch(str(tmp_path / name))
        return server

    def polls(server: LiveReloadServer) -> dict[str, float]:
        return {emitter.watch.raw_path: emitter.timeout for emitter in server.observer.emitters}

    server = server_watching("docs", "mkdocs.yml")
    server.observer.schedule(FileSystemEventHandler(), str(tmp_path / "stories"), recursive=True)
    before, observer = polls(server), server.observer
    assert not watching.poll_every(server, 0.2)
    assert server.observer is observer and polls(server) == before == dict.fromkeys(before, 0.5)
    server.server_close()

    server = server_watching("docs", "mkdocs.yml")
    assert watching.poll_every(server, 0.2)
    assert polls(server) == {str(tmp_path / "docs"): 0.2, str(tmp_path / "mkdocs.yml"): 0.2}
    server.unwatch(str(tmp_path / "docs"))
    server.watch(str(tmp_path / "stories"))
    assert polls(server) == {str(tmp_path / "mkdocs.yml"): 0.2, str(tmp_path / "stories"): 0.2}
    server.server_close()
