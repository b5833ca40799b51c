"""Material's stylesheets, trimmed after the build to the features this site uses."""

from __future__ import annotations

from pathlib import Path

import material
from storysite.trim_css import _rules, _split, trim

MATERIAL_CSS = Path(material.__file__).parent / "templates" / "assets" / "stylesheets"


def _stylesheet(site, prefix: str) -> str:
    [path] = (site.site_dir / "assets" / "stylesheets").glob(f"{prefix}.*.min.css")
    return path.read_text(encoding="utf-8")


def test_built_stylesheets_keep_what_the_site_uses_and_drop_unused_features(real_site):
    css = _stylesheet(real_site, "main")
    original = next(MATERIAL_CSS.glob("main.*.min.css")).read_text(encoding="utf-8")
    assert len(css) < 0.7 * len(original)
    for kept in (".md-header{", ".md-search__input", ".md-typeset table", ".md-banner", ".md-button", ".md-skip",
                 ".md-nav__link", ".md-sidebar", ".md-typeset code", ".md-typeset details", ".md-footer"):
        assert kept in css, kept
    for dropped in ("tabbed", ".md-typeset .admonition", ".md-tooltip", ".md-source", "--md-tabbed-icon"):
        assert dropped not in css, dropped
    assert "--md-details-icon:url(" in css  # <details> is allowed in stories and keeps its icon
    palette = _stylesheet(real_site, "palette")
    assert "[data-md-color-scheme=slate]" in palette
    assert "data-md-color-primary=indigo" not in palette


def test_trimming_keeps_rules_whole():
    original = next(MATERIAL_CSS.glob("main.*.min.css")).read_text(encoding="utf-8")
    css = trim(original)
    assert trim(css) == css
    assert css.count("{") == css.count("}")
    assert css.count('url("') == css.count('")')  # data URIs hold ; and , — none cut in half

    def selectors(text):
        return {s.strip() for prelude, body in _rules(text) if body is not None for s in _split(prelude, ",")}

    assert selectors(css) <= selectors(original)  # nothing new, nothing rewritten
    assert 'charset=utf-8,<svg' in css and ":root{" in css


def test_a_rule_shared_with_an_unused_feature_keeps_its_used_selectors():
    css = '.md-typeset .admonition,.md-typeset p{margin:1em}:root{--md-tabbed-icon--next:url("data:x;a,b");--x:1}'
    assert trim(css) == '.md-typeset p{margin:1em}:root{--x:1}'
