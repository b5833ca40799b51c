"""The story model and views of «Sammen skaper vi fremtiden».

A story file's way to its page, module by module:

- ``source``: reads a story file safely (size, encoding, front matter, YAML event by event) with
  line numbers.
- ``fields``: the front-matter schema, one small parser per field; ``characters``: the characters
  no text may hold.
- ``body``: renders the Markdown body and sanitises the HTML against an allow-list.
- ``pictures``: inspects a picture without decoding it, and makes its web versions.
- ``story``: the ``Story`` model; finds story files and loads each, every problem of every file.
- ``problems``: what a problem is and how an editor reads it.
- ``vocabulary`` and ``slugs``: the closed lists from ``data/vocabulary.yml``, and addresses.
- ``catalogue``: the published stories, sorted and grouped; related stories and neighbours.
- ``pages``: the data of every generated page, and the sharing tags and JSON-LD; ``feeds``: Atom.
- ``guide``: the contributor guide's generated tables.

None of these import MkDocs: the check command runs without a build. The MkDocs side is the thin
hook file ``hooks/site.py`` and ``site_build`` (the adapter that registers pages and hands templates
their data), with ``resizing`` (pictures in a helper process or in threads), ``preview`` (fingerprints for
``mkdocs serve --dirty``), ``theme`` (patches to Material's stylesheets and search worker, with
``trim_css``), ``csp`` (the Content-Security-Policy of every page), ``story_cache`` (what reading each
story gave, between builds) and ``caches`` (where caches live: the user's cache folder, never the
project).
"""
