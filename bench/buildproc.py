"""One measured ``mkdocs build``, run in a fresh process: ``python bench/buildproc.py <mkdocs.yml> <result.json>``.

It does what ``mkdocs build`` does (load the config, ``on_startup``, build, ``on_shutdown``) and
writes a JSON result: success, the in-process build time, the CPU time (user + system, all
threads and child processes), the peak memory of this process (and of any child processes the
build started), and the hooks' own share of the time, measured two ways:

* ``hook_events``: the time spent inside each event function defined in a file under the
  project's ``hooks/`` folder (``on_config``, ``on_files``, ``on_page_context`` …), measured by
  wrapping those functions after the config is loaded. Exact, but it misses hook code that runs
  outside events (Jinja filters the hooks register, Markdown extensions they add).
* ``hook_sampled``: a sampler thread looks at the stacks every few milliseconds and counts the
  samples where a frame belongs to a file under ``hooks/``: on the main thread
  (``hook_sampled_s``), on any thread (``hook_any_thread_s``, wall time during which some hook
  code runs, for hooks that work in threads of their own) and summed over threads
  (``hook_thread_s``). Catches everything the hooks run (filters included), at a resolution of a
  few milliseconds.

The baseline is built by the same script (it has no hooks; the sampler still runs, so both
builds carry the same small overhead).
"""

from __future__ import annotations

import json
import logging
import os
import resource
import sys
import threading
import time
from pathlib import Path

SAMPLE_INTERVAL = 0.004


def main(config_file: str, result_file: str) -> int:
    started = time.perf_counter()
    hooks_dir = str(Path(config_file).resolve().parent / "hooks") + os.sep
    result: dict = {"ok": False}
    sampler = _Sampler(hooks_dir)
    sampler.start()
    try:
        from mkdocs.commands.build import build
        from mkdocs.config import load_config

        _log_like_cli()
        config_started = time.perf_counter()
        config = load_config(config_file=config_file)
        result["config_s"] = time.perf_counter() - config_started
        timers = _wrap_hook_events(config, hooks_dir)
        config.plugins.on_startup(command="build", dirty=False)
        try:
            build(config, dirty=False)
        finally:
            config.plugins.on_shutdown()
        result["ok"] = True
        result["hook_events"] = {name: round(seconds, 4) for name, seconds in sorted(timers.items())}
    except BaseException as error:
        result["error"] = f"{type(error).__name__}: {error}"
    finally:
        sampler.stop()
    result["build_s"] = time.perf_counter() - started
    result["hook_sampled_s"] = sampler.hook_samples * sampler.seconds_per_sample()
    result["hook_any_thread_s"] = sampler.any_thread * sampler.seconds_per_sample()
    result["hook_thread_s"] = sampler.thread_samples * sampler.seconds_per_sample()
    result["samples"] = sampler.samples
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    result["maxrss_kb"] = own.ru_maxrss
    result["children_maxrss_kb"] = children.ru_maxrss
    result["cpu_s"] = own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime
    Path(result_file).write_text(json.dumps(result), encoding="utf-8")
    return 0 if result["ok"] else 1


def _log_like_cli() -> None:
    """Warnings and errors to stderr, as ``mkdocs build`` prints them (INFO is left out)."""
    logger = logging.getLogger("mkdocs")
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(levelname)-7s -  %(message)s"))
    logger.addHandler(handler)
    logger.setLevel(logging.WARNING)


def _wrap_hook_events(config, hooks_dir: str) -> dict[str, float]:
    """Replace every registered event method defined under ``hooks_dir`` with a timed wrapper."""
    timers: dict[str, float] = {}
    plugins = config.plugins
    for event, methods in plugins.events.items():
        for index, method in enumerate(methods):
            code = getattr(getattr(method, "__func__", method), "__code__", None)
            if code is None or not code.co_filename.startswith(hooks_dir):
                continue
            name = f"on_{event}"
            timers.setdefault(name, 0.0)

            def timed(*args, _method=method, _name=name, **kwargs):
                begin = time.perf_counter()
                try:
                    return _method(*args, **kwargs)
                finally:
                    timers[_name] += time.perf_counter() - begin

            methods[index] = timed
            origin = plugins._event_origins.get(method)
            if origin:
                plugins._event_origins[timed] = origin
    return timers


class _Sampler:
    """Counts how often code from ``hooks/`` is on a thread's stack (the main thread, or any thread).

    Hooks may work in threads of their own (resizing pictures beside the page rendering, say), so a
    sample counts for ``any_thread`` when at least one thread other than the sampler is in hooks
    code, and ``thread_samples`` adds up every such thread (thread-seconds).
    """

    def __init__(self, prefix: str) -> None:
        self.prefix = prefix
        self.samples = 0
        self.hook_samples = 0  # main thread in hooks code
        self.any_thread = 0  # some thread in hooks code
        self.thread_samples = 0  # threads in hooks code, summed
        self._main = threading.main_thread().ident
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._began = self._ended = 0.0

    def start(self) -> None:
        self._began = time.perf_counter()
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()
        self._ended = time.perf_counter()

    def seconds_per_sample(self) -> float:
        return (self._ended - self._began) / self.samples if self.samples else 0.0

    def _run(self) -> None:
        me = threading.get_ident()
        while not self._stop.wait(SAMPLE_INTERVAL):
            self.samples += 1
            busy = 0
            for ident, frame in sys._current_frames().items():
                if ident != me and self._in_hooks(frame):
                    busy += 1
                    if ident == self._main:
                        self.hook_samples += 1
            self.thread_samples += busy
            self.any_thread += busy > 0

    def _in_hooks(self, frame) -> bool:
        while frame is not None:
            if frame.f_code.co_filename.startswith(self.prefix):
                return True
            frame = frame.f_back
        return False


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2]))
