"""The rest of the repository: what the build reads besides the stories, checked before it reads it.

A pull request can change more than ``stories/``. A symbolic link in any folder the build reads
would publish whatever it points at: ``docs/x.txt → /proc/self/environ`` is the build's own
environment, tokens and all. So the build refuses every symbolic link in these folders (and the
two files it reads beside them), whatever it points at, before it reads anything. ``stories/`` is
the story model's (``story.discover``): a link anywhere there is a problem of its story, listed with
every other problem by the build and by ``check`` alike. No MkDocs here: the hook raises the error.
"""

from __future__ import annotations

import os
from pathlib import Path

from .characters import visible

FOLDERS = ("docs", "overrides", "data", "hooks")
FILES = ("mkdocs.yml", "CONTRIBUTING.md")


def symbolic_links(root: Path) -> list[str]:
    """Every symbolic link in the folders the build reads, relative to ``root``, in order. A linked
    folder is named, never entered."""
    found: list[str] = []
    for name in (*FOLDERS, *FILES):
        top = root / name
        if top.is_symlink():
            found.append(name)
        elif top.is_dir():
            for folder, folders, files in os.walk(top, followlinks=False):
                here = Path(folder)
                for entry in sorted(folders + files):
                    if (here / entry).is_symlink():
                        found.append((here / entry).relative_to(root).as_posix())
                folders.sort()
    return found


def links_message(links: list[str]) -> str:
    """The build's error for ``links``, in words for whoever made the pull request."""
    shown = "\n".join(f"  {_printable(link)}" for link in links)
    noun = "en symbolsk lenke" if len(links) == 1 else f"{len(links)} symbolske lenker"
    where = ", ".join(f"{folder}/" for folder in FOLDERS) + " eller stories/"
    return (f"Prosjektet har {noun}. Nettstedet bygges ikke med symbolske lenker i {where}: en lenke kan "
            f"publisere en hvilken som helst fil på maskinen som bygger.\n{shown}\n"
            "Legg inn selve filen eller mappen i stedet for lenken, eller fjern lenken.")


def _printable(path: str) -> str:
    """``path`` as it can be printed: bytes that are not UTF-8 as «�», control characters as codes."""
    try:
        path.encode("utf-8")
    except UnicodeEncodeError:
        path = os.fsencode(path).decode("utf-8", "replace")
    return visible(path)
