"""Preview freshness: how long after saving a story ``mkdocs serve`` shows it on every page it is on.

Starts ``mkdocs serve`` (live reload on, as editors run it; ``--dirty`` if asked) in its own
process group on a free port, waits until it serves, then for each chosen story: appends a marker
to its title, writes the file in place (as an editor's save does) and polls the story page, every
index page that lists it and every other page that shows its title (related stories, neighbours)
until each shows the marker. MkDocs holds requests while it rebuilds, so a poll returns
as soon as the new build is visible. The server is stopped by ending its process group.
"""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

START_TIMEOUT = 900.0
_BUILT = re.compile(r"Documentation built in ([0-9.]+) seconds")
POLL_INTERVAL = 0.05


@dataclass
class Edit:
    """One edit: the story file, its page, the index pages and the other pages that show its title."""

    path: Path
    story: str
    indexes: list[str]
    others: list[str]
    fresh_s: dict[str, float | None] = field(default_factory=dict)

    def worst(self, pages: list[str]) -> float | None:
        values = [self.fresh_s.get(page) for page in pages]
        return None if not values or None in values else max(values)


def measure(project: Path, base_path: str, edits: list[Edit], *, dirty: bool, timeout: float,
            log_file: Path) -> dict:
    """Run ``mkdocs serve`` (``--dirty`` if asked) in ``project`` and time each edit."""
    port = _free_port()
    path = f"/{base_path.strip('/')}/" if base_path.strip("/") else "/"
    root = f"http://127.0.0.1:{port}{path}"
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    with open(log_file, "wb") as log:
        started = time.monotonic()
        server = subprocess.Popen(
            [sys.executable, "-m", "mkdocs", "serve", "--livereload", *(["--dirty"] if dirty else []),
             "-a", f"127.0.0.1:{port}"],
            cwd=project, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        try:
            if not _wait_until_served(root, server, START_TIMEOUT):
                return {"error": f"mkdocs serve did not serve within {START_TIMEOUT:.0f} s (see {log_file})"}
            first_build = time.monotonic() - started
            for number, edit in enumerate(edits, start=1):
                _edit_and_poll(root, edit, number, timeout)
                time.sleep(1.0)  # let the server settle before the next edit
        finally:
            _stop(server)
    report = []
    for edit in edits:
        report.append({
            "story": edit.story, "indexes": len(edit.indexes), "others": len(edit.others), "fresh_s": edit.fresh_s,
            "worst_s": edit.worst([edit.story, *edit.indexes]),
            "others_worst_s": edit.worst(edit.others) if edit.others else None,
        })
    worst = [e["worst_s"] for e in report]
    built = [float(x) for x in _BUILT.findall(log_file.read_text(encoding="utf-8", errors="replace"))]
    return {
        "rebuilds_s": built[1:],  # the first is the initial build
        "mode": "mkdocs serve --dirty" if dirty else "mkdocs serve",
        "first_build_s": first_build,
        "edits": report,
        "worst_s": None if not worst or None in worst else max(worst),
        "timeout_s": timeout,
    }


def _edit_and_poll(root: str, edit: Edit, number: int, timeout: float) -> None:
    marker = f"(oppdatert {number}{os.getpid() % 1000:03d})"
    text = edit.path.read_text(encoding="utf-8")
    new_text, count = re.subn(r'^title: "(.*)"$', lambda m: f'title: "{m.group(1)} {marker}"', text, count=1,
                              flags=re.MULTILINE)
    if not count:
        raise ValueError(f"{edit.path}: no title line to edit")
    pending = {edit.story, *edit.indexes, *edit.others}
    saved = time.monotonic()
    with open(edit.path, "w", encoding="utf-8") as file:  # in place, as an editor saves
        file.write(new_text)
    deadline = saved + timeout
    while pending and time.monotonic() < deadline:
        for page in sorted(pending):
            body = _get(root + page, max(0.5, deadline - time.monotonic()))
            if body is not None and marker in body:
                edit.fresh_s[page] = time.monotonic() - saved
                pending.discard(page)
        if pending:
            time.sleep(POLL_INTERVAL)
    for page in pending:
        edit.fresh_s[page] = None


def _get(url: str, timeout: float) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return response.read().decode("utf-8", errors="replace")
    except (urllib.error.URLError, OSError, TimeoutError):
        return None


def _wait_until_served(root: str, server: subprocess.Popen, limit: float) -> bool:
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        if server.poll() is not None:
            return False
        if _get(root, 5.0) is not None:
            return True
        time.sleep(0.2)
    return False


def _stop(server: subprocess.Popen) -> None:
    """Ctrl-C first (MkDocs then removes its temporary site folder), then harder signals."""
    for sig, wait in ((signal.SIGINT, 15), (signal.SIGTERM, 10), (signal.SIGKILL, None)):
        if server.poll() is not None:
            return
        try:
            os.killpg(server.pid, sig)
        except ProcessLookupError:
            return
        try:
            server.wait(timeout=wait)
        except subprocess.TimeoutExpired:
            continue


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]
