"""The editors' commands: `new` makes a story that passes once filled in, `check` says what is wrong."""

from __future__ import annotations

import datetime
import os
import subprocess
import sys

from conftest import ROOT, build, make_project, story_text

ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}


def run(project, *args):
    return subprocess.run([sys.executable, "-m", "hooks.storysite", *args], check=False, cwd=project, capture_output=True,
                          text=True, env=ENV)


def test_new_story_is_made_from_the_title_then_published_once_filled(tmp_path):
    project = make_project(tmp_path, {})
    before = datetime.date.today()
    result = run(project, "new", "Kafé på Østerås: «alle» er velkomne")
    after = datetime.date.today()  # the command may run across midnight
    assert result.returncode == 0, result.stderr
    path = project / "stories" / "kafe-pa-osteras-alle-er-velkomne.md"
    assert result.stdout.startswith("Laget stories/kafe-pa-osteras-alle-er-velkomne.md.")
    text = path.read_text(encoding="utf-8")
    assert 'title: "Kafé på Østerås: «alle» er velkomne"' in text
    assert f"date: {before.isoformat()}" in text or f"date: {after.isoformat()}" in text
    for key in ("description:", "authors:", "tags:", "place:", "focus:", "consent:", "image:", "draft: true"):
        assert f"\n{key}" in text, key

    unfilled = run(project, "check")
    assert unfilled.returncode == 1
    assert "stories/kafe-pa-osteras-alle-er-velkomne.md:6: description: feltet er tomt." in unfilled.stderr

    filled = (text.replace("\ndescription:", "\ndescription: Naboer møtes til kaffe.")
              .replace("\nauthors:", "\nauthors: Kari Nordmann").replace("\ntags:", "\ntags: [raushet]")
              .replace("\nplace:", "\nplace: Østerås").replace("\nconsent:", "\nconsent: Saksnr. 2026/1")
              .replace("draft: true", "draft: false"))
    path.write_text(filled, encoding="utf-8")
    checked = run(project, "check")
    assert checked.returncode == 0, checked.stderr
    assert checked.stdout == "Alt i orden: 1 historie sjekket.\n"
    site = build(project)
    assert site.error is None, site.errors()
    assert site.card_titles("steder/osteras/") == ["Kafé på Østerås: «alle» er velkomne"]


def test_new_refuses_to_overwrite_a_story(tmp_path):
    project = make_project(tmp_path, {"min-historie/index.md": story_text()})
    result = run(project, "new", "Min historie")
    assert result.returncode == 1
    assert "stories/min-historie/index.md finnes allerede." in result.stderr
    assert not (project / "stories" / "min-historie.md").exists()


def test_check_reports_the_same_messages_as_the_build(tmp_path):
    project = make_project(tmp_path, {"a.md": story_text(tags="bærekraftig"), "b.md": story_text(place="Sandvikaa"),
                                      "ok.md": story_text()})
    result = run(project, "check")
    assert result.returncode == 1
    site = build(project)
    build_lines = [line for line in site.errors().splitlines() if line.startswith("  stories/")]
    check_lines = [line for line in result.stderr.splitlines() if line.startswith("  stories/")]
    assert check_lines == build_lines and len(check_lines) == 2
    assert "Traceback" not in result.stderr


def test_check_given_files_checks_only_those(tmp_path):
    project = make_project(tmp_path, {"a.md": story_text(tags="bærekraftig"), "ok.md": story_text(),
                                      "_mal.md": "ikke en historie"})
    good = run(project, "check", "stories/ok.md", "stories/_mal.md")
    assert good.returncode == 0, good.stderr
    bad = run(project, "check", "stories/a.md")
    assert bad.returncode == 1
    assert "stories/a.md:6: tags:" in bad.stderr


def test_check_of_many_stories_counts_them_and_reports_every_problem(tmp_path):
    stories = {f"s{i:03d}.md": story_text(title=f"Historie {i}", body="Tekst.\n" * 30) for i in range(300)}
    project = make_project(tmp_path, stories)
    good = run(project, "check")
    assert good.returncode == 0, good.stderr
    assert good.stdout == "Alt i orden: 300 historier sjekket.\n"
    for i in (7, 150, 299):
        (project / "stories" / f"s{i:03d}.md").write_text(story_text(tags="vennlighet"), encoding="utf-8")
    bad = run(project, "check")
    assert bad.returncode == 1
    lines = bad.stderr.splitlines()
    assert lines[0] == "Fant 3 problemer i 3 filer:"
    assert [line.split(":")[0].strip() for line in lines[1:]] == [
        "stories/s007.md", "stories/s150.md", "stories/s299.md"]


def test_contributing_guide_tables_are_current_and_published(real_site):
    import yaml

    sys.path.insert(0, str(ROOT / "hooks"))
    from storysite import guide, vocabulary

    vocab = vocabulary.load(ROOT / "data" / "vocabulary.yml")
    text = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
    assert guide.fill(text, vocab) == text, "run: python -m hooks.storysite guide"
    page = real_site.article("bidra/redaksjon/")
    cells = [td.get_text(strip=True) for td in page.select("td")]
    for value in yaml.safe_load((ROOT / "data" / "vocabulary.yml").read_text(encoding="utf-8"))["values"]:
        assert value["name"] in cells
    assert "consent" in cells and "image_alt" in cells
