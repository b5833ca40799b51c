"""Resizing the stories' pictures beside the page rendering, then putting them in place.

The pictures are made in a helper process (``helper``) where one can run, in threads otherwise.
Pillow releases the interpreter's lock while it decodes, resizes and encodes, but takes it back
between its calls, dozens of times a picture: a thread beside the page rendering waited for the lock
each time and got a tenth of a core while the other stood idle. The versions are not MkDocs files
(MkDocs copies its files before it renders the pages): they are copied beside their story's page
after the build, from a content-keyed cache. Only the versions of the pictures a story shows are
published; nothing else from its folder.
"""

from __future__ import annotations

import json
import os
import shutil
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

from . import helper, pictures
from .problems import Problem
from .story import Story


class Resizing:
    """The picture jobs of one build: one job per distinct picture file, however many stories show it."""

    def __init__(self, cache_dir: Path) -> None:
        self.cache_dir = cache_dir
        self.pool = ThreadPoolExecutor(max_workers=max(1, (os.cpu_count() or 2) - 1), thread_name_prefix="pictures")
        self.jobs: dict[str, Future] = {}  # picture digest → its job in a thread
        self.waiting: dict[str, tuple[Path, list[pictures.Version]]] = {}  # digest → a job not started yet
        self.helper: helper.Helper | None = None  # makes the pictures of ``by_helper``
        self.by_helper: dict[str, tuple[Path, list[pictures.Version]]] = {}
        self.users: dict[tuple[str, str], Story] = {}  # (story file, digest) → the story that shows it
        self.checked: set[str] = set()  # digests whose versions were looked for in the cache
        self.published: dict[str, dict[str, pictures.Version]] = {}  # slug → versions its page uses, by name

    def queue(self, story: Story) -> dict[str, list[pictures.Version]]:
        """Queue the versions of the story's picture and of the pictures its body shows that are not
        in the cache yet; return ``{slug: versions of the story's own picture}`` (or nothing)."""
        own: dict[str, list[pictures.Version]] = {}
        made = self.published.setdefault(story.slug, {})
        for picture in ([story.picture] if story.picture else []) + list(story.body_pictures):
            versions = pictures.versions(picture.digest, story.slug, picture.width, picture.height, self.cache_dir)
            if picture is story.picture:
                own[story.slug] = versions
            made.update((v.name, v) for v in versions)
            if picture.digest not in self.checked:  # the cache is looked at once per file
                self.checked.add(picture.digest)
                todo = pictures.missing(versions)
                if todo:
                    self.waiting[picture.digest] = (picture.path, todo)
            if picture.digest in self.waiting:
                self.users.setdefault((story.source, picture.digest), story)
        return own

    def start(self, *, helper_allowed: bool) -> None:
        """Start making the versions queued so far: in a helper process when it is allowed, can run and
        there are enough pictures to pay for it, in threads otherwise."""
        waiting, self.waiting = self.waiting, {}
        if helper_allowed and self.helper is None and len(waiting) >= helper.MIN_PICTURES and helper.available():
            self.helper = helper.Helper.start(list(waiting), lambda digest: _make(*waiting[digest]))
            if self.helper is not None:
                self.by_helper = waiting
                return
        for digest, (path, todo) in waiting.items():
            self.jobs[digest] = self.pool.submit(pictures.make, path, todo)

    def finish(self, site_dir: Path) -> list[Problem]:
        """Wait for every job, copy the versions beside their stories' pages; return the problems."""
        problems = []
        refused: dict[str, pictures.PictureError] = {}
        try:
            self.start(helper_allowed=False)  # anything queued after ``start``
            for digest, (path, todo) in self.by_helper.items():  # in the helper's order
                said = self.helper.take(digest) if self.helper is not None else None
                if said is None:  # the helper failed at it or stopped: made here, or its error found
                    self.jobs[digest] = self.pool.submit(pictures.make, path, todo)
                elif said:
                    refused[digest] = pictures.PictureError(*json.loads(said))
            for (_, digest), story in self.users.items():
                try:
                    if digest in refused:
                        raise refused[digest]
                    if digest in self.jobs:
                        self.jobs[digest].result()
                except pictures.PictureError as error:
                    problems.append(Problem(story.source, None, "image", error.message, error.suggestion))
                except Exception as error:  # noqa: BLE001 - one picture must never stop the build with a traceback
                    problems.append(Problem(story.source, None, "image",
                                            f"bildet kan ikke gjøres om til en nettversjon ({type(error).__name__}: "
                                            f"{error}).", "Lagre det på nytt som JPEG eller PNG."))
        finally:
            self.shutdown()
        for slug, versions in self.published.items():
            folder = site_dir / "historier" / slug
            for version in versions.values():
                target = folder / version.name
                if not version.path.is_file():
                    continue  # its resize failed, and is reported
                if not target.is_file() or target.stat().st_mtime_ns < version.path.stat().st_mtime_ns:
                    folder.mkdir(parents=True, exist_ok=True)
                    _place(version.path, target)
        return problems

    def shutdown(self, cancel_futures: bool = False) -> None:
        if self.helper is not None:
            self.helper.close()
        self.pool.shutdown(cancel_futures=cancel_futures)


def _make(source: Path, versions: list[pictures.Version]) -> str:
    """``pictures.make`` in the helper: nothing when it made the versions, the editor's message and
    suggestion (as JSON) when the picture is refused. Any other error makes the build try it itself."""
    try:
        pictures.make(source, versions)
    except pictures.PictureError as error:
        return json.dumps([error.message, error.suggestion])
    return ""


def _place(version: Path, target: Path) -> None:
    """Put a version from the cache in the site: as a second name of the same file where the two folders
    are on one file system (no bytes written, and no new file to make: writing a thousand versions
    again was a tenth of a second build), as a copy elsewhere. Neither is ever written in place: the
    cache replaces a version by renaming a new file over it, MkDocs removes the site's."""
    target.unlink(missing_ok=True)
    try:
        os.link(version, target)
    except OSError:  # another file system, or one without links
        shutil.copyfile(version, target)
