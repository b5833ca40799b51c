"""The benchmark's synthetic stories are valid stories, and both of its sites build (no timings here)."""

from __future__ import annotations

import sys

from conftest import ROOT, build

sys.path.insert(0, str(ROOT / "bench"))

import projects
import storygen

N = 30


def _generate(folder):
    return storygen.generate(folder, N, storygen.load_vocabulary(ROOT / "data" / "vocabulary.yml"))


def test_generated_stories_build_with_the_hooks(tmp_path):
    stories = _generate(tmp_path / "stories")
    site = build(projects.make_our_project(ROOT, tmp_path / "project", tmp_path / "stories"))
    assert site.error is None, site.error
    assert site.warnings() == []
    assert len(stories) == N
    assert len({s.slug for s in stories}) == N
    for story in stories:
        assert site.article(story.url) is not None, story.url
        assert story.title in site.article(story.url).get_text(), story.url
    assert any(s.picture for s in stories)


def test_generated_stories_use_every_value_place_and_focus_area(tmp_path):
    vocabulary = storygen.load_vocabulary(ROOT / "data" / "vocabulary.yml")
    stories = _generate(tmp_path / "stories")
    assert {v for s in stories for v in s.values} == set(vocabulary.values)
    assert {s.place for s in stories if s.place} == set(vocabulary.places)
    assert {f for s in stories for f in s.focus} == set(vocabulary.focus)


def test_generation_is_deterministic(tmp_path):
    _generate(tmp_path / "a")
    _generate(tmp_path / "b")
    first = {p.relative_to(tmp_path / "a"): p.read_bytes() for p in (tmp_path / "a").rglob("*") if p.is_file()}
    second = {p.relative_to(tmp_path / "b"): p.read_bytes() for p in (tmp_path / "b").rglob("*") if p.is_file()}
    assert first == second


def test_baseline_builds_the_same_stories_as_plain_pages(tmp_path):
    stories = _generate(tmp_path / "stories")
    ours = projects.make_our_project(ROOT, tmp_path / "ours", tmp_path / "stories")
    site = build(projects.make_baseline_project(ours, tmp_path / "baseline"))
    assert site.error is None, site.error
    for story in stories:
        assert site.exists(story.url), story.url
    assert not (tmp_path / "baseline" / "hooks").exists()
