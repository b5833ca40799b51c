"""What a reader downloads from a built site: page weight, search download, picture widths.

Sizes are gzip level 6 (zlib's default) of each file on its own, in bytes. Nothing here knows our
templates: a page's weight is what its HTML references, search is what Material's worker fetches.
"""

from __future__ import annotations

import gzip
import json
import os.path
import re
from functools import cache
from pathlib import Path
from urllib.parse import unquote, urlsplit

from PIL import Image

COLUMN_PX = 800  # the widest Material's content column shows a picture, in CSS pixels

_TAG = re.compile(r"<(link|script|picture|/picture|source|img)\b([^>]*)>", re.IGNORECASE)
_ATTR = re.compile(r"""(?<![\w-])(rel|href|src|srcset)=["']([^"']*)""", re.IGNORECASE)
_CONFIG = re.compile(r'<script id="__config" type="application/json">(.*?)</script>', re.DOTALL)


@cache
def gz(path: Path) -> int:
    return len(gzip.compress(path.read_bytes(), 6, mtime=0))


def resolve(site: Path, page: Path, url: str) -> Path | None:
    """The file in ``site`` a relative URL on ``page`` points to (None for other sites and missing files)."""
    parts = urlsplit(url)
    if parts.scheme or parts.netloc or not parts.path or parts.path.startswith("/"):
        return None
    target = Path(os.path.normpath(page.parent / unquote(parts.path)))
    target = target / "index.html" if target.is_dir() else target
    return target if target.is_file() and target.is_relative_to(site) else None


def page_weight(site: Path, page: Path) -> dict:
    """The page's HTML plus every stylesheet and script it references, gzipped (a first visit)."""
    assets = {}
    for tag, attrs in _tags(page):
        if tag == "link" and "stylesheet" in attrs.get("rel", "").split() and "href" in attrs:
            assets[resolve(site, page, attrs["href"])] = "css"
        elif tag == "script" and "src" in attrs:
            assets[resolve(site, page, attrs["src"])] = "js"
    weight = {"html": gz(page), "css": 0, "js": 0}
    for path, kind in assets.items():
        if path is not None:
            weight[kind] += gz(path)
    return {**weight, "total": sum(weight.values())}


def search_download(site: Path, page: Path) -> dict:
    """What Material's search fetches: everything under search/, its worker and the lunr language files."""
    config = _CONFIG.search(page.read_text(encoding="utf-8"))
    worker = config and resolve(site, page, json.loads(config.group(1))["search"])
    if not worker:
        raise ValueError(f"{page}: no search worker in Material's __config")
    langs = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))["config"]["lang"]
    langs = [langs] if isinstance(langs, str) else langs
    names = ["stemmer.support"] * any(lang != "en" for lang in langs) + [lang for lang in langs if lang != "en"]
    code = [worker] + [worker.parent.parent / "lunr" / "min" / f"lunr.{name}.min.js"
                       for name in names + ["multi"] * (len(langs) > 1)]
    index = sum(gz(path) for path in (site / "search").rglob("*") if path.is_file())
    code_size = sum(gz(path) for path in code if path.is_file())
    return {"index": index, "code": code_size, "total": index + code_size}


def _tags(page: Path) -> list[tuple[str, dict[str, str]]]:
    return [(tag.lower(), {k.lower(): v for k, v in _ATTR.findall(attrs)})
            for tag, attrs in _TAG.findall(page.read_text(encoding="utf-8"))]


def _images(page: Path) -> list[list[str]]:
    """Each ``<img>`` with every file it offers: ``src``, ``srcset`` and the ``<source>`` of its ``<picture>``."""
    images: list[list[str]] = []
    offered: list[str] = []
    for tag, attrs in _tags(page):
        if tag in ("picture", "/picture"):
            offered = []
        elif tag in ("source", "img"):
            offered += [item.split()[0] for item in attrs.get("srcset", "").split(",") if item.strip()]
            offered += [attrs["src"]] if tag == "img" and "src" in attrs else []
            if tag == "img":
                images.append(offered)
                offered = []
    return images


@cache
def _width(path: Path) -> int | None:
    try:
        with Image.open(path) as image:
            return image.width
    except OSError:
        return None  # SVG icons, missing files


def pictures(site: Path, pages: list[Path]) -> dict:
    """Every raster ``<img>`` on ``pages``: none offers a file wider than 2 × the column, and one that offers a
    file wider than the column also offers one at most the column's width (1x screens, phones)."""
    checked, worst = [], None
    for page in pages:
        for urls in _images(page):
            widths = [w for url in urls if (path := resolve(site, page, url)) and (w := _width(path))]
            if widths:
                ok = max(widths) <= 2 * COLUMN_PX and (max(widths) <= COLUMN_PX or min(widths) <= COLUMN_PX)
                checked.append(ok)
                worst = max(worst or 0, max(widths))
    return {"checked": len(checked), "ok": sum(checked), "widest": worst}
