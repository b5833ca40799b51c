"""The story cache between builds: a second build gives the same site, a changed story is read again,
a cache file that this machine did not sign is ignored, and nothing is cached in the project folder."""

from __future__ import annotations

import json
import os
import sys
import time

from conftest import build, make_project, story_text
from storysite import caches


def _pages(site) -> dict[str, str]:
    return {p.relative_to(site.site_dir).as_posix(): p.read_text(encoding="utf-8")
            for p in sorted(site.site_dir.rglob("*.html"))}


def test_a_second_build_reads_the_cache_and_gives_the_same_site(tmp_path):
    project = make_project(tmp_path, {"a.md": story_text(title="A", tags="raushet"),
                                      "b.md": story_text("<script>alert(1)</script>\n", title="B")})
    first = build(project, strict=False)
    assert first.error is not None  # b is refused, and that is cached too
    (project / "stories" / "b.md").write_text(story_text(title="B"), encoding="utf-8")
    second = build(project)
    assert second.error is None, second.errors()
    _signature, payload = (caches.project(project) / "stories.json").read_bytes().split(b"\n", 1)
    assert len(json.loads(payload)["entries"]) == 2
    pages = _pages(second)
    third = build(project)
    assert _pages(third) == pages


def test_a_second_build_renders_no_body_again_its_html_comes_from_the_cache(tmp_path, monkeypatch):
    project = make_project(tmp_path, {"a.md": story_text("Et avsnitt med **fet** tekst.\n", title="A")})
    first = build(project)
    assert first.error is None, first.errors()
    pages = _pages(first)
    assert any("<strong>fet</strong>" in html for html in pages.values())

    def rendered_again(*args, **kwargs):
        raise AssertionError("a body was rendered again")

    # The build's own copy of the story code, as the hook imported it for the first build.
    monkeypatch.setattr(sys.modules["storysite.body"], "render", rendered_again)
    second = build(project)
    assert second.error is None, second.errors()
    assert _pages(second) == pages


def test_a_changed_story_is_read_again(tmp_path):
    project = make_project(tmp_path, {"a.md": story_text(title="Første tittel")})
    assert build(project).card_titles("historier/") == ["Første tittel"]
    path = project / "stories" / "a.md"
    path.write_text(story_text(title="Andre tittel"), encoding="utf-8")
    os.utime(path, ns=(path.stat().st_atime_ns, path.stat().st_mtime_ns + 1_000_000))
    assert build(project).card_titles("historier/") == ["Andre tittel"]


def test_a_cache_file_this_machine_did_not_sign_is_ignored(tmp_path):
    project = make_project(tmp_path, {"a.md": story_text(title="Ærlig tittel")})
    assert build(project).error is None
    file = caches.project(project) / "stories.json"
    signature, payload = file.read_bytes().split(b"\n", 1)
    forged = payload.replace(json.dumps("Ærlig tittel").encode(), json.dumps("<script>alert(1)</script>").encode())
    assert forged != payload
    file.write_bytes(signature + b"\n" + forged)
    site = build(project)
    assert site.card_titles("historier/") == ["Ærlig tittel"]
    assert "<script>alert(1)" not in site.path("historier/a/").read_text(encoding="utf-8")


def test_a_cache_folder_in_the_project_is_neither_read_nor_written(tmp_path):
    """A pull request can bring a .cache/ (git add -f), with a symbolic link out of the project in it."""
    project = make_project(tmp_path, {"a.md": story_text(title="A")})
    victim = tmp_path / "utenfor.txt"
    victim.write_text("urørt", encoding="utf-8")
    planted = project / ".cache"
    (planted / "pages").mkdir(parents=True)
    for name in ("stories.json", "stories.part", "pictures", "templates"):
        (planted / name).symlink_to(victim)
    site = build(project)
    assert site.error is None, site.errors()
    assert victim.read_text(encoding="utf-8") == "urørt"
    assert sorted(p.name for p in planted.iterdir()) == ["pages", "pictures", "stories.json", "stories.part",
                                                       "templates"]
    assert not list((planted / "pages").iterdir())


def test_a_stopped_builds_temporary_file_is_removed_and_a_running_ones_is_not(tmp_path):
    project = make_project(tmp_path, {"a.md": story_text(title="A")})
    folder = caches.project(project)
    folder.mkdir(parents=True, exist_ok=True)
    stopped, running = folder / "stories.111.part", folder / "stories.222.part"
    for file in (stopped, running):
        file.write_bytes(b"halvskrevet")
    two_hours_ago = time.time() - 7200
    os.utime(stopped, (two_hours_ago, two_hours_ago))
    assert build(project).error is None
    assert not stopped.exists() and running.exists()
    assert (folder / "stories.json").is_file()
