"""Every link a reader or a machine can follow leads somewhere: every internal ``href``, ``src`` and
``srcset`` candidate of every built page, feed and sitemap resolves to a file the build wrote, and every
``#fragment`` to an element with that id on the page it names.

Two sites are walked: the project's own example stories and a generated one with a few hundred stories
(``bench/storygen.py``), so paging (``…/side/2/``), every place, focus area, partner and goal, and
pictures in every card are covered. Links count as internal when they are relative or start with the
site's address (``site_url``), as canonical links, feeds and sitemaps write them.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit
from xml.etree import ElementTree as ET

import pytest
from conftest import ROOT, Site, build

sys.path.insert(0, str(ROOT / "bench"))

import sites
import storygen

SITE_URL = "https://example.invalid/"  # mkdocs.yml's default when SITE_URL is not set
GENERATED = 300
# Attributes that name something the browser fetches or goes to; srcset holds a list of candidates.
LINK_ATTRIBUTES = {"href", "src", "srcset", "xlink:href", "poster", "action", "data"}
ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


@dataclass
class Page:
    """What one HTML file holds: the ids a fragment can name and every link with its element."""

    ids: set[str] = field(default_factory=set)
    links: list[tuple[str, str]] = field(default_factory=list)  # (element, address)


class _Reader(HTMLParser):
    """One pass over an HTML file: ids, ``<a name>`` anchors and link attributes (faster than a tree)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.page = Page()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        for name, value in attrs:
            if value is None:
                continue
            if name == "id" or (name == "name" and tag == "a"):
                self.page.ids.add(value)
            elif name == "srcset":
                self.page.links += [(tag, candidate.split()[0]) for candidate in value.split(",") if candidate.strip()]
            elif name in LINK_ATTRIBUTES:
                self.page.links.append((tag, value))
        if tag == "meta" and found.get("property") in ("og:url", "og:image") and found.get("content"):
            self.page.links.append((tag, found["content"] or ""))

    handle_startendtag = handle_starttag


def read_html(path: Path) -> Page:
    reader = _Reader()
    reader.feed(path.read_text(encoding="utf-8"))
    reader.close()
    return reader.page


def xml_links(path: Path) -> list[tuple[str, str]]:
    """The addresses of an Atom feed (its links; entries' ids are names, not links) or a sitemap."""
    root = ET.parse(path).getroot()
    links = [("link", link.get("href", "")) for link in root.iter(f"{ATOM}link")]
    links += [("loc", (loc.text or "").strip()) for loc in root.iter(f"{SITEMAP}loc")]
    return links


class Walk:
    """The built site's files, and each page's ids read once."""

    def __init__(self, site: Site) -> None:
        self.root = site.site_dir
        self.files = {p.relative_to(self.root).as_posix() for p in self.root.rglob("*") if p.is_file()}
        self.pages = {name: read_html(self.root / name) for name in self.files if name.endswith(".html")}

    def target(self, address: str) -> str | None:
        """The written file an internal path names (``a/`` is ``a/index.html``), or None."""
        path = unquote(address).lstrip("/")
        for name in (path, f"{path}/index.html" if path and not path.endswith("/") else f"{path}index.html"):
            if name in self.files:
                return name
        return None

    def broken(self) -> list[str]:
        """Every internal link of every page, feed and sitemap that leads nowhere, as «page: link → why»."""
        problems: list[str] = []
        sources = [(name, page.links) for name, page in self.pages.items()]
        sources += [(name, xml_links(self.root / name)) for name in self.files if name.endswith(".xml")]
        for name, links in sorted(sources):
            base = SITE_URL + name
            for element, address in links:
                why = self.check(base, address)
                if why:
                    problems.append(f"{name}: <{element}> {address} → {why}")
        return problems

    def check(self, base: str, address: str) -> str | None:
        address = address.strip()
        if not address or address.startswith(("mailto:", "tel:", "data:", "javascript:")):
            return None
        absolute = urljoin(base, address)
        if not absolute.startswith(SITE_URL):
            return None if urlsplit(absolute).scheme in ("http", "https") else "not a web address"
        parts = urlsplit(absolute)
        target = self.target(parts.path[len(urlsplit(SITE_URL).path):])
        if target is None:
            return "no such file"
        if parts.fragment:
            page = self.pages.get(target)
            if page is None:
                return f"#{parts.fragment} on a file that is not a page"
            if unquote(parts.fragment) not in page.ids:
                return f"no element with id {parts.fragment!r} on {target}"
        return None

    def count(self) -> int:
        return sum(len(page.links) for page in self.pages.values())


@pytest.fixture(scope="module")
def example_walk(real_site) -> Walk:
    return Walk(real_site)


@pytest.fixture(scope="module")
def generated_walk(tmp_path_factory) -> Walk:
    folder = tmp_path_factory.mktemp("stories") / "stories"
    storygen.generate(folder, GENERATED, ROOT / "data" / "vocabulary.yml")
    site = build(sites.ours(folder, tmp_path_factory.mktemp("generated") / "project"))
    assert site.error is None, site.error
    return Walk(site)


def test_every_internal_link_of_the_example_site_resolves(example_walk):
    assert example_walk.broken() == []
    assert example_walk.count() > 2000  # the walk saw the site, not an empty folder


def test_every_internal_link_of_a_site_with_hundreds_of_stories_resolves(generated_walk):
    assert generated_walk.broken() == []
    assert any("/side/2/" in name for name in generated_walk.pages)
    assert len([n for n in generated_walk.pages if n.startswith("historier/")]) > GENERATED


def test_the_walk_reads_feeds_sitemaps_and_every_picture_candidate(example_walk):
    """The walk itself: it follows srcset candidates and the addresses in feeds and the sitemap."""
    story = next(name for name, page in example_walk.pages.items()
                 if name.startswith("historier/") and any(el == "img" and "-1200." in a for el, a in page.links))
    assert {address.rsplit("-", 1)[-1] for element, address in example_walk.pages[story].links
            if element == "img"} >= {"600.jpg", "1200.jpg"}
    assert any(el == "link" and a == SITE_URL + "historier/" for el, a in xml_links(example_walk.root / "feed.xml"))
    assert any(el == "loc" for el, _ in xml_links(example_walk.root / "sitemap.xml"))


def test_the_walk_finds_a_missing_file_a_missing_fragment_and_a_foreign_page(example_walk):
    check = example_walk.check
    assert check(SITE_URL + "historier/index.html", "feed.xml") == "no such file"
    assert check(SITE_URL + "index.html", SITE_URL + "historier/feed.xml") == "no such file"
    assert check(SITE_URL + "index.html", "#ingen-slik-id").startswith("no element with id")
    assert check(SITE_URL + "index.html", "feed.xml#x") == "#x on a file that is not a page"
    assert check(SITE_URL + "historier/index.html", "../feed.xml") is None
    assert check(SITE_URL + "index.html", "https://www.baerum.kommune.no/") is None
    assert check(SITE_URL + "index.html", "mailto:post@baerum.kommune.no") is None


def test_each_feed_is_linked_where_it_belongs(real_site, example_walk):
    """One site-wide feed, linked from the all-stories listing, and one per value, linked from its page;
    every feed written is announced by some page."""
    feeds = {name for name in example_walk.files if name.endswith("feed.xml")}
    assert feeds == {"feed.xml", "verdier/mangfold/feed.xml", "verdier/raushet/feed.xml", "verdier/barekraft/feed.xml"}
    for url, feed in [("historier/", "feed.xml"), ("historier/side/2/", "feed.xml")] + [
            (name.removesuffix("feed.xml"), name) for name in feeds if name.startswith("verdier/")]:
        link = real_site.article(url).select_one(".feed-link a")["href"]
        assert urljoin(SITE_URL + url, link) == SITE_URL + feed, url
    announced = {urljoin(SITE_URL + name, href).removeprefix(SITE_URL)
                 for name, page in example_walk.pages.items() for element, href in page.links
                 if element == "link" and href.endswith("feed.xml")}
    assert announced == feeds
