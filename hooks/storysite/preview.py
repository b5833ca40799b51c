"""Fingerprints for the incremental preview (``mkdocs serve --dirty``).

MkDocs' dirty mode rebuilds a page only when its source file is newer than its output. A generated
page's source is written to the project's cache folder (``caches``) with a fingerprint of everything the page shows (its
own data, the problem list, the templates and hooks, the site's settings), and only when that
changed: its time stamp then tells MkDocs whether to build it again. A page's data holds only what
the page shows (see ``pages``), so the fingerprint of its data is complete by construction.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import fields, is_dataclass
from pathlib import Path

from . import caches
from .catalogue import ListingPage
from .story import Story


def fingerprint(*parts: object) -> str:
    """A key that changes when any part does. Python's own hash is fast (strings cache theirs) and
    stable within one ``mkdocs serve`` process, which is all an incremental preview needs."""
    return format(hash(parts) & 0xFFFFFFFFFFFFFFFF, "016x")


def data_key(data: dict, memo: dict[int, tuple[object, object]] | None = None) -> tuple:
    """A hashable key of a page's data: stories as the stories they are, lists as tuples.

    A story is hashed field by field, its body included, and it is on many pages (listings, related
    stories), as are places, values and focus areas: ``memo`` keeps the key of each story and of each
    other frozen dataclass for the build (by id, with the object kept alive)."""
    memo = {} if memo is None else memo
    return tuple((name, _key(value, memo)) for name, value in sorted(data.items()))


def _key(value: object, memo: dict[int, tuple[object, object]]) -> object:
    known = memo.get(id(value))
    if known is not None:
        return known[1]
    if isinstance(value, Story):
        memo[id(value)] = (value, ("Story", hash(value)))  # frozen: its hash covers every field
        return memo[id(value)][1]
    if isinstance(value, ListingPage):
        return (value.number, value.count, value.listing.url, tuple(_key(story, memo) for story in value.stories))
    if isinstance(value, dict):
        return tuple((k, _key(v, memo)) for k, v in sorted(value.items()))
    if isinstance(value, (list, tuple)):
        return tuple(_key(v, memo) for v in value)
    if is_dataclass(value) and not isinstance(value, type):
        key = (type(value).__name__, *(_key(getattr(value, f.name), memo) for f in fields(value)))
        if type(value).__dataclass_params__.frozen:  # type: ignore[attr-defined]
            memo[id(value)] = (value, key)
        return key
    return value


def stat_tree(root: Path, names: Iterable[str]) -> list[tuple]:
    """Names, sizes and times of the files under ``names``: cheap, and changes when any file does."""
    found = []
    for name in names:
        path = root / name
        paths = sorted(path.rglob("*")) if path.is_dir() else [path]
        for item in paths:
            if item.is_file() and "__pycache__" not in item.parts:
                stat = item.stat()
                found.append((item.relative_to(root).as_posix(), stat.st_size, stat.st_mtime_ns))
    return found


def with_fingerprint(text: str, key: str) -> str:
    """A page source with ``fingerprint: key`` in its front matter (added if it has none)."""
    if text.startswith("---\n"):
        return f"---\nfingerprint: {key}\n{text[4:]}"
    return f"---\nfingerprint: {key}\n---\n\n{text}"


def sources_folder(root: Path) -> Path:
    """Where the generated pages' sources of the project at ``root`` are written."""
    return caches.project(root) / "pages"


# What this process last wrote to each source file: a rebuild compares with it instead of reading the
# file back (a thousand files per rebuild). Lost when ``mkdocs serve`` reloads this module; then it reads.
_written: dict[Path, bytes] = {}


def cached_source(folder: Path, src_uri: str, content: str) -> str:
    """Write a page's source to ``folder`` only if it changed; return its path."""
    path = folder / src_uri
    data = content.encode("utf-8")
    if _written.get(path) == data and path.is_file():
        return str(path)
    if not path.is_file() or path.read_bytes() != data:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    _written[path] = data
    return str(path)
