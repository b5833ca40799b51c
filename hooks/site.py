"""MkDocs hooks of the story site: thin event functions; the work is done in ``storysite``.

MkDocs imports this file once and never reloads it, not even under ``mkdocs serve``. So the
modules it calls are reloaded in ``on_config``, and a change in ``hooks/storysite/`` shows on the
next rebuild without restarting the server. No state is kept from one build to the next.
"""

from __future__ import annotations

import importlib
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import storysite  # imported here, at the top: the hooks folder is on sys.path only now
import storysite.csp
import storysite.repository
import storysite.site_build
import storysite.watching
from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority, get_plugin_logger

if TYPE_CHECKING:
    from collections.abc import Callable

    from jinja2 import Environment
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.livereload import LiveReloadServer
    from mkdocs.structure.files import Files
    from mkdocs.structure.nav import Navigation
    from mkdocs.structure.pages import Page

log = get_plugin_logger("storysite")
_HOOKS_DIR = str(Path(__file__).resolve().parent)
_command = "build"
_dirty = False


def _signature() -> tuple:
    files = sorted(Path(_HOOKS_DIR, "storysite").glob("*.py"))
    return tuple((f.name, f.stat().st_mtime_ns, f.stat().st_size) for f in files)


# The code as imported above: the first build uses it as it is (importing it twice would cost a tenth of
# a second); a later rebuild of ``mkdocs serve`` imports it again if a file changed since.
_code_signature: tuple = _signature()
# Stories already read in this process, keyed by their files' sizes and times (see story.load_all).
# Cleared whenever the storysite code is reloaded, so it never holds objects of an older version.
_story_cache: dict = {}
_site: storysite.site_build.SiteBuild | None = None
_scripts: storysite.csp.TemplateScripts | None = None  # the templates' inline scripts, read per build


def on_startup(command: str, dirty: bool) -> None:
    global _command, _dirty
    _command, _dirty = command, dirty


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    global _site
    _site = None  # the last build's is done with; a failed start leaves none for on_build_error
    _reload_storysite()
    repository = sys.modules["storysite.repository"]
    links = repository.symbolic_links(Path(str(config.config_file_path)).parent)
    if links:  # before anything is read: a link could publish any file of the machine
        raise PluginError(repository.links_message(links))
    preview = _command == "serve"
    _site = sys.modules["storysite.site_build"].SiteBuild(config, preview=preview, dirty=preview and _dirty,
                                                          logger=log, story_cache=_story_cache)
    return config


def on_files(files: Files, config: MkDocsConfig) -> Files:
    return _build().add_files(files, config)


def on_nav(nav: Navigation, config: MkDocsConfig, files: Files) -> Navigation:
    _build().use_generated_pages(nav, files, config)
    return nav


@event_priority(-100)  # after every plugin's: the helper (``render_ahead``) forks with the environment as final
def on_env(env: Environment, config: MkDocsConfig, files: Files) -> Environment:
    site = _build()
    env = site.add_filters(env)
    site.render_ahead(env, config, files)
    return env


def on_page_markdown(markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    return _build().page_markdown(markdown, page)


def on_page_content(html: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    return _build().page_content(html, page)


# After Material's search plugin (default priority 0) has read a story page's content, which until
# then is the story's search summary only; ``page_context`` puts the story's body in its place.
@event_priority(-50)
def on_page_context(context: dict, page: Page, config: MkDocsConfig, nav: Navigation) -> dict:
    return _build().page_context(context, page, nav)


def on_pre_build(config: MkDocsConfig) -> None:
    global _scripts
    _scripts = storysite.csp.TemplateScripts.read(config.theme.dirs)


def on_post_page(output: str, page: Page, config: MkDocsConfig) -> str:
    return _build().page_output(output, page, _with_policy)


def on_post_template(output_content: str, template_name: str, config: MkDocsConfig) -> str:
    return _with_policy(output_content) if template_name.endswith(".html") else output_content  # 404.html


def on_post_build(config: MkDocsConfig) -> None:
    site = _build()
    site.close()
    site.trim_theme_css(config.site_dir)
    site.stem_search_queries(config.site_dir)
    site.write_pictures(config.site_dir)  # last: the pictures may still be being made


def on_serve(server: LiveReloadServer, config: MkDocsConfig, builder: Callable) -> LiveReloadServer:
    """Look for saved files more often than MkDocs does (``storysite/watching.py``). Runs once, after
    the first build: ``storysite.watching`` is used as imported."""
    if not storysite.watching.quicken(server):
        log.debug("Forhåndsvisningen ser etter endrede filer like ofte som MkDocs selv (hvert halve sekund).")
    return server


def on_build_error(error: Exception) -> None:
    if _site is not None:
        _site.abandon()


def _build() -> storysite.site_build.SiteBuild:
    assert _site is not None, "on_config runs before every other event"
    return _site


def _with_policy(html: str) -> str:
    """The page with its Content-Security-Policy (storysite/csp.py). Not under ``mkdocs serve``:
    MkDocs injects its own inline livereload script into every page there, which the policy would
    block. So ``storysite.csp`` is never reloaded and is used as imported."""
    if _command == "serve" or _scripts is None:
        return html
    return storysite.csp.add_policy(html, _scripts)


def _reload_storysite() -> None:
    """Import ``storysite`` afresh from disk when its code changed, so ``mkdocs serve`` runs the code
    as it is now."""
    global _code_signature
    signature = _signature()
    if signature == _code_signature and "storysite.site_build" in sys.modules:
        return
    _code_signature = signature
    _story_cache.clear()
    for name in [n for n in sys.modules if n == "storysite" or n.startswith("storysite.")]:
        del sys.modules[name]
    sys.path.insert(0, _HOOKS_DIR)
    try:
        importlib.import_module("storysite.site_build")
        importlib.import_module("storysite.repository")
    finally:
        sys.path.remove(_HOOKS_DIR)
