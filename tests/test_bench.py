"""The benchmark's synthetic stories are valid stories, and both of its sites build (no timings here)."""

from __future__ import annotations

import sys

import pytest
import yaml
from conftest import ROOT, build

sys.path.insert(0, str(ROOT / "bench"))

import sites
import storygen

N = 30
VOCABULARY = ROOT / "data" / "vocabulary.yml"


@pytest.fixture(scope="module")
def stories(tmp_path_factory):
    folder = tmp_path_factory.mktemp("bench") / "stories"
    return folder, storygen.generate(folder, N, VOCABULARY)


def test_generated_stories_build_with_the_hooks_without_warnings(stories, tmp_path):
    folder, generated = stories
    site = build(sites.ours(folder, tmp_path / "ours"))
    assert site.error is None, site.error
    assert site.warnings() == []
    assert len({s.slug for s in generated}) == N
    for story in generated:
        assert story.title in site.article(story.url).get_text(), story.url
    assert any(s.picture for s in generated)


def test_generated_stories_use_every_value_place_and_focus_area(stories):
    vocabulary = yaml.safe_load(VOCABULARY.read_text(encoding="utf-8"))
    _, generated = stories
    assert {v for s in generated for v in s.values} == {v["name"] for v in vocabulary["values"]}
    assert {s.place for s in generated if s.place} == {p["name"] for p in vocabulary["places"]}
    assert {f for s in generated for f in s.focus} == {f["key"] for f in vocabulary["focus"]}


def test_generation_is_deterministic(stories, tmp_path):
    folder, _ = stories
    storygen.generate(tmp_path, N, VOCABULARY)
    files = sorted(p.relative_to(folder) for p in folder.rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*") if p.is_file())
    assert all((folder / f).read_bytes() == (tmp_path / f).read_bytes() for f in files)


def test_baseline_builds_the_same_stories_as_plain_pages(stories, tmp_path):
    folder, generated = stories
    site = build(sites.baseline(folder, tmp_path / "baseline"))
    assert site.error is None, site.error
    assert site.warnings() == []
    for story in generated:
        assert story.title in site.article(story.url).get_text(), story.url
    assert not (tmp_path / "baseline" / "hooks").exists()


class _Loader(yaml.SafeLoader):
    """Reads ``!ENV [NAME, default]`` in mkdocs.yml as its default."""


_Loader.add_constructor("!ENV", lambda loader, node: loader.construct_sequence(node)[-1]
                        if isinstance(node, yaml.SequenceNode) else None)


def _settings(path):
    config = yaml.load(path.read_text(encoding="utf-8"), Loader=_Loader)
    theme = {key: value for key, value in config["theme"].items() if key != "custom_dir"}
    search = [p for p in config["plugins"] if p == "search" or (isinstance(p, dict) and "search" in p)]
    return theme, config["markdown_extensions"], search


def test_baseline_config_has_our_theme_markdown_and_search_settings():
    assert _settings(ROOT / "bench" / "baseline" / "mkdocs.yml") == _settings(ROOT / "mkdocs.yml")
