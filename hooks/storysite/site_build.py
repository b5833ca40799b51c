"""The MkDocs side of the story site: one ``SiteBuild`` per build turns the model into pages.

The hook file ``hooks/site.py`` creates it in ``on_config`` and hands every event to it, so no
state survives from one build (or one ``mkdocs serve`` rebuild) to the next.
"""

from __future__ import annotations

import functools
import html
import math
import os
import shutil
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from babel.dates import format_date
from jinja2 import FileSystemBytecodeCache
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, InclusionLevel

from . import feeds, guide, pictures, trim_css
from . import vocabulary as vocabulary_module
from .catalogue import Catalogue, ListingPage
from .problems import report
from .story import Story, load_all

if TYPE_CHECKING:
    from jinja2 import Environment
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.files import Files
    from mkdocs.structure.pages import Page

STORIES_DIR = "stories"
VOCABULARY_FILE = "data/vocabulary.yml"
GUIDE_FILE = "CONTRIBUTING.md"
CACHE_DIR = ".cache/pictures"
PAGES_CACHE_DIR = ".cache/pages"
JINJA_CACHE_DIR = ".cache/templates"
# What every page depends on besides its own data: when any of these change, every page is rebuilt.
SITE_INPUTS = ("mkdocs.yml", "overrides", "hooks", "data", GUIDE_FILE)
HOME_NEWEST = 6
WORDS_PER_MINUTE = 200


@dataclass
class GeneratedPage:
    """What a generated page shows: its template, its title and the data its template gets."""

    template: str
    title: str
    description: str
    context: dict = field(default_factory=dict)
    feed: str | None = None  # the feed this page announces besides the site's own


class SiteBuild:
    """Reads the stories once per build and answers MkDocs' events with pages and template data."""

    def __init__(self, config: MkDocsConfig, *, preview: bool, logger, dirty: bool = False,
                 story_cache: dict | None = None) -> None:
        self.root = Path(config.config_file_path).parent
        self.site_url = config.site_url or "/"
        self.preview = preview
        self.dirty = dirty
        self.log = logger
        try:
            self.vocabulary = vocabulary_module.load(self.root / VOCABULARY_FILE)
        except vocabulary_module.VocabularyError as error:
            raise PluginError(str(error)) from None
        stories, self.problems = load_all(self.root / STORIES_DIR, self.root, self.vocabulary,
                                          cache=story_cache if preview else None)
        if self.problems and not preview:
            raise PluginError(
                report(self.problems) + "\n\nHistorier med feil publiseres ikke. Rett feilene og bygg på nytt."
            )
        for problem in self.problems:
            self.log.warning("Utelatt fra forhåndsvisningen: %s", problem)
        self.catalogue = Catalogue.build(stories, self.vocabulary, include_drafts=preview)
        self.pages: dict[str, GeneratedPage] = {}
        self.pictures: dict[str, list[pictures.Version]] = {}  # a story's own picture, smallest first
        self.published_pictures: dict[str, list[pictures.Version]] = {}  # every version a story's page uses
        self.bodies: dict[str, str] = {}
        # One core renders pages; the others resize pictures meanwhile.
        self.resizing = ThreadPoolExecutor(max_workers=max(1, (os.cpu_count() or 2) - 1),
                                           thread_name_prefix="pictures")
        self.resize_jobs = []
        self.site_key = _fingerprint(tuple(self.problems), preview, self.site_url,
                                     *_stat_tree(self.root, SITE_INPUTS))

    # Events ------------------------------------------------------------------------------------

    def add_files(self, files: Files, config: MkDocsConfig) -> Files:
        """Add a page per story, per listing page and per overview, and the stories' pictures."""
        for story in self.catalogue.stories:
            self._add_pictures(files, config, story)
        for story in self.catalogue.stories:
            # The body is published as the story model rendered and sanitised it (see body.py), so
            # MkDocs gets an empty page and never renders a story's Markdown itself.
            self._add_page(files, config, f"{story.url}index.md", "", self._story_page(story))
        for listing in self.catalogue.listings():
            feed = f"{listing.url}feed.xml" if listing.kind in ("all", "value") else None
            for page in listing.pages():
                self._add_page(files, config, f"{page.url}index.md", "", self._listing_page(page, feed))
        self._add_page(files, config, "steder/index.md", "", GeneratedPage(
            "places.html", "Steder", "Historier fra stedene i Bærum.",
            {"places": self.catalogue.places_in_use()}))
        self._add_page(files, config, "satsingsomrader/index.md", "", GeneratedPage(
            "focus-areas.html", "Satsingsområder", "Visjonens fire satsingsområder og historiene om dem.",
            {"areas": [(a, len(self.catalogue.in_focus(a))) for a in self.vocabulary.focus]}))
        self._add_guide(files, config)
        self._add_feeds(files, config)
        if self.dirty:
            self._fingerprint_docs(files, config)
        return files

    def page_markdown(self, markdown: str, page: Page) -> str:
        """Give a generated page its title, description and template (MkDocs reset its meta)."""
        generated = self.pages.get(page.file.src_uri)
        if generated:
            page.meta["title"] = html.escape(generated.title, quote=False)
            page.meta["description"] = html.escape(generated.description)
            page.meta["template"] = generated.template
        return markdown

    def page_content(self, content: str, page: Page) -> str:
        """Story pages: the search index gets title, ingress, values, place and authors, not the body.

        Material's search plugin reads ``page.content`` in its ``on_page_context``; until then a story
        page's content is just that summary, and our ``page_context`` (which runs after the search
        plugin's) puts the body back. What every reader downloads to search stays small, and the
        search plugin has a fraction of the HTML to parse.
        """
        generated = self.pages.get(page.file.src_uri)
        story = generated.context.get("story") if generated else None
        if story is None:
            return content
        self.bodies[page.file.src_uri] = story.html
        summary = " · ".join(
            [story.description, ", ".join(v.name for v in story.values)]
            + ([story.place.name] if story.place else []) + list(story.authors)
        )
        return f"<p>{html.escape(summary)}</p>"

    def page_context(self, context: dict, page: Page) -> dict:
        """Hand the templates their data: the vocabulary, the page's own data and any problems."""
        if page.file.src_uri in self.bodies:
            page.content = self.bodies.pop(page.file.src_uri)
        context["vocabulary"] = self.vocabulary
        context["catalogue"] = self.catalogue
        context["pictures"] = self.pictures
        context["site_problems"] = self.problems
        context["preview"] = self.preview
        generated = self.pages.get(page.file.src_uri)
        if generated:
            context.update(generated.context)
        elif page.is_homepage:
            context.update(self._home())
        context["share"] = self._share(page, generated)
        return context

    def write_pictures(self, site_dir: str) -> None:
        """After the pages: wait for the pictures being resized, then put every version in place.
        (They are not MkDocs files, which are copied before the pages are built: resizing runs
        beside the page rendering instead of before it.)"""
        try:
            for story, job in self.resize_jobs:
                try:
                    job.result()
                except Exception as error:  # noqa: BLE001 - one picture must never stop the build with a traceback
                    message = (f"{story.source}: image: bildet kan ikke gjøres om til en nettversjon "
                               f"({type(error).__name__}: {error}). Lagre det på nytt som JPEG eller PNG.")
                    if not self.preview:
                        raise PluginError(message) from None
                    self.log.warning(message)
        finally:
            self.resizing.shutdown()
        for slug, versions in self.published_pictures.items():
            folder = Path(site_dir) / "historier" / slug
            for version in versions:
                target = folder / version.name
                if not version.path.is_file():
                    continue  # its resize failed, and was reported above
                if not target.is_file() or target.stat().st_mtime_ns < version.path.stat().st_mtime_ns:
                    folder.mkdir(parents=True, exist_ok=True)
                    shutil.copyfile(version.path, target)

    def stem_search_queries(self, site_dir: str) -> None:
        """Put ``search_query.js`` in front of Material's search worker, so queries are stemmed like
        the index (Material's type-ahead wildcard otherwise skips the stemmer)."""
        addition = (Path(__file__).parent / "search_query.js").read_text(encoding="utf-8")
        for path in (Path(site_dir) / "assets" / "javascripts" / "workers").glob("search.*.min.js"):
            worker = path.read_text(encoding="utf-8")
            if not worker.startswith(addition):
                path.write_text(addition + worker, encoding="utf-8")

    def trim_theme_css(self, site_dir: str) -> None:
        """Drop the rules of Material features this site does not use from its stylesheets."""
        for path in sorted((Path(site_dir) / "assets" / "stylesheets").glob("*.min.css")):
            if path.name.startswith(("main.", "palette.")):
                css = path.read_text(encoding="utf-8")
                if not css.endswith(trim_css.MARK):  # a dirty rebuild keeps the file trimmed before
                    path.write_text(trim_css.trim(css) + trim_css.MARK, encoding="utf-8")

    def add_filters(self, env: Environment) -> Environment:
        """Our template filters, and a cache of compiled templates: compiling them is a large part of
        a small rebuild, and the cache is keyed by each template's source, so edits show at once."""
        cache = self.root / JINJA_CACHE_DIR
        cache.mkdir(parents=True, exist_ok=True)
        env.bytecode_cache = FileSystemBytecodeCache(str(cache))
        env.filters["nb_date"] = nb_date
        return env

    # Page data ---------------------------------------------------------------------------------

    def _story_page(self, story: Story) -> GeneratedPage:
        older, newer = self.catalogue.older_and_newer(story)
        return GeneratedPage("story.html", story.title, story.description, {
            "story": story,
            "related": self.catalogue.related(story),
            "older": older,
            "newer": newer,
            "reading_minutes": max(1, math.ceil(len(story.body.split()) / WORDS_PER_MINUTE)),
        })

    def _listing_page(self, page: ListingPage, feed: str | None) -> GeneratedPage:
        listing = page.listing
        subject = listing.subject
        description = getattr(subject, "description", None) or getattr(subject, "wording", None)
        if description is None:
            description = f"Historier fra {listing.title}." if listing.kind == "place" else "Alle historiene, nyeste først."
        title = listing.title if page.number == 1 else f"{listing.title} – side {page.number}"
        return GeneratedPage("listing.html", title, description,
                             {"listing": listing, "listing_page": page, "feed": feed}, feed=feed)

    def _home(self) -> dict:
        featured = self.catalogue.featured()
        return {
            "values": [(v, len(self.catalogue.with_value(v))) for v in self.vocabulary.values],
            "featured": featured,
            "newest": self.catalogue.newest(HOME_NEWEST, skip=featured),
        }

    def _share(self, page: Page, generated: GeneratedPage | None) -> dict:
        """Raw (unescaped) text for the sharing tags; the template escapes it."""
        story = generated.context.get("story") if generated else None
        versions = self.pictures.get(story.slug) if story else None
        return {
            "title": generated.title if generated else (page.meta.get("title") or page.title or ""),
            "description": generated.description if generated else page.meta.get("description", ""),
            "url": self.site_url + page.url,
            "type": "article" if story else "website",
            "image": self.site_url + story.url + versions[-1].name if versions else None,
            "image_alt": story.picture.alt if versions else None,
            "feeds": [("Alle historier", "feed.xml")] + (
                [(generated.title, generated.feed)] if generated and generated.feed else []),
            "story": story,
        }

    # Files -------------------------------------------------------------------------------------

    def _add_pictures(self, files: Files, config: MkDocsConfig, story: Story) -> None:
        """Queue the resized versions of the story's picture and of the pictures its body shows.
        Nothing else from a story's folder is published: not the originals (their metadata may hold
        a position), and no other file, whatever its name."""
        made: dict[str, pictures.Version] = {}
        for picture in ([story.picture] if story.picture else []) + list(story.body_pictures):
            versions = pictures.versions(picture.path, picture.name, picture.width, picture.height,
                                         self.root / CACHE_DIR)
            if picture is story.picture:
                self.pictures[story.slug] = versions
            todo = [v for v in pictures.missing(versions) if v.name not in made]
            made.update((v.name, v) for v in versions)
            if todo:
                self.resize_jobs.append((story, self.resizing.submit(pictures.make, picture.path, todo)))
        self.published_pictures[story.slug] = list(made.values())

    def _add_feeds(self, files: Files, config: MkDocsConfig) -> None:
        """The site's Atom feed and one per value."""
        site_title = config.site_name
        self._add(files, File.generated(config, "feed.xml", content=feeds.atom(
            self.catalogue.stories, title=site_title, subtitle="Alle historiene, nyeste først.",
            site_url=self.site_url, page_url="historier/", feed_url="feed.xml")))
        for value in self.vocabulary.values:
            self._add(files, File.generated(config, f"{value.url}feed.xml", content=feeds.atom(
                self.catalogue.with_value(value), title=f"{site_title}: {value.name}",
                subtitle=f"Historier om {value.name}: {value.description}.",
                site_url=self.site_url, page_url=value.url, feed_url=f"{value.url}feed.xml")))

    def _add_guide(self, files: Files, config: MkDocsConfig) -> None:
        """Publish the contributor guide at /bidra/, with reference tables fresh from the vocabulary."""
        path = self.root / GUIDE_FILE
        if not path.is_file():
            return
        try:
            text = guide.for_site(path.read_text(encoding="utf-8"), self.vocabulary)
        except ValueError as error:
            raise PluginError(f"{GUIDE_FILE}: {error}") from None
        title = next((line[2:].strip() for line in text.splitlines() if line.startswith("# ")), "Bidra")
        page = GeneratedPage("main.html", title, "Slik skriver og sender du inn en historie til nettstedet.")
        self._add_page(files, config, "bidra/index.md", text, page)

    def _add_page(self, files: Files, config: MkDocsConfig, src_uri: str, body: str,
                  page: GeneratedPage) -> None:
        # A front-matter block first, so MkDocs never reads a body line as metadata.
        content = f"---\ntemplate: {page.template}\n---\n\n{body}"
        self.pages[src_uri] = page
        if self.dirty:
            key = _fingerprint(self.site_key, page.title, page.description, body, *_page_keys(page.context))
            content = f"---\ntemplate: {page.template}\nfingerprint: {key}\n---\n\n{body}"
            file = File.generated(config, src_uri, abs_src_path=self._cached_source(src_uri, content),
                                  inclusion=InclusionLevel.NOT_IN_NAV)
        else:
            file = File.generated(config, src_uri, content=content, inclusion=InclusionLevel.NOT_IN_NAV)
        self._add(files, file)

    # Incremental preview (mkdocs serve --dirty) ------------------------------------------------

    def _cached_source(self, src_uri: str, content: str) -> str:
        """Write a generated page's source to the cache only if it changed, so its time stamp tells
        ``mkdocs serve --dirty`` whether the page must be built again."""
        path = self.root / PAGES_CACHE_DIR / src_uri
        data = content.encode("utf-8")
        if not path.is_file() or path.read_bytes() != data:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
        return str(path)

    def _fingerprint_docs(self, files: Files, config: MkDocsConfig) -> None:
        """Hand-written pages also show the problem banner, and the front page lists stories: give
        them a fingerprint too, so a dirty rebuild refreshes them when what they show changes."""
        for file in list(files.documentation_pages()):
            if file.src_uri in self.pages or file.abs_src_path is None:
                continue
            text = Path(file.abs_src_path).read_text(encoding="utf-8-sig")
            data = _page_keys(self._home()) if file.src_uri == "index.md" else ()
            key = _fingerprint(self.site_key, text, *data)
            if text.startswith("---\n"):
                content = f"---\nfingerprint: {key}\n{text[4:]}"
            else:
                content = f"---\nfingerprint: {key}\n---\n\n{text}"
            generated = File.generated(config, file.src_uri, abs_src_path=self._cached_source(file.src_uri, content))
            files.remove(file)
            files.append(generated)

    def _add(self, files: Files, file: File) -> None:
        existing = files.get_file_from_path(file.src_uri)
        if existing is not None:
            self.log.warning("docs/%s blir erstattet av en generert side med samme adresse.", file.src_uri)
            files.remove(existing)
        files.append(file)


def _fingerprint(*parts) -> str:
    """A key that changes when any part does. Python's own hash is fast (strings cache theirs) and
    stable within one ``mkdocs serve`` process, which is all an incremental preview needs."""
    return format(hash(parts) & 0xFFFFFFFFFFFFFFFF, "016x")


def _card(story: Story) -> tuple:
    """What a story card shows."""
    return (story.slug, story.title, story.description, story.date, tuple(v.slug for v in story.values),
            story.place, story.draft, story.picture)


def _page_keys(context: dict) -> tuple:
    """A compact, complete key of what a page's template shows (cards, not whole stories)."""
    keys = []
    for name, value in sorted(context.items()):
        if isinstance(value, Story):
            value = (value, _card(value))
        elif isinstance(value, list) and value and isinstance(value[0], Story):
            value = tuple(_card(s) for s in value)
        elif isinstance(value, ListingPage):
            value = (value.number, value.count, value.listing.title, len(value.listing.stories),
                     tuple(_card(s) for s in value.stories))
        elif name == "listing":
            value = (value.kind, value.title, value.subject)
        elif isinstance(value, list):
            value = tuple(value)
        keys.append((name, value))
    return tuple(keys)


def _stat_tree(root: Path, names: tuple[str, ...]) -> list[tuple]:
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


@functools.lru_cache(maxsize=8192)
def nb_date(value) -> str:
    """A date as Norwegians write it: «12. juni 2015» (cached: Babel is slow, and dates repeat)."""
    return format_date(value, format="long", locale="nb")
