"""Patches to Material's own files in the built site, made after the build.

- The stylesheets lose the rules of features this site does not use (``trim_css``).
- The search worker gets ``search_query.js`` in front, which stems each query word like the index, and
  ``search_languages.js``, which keeps the letters of every script when words are trimmed (a version's
  Arabic or Ukrainian words are otherwise trimmed to nothing) and stems only the bokmål text: a version
  in another language is indexed with its words as written.
  Material adds a type-ahead wildcard to every word and lunr does not stem wildcard words, so with
  the stemmer on, whole words such as «Lommedalen» otherwise found nothing.

- Material's bundle leaves a story's ``<link rel="alternate" hreflang>`` and the feeds' alternate links
  alone (``keep_alternates_local``). Material reads every alternate link as the root of a whole site in
  another language and fetches a ``sitemap.xml`` below it on each page load; a story's versions are
  pages, not sites, and a feed is a file, so that would be a request for a file that does not exist
  (to the published address even on a copy of the site), or for the whole sitemap, for nothing.

All are idempotent: a ``mkdocs serve --dirty`` rebuild that kept the files leaves them as they are.
"""

from __future__ import annotations

from pathlib import Path

from . import trim_css

SEARCH_QUERY_JS = Path(__file__).parent / "search_query.js"
# Keeps the letters of every script in lunr's Norwegian trimmer: the versions' words are searchable.
SEARCH_LANGUAGES_JS = Path(__file__).parent / "search_languages.js"


def trim_stylesheets(site_dir: Path) -> None:
    """Drop the rules of Material features this site does not use from its stylesheets."""
    for path in sorted((site_dir / "assets" / "stylesheets").glob("*.min.css")):
        if path.name.startswith(("main.", "palette.")):
            css = path.read_text(encoding="utf-8")
            if not css.endswith(trim_css.MARK):
                path.write_text(trim_css.trim(css) + trim_css.MARK, encoding="utf-8")


def stem_search_queries(site_dir: Path) -> None:
    """Put ``search_query.js`` and ``search_languages.js`` in front of Material's search worker."""
    addition = SEARCH_LANGUAGES_JS.read_text(encoding="utf-8") + SEARCH_QUERY_JS.read_text(encoding="utf-8")
    for path in (site_dir / "assets" / "javascripts" / "workers").glob("search.*.min.js"):
        worker = path.read_text(encoding="utf-8")
        if not worker.startswith(addition):
            path.write_text(addition + worker, encoding="utf-8")


# Material's selector for the links it takes as other-language sites, and ours: none of the site's
# alternate links is one. Not a version's (``hreflang``), and not a feed's (``type``): Material asked
# for a sitemap.xml beside every feed, the whole site's (hundreds of kilobytes) for the front page's
# feed link on every page, and one that does not exist beside each value's feed.
MATERIAL_ALTERNATES = 'M("link[rel=alternate]")'
SITE_ALTERNATES = 'M("link[rel=alternate]:not([hreflang]):not([type])")'


def keep_alternates_local(site_dir: Path) -> None:
    """Make Material's bundle pass over the versions' and the feeds' alternate links (see the module's
    docstring)."""
    for path in (site_dir / "assets" / "javascripts").glob("bundle.*.min.js"):
        bundle = path.read_text(encoding="utf-8")
        if MATERIAL_ALTERNATES in bundle:
            path.write_text(bundle.replace(MATERIAL_ALTERNATES, SITE_ALTERNATES), encoding="utf-8")
