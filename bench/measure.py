"""What a built site weighs for a reader: page weight, index pages, search data, pictures, output size.

Every size is gzip at level 6 (zlib's default, what nginx/Apache typically serve with
compression on), of each file on its own, in kilobytes of 1,000 bytes.

Nothing here knows the site's templates: CSS and JS are what each page references, index pages
are the pages that link to stories, and search data is what Material's search worker would fetch
(its worker script, the lunr language files for the index's languages, everything under
``search/``) plus any ``.json`` file the site's own scripts name.
"""

from __future__ import annotations

import gzip
import hashlib
import html
import json
import os.path
import re
import statistics
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

from PIL import Image

GZIP_LEVEL = 6
COLUMN_PX = 800  # the widest a story picture is shown, in CSS pixels (Material's content column)

_TAG = re.compile(r"<(link|script)\b([^>]*)>", re.IGNORECASE)
_ATTR = re.compile(r"""([a-zA-Z_:][-a-zA-Z0-9_:.]*)\s*(?:=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?""")
_HREF = re.compile(r"""\bhref\s*=\s*(?:"([^"]*)"|'([^']*)')""", re.IGNORECASE)
_CONFIG = re.compile(r'<script id="__config" type="application/json">(.*?)</script>', re.DOTALL)
_IMG_SRC = re.compile(r"""<img\b[^>]*?\bsrc\s*=\s*["']([^"']*)""", re.IGNORECASE)
_JSON_NAME = re.compile(r"""["'`]([\w./-]+\.json)["'`]""")


class Site:
    """A built site folder and how its addresses map to files."""

    def __init__(self, site_dir: Path, base_path: str) -> None:
        self.dir = site_dir.resolve()
        self.base_path = "/" + base_path.strip("/") + "/" if base_path.strip("/") else "/"
        self._gz: dict[Path, int] = {}

    def page(self, url: str) -> Path:
        return self.dir / url / "index.html" if url else self.dir / "index.html"

    def resolve(self, page: Path, url: str) -> Path | None:
        """The file a URL in ``page`` points to, or None for external or missing files."""
        parts = urlsplit(url)
        if parts.scheme or parts.netloc or not parts.path:
            return None
        path = unquote(parts.path)
        if path.startswith("/"):
            if not path.startswith(self.base_path):
                return None
            target = self.dir / path[len(self.base_path):]
        else:
            target = page.parent / path
        target = Path(os.path.normpath(target))
        if target.is_dir():
            target = target / "index.html"
        return target if target.is_file() and target.is_relative_to(self.dir) else None

    def gz(self, path: Path) -> int:
        if path not in self._gz:
            self._gz[path] = gz_size(path.read_bytes())
        return self._gz[path]


def gz_size(data: bytes) -> int:
    return len(gzip.compress(data, GZIP_LEVEL, mtime=0))


# Output --------------------------------------------------------------------------------------------

def output_size(site: Site) -> dict:
    files = [p for p in site.dir.rglob("*") if p.is_file()]
    return {"bytes": sum(p.stat().st_size for p in files), "files": len(files)}


def fingerprint(site: Site) -> str:
    """A hash of every file's path and content: equal for two builds that wrote the same site."""
    digest = hashlib.sha1()
    for path in sorted(p for p in site.dir.rglob("*") if p.is_file()):
        digest.update(path.relative_to(site.dir).as_posix().encode())
        if path.name.startswith("sitemap.xml"):
            continue  # carries the build date
        digest.update(hashlib.sha1(path.read_bytes()).digest())
    return digest.hexdigest()


# Page weight ---------------------------------------------------------------------------------------

@dataclass
class Weight:
    page: str
    html: int
    css: int
    js: int
    files: list[str] = field(default_factory=list)

    @property
    def total(self) -> int:
        return self.html + self.css + self.js


def page_weight(site: Site, page: Path) -> Weight:
    """HTML + every stylesheet and script the page references, gzipped (a first visit, nothing cached)."""
    text = page.read_text(encoding="utf-8")
    css = js = 0
    seen: set[Path] = set()
    for tag, attrs in _TAG.findall(text):
        values = _attrs(attrs)
        if tag.lower() == "link":
            if "stylesheet" not in values.get("rel", "").lower().split() or "href" not in values:
                continue
            target = site.resolve(page, values["href"])
        else:
            if "src" not in values:
                continue
            target = site.resolve(page, values["src"])
        if target is None or target in seen:
            continue
        seen.add(target)
        if tag.lower() == "link":
            css += site.gz(target)
        else:
            js += site.gz(target)
    return Weight(_rel(site, page), site.gz(page), css, js, [_rel(site, p) for p in sorted(seen)])


def story_weights(site: Site, pages: list[Path]) -> dict:
    weights = [page_weight(site, page) for page in pages if page.is_file()]
    if not weights:
        return {"pages": 0}
    heaviest = max(weights, key=lambda w: w.total)
    return {
        "pages": len(weights),
        "max": heaviest.total,
        "median": statistics.median(w.total for w in weights),
        "heaviest": {"page": heaviest.page, "html": heaviest.html, "css": heaviest.css, "js": heaviest.js,
                     "files": heaviest.files},
    }


def _attrs(text: str) -> dict[str, str]:
    return {m.group(1).lower(): m.group(2) or m.group(3) or m.group(4) or "" for m in _ATTR.finditer(text)}


def _rel(site: Site, path: Path) -> str:
    return path.relative_to(site.dir).as_posix()


# Index pages ---------------------------------------------------------------------------------------

def index_pages(site: Site, story_pages: set[Path]) -> dict:
    """Every page (other than a story page) that links to a story: the largest, gzipped HTML alone."""
    found = []
    for page in site.dir.rglob("*.html"):
        if page in story_pages or page.name == "404.html":
            continue
        text = page.read_text(encoding="utf-8")
        links = {site.resolve(page, m.group(1) or m.group(2)) for m in _HREF.finditer(text)}
        if links & story_pages:
            found.append((site.gz(page), _rel(site, page)))
    if not found:
        return {"pages": 0}
    found.sort(reverse=True)
    return {"pages": len(found), "max": found[0][0], "largest": found[0][1],
            "median": statistics.median(size for size, _ in found)}


def pages_showing(site: Site, target: Path, title: str) -> list[Path]:
    """Every page other than ``target`` (and 404) that links to ``target`` and shows ``title``."""
    needles = {title, html.escape(title, quote=False), html.escape(title)}
    result = []
    for page in sorted(site.dir.rglob("*.html")):
        if page == target or page.name == "404.html":
            continue
        text = page.read_text(encoding="utf-8")
        if not any(needle in text for needle in needles):
            continue
        if any(site.resolve(page, m.group(1) or m.group(2)) == target for m in _HREF.finditer(text)):
            result.append(page)
    return result


# Search --------------------------------------------------------------------------------------------

def search_data(site: Site, sample_page: Path) -> dict:
    """What a reader downloads to search: the index files, the search worker and its language files."""
    parts: dict[str, int] = {}
    raw: dict[str, int] = {}
    search_dir = site.dir / "search"
    if search_dir.is_dir():
        for path in sorted(p for p in search_dir.rglob("*") if p.is_file()):
            parts[_rel(site, path)] = site.gz(path)
            raw[_rel(site, path)] = path.stat().st_size
    text = sample_page.read_text(encoding="utf-8") if sample_page.is_file() else ""
    config = _material_config(text)
    worker = None
    if config.get("search"):
        worker = site.resolve(sample_page, config["search"])
    if worker is not None:
        parts[_rel(site, worker)] = site.gz(worker)
        # Material's worker imports lunr's language support for every non-English index language.
        langs = _index_languages(search_dir / "search_index.json")
        lunr = worker.parent.parent / "lunr"
        names = []
        if any(lang != "en" for lang in langs):
            names.append("min/lunr.stemmer.support.min.js")
            names += [f"min/lunr.{lang}.min.js" for lang in langs if lang != "en"]
        if len(langs) > 1:
            names.append("min/lunr.multi.min.js")
        for name in names:
            if (lunr / name).is_file():
                parts[_rel(site, lunr / name)] = site.gz(lunr / name)
    # JSON the site's own scripts fetch (not Material's bundle), in case the search was replaced.
    for script in _own_scripts(site, sample_page, text):
        for name in _JSON_NAME.findall(script.read_text(encoding="utf-8", errors="replace")):
            for candidate in (site.dir / name.lstrip("/"), script.parent / name):
                if candidate.is_file() and _rel(site, candidate) not in parts:
                    parts[_rel(site, candidate)] = site.gz(candidate)
    index = {k: v for k, v in parts.items() if k.startswith("search/") or k.endswith(".json")}
    return {
        "total": sum(parts.values()),
        "index": sum(index.values()),
        "index_raw": sum(raw.values()),
        "code": sum(parts.values()) - sum(index.values()),
        "files": parts,
        "documents": _index_documents(search_dir / "search_index.json"),
    }


def _material_config(text: str) -> dict:
    match = _CONFIG.search(text)
    try:
        return json.loads(match.group(1)) if match else {}
    except ValueError:
        return {}


def _index_languages(path: Path) -> list[str]:
    try:
        lang = json.loads(path.read_text(encoding="utf-8")).get("config", {}).get("lang", ["en"])
    except (OSError, ValueError):
        return []
    return [lang] if isinstance(lang, str) else list(lang)


def _index_documents(path: Path) -> dict:
    """How many entries the lunr index holds and how much of it is body text (to explain its size)."""
    try:
        docs = json.loads(path.read_text(encoding="utf-8")).get("docs", [])
    except (OSError, ValueError):
        return {}
    text = sum(len(d.get("text", "")) for d in docs)
    total = sum(len(d.get("text", "")) + len(d.get("title", "")) + len(d.get("location", "")) for d in docs)
    return {"entries": len(docs), "pages": len({d.get("location", "").split("#")[0] for d in docs}),
            "text_share": text / total if total else 0.0}


def _own_scripts(site: Site, page: Path, text: str) -> list[Path]:
    scripts = []
    for tag, attrs in _TAG.findall(text):
        values = _attrs(attrs)
        if tag.lower() == "script" and "src" in values:
            target = site.resolve(page, values["src"])
            if target is not None and "/assets/javascripts/" not in "/" + _rel(site, target):
                scripts.append(target)
    return scripts


# Pictures ------------------------------------------------------------------------------------------

class _Images(HTMLParser):
    """Each <img> with the srcset candidates of its own ``srcset`` and of ``<source>`` in its ``<picture>``."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.images: list[dict] = []
        self._sources: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        values = {k: v or "" for k, v in attrs}
        if tag == "picture":
            self._sources = []
        elif tag == "source" and self._sources is not None and values.get("srcset"):
            self._sources.append(values["srcset"])
        elif tag == "img":
            srcsets = list(self._sources or []) + ([values["srcset"]] if values.get("srcset") else [])
            self.images.append({"src": values.get("src", ""), "srcsets": srcsets, "sizes": values.get("sizes")})

    def handle_endtag(self, tag):
        if tag == "picture":
            self._sources = None


def pictures(site: Site, pages: list[Path]) -> dict:
    """Check every raster picture on ``pages`` against ``PICTURE_RULE``."""
    widths: dict[Path, int | None] = {}

    def width(path: Path | None) -> int | None:
        if path is None:
            return None
        if path not in widths:
            try:
                with Image.open(path) as image:
                    widths[path] = image.width
            except Exception:
                widths[path] = None
        return widths[path]

    checked = passed = 0
    worst: dict | None = None
    for page in pages:
        if not page.is_file():
            continue
        text = page.read_text(encoding="utf-8")
        if not any(not src.lower().endswith(".svg") for src in _IMG_SRC.findall(text)) and "srcset" not in text:
            continue  # no pictures, only icons
        parser = _Images()
        parser.feed(text)
        for image in parser.images:
            src_width = width(site.resolve(page, image["src"]))
            candidates = [w for srcset in image["srcsets"] for url, _ in _candidates(srcset)
                          if (w := width(site.resolve(page, url))) is not None]
            if src_width is None and not candidates:
                continue  # an icon (SVG) or a missing file: not a raster picture
            checked += 1
            offered = candidates + ([src_width] if src_width else [])
            widest = max(offered)
            small_enough = min(offered) <= COLUMN_PX if candidates else widest <= COLUMN_PX
            ok = widest <= 2 * COLUMN_PX and small_enough
            passed += ok
            record = {"page": _rel(site, page), "src": image["src"], "src_width": src_width,
                      "srcset": sorted(set(candidates)), "widest": widest, "ok": ok}
            if worst is None or (not ok, widest) > (not worst["ok"], worst["widest"]):
                worst = record
    return {"checked": checked, "ok": passed, "worst": worst}


PICTURE_RULE = (
    f"the story column is at most {COLUMN_PX} CSS px wide, {2 * COLUMN_PX} px on a 2x screen. A picture passes if "
    f"no file it offers (src and every srcset candidate, <picture> sources included) is wider than {2 * COLUMN_PX} "
    f"px, and, if it is wider than {COLUMN_PX} px, a srcset offers a version at most {COLUMN_PX} px wide (so "
    "1x screens and phones need not take the 2x file). Widths are read from the files, not from the w "
    "descriptors. Card pictures on index pages are held to the same rule (lenient: cards are narrower)."
)


def _candidates(srcset: str) -> list[tuple[str, str]]:
    result = []
    for item in srcset.split(","):
        bits = item.strip().split()
        if bits:
            result.append((bits[0], bits[1] if len(bits) > 1 else "1x"))
    return result
