"""The MkDocs adapter: one ``SiteBuild`` per build registers the generated pages and hands each
template its data.

The hook file ``hooks/site.py`` creates it in ``on_config`` and hands every event to it, so no state
survives from one build (or one ``mkdocs serve`` rebuild) to the next. What the pages show is made
by ``pages`` (plain Python, no MkDocs); the pictures are resized by ``resizing``; the incremental
preview's fingerprints are ``preview``'s; the patches to Material's files are ``theme``'s.
"""

from __future__ import annotations

import datetime
import functools
import html
import os
import re
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

from jinja2 import FileSystemBytecodeCache, TemplateNotFound, pass_context
from markupsafe import Markup
from mkdocs.commands.build import get_context
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, InclusionLevel
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import get_toc

from . import caches, guide, helper, numbers, opendata, page_cache, pages, pictures, preview, story_mail, theme
from . import vocabulary as vocabulary_module
from .catalogue import Catalogue
from .pages import PageData
from .preview import sources_folder
from .problems import Problem, report
from .resizing import Resizing
from .story import Story, load_all
from .story_cache import StoryCache, load_with_helper

if TYPE_CHECKING:
    from collections.abc import Callable

    from jinja2 import Environment
    from jinja2.runtime import Context, Macro
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.files import Files
    from mkdocs.structure.nav import Navigation
    from mkdocs.structure.toc import AnchorLink, TableOfContents

STORIES_DIR = "stories"
VOCABULARY_FILE = "data/vocabulary.yml"
GUIDE_FILE = "CONTRIBUTING.md"
GUIDE_URI = "bidra/redaksjon/index.md"  # the editors' guide: for staff, out of the navigation and search
# What every page depends on besides its own data: when any of these change, every page is rebuilt.
SITE_INPUTS = ("mkdocs.yml", "overrides", "hooks", "data", GUIDE_FILE)
# Where a story card's links start from the site's root (``SiteBuild.card``): no page text can hold it,
# as U+0000 is refused in every story (``characters``) and never written by a template.
ROOT_MARK = "\x00root\x00"
# The template of a page written from the rendered-page cache (``page_cache``): it writes the page as it was.
CACHED_TEMPLATE = "cached-page.html"


class SiteBuild:
    """Reads the stories once per build and answers MkDocs' events with pages and template data."""

    def __init__(self, config: MkDocsConfig, *, preview: bool, logger: Any, dirty: bool = False,
                 story_cache: dict | None = None) -> None:
        self.root = Path(str(config.config_file_path)).parent
        self.site_url = config.site_url or "/"
        self.site_name = config.site_name
        self.preview = preview
        self.dirty = dirty
        self.log = logger
        self.story_mail = story_mail.links(str(config.extra.get("story_email") or ""))
        try:
            vocabulary = vocabulary_module.load(self.root / VOCABULARY_FILE)
        except vocabulary_module.VocabularyError as error:
            raise PluginError(str(error)) from None
        cache = story_cache if preview else StoryCache(caches.project(self.root) / "stories.json", vocabulary,
                                                       self.root / VOCABULARY_FILE)
        read_many = None if preview else functools.partial(load_with_helper, vocabulary=vocabulary)
        stories, self.problems = load_all(self.root / STORIES_DIR, self.root, vocabulary, cache=cache,
                                          read_many=read_many)
        if isinstance(cache, StoryCache):
            cache.save()
        if self.problems and not preview:
            raise PluginError(
                report(self.problems) + "\n\nHistorier med feil publiseres ikke. Rett feilene og bygg på nytt."
            )
        for problem in self.problems:
            self.log.warning("Utelatt fra forhåndsvisningen: %s", problem)
        self.catalogue = Catalogue.build(stories, vocabulary, include_drafts=preview)
        self.resizing = Resizing(caches.shared() / "pictures")
        self.pictures: dict[str, list[pictures.Version]] = {}  # a story's own picture, smallest first
        for story in self.catalogue.stories:
            self.pictures.update(self.resizing.queue(story))
        self.resizing.start(helper_allowed=not preview)  # as early as can be; a preview makes few: in threads
        self.pages: dict[str, PageData] = {}
        # Files the build made, until MkDocs copies them (removed at the end, or when Python exits).
        self._scratch = tempfile.TemporaryDirectory(prefix="sammen-bygg-")
        self.home: dict = {}
        self._cards: dict[tuple[str, int], str] = {}  # (story, heading level) → its card, with ROOT_MARK
        self._blocks: dict[tuple, Markup] = {}
        self._strings: dict[str, str] = {}  # Material's strings by key (``translations``)
        self._env: Environment | None = None  # the theme's, from ``add_filters``
        self._nav_urls: list[list[str]] | None = None
        self.site_key = preview_key(self.root, self.problems, self.site_url) if self.dirty else ""
        self._sources = sources_folder(self.root)
        self._data_keys: dict[int, tuple[object, object]] = {}  # for the preview's fingerprints
        # Pages as the last build wrote them. Not in a preview: it renders only what changed already.
        self.rendered = None if preview else page_cache.PageCache(
            caches.project(self.root) / "rendered.sqlite3",
            page_cache.site_key(self.root, (*SITE_INPUTS, os.path.relpath(config.docs_dir, self.root)), config))
        # source path → (key, the page's own template): pages written from the cache
        self._from_cache: dict[str, tuple[str, str | None]] = {}
        self._to_cache: dict[str, str] = {}  # source path → key: pages rendered now and kept
        self._helper: helper.Helper | None = None  # renders part of the pages in a second process
        # source path → the page's own template: pages the helper renders (``render_ahead``)
        self._from_helper: dict[str, str | None] = {}
        self._in_helper = False  # this process is the helper
        self._nav: Navigation | None = None

    # Events ------------------------------------------------------------------------------------

    def add_files(self, files: Files, config: MkDocsConfig) -> Files:
        """Register a page per story, per listing page and per overview, the feeds and the guide."""
        made = [page for story in self.catalogue.stories
                for page in pages.story_pages(story, self.catalogue, self.pictures)]
        made += pages.listing_pages(self.catalogue, self.pictures)
        made += [pages.places_page(self.catalogue), pages.focus_areas_page(self.catalogue),
                 pages.partners_page(self.catalogue), pages.goals_page(self.catalogue),
                 numbers.numbers_page(self.catalogue), pages.data_page(self.catalogue),
                 pages.languages_page(self.catalogue)]
        made += [pages.withdrawn_page(story) for story in self.catalogue.withdrawn]
        if self.preview:
            made += pages.problem_pages(self.catalogue, self.problems)
        guide_page = self._guide_page()
        if guide_page:
            made.append(guide_page)
        for page in made:
            self._add_page(files, config, page)
        for path, content in pages.feed_files(self.catalogue, self.site_name, self.site_url).items():
            self._add(files, File.generated(config, path, abs_src_path=self._scratch_file(path, content)))
        data = Path(self._scratch.name, "data")
        data.mkdir()
        for name in opendata.write(data, self.catalogue, self.site_url, self.pictures, keep=self.preview):
            self._add(files, File.generated(config, f"data/{name}", abs_src_path=str(data / name)))
        self.home = pages.home(self.catalogue, self.pictures)
        if self.dirty:
            self._fingerprint_docs(files, config)
        return files

    def use_generated_pages(self, nav: Navigation, files: Files, config: MkDocsConfig) -> None:
        """Give each generated page outside the navigation a ``GeneratedPage`` in place of the page
        MkDocs made for it (pages in the navigation are linked from it, so they stay as they are)."""
        self._nav = nav
        in_nav = {page.file.src_uri for page in nav.pages}
        for src_uri in self.pages.keys() - in_nav:
            file = files.get_file_from_path(src_uri)
            if file is not None:
                GeneratedPage(None, file, config)  # MkDocs renders the page its file holds

    def page_markdown(self, markdown: str, page: Page) -> str:
        """Give a generated page its title, description and template (MkDocs reset its meta)."""
        generated = self.pages.get(page.file.src_uri)
        if generated:
            page.meta["title"] = html.escape(generated.title, quote=False)
            page.meta["description"] = html.escape(generated.description)
            page.meta["template"] = generated.template
            if generated.data.get("alternates"):  # the story's languages, for the sitemap
                page.meta["alternates"] = generated.data["alternates"]
            if generated.data.get("noindex"):  # out of search engines, the sitemap and the site's search
                page.meta["noindex"] = True
            if generated.data.get("noindex") or generated.data.get("unsearchable"):
                page.meta["search"] = {"exclude": True}
        return markdown

    def page_content(self, content: str, page: Page) -> str:
        """A story page's content is, for Material's search plugin, only its summary (see
        ``pages.search_summary``); ``page_context`` puts the sanitised body in its place after the
        search plugin has read it (the hook's ``on_page_context`` runs after the plugin's).

        Then, with everything the page shows known, the page is looked up in the rendered-page
        cache: if the last build wrote it from the same sources, it is written as it was."""
        generated = self.pages.get(page.file.src_uri)
        story = generated.story if generated else None
        if story is not None:
            content = f"<p>{html.escape(pages.search_summary(story))}</p>"
        if self.rendered is not None:
            data = generated if generated else self.home if page.is_homepage else None
            key = self.rendered.key(page.url, page.file.src_uri, page.title, page.meta, content, _toc(page.toc), data)
            if key and self.rendered.has(key):
                self._from_cache[page.file.src_uri] = (key, page.meta.get("template"))
                page.meta["template"] = CACHED_TEMPLATE
            elif key:
                self._to_cache[page.file.src_uri] = key
        return content

    def page_context(self, context: dict, page: Page, nav: Navigation) -> dict:
        """Hand the template its page's data, the problem list (preview) and the sharing tags; or, to a
        page from the rendered-page cache, the page as it was written.

        MkDocs has chosen the template (``cached-page.html``) before this event: a page whose entry
        cannot be read after all (another build removed it, a read error) is rendered here, with its
        own template and the context it would have had, into what ``cached-page.html`` writes; it is
        then finished and kept like any page rendered now."""
        name = page.file.src_uri
        cached = self._from_cache.get(name)
        if cached and self.rendered is not None:
            key, template = cached
            kept = self.rendered.get(key)
            if kept is not None:
                context["cached_page"] = Markup(kept)
                return context
            del self._from_cache[name]
            self._to_cache[name] = key
            return self._render_here(context, page, nav, template)
        if name in self._from_helper and self._helper is not None:
            done = self._helper.take(name)
            if done is not None:
                context["cached_page"] = Markup(done)
                return context
            return self._render_here(context, page, nav, self._from_helper.pop(name))
        return self._fill_context(context, page, nav)

    def _render_here(self, context: dict, page: Page, nav: Navigation, template: str | None) -> dict:
        """Render a page MkDocs will write with ``cached-page.html`` (its entry in the cache could not be
        read after all; the helper could not render it) with its own template, into ``cached_page``."""
        if template is None:
            del page.meta["template"]
        else:
            page.meta["template"] = template
        self._fill_context(context, page, nav)
        assert self._env is not None, "on_env runs before any page is built"
        context["cached_page"] = Markup(self._env.get_template(template or "main.html").render(context))
        return context

    def _fill_context(self, context: dict, page: Page, nav: Navigation) -> dict:
        generated = self.pages.get(page.file.src_uri)
        context["nav_key"] = self._nav_key(page, nav) if generated else None
        if generated and generated.story:
            page.content = generated.story.html
        context["site_problems"] = self.problems
        context["preview"] = self.preview
        context["story_mail"] = self.story_mail
        if generated:
            context.update(generated.data)
        elif page.is_homepage:
            context.update(self.home)
        title = generated.title if generated else (page.meta.get("title") or page.title or "")
        description = generated.description if generated else page.meta.get("description", "")
        context["share"] = pages.share(title=title, description=description, url=self.site_url + page.url,
                                       site_url=self.site_url, page=generated, pictures=self.pictures)
        return context

    def page_output(self, output: str, page: Page, finish: Callable[[str], str]) -> str:
        """A page as written: from the cache as it is, else ``finish``ed (the security policy; the
        helper's pages come finished) and kept."""
        if page.file.src_uri in self._from_cache:
            return output
        if page.file.src_uri not in self._from_helper:
            output = finish(output)
        key = self._to_cache.get(page.file.src_uri)
        if key and self.rendered is not None and not self._in_helper:
            self.rendered.put(key, output)
        return output

    def render_ahead(self, env: Environment, config: MkDocsConfig, files: Files) -> None:
        """Once every page's data is ready: hand part of the pages still to render to a helper process
        (``helper``), which renders them as MkDocs would while this process renders the rest. MkDocs
        writes the helper's pages with ``cached-page.html``. Not in a preview (it renders what changed),
        not on one core, not for a small site."""
        if self.preview or self._nav is None or not helper.available():
            return
        doc_files = files.documentation_pages()  # what MkDocs builds, in its order (outside a preview)
        todo = {file.src_uri: file.page for file in doc_files
                if file.page is not None and file.src_uri not in self._from_cache}
        if len(todo) < helper.MIN_PAGES:
            return
        names = helper.share(list(todo))
        nav = self._nav

        def in_helper() -> None:  # the helper keeps nothing in the cache (its pages come back to this process)
            self._in_helper = True

        def render(name: str) -> str:  # as ``mkdocs.commands.build._build_page``, without writing
            page = todo[name]
            page.active = True
            try:
                context = get_context(nav, doc_files, config, page)
                template = env.get_template(page.meta.get("template", "main.html"))
                context = config.plugins.on_page_context(context, page=page, config=config, nav=nav)
                return config.plugins.on_post_page(template.render(context), page=page, config=config)
            finally:
                page.active = False

        compile_templates(env, {todo[name].meta.get("template", "main.html") for name in names})
        self._helper = helper.Helper.start(names, render, in_helper)
        if self._helper is None:
            return
        for name in names:  # after the fork: the helper renders these with their own templates
            self._from_helper[name] = todo[name].meta.get("template")
            todo[name].meta["template"] = CACHED_TEMPLATE

    def close(self) -> None:
        """After the build: keep its rendered pages (dropping those no page used) and remove its
        scratch folder."""
        if self._helper is not None:
            self._helper.close()
        if self.rendered is not None:
            self.rendered.close()
        self._scratch.cleanup()

    def abandon(self) -> None:
        """After a failed build: stop the picture jobs, keep none of its pages, remove its scratch folder."""
        if self._helper is not None:
            self._helper.close()
        self.resizing.shutdown(cancel_futures=True)
        if self.rendered is not None:
            self.rendered.abandon()
        self._scratch.cleanup()

    def _scratch_file(self, path: str, content: bytes) -> str:
        """Write a file the build made (a feed; the open data writes its own) to the build's scratch
        folder, for MkDocs to copy into the site: held in memory until then, it would stay there for the
        whole build, when its memory peaks."""
        target = Path(self._scratch.name, path)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content)
        return str(target)

    def write_pictures(self, site_dir: str) -> None:
        """Wait for the pictures being resized and put every version beside its story's page. A
        picture that cannot be made stops a build with the story's name; a preview goes on."""
        for problem in self.resizing.finish(Path(site_dir)):
            if not self.preview:
                raise PluginError(str(problem))
            self.log.warning("%s", problem)

    def trim_theme_css(self, site_dir: str) -> None:
        theme.trim_stylesheets(Path(site_dir))

    def stem_search_queries(self, site_dir: str) -> None:
        """Patch Material's scripts: the search worker stems queries, the bundle leaves hreflang links alone."""
        theme.stem_search_queries(Path(site_dir))
        theme.keep_alternates_local(Path(site_dir))

    def add_filters(self, env: Environment) -> Environment:
        """Our template filters, and a cache of compiled templates: compiling them is a large part of
        a small rebuild, and the cache is keyed by each template's source, so edits show at once.
        Compiled templates are code: they are kept in the user's cache folder, never in the project,
        where a pull request could bring its own.

        Outside ``mkdocs serve`` no template file changes during a build, so a template is looked up
        once and not checked against its file again (pages look templates up tens of thousands of
        times: ``include`` in loops); a preview keeps checking, so a saved template shows."""
        self._env = env
        env.auto_reload = self.preview
        cache = caches.project(self.root) / "templates"
        cache.mkdir(parents=True, exist_ok=True)
        env.bytecode_cache = FileSystemBytecodeCache(str(cache))
        env.filters["nb_date"] = nb_date
        env.filters["historier"] = pages.count_label
        env.globals["card"] = self.card
        env.globals["cached"] = self.cached
        env.globals["translations"] = self.translations
        env.filters["nb_number"] = pages.nb_number
        return env

    def _nav_key(self, page: Page, nav: Navigation) -> tuple | None:
        """For a page outside the navigation and without a table of contents: what its sidebars' and
        tabs' markup depends on. Links are relative, so they depend on the page's depth and on how
        much of its address each navigation target shares; nothing in it is marked as current. None
        for any other page."""
        if self._nav_urls is None:
            self._nav_urls = [p.url.strip("/").split("/") for p in nav.pages]
        own = page.url.strip("/").split("/")
        if own in self._nav_urls or len(page.toc):  # in the navigation, or a table of contents of its own
            return None
        shared = tuple(next((i for i, (a, b) in enumerate(zip(own, target, strict=False)) if a != b),
                            min(len(own), len(target))) for target in self._nav_urls)
        return (len(own), shared)

    @pass_context
    def cached(self, context: Context, name: str, key: tuple, render: Callable[[], str]) -> Markup:
        """A block of Material's (the tabs, the sidebars) drawn once per ``key``: for the many pages
        outside the navigation, whose navigation markup is the same for the same key."""
        full = (name, key)
        drawn = self._blocks.get(full)
        if drawn is None:
            drawn = self._blocks[full] = Markup(render())
        return drawn

    def translations(self, look_up: Callable[[str], str]) -> Callable[[str], str]:
        """Material's ``lang.t``: ``look_up`` (``partials/language.html``'s macro), asked once per string
        and build. Every page imports the language file afresh, and Material calls ``t`` about twenty
        times on each."""
        def t(key: str) -> str:
            found = self._strings.get(key)
            if found is None:
                found = self._strings[key] = str(look_up(key))
            return found
        return t

    @pass_context
    def card(self, context: Context, macro: Macro, story: Story, level: int) -> Markup:
        """A story card, drawn once per story and heading level (a large site shows each story's card
        on many pages: related stories, every index it is in). Its links start from the site's root,
        drawn as ``ROOT_MARK`` and put in as each page reaches it (``base_url``)."""
        key = (story.slug, level)
        drawn = self._cards.get(key)
        if drawn is None:
            drawn = self._cards[key] = str(macro(story, level, ROOT_MARK))
        return Markup(drawn.replace(ROOT_MARK, str(context.get("base_url", "."))))

    # Files -------------------------------------------------------------------------------------

    def _guide_page(self) -> PageData | None:
        """The editors' guide at /bidra/redaksjon/, with reference tables fresh from the vocabulary. It is
        for staff: readers are sent to «Del din historie», so the guide is in neither the navigation
        nor the site's search (a search for «dugnad» finds stories, not the guide's examples)."""
        path = self.root / GUIDE_FILE
        if not path.is_file():
            return None
        try:
            text = guide.for_site(path.read_text(encoding="utf-8"), self.catalogue.vocabulary)
        except ValueError as error:
            raise PluginError(f"{GUIDE_FILE}: {error}") from None
        title = next((line[2:].strip() for line in text.splitlines() if line.startswith("# ")), "Bidra")
        return PageData(GUIDE_URI, "main.html", title,
                        "Veiledning for redaktører: slik skriver, sjekker og publiserer du en historie.",
                        data={"unsearchable": True}, body=text)

    def _add_page(self, files: Files, config: MkDocsConfig, page: PageData) -> None:
        # A front-matter block first, so MkDocs never reads a body line as metadata.
        content = f"---\ntemplate: {page.template}\n---\n\n{page.body}"
        self.pages[page.src_uri] = page
        if self.dirty:
            key = preview.fingerprint(self.site_key, page.title, page.description, page.body,
                                      preview.data_key(page.data, self._data_keys))
            source = preview.cached_source(self._sources, page.src_uri, preview.with_fingerprint(content, key))
            file = File.generated(config, page.src_uri, abs_src_path=source, inclusion=InclusionLevel.NOT_IN_NAV)
        else:
            file = File.generated(config, page.src_uri, content=content, inclusion=InclusionLevel.NOT_IN_NAV)
        self._add(files, file)

    def _fingerprint_docs(self, files: Files, config: MkDocsConfig) -> None:
        """Hand-written pages also show the problem banner, and the front page lists stories: give
        them a fingerprint too, so a dirty rebuild refreshes them when what they show changes."""
        for file in list(files.documentation_pages()):
            if file.src_uri in self.pages or file.abs_src_path is None:
                continue
            text = Path(file.abs_src_path).read_text(encoding="utf-8-sig")
            data = preview.data_key(self.home, self._data_keys) if file.src_uri == "index.md" else ()
            key = preview.fingerprint(self.site_key, text, data)
            source = preview.cached_source(self._sources, file.src_uri, preview.with_fingerprint(text, key))
            files.remove(file)
            files.append(File.generated(config, file.src_uri, abs_src_path=source))

    def _add(self, files: Files, file: File) -> None:
        existing = files.get_file_from_path(file.src_uri)
        if existing is not None:
            self.log.warning("docs/%s blir erstattet av en generert side med samme adresse.", file.src_uri)
            files.remove(existing)
        files.append(file)


class GeneratedPage(Page):
    """A generated page. Its HTML comes from the story model and the templates, so a page with no
    Markdown of its own (all but the editors' guide) skips the Markdown renderer MkDocs would make
    for it: a Python-Markdown instance per page is a large part of a build of many pages."""

    def render(self, config: MkDocsConfig, files: Files) -> None:
        if (self.markdown or "").strip():
            super().render(config, files)
            return
        self.content = ""
        self.toc = get_toc([])
        self.present_anchor_ids = set()
        self.links_to_anchors = {}


# A template named in another: ``{% extends "x" %}``, ``{% include "x" %}``, ``{% import "x" as y %}``,
# ``{% from "x" import y %}`` (names made at render time are compiled when first used). Found in the
# source text: ``jinja2.meta.find_referenced_templates`` needs each template parsed a second time.
_NAMED_TEMPLATE = re.compile(r"""\{%-?\s*(?:extends|include|import|from)\s+["']([^"']+)["']""")


def compile_templates(env: Environment, names: set[str]) -> None:
    """Compile ``names`` and every template they name, once, before a helper is forked: both processes
    then use them as compiled here, where each compiled all of them for itself (0.3 s of CPU each in a
    cold build). A name that is not found is left to the render to report."""
    todo, seen = list(names), set()
    while todo:
        name = todo.pop()
        if name in seen or env.loader is None:
            continue
        seen.add(name)
        try:
            env.get_template(name)
            source = env.loader.get_source(env, name)[0]
        except TemplateNotFound:
            continue
        todo += _NAMED_TEMPLATE.findall(source)


def _toc(toc: TableOfContents | list[AnchorLink]) -> list:
    """A table of contents as plain data, for the page's cache key."""
    return [(item.title, item.id, item.level, _toc(item.children)) for item in toc]


def preview_key(root: Path, problems: list[Problem], site_url: str) -> str:
    """What every page of a dirty preview depends on besides its own data."""
    return preview.fingerprint(tuple(problems), site_url, *preview.stat_tree(root, SITE_INPUTS))


# The months in bokmål, as the Unicode CLDR's long date format writes them («12. juni 2015»):
# tests/test_pages.py checks every one against Babel's (the CLDR's own library), which the site
# itself does without (its locale data took 3.7 MB of a build's memory for these twelve words).
NB_MONTHS = ("januar", "februar", "mars", "april", "mai", "juni", "juli", "august", "september", "oktober",
             "november", "desember")


def nb_date(value: datetime.date) -> str:
    """A date as Norwegians write it: «12. juni 2015»."""
    return f"{value.day}. {NB_MONTHS[value.month - 1]} {value.year}"

