"""Bounded work per story: the worst bodies we can make for each limit, checked with ``check``.

    python bench/budgets.py            # every shape: a Markdown table of time, peak memory and outcome

Each shape is a story whose body is as long as a story may be (``MAX_CHARACTERS``) and built to make
one part of reading it as slow or as large as it can: the HTML parser's copies of formatting elements
left open (with and without attributes), deep nesting, lists, quotes, link references, attributes,
emphasis and brackets, tables Markdown fills in, hidden text. Each is checked by
``python -m hooks.storysite check`` in a fresh project, in a process of its own started by a small
launcher, so its wall time and peak memory (``ru_maxrss`` of that process alone) are its own.
``tests/test_budgets.py`` runs the same shapes against ``TIME_LIMIT`` and ``MEMORY_LIMIT``.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MAX_CHARACTERS = 59_990  # a body just under the 60,000 characters a story may have
TIME_LIMIT = 10.0  # seconds for one `check` of one story
MEMORY_LIMIT = 500  # MB of peak memory for it
PROJECT_PARTS = ("mkdocs.yml", "hooks", "data")

FRONT_MATTER = """---
title: En historie
description: En kort ingress om historien.
date: 2020-05-17
authors: Kari Nordmann
tags: raushet
consent: Saksnr. 2020/1
---
"""


def _fill(head: str, unit: str, tail: str = "") -> str:
    """``head``, then ``unit`` as many times as fits, then ``tail``: ``MAX_CHARACTERS`` at most."""
    room = MAX_CHARACTERS - len(head) - len(tail)
    return head + unit * (room // len(unit)) + tail


def _half(first: Callable[[int], str], second: str) -> str:
    """The first half from ``first(i)`` for i = 0, 1, …; the second half ``second`` repeated."""
    parts, size, i = [], 0, 0
    while size < MAX_CHARACTERS // 2:
        parts.append(first(i))
        size += len(parts[-1])
        i += 1
    return _fill("".join(parts), second)


def _references() -> str:
    parts, size, i = [], 0, 0
    while True:
        piece = f"[r{i}]: https://x.example/{i}\n[r{i}] "
        if size + len(piece) > MAX_CHARACTERS:
            return "".join(parts)
        parts.append(piece)
        size += len(piece)
        i += 1


# name: (what it tries, the body). Every body is at most MAX_CHARACTERS long.
SHAPES: dict[str, tuple[str, Callable[[], str]]] = {
    "prose": ("ordinary paragraphs (the linear reference)",
              lambda: _fill("", "Dette er en vanlig setning i en lang historie om Bærum. " * 8 + "\n\n")),
    "misnested-attributes": ("formatting elements with attributes left open, then paragraphs",
                             lambda: _half(lambda i: f'<b title="{i}"><i title="{i}">', "<p>x")),
    "misnested": ("14 kinds of formatting element left open, three times, then paragraphs",
                  lambda: _fill("<b><i><s><u><em><strong><code><small><a><big><font><nobr><strike><tt>" * 3, "<p>x")),
    "open-in-list": ("a formatting element left open in every list item", lambda: _fill("", "- <b>x\n")),
    "misnested-order": ("formatting elements closed in the wrong order", lambda: _fill("", "<b><i>x</b></i>")),
    "nested-divs": ("HTML elements inside each other", lambda: _fill("", "<div>")),
    "nested-spans": ("inline elements inside each other, then paragraphs", lambda: _half(lambda i: "<span>", "<p>x")),
    "nested-lists": ("Markdown lists inside each other", lambda: _fill("", "- ", "x\n")),
    "nested-ordered-lists": ("numbered lists inside each other", lambda: _fill("", "1. ", "x\n")),
    "blockquotes": ("quotes inside each other", lambda: _fill("", "> ", "x\n")),
    "link-references": ("link reference definitions, each used", _references),
    "unused-references": ("link reference definitions no link uses",
                          lambda: _half(lambda i: f"[u{i}]: https://x.example/{i}\n", "[x] ")),
    "attributes": ("one tag with as many attributes as fit",
                   lambda: "<b " + " ".join(f"a{i}" for i in range(9_000)) + ">x</b>"),
    "html-links": ("raw HTML links with attributes", lambda: _fill("", '<a href="https://x.example" title="t">x</a> ')),
    "markdown-links": ("Markdown links with titles", lambda: _fill("", '[x](https://x.example "t") ')),
    "emphasis": ("emphasis runs that never close", lambda: _fill("", "*a **")),
    "brackets": ("opening brackets", lambda: _fill("", "[")),
    "table-fill": ("a wide table header and short rows Markdown fills with empty cells",
                   lambda: "|a" * 3_000 + "|\n" + "|-" * 3_000 + "|\n" + "x\n" * 17_990),
    "comments": ("HTML comments", lambda: _fill("", "<!--x-->")),
    "line-search": ("a refused link whose address is one letter repeated, after a run of it one shorter",
                    lambda: "a" * 29_979 + "x\n\n[l](" + "a" * 29_980 + ")\n"),
    "ampersands": ("characters HTML must escape (each & becomes &amp;)", lambda: _fill("", "&")),
}


def project(folder: Path, body: str) -> Path:
    """A fresh project in ``folder`` with one story whose body is ``body``."""
    for part in PROJECT_PARTS:
        source = ROOT / part
        if source.is_dir():
            shutil.copytree(source, folder / part, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(source, folder / part)
    (folder / "stories").mkdir()
    (folder / "stories" / "historie.md").write_text(FRONT_MATTER + body, encoding="utf-8")
    return folder


# Runs `check` and reports its wall time and its own peak memory: a launcher this small adds only
# its own few MB to the child's ru_maxrss (Linux counts a parent's memory at fork in the child's).
_LAUNCHER = """
import json, os, resource, subprocess, sys, time
env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
started = time.monotonic()
done = subprocess.run([sys.executable, "-m", "hooks.storysite", "check"], capture_output=True, text=True, env=env)
seconds = time.monotonic() - started
usage = resource.getrusage(resource.RUSAGE_CHILDREN)
print(json.dumps({"seconds": seconds, "cpu_seconds": usage.ru_utime + usage.ru_stime, "peak_mb": usage.ru_maxrss / 1024,
                  "code": done.returncode, "output": done.stdout + done.stderr}))
"""


def measure(folder: Path, timeout: float = 120.0) -> dict:
    """Check the project in ``folder``: seconds (wall), cpu_seconds, peak_mb, code (0 passed, 1 refused), output."""
    launched = subprocess.run([sys.executable, "-c", _LAUNCHER], cwd=folder, capture_output=True, text=True,
                              timeout=timeout, check=True)
    return json.loads(launched.stdout)


def main() -> int:
    print("| shape | body (characters) | `check` time | CPU time | peak memory | outcome |\n|---|---|---|---|---|---|")
    worst = 0.0
    for name, (what, make) in SHAPES.items():
        body = make()
        with tempfile.TemporaryDirectory(prefix="budget-") as tmp:
            result = measure(project(Path(tmp), body))
        outcome = "passes" if result["code"] == 0 else "refused"
        worst = max(worst, result["seconds"])
        print(f"| {name}: {what} | {len(body):,} | {result['seconds']:.2f} s | {result['cpu_seconds']:.2f} s "
              f"| {result['peak_mb']:.0f} MB | {outcome} |")
    print(f"\nSlowest: {worst:.2f} s (limit {TIME_LIMIT:.0f} s, {MEMORY_LIMIT} MB).")
    return 0


if __name__ == "__main__":
    sys.exit(main())
