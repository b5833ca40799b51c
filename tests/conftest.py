"""Shared fixtures: build a small real site from its own stories into a temporary folder."""

from __future__ import annotations

import logging
import os
import shutil
import sys
import tempfile
import textwrap
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

ROOT = Path(__file__).resolve().parent.parent
PROJECT_PARTS = ("mkdocs.yml", "docs", "hooks", "overrides", "data", "CONTRIBUTING.md")

sys.path.insert(0, str(ROOT / "hooks"))
# The build's caches live in the user's cache folder (storysite/caches.py): the tests use a fresh one,
# so no test reuses what another run, or the developer's own previews, left there.
os.environ["XDG_CACHE_HOME"] = tempfile.mkdtemp(prefix="sammen-test-cache-")


def story_text(body: str = "Dette er historien.\n", **fields) -> str:
    """A story file: valid defaults, overridden by ``fields`` (a value of None drops the key)."""
    values = {
        "title": "En historie",
        "description": "En kort ingress om historien.",
        "date": "2020-05-17",
        "authors": "Kari Nordmann",
        "tags": "raushet",
        "consent": "Saksnr. 2020/1",
    }
    values.update(fields)
    lines = ["---"]
    for key, value in values.items():
        if value is None:
            continue
        if isinstance(value, (list, tuple)):
            value = "[" + ", ".join(value) + "]"
        lines.append(f"{key}: {value}")
    lines.append("---")
    return "\n".join(lines) + "\n\n" + textwrap.dedent(body)


@dataclass
class Site:
    """A built site: its folder, the build's log and helpers to read what a reader gets."""

    root: Path
    site_dir: Path
    log: list[logging.LogRecord] = field(default_factory=list)
    error: str | None = None

    def path(self, url: str) -> Path:
        url = url.strip("/")
        candidate = self.site_dir / url
        return candidate / "index.html" if not url or candidate.is_dir() else candidate

    def exists(self, url: str) -> bool:
        return self.path(url).is_file()

    def html(self, url: str) -> BeautifulSoup:
        return BeautifulSoup(self.path(url).read_text(encoding="utf-8"), "html.parser")

    def article(self, url: str):
        return self.html(url).select_one("article.md-content__inner")

    def card_titles(self, url: str) -> list[str]:
        return [a.get_text(strip=True) for a in self.article(url).select(".story-card__title a")]

    def errors(self) -> str:
        """What the build printed as errors (MkDocs logs a PluginError, then aborts)."""
        return "\n".join(r.getMessage() for r in self.log if r.levelno >= logging.ERROR)

    def warnings(self) -> list[str]:
        return [r.getMessage() for r in self.log if r.levelno >= logging.WARNING]

    def all_output(self) -> str:
        parts = []
        for file in sorted(self.site_dir.rglob("*")):
            if file.is_file() and file.suffix in (".html", ".xml", ".json", ".txt", ".js", ".css"):
                parts.append(file.read_text(encoding="utf-8", errors="replace"))
        return "\n".join(parts)


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


def make_project(tmp: Path, stories: dict[str, str | bytes] | None) -> Path:
    """Copy the project (without its stories) into ``tmp`` and write ``stories`` there."""
    project = tmp / "project"
    project.mkdir()
    for part in PROJECT_PARTS:
        source = ROOT / part
        if not source.exists():
            continue
        if source.is_dir():
            shutil.copytree(source, project / part, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(source, project / part)
    if stories is None:
        shutil.copytree(ROOT / "stories", project / "stories")
    else:
        (project / "stories").mkdir()
        shutil.copy2(ROOT / "stories" / "_mal.md", project / "stories" / "_mal.md")  # the template is not a story
        for name, content in stories.items():
            target = project / "stories" / name
            target.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(content, bytes):
                target.write_bytes(content)
            else:
                target.write_text(content, encoding="utf-8")
    return project


def build(project: Path, *, strict: bool = True) -> Site:
    """Build ``project`` with MkDocs' own build function; record the log and any build error."""
    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.config import load_config
    from mkdocs.exceptions import MkDocsException

    site_dir = project / "site"
    handler = _Collect()
    logger = logging.getLogger("mkdocs")
    logger.addHandler(handler)
    site = Site(project, site_dir)
    try:
        config = load_config(config_file=str(project / "mkdocs.yml"), site_dir=str(site_dir), strict=strict)
        mkdocs_build(config)
    except MkDocsException as error:
        site.error = str(error)
    finally:
        logger.removeHandler(handler)
        site.log = handler.records
    return site


@pytest.fixture
def build_site(tmp_path):
    """Build a site from the given stories (or, with None, from the project's own stories)."""

    def run(stories: dict[str, str | bytes] | None, *, strict: bool = True) -> Site:
        return build(make_project(tmp_path, stories), strict=strict)

    return run


@pytest.fixture(scope="session")
def real_site(tmp_path_factory) -> Site:
    """The project's own stories, built once for the session."""
    site = build(make_project(tmp_path_factory.mktemp("real"), None))
    assert site.error is None, site.error
    return site


def make_story(slug: str, vocabulary, **fields):
    """A valid ``Story`` built directly (no file), for tests of the plain-Python page data."""
    import datetime

    from storysite.story import Story

    values = {
        "slug": slug, "source": f"stories/{slug}.md", "title": slug.capitalize(), "description": f"Om {slug}.",
        "date": datetime.date(2020, 1, 1), "authors": ("Kari Nordmann",), "values": (vocabulary.values[0],),
        "place": None, "focus": (), "picture": None, "featured": False, "draft": False, "words": 1,
        "body_line": 10, "html": "<p>Tekst.</p>",
    }
    values.update(fields)
    return Story(**values)
