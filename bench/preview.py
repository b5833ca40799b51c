"""Preview freshness: seconds from saving a story until ``mkdocs serve --dirty`` shows it on every page.

The pages that show a story are found in a site already built from the project: every page that
links to the story and shows its title (the story page, listings, related stories). The server
runs in its own process group on 127.0.0.1; each edit adds a marker to a story's title, writes the
file in place as an editor saves, and polls those pages over HTTP until all show the marker.
"""

from __future__ import annotations

import html
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections import Counter
from pathlib import Path

START_TIMEOUT = 600.0  # seconds for the first build of the server
FRESH_TIMEOUT = 60.0  # seconds for an edit to show everywhere


def pages_showing(site: Path, url: str, title: str) -> list[str]:
    """URLs (relative to the site root) of the story's page and every page that links to it and shows its title."""
    link = re.compile(r'href="(?:[^"]*/)?' + re.escape(url.rstrip("/").rsplit("/", 1)[-1]) + r'/"')
    urls = [page.relative_to(site).as_posix().removesuffix("index.html") for page in site.rglob("index.html")]
    return sorted(u for u in urls if u == url or (
        html.escape(title, quote=False) in (text := (site / u / "index.html").read_text(encoding="utf-8"))
        and link.search(text)))


def measure(project: Path, stories: list, env: dict, log: Path, edits: int = 2) -> dict:
    """Start ``mkdocs serve --dirty`` in ``project`` (already built into ``project/site``) and time ``edits`` saves."""
    titles = Counter(story.title for story in stories)
    chosen = [s for s in stories[len(stories) // 3:] + stories if titles[s.title] == 1][:edits]
    watched = [(story, pages_showing(project / "site", story.url, story.title)) for story in chosen]
    originals = {story.file: (project / "stories" / story.file).read_bytes() for story in chosen}
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    root = f"http://127.0.0.1:{port}/"
    with open(log, "w", encoding="utf-8") as out:
        started = time.monotonic()
        server = subprocess.Popen([sys.executable, "-m", "mkdocs", "serve", "--dirty", "-a", f"127.0.0.1:{port}"],
                                  cwd=project, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
        try:
            while _get(root, 5.0) is None:
                if server.poll() is not None or time.monotonic() - started > START_TIMEOUT:
                    return {"error": f"mkdocs serve did not serve within {START_TIMEOUT:.0f} s (see {log})"}
                time.sleep(0.2)
            first_build = time.monotonic() - started
            results = []
            for number, (story, pages) in enumerate(watched, start=1):
                time.sleep(1.0)  # let the server settle
                fresh = _edit(root, project / "stories" / story.file, pages, number)
                results.append({"story": story.url, "pages": len(pages), "fresh_s": fresh})
        finally:
            _stop(server)
            for file, original in originals.items():  # as they were, so a second measurement is alike
                (project / "stories" / file).write_bytes(original)
    times = [r["fresh_s"] for r in results]
    return {"first_build_s": first_build, "edits": results, "worst_s": None if None in times else max(times)}


def _edit(root: str, path: Path, pages: list[str], number: int) -> float | None:
    marker = f"endret{number}x{os.getpid()}x{time.monotonic_ns()}"  # new in every measurement
    text = path.read_text(encoding="utf-8")
    new = re.sub(r'^title: "(.*)"$', lambda m: f'title: "{m.group(1)} {marker}"', text, count=1, flags=re.MULTILINE)
    pending = set(pages)
    saved = time.monotonic()
    path.write_text(new, encoding="utf-8")
    while pending and time.monotonic() - saved < FRESH_TIMEOUT:
        pending = {page for page in pending if marker not in (_get(root + page, FRESH_TIMEOUT) or "")}
        if pending:
            time.sleep(0.05)
    return None if pending else time.monotonic() - saved


def _get(url: str, timeout: float) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return response.read().decode("utf-8", errors="replace")
    except OSError:
        return None


def _stop(server: subprocess.Popen) -> None:
    """Ctrl-C to the server's process group (MkDocs removes its temporary folder), then SIGKILL."""
    for sig in (signal.SIGINT, signal.SIGKILL):
        try:
            os.killpg(server.pid, sig)
            server.wait(timeout=15)
            return
        except ProcessLookupError:
            return
        except subprocess.TimeoutExpired:
            continue
