"""The two projects the benchmark builds: ours (the repository with generated stories) and the baseline."""

from __future__ import annotations

import hashlib
import os
import re
import shutil
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
# Top-level entries of the repository that are not part of the site's build.
NOT_COPIED = {".git", ".github", ".ci", "bench", "tests", "stories", "site", ".cache", ".pytest_cache",
              ".hypothesis", ".ruff_cache", "__pycache__", ".venv", "venv", "node_modules"}


def clone(source: Path, dest: Path) -> None:
    """Copy a folder; pictures become hard links (no disk or time for N/10 pictures per project)."""
    def copy(src: str, dst: str) -> None:
        if src.endswith(".jpg"):
            try:
                os.link(src, dst)
                return
            except OSError:
                pass
        shutil.copy2(src, dst)

    shutil.copytree(source, dest, copy_function=copy, ignore=shutil.ignore_patterns("__pycache__"))


def fingerprint() -> str:
    """A short hash of the site's sources that ``ours`` copies (not the stories)."""
    digest = hashlib.sha1()
    for entry in sorted(e for e in ROOT.iterdir() if e.name not in NOT_COPIED):
        for path in sorted(entry.rglob("*")) if entry.is_dir() else [entry]:
            if path.is_file() and "__pycache__" not in path.parts:
                digest.update(path.relative_to(ROOT).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:8]


def ours(stories: Path, dest: Path) -> Path:
    """The repository's site sources (as they are now) with ``stories`` as its stories."""
    dest.mkdir(parents=True)
    for entry in ROOT.iterdir():
        if entry.name in NOT_COPIED:
            continue
        (clone if entry.is_dir() else shutil.copy2)(entry, dest / entry.name)
    clone(stories, dest / "stories")
    return dest


def baseline(stories: Path, dest: Path) -> Path:
    """``bench/baseline/`` with the stories as plain pages in ``docs/historier/``.

    A folder story's picture becomes a Markdown image at the top of its body (Material ignores ``image:``).
    """
    shutil.copytree(BENCH / "baseline", dest)
    icon = ROOT / "overrides" / "assets" / "images" / "favicon.svg"
    if icon.is_file():
        (dest / "docs" / "assets" / "images").mkdir(parents=True)
        shutil.copy2(icon, dest / "docs" / "assets" / "images")
    clone(stories, dest / "docs" / "historier")
    for page in (dest / "docs" / "historier").glob("*/index.md"):
        text = page.read_text(encoding="utf-8")
        image = re.search(r"^image: (.*)$", text, re.MULTILINE)
        alt = re.search(r'^image_alt: "(.*)"$', text, re.MULTILINE)
        if image:
            end = text.index("\n---\n", 3) + 5
            picture = f"![{alt.group(1) if alt else ''}]({image.group(1)})"
            page.write_text(f"{text[:end]}\n{picture}\n{text[end:]}", encoding="utf-8")
    return dest
