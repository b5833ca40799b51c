"""The story model and views of «Sammen skaper vi fremtiden».

Modules, from the ground up:

- ``slugs``: transliteration and slug rules shared by every module.
- ``problems``: what a validation problem is and how an editor reads it.
- ``vocabulary``: the closed lists (values, focus areas, places) from ``data/vocabulary.yml``.
- ``source``: reads a story file safely (encoding, front matter, YAML) with line numbers.
- ``fields``: the front-matter schema, one small parser per field.
- ``body``: checks the Markdown body for unsafe HTML.
- ``story``: the ``Story`` model and loading every story of a folder.
- ``catalogue``: the published stories, sorted and grouped for the index views.

None of these import MkDocs: the check command runs without a build. The MkDocs side lives in
``mkdocs_site`` and the thin hook file ``hooks/site.py``.
"""
