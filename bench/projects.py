"""The two sites the benchmark builds from the same stories: ours (with hooks) and the Material baseline.

Ours is a copy of the working tree as it is now (``mkdocs.yml``, ``docs/``, ``hooks/``,
``overrides/``, ``data/`` and whatever else sits at the top level, but not ``stories/``, tests,
caches or build output) with the generated ``stories/``.

The baseline is what a team would do with plain Material: every story copied to
``docs/historier/<slug>.md`` (a folder story to ``docs/historier/<slug>/index.md`` with its picture
beside it and a Markdown image line), the same theme settings (name, language, font, palette,
features, icons), the same Markdown extensions and the same search plugin settings, but no hooks,
no ``custom_dir``, no ``extra_css``/``extra_javascript`` from the theme folder, and the stories out
of the navigation (``nav`` lists only the front page; ``not_in_nav`` silences the rest).
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
from pathlib import Path

import yaml

# Top-level entries of the repository that are not part of the site's build.
NOT_COPIED = {
    ".git", ".ci", ".github", "stories", "site", "bench", "tests", ".cache", ".pytest_cache", ".hypothesis",
    "__pycache__", ".venv", "venv", "node_modules", ".ruff_cache", ".mypy_cache",
}
# mkdocs.yml keys the baseline keeps as they are.
BASELINE_KEYS = ("site_name", "site_description", "site_author", "site_url", "copyright", "repo_url", "repo_name",
                 "edit_uri", "extra", "markdown_extensions", "docs_dir")
HARDLINK_OVER = 64 * 1024  # pictures are hard-linked, not copied, between project folders


# Our project ---------------------------------------------------------------------------------------

def make_our_project(root: Path, dest: Path, stories: Path) -> Path:
    """Copy the site's sources from ``root`` into ``dest`` and the stories from ``stories``."""
    dest.mkdir(parents=True)
    for entry in sorted(root.iterdir()):
        if entry.name in NOT_COPIED or entry.name.endswith(".egg-info"):
            continue
        if entry.is_dir():
            shutil.copytree(entry, dest / entry.name, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
        else:
            shutil.copy2(entry, dest / entry.name)
    clone_tree(stories, dest / "stories")
    return dest


def sources_fingerprint(project: Path) -> str:
    """A short hash of the site's sources in ``project`` (everything but stories, output and caches)."""
    digest = hashlib.sha1()
    for path in sorted(project.rglob("*")):
        rel = path.relative_to(project)
        if not path.is_file() or rel.parts[0] in {"stories", "site", ".cache", ".bench-xdg-cache"} or \
                rel.name == ".bench-result.json" or "__pycache__" in rel.parts:
            continue
        digest.update(rel.as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:10]


def clone_tree(source: Path, dest: Path, *, exclude: tuple[str, ...] = ()) -> None:
    """Copy a folder; big files (pictures) become hard links, so many copies cost no disk or time.

    Text files are real copies, so editing one copy (the preview test does) never changes another.
    """
    def copy(src: str, dst: str) -> None:
        if os.path.getsize(src) > HARDLINK_OVER:
            try:
                os.link(src, dst)
                return
            except OSError:
                pass
        shutil.copy2(src, dst)

    shutil.copytree(source, dest, copy_function=copy, ignore=shutil.ignore_patterns(*exclude) if exclude else None)


# Baseline project ----------------------------------------------------------------------------------

def make_baseline_project(our_project: Path, dest: Path) -> Path:
    """The same stories as plain Material pages, with our theme settings and no hooks."""
    config = load_yaml(our_project / "mkdocs.yml")
    docs = dest / "docs"
    docs.mkdir(parents=True)
    our_docs = our_project / config.get("docs_dir", "docs")
    theme = dict(config.get("theme") or {"name": "material"})
    custom_dir = theme.pop("custom_dir", None)
    # Icons that live in the theme folder are copied, so the baseline page is not missing them.
    for key in ("favicon", "logo"):
        if custom_dir and isinstance(theme.get(key), str):
            icon = our_project / custom_dir / theme[key]
            if icon.is_file():
                (docs / theme[key]).parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(icon, docs / theme[key])
    baseline = {key: config[key] for key in BASELINE_KEYS if key in config}
    baseline["docs_dir"] = "docs"
    baseline["theme"] = theme
    baseline["plugins"] = [_search_plugin(config.get("plugins"))]
    baseline["nav"] = [{"Forside": "index.md"}]
    baseline["not_in_nav"] = "/*\n!/index.md\n"
    # Hand-written pages, without templates that only our theme folder has.
    for page in sorted(our_docs.rglob("*.md")):
        target = docs / page.relative_to(our_docs)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(_without_template(page.read_text(encoding="utf-8")), encoding="utf-8")
    if not (docs / "index.md").exists():
        (docs / "index.md").write_text("# Forside\n", encoding="utf-8")
    _copy_stories(our_project / "stories", docs / "historier")
    dump_yaml(baseline, dest / "mkdocs.yml")
    return dest


def _copy_stories(stories: Path, target: Path) -> None:
    target.mkdir(parents=True, exist_ok=True)
    for path in sorted(stories.iterdir()):
        if path.name.startswith(("_", ".")):
            continue
        if path.is_dir() and (path / "index.md").is_file():
            clone_tree(path, target / path.name)
            index = target / path.name / "index.md"
            index.write_text(_with_picture_line(index.read_text(encoding="utf-8")), encoding="utf-8")
        elif path.suffix == ".md":
            shutil.copy2(path, target / path.name)


def _with_picture_line(text: str) -> str:
    """A folder story's picture as a Markdown image at the top of the body (Material shows no ``image:``)."""
    match = re.match(r"---\n(.*?)\n---\n", text, re.DOTALL)
    if not match:
        return text
    meta = yaml.safe_load(match.group(1)) or {}
    if not meta.get("image"):
        return text
    alt = str(meta.get("image_alt", "")).replace("]", ")")
    return f"{match.group(0)}\n![{alt}]({meta['image']})\n{text[match.end():]}"


def _without_template(text: str) -> str:
    match = re.match(r"---\n(.*?)\n---\n", text, re.DOTALL)
    if not match:
        return text
    meta = yaml.safe_load(match.group(1)) or {}
    if not isinstance(meta, dict) or "template" not in meta:
        return text
    meta.pop("template")
    front = yaml.safe_dump(meta, allow_unicode=True, sort_keys=False)
    return f"---\n{front}---\n{text[match.end():]}"


def _search_plugin(plugins) -> object:
    """Our search plugin entry as it is (``search`` with its options), or plain ``search``."""
    for entry in plugins or []:
        if entry == "search" or (isinstance(entry, dict) and "search" in entry):
            return entry
    if isinstance(plugins, dict) and "search" in plugins:
        return {"search": plugins["search"]}
    return "search"


# YAML that keeps MkDocs' tags (!ENV, !!python/name:...) as they are --------------------------------

class Tagged:
    """A YAML node with a tag this loader does not interpret; dumped back unchanged."""

    def __init__(self, tag: str, value) -> None:
        self.tag, self.value = tag, value


class _Loader(yaml.SafeLoader):
    pass


class _Dumper(yaml.SafeDumper):
    pass


def _construct_tagged(loader, suffix, node):
    tag = node.tag
    if isinstance(node, yaml.ScalarNode):
        return Tagged(tag, loader.construct_scalar(node))
    if isinstance(node, yaml.SequenceNode):
        return Tagged(tag, loader.construct_sequence(node, deep=True))
    return Tagged(tag, loader.construct_mapping(node, deep=True))


def _represent_tagged(dumper, data: Tagged):
    if isinstance(data.value, list):
        return dumper.represent_sequence(data.tag, data.value)
    if isinstance(data.value, dict):
        return dumper.represent_mapping(data.tag, data.value)
    return dumper.represent_scalar(data.tag, data.value)


_Loader.add_multi_constructor("!", _construct_tagged)
_Loader.add_multi_constructor("tag:yaml.org,2002:python/", _construct_tagged)
_Dumper.add_representer(Tagged, _represent_tagged)


def plain(value):
    """A config value as MkDocs would read it: ``!ENV [NAME, default]`` from the environment."""
    if isinstance(value, Tagged) and value.tag == "!ENV":
        names = value.value if isinstance(value.value, list) else [value.value]
        for name in names[:-1] if len(names) > 1 else names:
            if name in os.environ:
                return os.environ[name]
        return names[-1] if len(names) > 1 else None
    return value


def load_yaml(path: Path) -> dict:
    return yaml.load(path.read_text(encoding="utf-8"), Loader=_Loader) or {}


def dump_yaml(data: dict, path: Path) -> None:
    path.write_text(yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False), encoding="utf-8")
