"""``PageData``: one generated page as plain data, shared by the modules that make pages."""

from __future__ import annotations

from dataclasses import dataclass, field

from .story import Story


@dataclass(frozen=True)
class PageData:
    """One generated page: where it is, how it is drawn and what it shows."""

    src_uri: str  # the MkDocs source path, e.g. ``historier/<slug>/index.md``
    template: str
    title: str
    description: str
    data: dict = field(default_factory=dict)  # what the template gets, and nothing else
    feed: str | None = None  # the Atom feed this page announces besides the site's own
    body: str = ""  # Markdown for MkDocs to render (the contributor guide); stories bring their HTML

    @property
    def story(self) -> Story | None:
        """The story a story page shows (no ``isinstance``: ``mkdocs serve`` reloads this code, and
        a test process may hold stories of two loads of it)."""
        return self.data.get("story")
