"""Web versions of story pictures: resized with Pillow, kept in a content-keyed cache.

Originals stay in ``stories/``; readers get versions no wider than they are shown. A version's
cache name is a hash of the original's bytes and the target width, so an unchanged picture is
never resized twice, and a changed one never reuses a stale version.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageOps

from .story import Picture

WIDTHS = (600, 1200)  # a card (about 300 CSS px) and the story column (about 800 CSS px), at 1.5–2× density
QUALITY = 78


@dataclass(frozen=True)
class Version:
    """One resized copy of a picture."""

    name: str  # file name on the site, beside the story page
    path: Path  # the file in the cache
    width: int
    height: int


def versions(picture: Picture, cache_dir: Path) -> list[Version]:
    """The picture's web versions, smallest first. Their sizes are known at once; ``missing`` tells
    which files are not in the cache yet, and ``make`` resizes one."""
    digest = hashlib.sha256(picture.path.read_bytes()).hexdigest()[:20]
    stem = Path(picture.name).stem
    made: list[Version] = []
    widths = [w for w in WIDTHS if w < picture.width] + [min(picture.width, WIDTHS[-1])]
    for width in sorted(set(widths)):
        height = round(picture.height * width / picture.width)
        made.append(Version(f"{stem}-{width}.jpg", cache_dir / f"{digest}-{width}.jpg", width, height))
    return made


def missing(picture: Picture, made: list[Version]) -> list[Version]:
    """The versions not in the cache yet."""
    return [version for version in made if not version.path.is_file()]


def make(source: Path, versions: list[Version]) -> None:
    """Make ``versions`` of ``source``: decode once, at the smallest scale the largest needs, then
    resize for each. Pillow releases the GIL while it works, so this runs in a thread beside the
    page rendering."""
    largest = max(versions, key=lambda v: v.width)
    with Image.open(source) as image:
        sideways = image.getexif().get(0x0112) in (5, 6, 7, 8)
        size = (largest.height, largest.width) if sideways else (largest.width, largest.height)
        image.draft("RGB", size)  # JPEG: decode at a reduced scale, much faster
        image = ImageOps.exif_transpose(image).convert("RGB")
    for version in sorted(versions, key=lambda v: v.width, reverse=True):
        resized = image.resize((version.width, version.height), Image.Resampling.LANCZOS, reducing_gap=2.0)
        version.path.parent.mkdir(parents=True, exist_ok=True)
        partial = version.path.with_suffix(".part")
        resized.save(partial, "JPEG", quality=QUALITY, progressive=True)
        partial.replace(version.path)
