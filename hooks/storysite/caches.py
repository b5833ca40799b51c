"""Where the build keeps what it can reuse: in the user's cache folder, never in the project.

A project's folder can come from a pull request, ``.cache/`` included (``git add -f``): a cache there
could publish a planted picture, hand the build a story it did not read, or, through a symbolic link,
make the build write outside the project. The user's cache folder is the machine's own. Pictures
are keyed by their content and shared by every project; the rest is kept per project folder.
Deleting any of it is always safe. ``XDG_CACHE_HOME`` moves it (the tests and the benchmark do).
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import platformdirs

NAME = "sammen-skaper-vi-fremtiden"


def shared() -> Path:
    """The cache folder shared by every project on this machine (pictures, the signing key)."""
    return Path(platformdirs.user_cache_dir(NAME))


def project(root: Path) -> Path:
    """The cache folder of the project at ``root`` (its stories, its compiled templates, its preview)."""
    return shared() / "projects" / hashlib.sha256(str(root.resolve()).encode("utf-8")).hexdigest()[:16]
