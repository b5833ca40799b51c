"""A second process that does part of a build's work while the build does the rest. No MkDocs here.

MkDocs renders one page after another in one process, and Python runs one thread at a time: on a
machine with two cores, one of them waited through most of a build. So the build forks three times:

- while the stories are read (``story_cache.load_with_helper``), a helper reads half of those not
  in the story cache and hands back what each gave, as the story cache writes it;
- once the stories are read, a helper makes the pictures' versions not in the cache yet
  (``resizing``): it hands back nothing, or why a picture is refused;
- once every page's data is ready and before the first page is rendered (``SiteBuild.render_ahead``),
  a helper renders part of the pages, and the build writes them with ``cached-page.html``.

A helper does its items in the order given and appends each result (text) to a temporary file,
telling the build where it is through a pipe; the build takes them in the same order, waiting if the
helper is not there yet. A helper writes no file of the site, opens no database and logs nothing: an
item whose work raises or logs a warning is marked as failed, and the build does that item itself,
so its error or warning comes from the build, as it would have without a helper. If the helper stops
(killed, out of memory), the build does the rest of its items itself.

Linux only: forking a process that runs threads (the page cache writes in one) is safe there
for what a helper does, and macOS and Windows start processes another way.
"""

from __future__ import annotations

import atexit
import contextlib
import logging
import os
import select
import signal
import struct
import sys
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

# Each item the helper finishes: its result's offset and length in the file, or FAILED and 0.
RECORD = struct.Struct("<qq")
FAILED = -1
# The share of the pages the page helper takes: the build also writes the helper's pages and runs every
# plugin's events for them, so the helper takes more than half (measured at 1,000 stories: 0.55–0.7).
HELPER_SHARE = 0.65
# A helper that hands back nothing for this long is stopped, and the build does the rest itself.
WAIT_SECONDS = 60
# With fewer pages to render or stories to read than this, starting a helper costs more than it saves.
MIN_PAGES = 100
MIN_STORIES = 100
MIN_PICTURES = 4  # a picture takes about 20 ms to make, starting a helper 5


def available() -> bool:
    """Whether this machine can run a helper: Linux, and more than one core for this process (by
    its CPU affinity and by its control group's CPU quota, as in a container)."""
    if sys.platform != "linux" or not hasattr(os, "fork"):
        return False
    try:
        cores = float(len(os.sched_getaffinity(0)))
        quota, period = [*Path("/sys/fs/cgroup/cpu.max").read_text().split(), "max", "1"][:2]
        if quota != "max":
            cores = min(cores, int(quota) / int(period))
    except FileNotFoundError:
        pass
    except (OSError, ValueError, ZeroDivisionError):
        return False
    return cores >= 2


def share(names: Sequence[str], fraction: float = HELPER_SHARE) -> list[str]:
    """Every item the helper takes, spread evenly through ``names`` so that both processes work
    through the build's order side by side."""
    return [name for index, name in enumerate(names) if int((index + 1) * fraction) > int(index * fraction)]


class Helper:
    """A forked process doing ``work`` for each of ``names``, in that order."""

    def __init__(self, pid: int, records: int, results: int, names: Sequence[str]) -> None:
        self.pid = pid
        self._records = records  # the pipe's end to read from
        self._results = results  # the temporary file of results
        self._order = {name: index for index, name in enumerate(names)}
        self._done: dict[int, tuple[int, int]] = {}  # index → (offset, length) read from the pipe
        self._next = 0  # the index of the next record in the pipe
        self._ended = False  # the pipe is closed (or the helper too slow): no more results will come
        self._waiting = select.poll()
        self._waiting.register(records, select.POLLIN)

    @classmethod
    def start(cls, names: Sequence[str], work: Callable[[str], str],
              in_helper: Callable[[], None] = lambda: None) -> Helper | None:
        """Fork; the helper calls ``in_helper`` once (to set itself up), then ``work`` for each name,
        and exits. None if no helper could be started (no file, pipe or process to be had): then the
        build does everything itself."""
        opened: list[int] = []
        try:
            opened += os.pipe()
            fd, path = tempfile.mkstemp(prefix="sammen-hjelper-")
            opened.append(fd)
            os.unlink(path)  # open in both processes, named in neither: nothing to remove afterwards
            pid = os.fork()
        except OSError:
            for descriptor in opened:
                os.close(descriptor)
            return None
        read_end, write_end, fd = opened
        if pid == 0:  # the helper: never returns
            try:
                os.close(read_end)
                _work_all(names, work, fd, write_end, in_helper)
            finally:
                os._exit(0)
        os.close(write_end)
        started = cls(pid, read_end, fd, names)
        atexit.register(started.close)  # the build stopped by Ctrl-C: the helper is stopped too
        return started

    def takes(self, name: str) -> bool:
        return name in self._order

    def take(self, name: str) -> str | None:
        """The item's result, waiting for the helper if need be; None if the helper could not do it
        (or stopped before it): then the build does it itself."""
        index = self._order.get(name)
        if index is None:
            return None
        while self._next <= index and not self._ended:
            if not self._waiting.poll(WAIT_SECONDS * 1000):  # stuck: stopped now, its items done by the build
                with contextlib.suppress(ProcessLookupError):
                    os.kill(self.pid, signal.SIGKILL)
            record = _read_exactly(self._records, RECORD.size)  # after a kill: the end of the pipe
            if record is None:
                self._ended = True
                break
            self._done[self._next] = RECORD.unpack(record)
            self._next += 1
        offset, length = self._done.pop(index, (FAILED, 0))
        if offset == FAILED:
            return None
        data = os.pread(self._results, length, offset)
        if len(data) != length:
            return None
        return data.decode("utf-8", "surrogatepass")

    def close(self) -> None:
        """Stop the helper (it is done, when the build took all its results; a failed build stops it
        midway), wait for its end and free its files."""
        if self.pid:
            with contextlib.suppress(ProcessLookupError):
                os.kill(self.pid, signal.SIGKILL)
            with contextlib.suppress(ChildProcessError):
                os.waitpid(self.pid, 0)
            os.close(self._records)
            os.close(self._results)
            self.pid = 0
            atexit.unregister(self.close)


def _work_all(names: Sequence[str], work: Callable[[str], str], out: int, records: int,
              in_helper: Callable[[], None]) -> None:
    warnings = _quiet_logging()
    in_helper()
    offset = 0
    for name in names:
        before = warnings.count
        try:
            data = work(name).encode("utf-8", "surrogatepass")
        except Exception:  # noqa: BLE001 - the build does this item itself, and reports the error
            data = None
        if data is None or warnings.count != before:
            os.write(records, RECORD.pack(FAILED, 0))
            continue
        written = 0
        while written < len(data):
            written += os.write(out, data[written:])
        os.write(records, RECORD.pack(offset, len(data)))
        offset += len(data)


class _Warnings(logging.Handler):
    """Counts the warnings and errors logged in the helper, and shows nothing."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.count = 0

    def emit(self, record: logging.LogRecord) -> None:
        self.count += 1


def _quiet_logging() -> _Warnings:
    """In the helper, nothing is logged: an item that logs a warning is done again by the build.
    Every handler is replaced by the counter (MkDocs' own logger does not pass records on to the root)."""
    counter = _Warnings()
    loggers = [logging.getLogger(), *[item for item in logging.Logger.manager.loggerDict.values()
                                      if isinstance(item, logging.Logger)]]
    for logger in loggers:
        had_handlers = bool(logger.handlers)
        for handler in list(logger.handlers):
            logger.removeHandler(handler)
        if had_handlers or logger is logging.getLogger():
            logger.addHandler(counter)
    return counter


def _read_exactly(fd: int, size: int) -> bytes | None:
    data = b""
    while len(data) < size:
        chunk = os.read(fd, size - len(data))
        if not chunk:
            return None
        data += chunk
    return data
