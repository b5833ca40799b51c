"""The MkDocs side of the story site: one ``SiteBuild`` per build turns the model into pages.

The hook file ``hooks/site.py`` creates it in ``on_config`` and hands every event to it, so no
state survives from one build (or one ``mkdocs serve`` rebuild) to the next.
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from babel.dates import format_date
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, InclusionLevel

from . import guide
from . import vocabulary as vocabulary_module
from .catalogue import Catalogue, ListingPage
from .problems import Problem, report
from .story import Story, load_all

if TYPE_CHECKING:
    from jinja2 import Environment
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.files import Files
    from mkdocs.structure.pages import Page

STORIES_DIR = "stories"
GUIDE_FILE = "CONTRIBUTING.md"
VOCABULARY_FILE = "data/vocabulary.yml"
HOME_NEWEST = 6


@dataclass
class GeneratedPage:
    """What a generated page shows: its template, its title and the data its template gets."""

    template: str
    title: str
    description: str
    context: dict = field(default_factory=dict)


class SiteBuild:
    """Reads the stories once per build and answers MkDocs' events with pages and template data."""

    def __init__(self, config: MkDocsConfig, *, preview: bool, logger) -> None:
        self.root = Path(config.config_file_path).parent
        self.preview = preview
        self.log = logger
        try:
            self.vocabulary = vocabulary_module.load(self.root / VOCABULARY_FILE)
        except vocabulary_module.VocabularyError as error:
            raise PluginError(str(error)) from None
        stories, self.problems = load_all(self.root / STORIES_DIR, self.root, self.vocabulary)
        if self.problems and not preview:
            raise PluginError(
                report(self.problems) + "\n\nHistorier med feil publiseres ikke. Rett feilene og bygg på nytt."
            )
        for problem in self.problems:
            self.log.warning("Utelatt fra forhåndsvisningen: %s", problem)
        self.catalogue = Catalogue.build(stories, self.vocabulary, include_drafts=preview)
        self.pages: dict[str, GeneratedPage] = {}

    # Events ------------------------------------------------------------------------------------

    def add_files(self, files: Files, config: MkDocsConfig) -> Files:
        """Add a page per story, per listing page and per overview, and the stories' pictures."""
        for story in self.catalogue.stories:
            self._add_page(files, config, f"{story.url}index.md", story.body, self._story_page(story))
            if story.picture:
                self._add(files, File.generated(config, story.url + story.picture.name,
                                                abs_src_path=str(story.picture.path)))
        for listing in self.catalogue.listings():
            for page in listing.pages():
                self._add_page(files, config, f"{page.url}index.md", "", self._listing_page(page))
        self._add_page(files, config, "steder/index.md", "", GeneratedPage(
            "places.html", "Steder", "Historier fra stedene i Bærum.",
            {"places": self.catalogue.places_in_use()}))
        self._add_page(files, config, "satsingsomrader/index.md", "", GeneratedPage(
            "focus-areas.html", "Satsingsområder", "Visjonens fire satsingsområder og historiene om dem.",
            {"areas": [(a, len(self.catalogue.in_focus(a))) for a in self.vocabulary.focus]}))
        self._add_guide(files, config)
        return files

    def page_markdown(self, markdown: str, page: Page) -> str:
        """Give a generated page its title, description and template (MkDocs reset its meta)."""
        generated = self.pages.get(page.file.src_uri)
        if generated:
            page.meta["title"] = html.escape(generated.title, quote=False)
            page.meta["description"] = html.escape(generated.description)
            page.meta["template"] = generated.template
        return markdown

    def page_context(self, context: dict, page: Page) -> dict:
        """Hand the templates their data: the vocabulary, the page's own data and any problems."""
        context["vocabulary"] = self.vocabulary
        context["catalogue"] = self.catalogue
        context["site_problems"] = self.problems
        context["preview"] = self.preview
        generated = self.pages.get(page.file.src_uri)
        if generated:
            context.update(generated.context)
        elif page.is_homepage:
            context.update(self._home())
        return context

    @staticmethod
    def add_filters(env: Environment) -> Environment:
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
        })

    def _listing_page(self, page: ListingPage) -> GeneratedPage:
        listing = page.listing
        subject = listing.subject
        description = getattr(subject, "description", None) or getattr(subject, "wording", None)
        if description is None:
            description = f"Historier fra {listing.title}." if listing.kind == "place" else "Alle historiene, nyeste først."
        title = listing.title if page.number == 1 else f"{listing.title} – side {page.number}"
        return GeneratedPage("listing.html", title, description, {"listing": listing, "listing_page": page})

    def _home(self) -> dict:
        featured = self.catalogue.featured()
        return {
            "values": [(v, len(self.catalogue.with_value(v))) for v in self.vocabulary.values],
            "featured": featured,
            "newest": self.catalogue.newest(HOME_NEWEST, skip=featured),
        }

    # Files -------------------------------------------------------------------------------------

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
        file = File.generated(config, src_uri, content=content, inclusion=InclusionLevel.NOT_IN_NAV)
        self._add(files, file)

    def _add(self, files: Files, file: File) -> None:
        existing = files.get_file_from_path(file.src_uri)
        if existing is not None:
            self.log.warning("docs/%s blir erstattet av en generert side med samme adresse.", file.src_uri)
            files.remove(existing)
        files.append(file)


def nb_date(value) -> str:
    """A date as Norwegians write it: «12. juni 2015»."""
    return format_date(value, format="long", locale="nb")
