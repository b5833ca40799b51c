"""Pages as the last build wrote them, reused when nothing they are made from has changed. No MkDocs here.

Rendering the templates is most of a build, and a second build of an unchanged site would render
every page to the same bytes again. Each page gets a key: a digest of the site's sources (settings,
templates, hooks, data, hand-written pages), the packages in use, today's date and the settings as
MkDocs read them (``site_key``), and of the page's own address, title, metadata, content and data
(``PageCache.key``). A page whose key has an entry is written from it; the rest are rendered and
kept. Anything the key cannot describe (a value of an unknown type in a page's data) means no key:
that page is rendered, never served stale.

The entries are rows of one SQLite database in the project's cache folder (``caches``: the user's,
never the project's), written in one transaction, so a build that is stopped leaves none of its
pages. One file, not a file per page: creating 1,400 files cost more than rendering some of the
pages did (on ext4 without a journal, as on the CI machines, each new file is a scan past the ones
deleted recently). Each build removes the entries it did not use. A database that cannot be read is
replaced; one another build is writing to is used as it is, and this build keeps nothing new.

The pages are written to the database by a thread of their own, in batches, while the build renders
the next ones: SQLite works without Python's interpreter lock, so on a second core (a cold build
writes some 50 MB of pages at 1,000 stories, a tenth of its time on one core). The connection is
shared under a lock; the queue between the two holds at most a few batches, so memory stays bounded
when the disk is slower than the rendering.
"""

from __future__ import annotations

import dataclasses
import datetime
import hashlib
import queue
import shutil
import sqlite3
import sys
import threading
from collections.abc import Iterable, Mapping
from pathlib import Path

LOCK_WAIT_SECONDS = 5.0  # how long a build waits for another build that is writing the database
BATCH_BYTES = 1 << 20  # pages handed to the writing thread at once
BATCHES_WAITING = 4  # at most this many batches wait for the writing thread; then the build waits


class Unencodable(TypeError):
    """A value the key has no stable encoding for."""


def site_key(root: Path, inputs: Iterable[str], settings: Mapping) -> str:
    """What every page depends on besides its own data: the bytes of every file under ``inputs``
    (relative to ``root``), the version of every package imported so far, Python's, today's date
    and MkDocs' settings (values from the environment included; objects as their type's name)."""
    digest = hashlib.blake2b(digest_size=20)
    for name in inputs:
        path = root / name
        for item in sorted(path.rglob("*")) if path.is_dir() else [path]:
            if item.is_file() and not item.is_symlink() and "__pycache__" not in item.parts:
                digest.update(item.relative_to(root).as_posix().encode("utf-8", "surrogateescape") + b"\0")
                digest.update(item.read_bytes() + b"\0")
    versions = sorted((name, module.__version__) for name, module in list(sys.modules.items())
                      if "." not in name and isinstance(vars(module).get("__version__"), str))
    digest.update(_encode((versions, sys.version, datetime.date.today()), lenient=True).encode("utf-8", "replace"))
    digest.update(_encode(dict(settings), lenient=True).encode("utf-8", "surrogatepass"))
    return digest.hexdigest()


class PageCache:
    """The rendered pages of one project, by key, in the SQLite database ``file``."""

    def __init__(self, file: Path, site_key: str) -> None:
        self.file = file
        self.site_key = site_key
        file.parent.mkdir(parents=True, exist_ok=True)
        legacy = file.with_suffix("")  # a file per page in a folder, as kept until December 2026
        if legacy != file and legacy.is_dir() and not legacy.is_symlink():
            shutil.rmtree(legacy, ignore_errors=True)
        self._db = _connect(file)
        self._present: set[str] = set()
        if self._db is not None:
            self._present = {key for (key,) in self._db.execute("SELECT key FROM pages")}
        self._used: set[str] = set()
        self._writing = self._db is not None
        self._lock = threading.Lock()  # the connection, between the build's thread and the writing thread
        self._batch: list[tuple[str, bytes]] = []
        self._batch_bytes = 0
        self._queue: queue.Queue[list[tuple[str, bytes]] | None] = queue.Queue(BATCHES_WAITING)
        self._writer: threading.Thread | None = None
        self._memo: dict[int, tuple[object, str]] = {}  # id → (the object, kept alive so its id stays its own; code)

    def key(self, *parts: object) -> str | None:
        """The key of a page made from ``parts``, or None when a part has no stable encoding."""
        try:
            text = _encode(parts, memo=self._memo)
        except Unencodable:
            return None
        digest = hashlib.blake2b(self.site_key.encode("ascii") + b"\0", digest_size=20)
        digest.update(text.encode("utf-8", "surrogatepass"))
        return digest.hexdigest()

    def has(self, key: str) -> bool:
        return key in self._present

    def get(self, key: str) -> str | None:
        """A page kept under ``key`` (``has`` said so), or None if it cannot be read after all."""
        self._used.add(key)
        try:
            with self._lock:
                row = self._db.execute("SELECT html FROM pages WHERE key = ?", (key,)).fetchone() if self._db else None
        except sqlite3.Error:
            row = None
        if row is None:
            self._present.discard(key)  # gone (another build removed it): ``put`` keeps it again
            return None
        return bytes(row[0]).decode("utf-8", "surrogateescape")

    def put(self, key: str, html: str) -> None:
        """Keep a page, in the build's one transaction (committed by ``close``)."""
        self._used.add(key)
        if key in self._present or not self._writing or self._db is None:
            return
        data = html.encode("utf-8", "xmlcharrefreplace")
        self._present.add(key)
        self._batch.append((key, data))
        self._batch_bytes += len(data)
        if self._batch_bytes >= BATCH_BYTES:
            self._hand_over()

    def close(self) -> None:
        """Commit this build's pages and remove the entries it did not use."""
        if self._db is None:
            return
        self._hand_over()
        self._stop_writer()
        try:
            if self._writing:
                if not self._db.in_transaction:
                    self._db.execute("BEGIN IMMEDIATE")
                self._db.executemany("DELETE FROM pages WHERE key = ?", ((key,) for key in self._present - self._used))
                self._db.execute("COMMIT")
        except sqlite3.Error:
            self._rollback()
        finally:
            self._db.close()
            self._db = None

    def abandon(self) -> None:
        """Close without keeping anything of this build."""
        if self._db is not None:
            self._writing = False
            self._batch = []
            self._stop_writer()
            self._rollback()
            self._db.close()
            self._db = None

    def _hand_over(self) -> None:
        """Give the pages kept so far to the writing thread (started with the first batch)."""
        if not self._batch or not self._writing:
            return
        if self._writer is None:
            self._writer = threading.Thread(target=self._write_batches, name="page-cache", daemon=True)
            self._writer.start()
        self._queue.put(self._batch)
        self._batch, self._batch_bytes = [], 0

    def _write_batches(self) -> None:
        for batch in iter(self._queue.get, None):
            if not self._writing or self._db is None:
                continue  # the build gave up keeping pages: the rest are dropped
            with self._lock:
                try:
                    if not self._db.in_transaction:
                        self._db.execute("BEGIN IMMEDIATE")
                    self._db.executemany("INSERT OR REPLACE INTO pages (key, html) VALUES (?, ?)", batch)
                except Exception:  # noqa: BLE001 - another build is writing (or no memory): this one keeps nothing,
                    # and the thread goes on taking batches, so the build never waits for it in vain
                    self._writing = False
                    self._rollback()

    def _stop_writer(self) -> None:
        if self._writer is not None:
            self._queue.put(None)
            self._writer.join()
            self._writer = None

    def _rollback(self) -> None:
        try:
            if self._db is not None and self._db.in_transaction:
                self._db.execute("ROLLBACK")
        except sqlite3.Error:
            pass


def _connect(file: Path) -> sqlite3.Connection | None:
    """The database, made if missing and made anew if it is not one; None if it cannot be opened."""
    for attempt in range(2):
        try:
            db = sqlite3.connect(file, timeout=LOCK_WAIT_SECONDS, isolation_level=None, check_same_thread=False)
            try:
                db.execute("PRAGMA synchronous = NORMAL")
                db.execute("CREATE TABLE IF NOT EXISTS pages (key TEXT PRIMARY KEY, html BLOB NOT NULL)")
                db.execute("SELECT count(*) FROM pages").fetchone()
            except sqlite3.Error:
                db.close()
                raise
            return db
        except sqlite3.OperationalError:  # locked by another build, or a folder that cannot be written
            return None
        except sqlite3.Error:  # not a database, or a damaged one: it is only a cache
            if attempt == 0:
                file.unlink(missing_ok=True)
    return None


def _encode(value: object, *, lenient: bool = False, memo: dict[int, tuple[object, str]] | None = None) -> str:
    """A text that is the same for equal values in every process (unlike ``hash``, which differs per
    process for text). Types are part of it, so ``1`` and ``"1"`` differ; sets are sorted."""
    out: list[str] = []
    _encode_into(value, out, lenient, memo)
    return "".join(out)


def _encode_into(value: object, out: list[str], lenient: bool, memo: dict[int, tuple[object, str]] | None) -> None:
    kind = type(value)
    if kind is str:
        out.append(f"s{len(value)}:{value}")  # type: ignore[arg-type]
    elif kind in _SCALARS:
        out.append(f"{kind.__name__}:{value!r};")
    elif kind is list or kind is tuple:
        out.append(f"[{len(value)}:")  # type: ignore[arg-type]
        for item in value:  # type: ignore[attr-defined]
            _encode_into(item, out, lenient, memo)
        out.append("]")
    elif isinstance(value, str):  # Markup: the same text is the same markup
        out.append(f"s{len(value)}:{value}")
    elif isinstance(value, (bool, int, float, datetime.date, Path)) or value is None:
        out.append(f"{kind.__name__}:{value!r};")
    elif isinstance(value, (list, tuple)):
        _encode_into(list(value), out, lenient, memo)
    elif isinstance(value, (set, frozenset)):
        out.append(f"{{{len(value)}:{''.join(sorted(_encode(item, lenient=lenient, memo=memo) for item in value))}}}")
    elif isinstance(value, Mapping):
        out.append(f"<{len(value)}:")
        for name, item in value.items():
            _encode_into(name, out, lenient, memo)
            _encode_into(item, out, lenient, memo)
        out.append(">")
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        if memo is not None and id(value) in memo:
            out.append(memo[id(value)][1])
            return
        inner: list[str] = [f"{kind.__qualname__}("]
        for name in _field_names(kind):
            _encode_into(getattr(value, name), inner, lenient, memo)
        inner.append(")")
        text = "".join(inner)
        if memo is not None and len(text) > 64:  # stories and other large values: encoded once per build
            text = "#" + hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=20).hexdigest() + ";"
            memo[id(value)] = (value, text)
        out.append(text)
    elif lenient:
        out.append(f"?{kind.__qualname__};")
    else:
        raise Unencodable(kind.__qualname__)


_SCALARS = frozenset({int, bool, float, type(None), datetime.date, datetime.datetime})


_FIELDS: dict[type, tuple[str, ...]] = {}


def _field_names(kind: type) -> tuple[str, ...]:
    names = _FIELDS.get(kind)
    if names is None:
        names = _FIELDS[kind] = tuple(field.name for field in dataclasses.fields(kind))
    return names
