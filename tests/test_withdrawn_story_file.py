"""A withdrawn story's file keeps nothing that says who or what it was, and what ``withdraw`` leaves
is a valid story: ``check`` passes and the site builds, with only the tombstone at its address."""

from __future__ import annotations

from conftest import build, make_project, story_text
from test_commands import run
from test_editors import _withdrawable

UNIQUE = "Hagen på Hosle"


def test_what_withdraw_leaves_passes_check_and_builds_with_only_the_tombstone(tmp_path):
    project = _withdrawable(tmp_path)
    assert run(project, "withdraw", "hagen", "--date", "2026-11-30").returncode == 0
    checked = run(project, "check")
    assert checked.returncode == 0, checked.stdout + checked.stderr
    site = build(project)
    assert site.error is None, site.errors()
    tombstone = site.path("historier/hagen/").read_text(encoding="utf-8")
    assert "Historien er trukket tilbake" in tombstone and UNIQUE not in tombstone
    assert not any(UNIQUE in path.read_text(encoding="utf-8", errors="replace")
                   for path in site.site_dir.rglob("*") if path.is_file() and path.suffix in {".html", ".xml", ".json",
                                                                                             ".csv"})


def test_a_withdrawn_story_with_its_fields_text_or_files_left_names_what_to_delete(tmp_path):
    withdrawn = ('---\ntitle: "Hagen på Hosle"\nauthors: Kari\nconsent: "Saksnr. 1"\nwithdrawn: 2026-11-30\n---\n\n'
                 "Hele teksten om Kari.\n")
    project = make_project(tmp_path, {"hagen/index.md": withdrawn, "hagen/bilde.jpg": b"x",
                                      "nabo.md": story_text(title="Naboen")})
    result = run(project, "check")
    assert result.returncode == 1
    said = result.stdout + result.stderr
    assert ("stories/hagen/index.md:5: withdrawn: feltene title og authors skal slettes når samtykket er trukket "
            "tilbake.") in said
    assert "stories/hagen/index.md:8: tekst: teksten skal slettes når samtykket er trukket tilbake." in said
    assert "stories/hagen/index.md: fil: historien er trukket tilbake, men mappen har fortsatt «bilde.jpg»." in said
    assert "feltet mangler" not in said  # a withdrawn story is not asked for the fields it must not keep
    assert build(project).error is not None
