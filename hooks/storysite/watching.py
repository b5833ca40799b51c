"""How soon ``mkdocs serve`` sees a saved file. MkDocs and watchdog only; the story model has neither.

MkDocs 1.6 watches by polling (watchdog's ``PollingObserver``: it works on network drives and in
containers, where file system events never arrive) and looks every half second, a fixed argument of
``LiveReloadServer`` that no setting reaches; after a change it waits until nothing has changed for
0.1 s. A save then waits up to 0.6 s before the rebuild even starts: more than half of the preview's
budget of one second from save to fresh pages at 1,000 stories (issue 20), where the rebuild itself
takes about half a second. This module keeps the polling and shortens both waits.

Each poll lists and stats every watched file (``docs/``, ``mkdocs.yml`` and ``watch:``: the stories,
``hooks/``, ``overrides/``, ``data/``). With 1,000 stories an idle preview used 2.0-2.7 % of one core
at MkDocs' 0.5 s, 5.3-5.9 % at 0.2 s and 10 % at 0.1 s (measured for issue 20): 0.2 s keeps the budget
for a fraction of a core.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from watchdog.observers.polling import PollingObserver

if TYPE_CHECKING:
    from mkdocs.livereload import LiveReloadServer

POLLING_INTERVAL = 0.2  # seconds between two looks at the watched files (MkDocs: 0.5)
# Seconds without a change before the rebuild starts (MkDocs: 0.1). Polling reports all the changes
# one look found at once, so a longer wait only merges looks of different watched folders.
BUILD_DELAY = 0.05


def quicken(server: LiveReloadServer) -> bool:
    """Poll every ``POLLING_INTERVAL`` and rebuild ``BUILD_DELAY`` after the last change seen. Returns
    whether both were set; a server unlike MkDocs 1.6's keeps what it has (see ``poll_every``)."""
    polled = poll_every(server, POLLING_INTERVAL)
    delay = getattr(server, "build_delay", None)  # a public attribute of MkDocs' server, set in __init__
    if not polled or not isinstance(delay, (int, float)):
        return False
    server.build_delay = min(delay, BUILD_DELAY)
    return True


def poll_every(server: LiveReloadServer, interval: float = POLLING_INTERVAL) -> bool:
    """Make ``server`` poll every ``interval`` seconds, for the watches it has and those added later.

    ``on_serve`` runs after MkDocs has scheduled its first watches (``docs/``, ``mkdocs.yml``) on an
    observer that polls at 0.5 s, and an observer's interval cannot change once set. So each watch is
    removed through MkDocs' public ``unwatch``, the server gets a new ``PollingObserver`` and each watch
    is made again through ``watch``; the watches MkDocs adds after ``on_serve`` (``watch:`` in
    ``mkdocs.yml``) go to the new observer. Only public names are used: ``server.observer``, ``watch``,
    ``unwatch``, and watchdog's ``emitters`` and their ``watch``. With anything else than MkDocs 1.6
    does (another kind of observer, one already running, a watch that did not come through ``watch``),
    every watch stays as it was and MkDocs' own interval is kept. Returns whether the interval was set."""
    old = getattr(server, "observer", None)
    if type(old) is not PollingObserver or old.is_alive():
        return False
    # ``raw_path`` is the path as MkDocs gave it (``path`` is a watched file's folder); older watchdogs
    # have ``path`` only, and a file given there would not be found by ``unwatch``: all is then kept.
    watches = [(getattr(emitter.watch, "raw_path", emitter.watch.path), emitter.watch.is_recursive)
               for emitter in old.emitters]
    removed: list[tuple[str, bool]] = []
    try:
        for path, recursive in watches:
            server.unwatch(path)
            removed.append((path, recursive))
    except (KeyError, AttributeError, TypeError):
        pass
    if len(removed) < len(watches) or old.emitters:  # a watch MkDocs does not count as one: put them back
        for path, recursive in removed:
            server.watch(path, recursive=recursive)
        return False
    server.observer = PollingObserver(timeout=interval)
    for path, recursive in removed:
        server.watch(path, recursive=recursive)
    return True
