"""What reading each story gave, kept between builds (``stories.json`` in the project's cache folder,
see ``caches``): a second build reads only the stories whose files changed. No MkDocs here.

An entry is used only when the story's files (names, sizes, times), the story code, the vocabulary
and the date are what they were. The file is JSON, never pickle, and it is signed with a key of this
machine's: a cache file from anywhere else is ignored. Its first line is the signature (an HMAC),
the rest the JSON it signs: written and read without a second copy of the payload in memory, which
at 1,000 stories is about 10 MB (a signed JSON document wrapping the payload as a JSON string
held it three times over, and was the build's peak memory).
"""

from __future__ import annotations

import datetime
import hashlib
import hmac
import json
import os
import secrets
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import caches, helper
from .problems import Problem
from .story import Picture, Story
from .vocabulary import Vocabulary

if TYPE_CHECKING:
    from collections.abc import Callable

STALE_SECONDS = 3600.0  # a temporary file this old is no running build's
FORMAT = 5  # 2: pictures keep their digest; 3: original_language; 4: signature line, then the payload; 5: words


class StoryCache:
    """A mapping from ``load_all``'s keys to ``(story, problems)``, read from and saved to a file."""

    def __init__(self, file: Path, vocabulary: Vocabulary, vocabulary_file: Path) -> None:
        self.file = file
        self.vocabulary = vocabulary
        code = b"".join(p.read_bytes() for p in sorted(Path(__file__).parent.glob("*.py")))
        self.signature = hashlib.sha256(b"%d|%s|" % (FORMAT, datetime.date.today().isoformat().encode())
                                        + code + vocabulary_file.read_bytes()).hexdigest()
        self.entries: dict[str, Any] = {}
        self.used: dict[str, Any] = {}
        self._read()

    def get(self, key: tuple[Path, Vocabulary, tuple]) -> tuple[Story | None, list[Problem]] | None:
        """What reading the story gave last time, or None (not there, or anything amiss)."""
        name = self._name(key)
        entry = self.entries.get(name)
        found = _found(entry, self.vocabulary) if entry is not None else None
        if found is not None:
            self.used[name] = entry
        return found

    def __setitem__(self, key: tuple[Path, Vocabulary, tuple], value: tuple[Story | None, list[Problem]]) -> None:
        self.used[self._name(key)] = _entry(*value)

    def save(self) -> None:
        """Keep what this build used (entries of deleted or changed stories go)."""
        # ASCII: a file name that is not UTF-8 reaches Python as lone surrogates, which JSON can
        # hold only escaped (with ensure_ascii=False, encoding the payload would fail).
        payload = json.dumps({"signature": self.signature, "entries": self.used}, sort_keys=True).encode("ascii")
        self.file.parent.mkdir(parents=True, exist_ok=True)
        partial = self.file.with_name(f"{self.file.stem}.{os.getpid()}.part")  # one per build: two may run at once
        with open(partial, "wb") as file:
            file.write(_mac(payload).encode("ascii") + b"\n")
            file.write(payload)
        partial.replace(self.file)
        for left in self.file.parent.glob(f"{self.file.stem}.*.part"):  # by builds that were stopped
            try:
                if time.time() - left.stat().st_mtime > STALE_SECONDS:
                    left.unlink()
            except OSError:
                pass  # gone already, or another build's to finish

    def _read(self) -> None:
        try:
            with open(self.file, "rb") as file:
                mac = file.readline(65).rstrip(b"\n").decode("ascii")  # 64 hex digits: an older format is longer
                payload = file.read()
            if not hmac.compare_digest(mac, _mac(payload)):
                return
            data = json.loads(payload)
            del payload
        except (OSError, ValueError, KeyError, TypeError):
            return
        if isinstance(data, dict) and data.get("signature") == self.signature:
            self.entries = data["entries"]

    @staticmethod
    def _name(key: tuple[Path, Vocabulary, tuple]) -> str:
        path, _vocabulary, stat = key
        return json.dumps([str(path), stat])


def load_with_helper(items: list[tuple[str, Path]],
                     load_one: Callable[[str, Path], tuple[Story | None, list[Problem]]],
                     vocabulary: Vocabulary) -> dict[Path, tuple[Story | None, list[Problem]]]:
    """What reading each story of ``items`` (its name and file: stories the cache can hold) gave, with
    ``load_one``: half of them read by a helper (``helper``) in a second process, which hands each
    back as this cache keeps it (reading a story costs about 0.9 ms, handing it back 0.05 ms). Empty
    when no helper can run: the caller reads them all itself."""
    if len(items) < helper.MIN_STORIES or not helper.available():
        return {}
    theirs = helper.share([str(index) for index in range(len(items))], 0.5)
    taken = set(theirs)

    def work(name: str) -> str:
        return json.dumps(_entry(*load_one(*items[int(name)])))

    started = helper.Helper.start(theirs, work)
    if started is None:
        return {}
    try:
        read = {path: load_one(name, path) for index, (name, path) in enumerate(items) if str(index) not in taken}
        for index in theirs:
            text = started.take(index)
            name, path = items[int(index)]
            found = _found(_json(text), vocabulary) if text is not None else None
            read[path] = found if found is not None else load_one(name, path)
    finally:
        started.close()
    return read


def _entry(story: Story | None, problems: list[Problem]) -> dict:
    return {"story": _record(story), "problems": [vars(p) for p in problems]}


def _found(entry: Any, vocabulary: Vocabulary) -> tuple[Story | None, list[Problem]] | None:
    """An entry as ``_entry`` made it, or None when it is not one."""
    try:
        return _story(entry["story"], vocabulary), [Problem(**p) for p in entry["problems"]]
    except (KeyError, TypeError, ValueError):
        return None


def _json(text: str) -> Any:
    try:
        return json.loads(text)
    except ValueError:
        return None


def _mac(payload: bytes) -> str:
    return hmac.new(_key(), payload, hashlib.sha256).hexdigest()


def _key() -> bytes:
    """This machine's signing key, made on first use, readable by its owner only."""
    key_file = caches.shared() / "story-cache.key"
    try:
        return key_file.read_bytes()
    except OSError:
        key_file.parent.mkdir(parents=True, exist_ok=True)
        key = secrets.token_bytes(32)
        descriptor = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "wb") as file:
            file.write(key)
        return key


def _record(story: Story | None) -> dict | None:
    if story is None:
        return None
    def picture(p: Picture | None) -> dict | None:
        return None if p is None else {"path": str(p.path), "name": p.name, "alt": p.alt, "credit": p.credit,
                                       "width": p.width, "height": p.height, "digest": p.digest}

    return {
        "slug": story.slug, "source": story.source, "title": story.title, "description": story.description,
        "date": story.date.isoformat(), "authors": list(story.authors), "values": [v.name for v in story.values],
        "place": story.place.name if story.place else None, "focus": [f.key for f in story.focus],
        "picture": picture(story.picture), "featured": story.featured, "draft": story.draft, "words": story.words,
        "body_line": story.body_line, "html": story.html, "body_pictures": [picture(p) for p in story.body_pictures],
        "withdrawn": story.withdrawn.isoformat() if story.withdrawn else None,
        "partners": [p.key for p in story.partners], "goals": [g.key for g in story.goals],
        "original_language": story.original_language.code if story.original_language else None,
    }


def _story(record: dict | None, vocabulary: Vocabulary) -> Story | None:
    if record is None:
        return None

    def picture(data: dict | None) -> Picture | None:
        return None if data is None else Picture(**{**data, "path": Path(data["path"])})

    def each(find, words) -> tuple:
        found = tuple(find(word) for word in words)
        if None in found:
            raise KeyError("vocabulary changed")  # cannot happen: the vocabulary is in the signature
        return found

    return Story(
        slug=record["slug"], source=record["source"], title=record["title"], description=record["description"],
        date=datetime.date.fromisoformat(record["date"]), authors=tuple(record["authors"]),
        values=each(vocabulary.value, record["values"]),
        place=vocabulary.place(record["place"]) if record["place"] else None,
        focus=each(vocabulary.focus_area, record["focus"]), picture=picture(record["picture"]),
        featured=record["featured"], draft=record["draft"], words=record["words"], body_line=record["body_line"],
        html=record["html"], body_pictures=tuple(p for p in map(picture, record["body_pictures"]) if p),
        withdrawn=datetime.date.fromisoformat(record["withdrawn"]) if record["withdrawn"] else None,
        partners=each(vocabulary.partner, record["partners"]), goals=each(vocabulary.goal, record["goals"]),
        original_language=each(vocabulary.language, [record["original_language"]])[0]
        if record["original_language"] else None,
    )
