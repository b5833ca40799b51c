"""Pages as the last build wrote them, reused when nothing they are made from has changed. No MkDocs here.

Rendering the templates is most of a build, and a second build of an unchanged site would render
every page to the same bytes again. Each page gets a key: a digest of the site's sources (settings,
templates, hooks, data, hand-written pages), the packages in use, today's date and the settings as
MkDocs read them (``site_key``), and of the page's own address, title, metadata, content and data
(``PageCache.key``). A page whose key has an entry is written from it; the rest are rendered and
kept. Anything the key cannot describe (a value of an unknown type in a page's data) means no key:
that page is rendered, never served stale.

Entries are files named by their key in the project's cache folder (``caches``: the user's, never
the project's). Each is written to a temporary name first, so a build that is stopped never
leaves half a page; each build removes the entries it did not use.
"""

from __future__ import annotations

import dataclasses
import datetime
import hashlib
import os
import sys
import time
from collections.abc import Iterable, Mapping
from pathlib import Path

SUFFIX = ".html"
STALE_SECONDS = 3600.0  # a temporary file this old is no other build's write in progress


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
    """The rendered pages of one project, by key."""

    def __init__(self, folder: Path, site_key: str) -> None:
        self.folder = folder
        self.site_key = site_key
        folder.mkdir(parents=True, exist_ok=True)
        self._present = {name[:-len(SUFFIX)] for name in os.listdir(folder) if name.endswith(SUFFIX)}
        self._used: set[str] = set()
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

    def get(self, key: str) -> str:
        """A page kept under ``key`` (``has`` said so)."""
        self._used.add(key)
        return (self.folder / f"{key}{SUFFIX}").read_text(encoding="utf-8", errors="surrogateescape")

    def put(self, key: str, html: str) -> None:
        """Keep a page (written at once: a queue of pages waiting for a writer thread costs more memory
        than the writing costs time)."""
        self._used.add(key)
        if key not in self._present:
            self._present.add(key)
            self._write(key, html)

    def close(self) -> None:
        """Remove the entries this build did not use."""
        for name in os.listdir(self.folder):
            path = self.folder / name
            unused = name.endswith(SUFFIX) and name[:-len(SUFFIX)] not in self._used
            left = name.endswith(".tmp") and _older_than(path, STALE_SECONDS)  # by a build that was stopped
            if unused or left:
                path.unlink(missing_ok=True)

    def _write(self, key: str, html: str) -> None:
        temporary = self.folder / f"{key}.{os.getpid()}.tmp"
        temporary.write_bytes(html.encode("utf-8", "xmlcharrefreplace"))
        os.replace(temporary, self.folder / f"{key}{SUFFIX}")


def _older_than(path: Path, seconds: float) -> bool:
    try:
        return time.time() - path.stat().st_mtime > seconds
    except FileNotFoundError:
        return False


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
