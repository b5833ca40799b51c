"""The Content-Security-Policy in the built files (hooks/storysite/csp.py); in the browser: browser/test_csp.py."""

from __future__ import annotations

import base64
import hashlib
import re
from pathlib import Path

import material
import pytest
import test_preview
from bs4 import BeautifulSoup
from conftest import ROOT, story_text
from storysite import csp

preview = test_preview.preview  # the `mkdocs serve` fixture

META = re.compile(r'<meta http-equiv="Content-Security-Policy" content="([^"]*)">')
DATA_TYPES = ("application/json", "application/ld+json")
THEME_DIRS = (ROOT / "overrides", Path(material.__file__).parent / "templates")


def sha256_source(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode() + "'"


def directives(policy: str) -> dict[str, list[str]]:
    return {name: values for name, *values in (part.split() for part in policy.split(";"))}


def html_files(site) -> list[Path]:
    files = sorted(site.site_dir.rglob("*.html"))
    assert len(files) > 20 and site.site_dir / "404.html" in files
    return files


def test_every_built_page_has_one_policy_right_after_meta_charset_before_any_script(real_site):
    for path in html_files(real_site):
        html = path.read_text(encoding="utf-8")
        name = path.relative_to(real_site.site_dir)
        assert len(META.findall(html)) == 1, f"{name}: {len(META.findall(html))} policies"
        meta = META.search(html)
        assert html[: meta.start()].rstrip().endswith('<meta charset="utf-8">'), f"{name}: not after <meta charset>"
        assert "<script" not in html[: meta.start()] and meta.end() < html.index("</head>"), name


def test_no_page_allows_unsafe_inline_or_eval_and_everything_comes_from_the_site(real_site):
    for path in html_files(real_site):
        policy = directives(META.search(path.read_text(encoding="utf-8")).group(1))
        name = path.relative_to(real_site.site_dir)
        assert policy["script-src"][0] == "'self'", name
        assert all(re.fullmatch(r"'sha256-[A-Za-z0-9+/]{43}='", s) for s in policy["script-src"][1:]), name
        assert {k: v for k, v in policy.items() if k != "script-src"} == {
            "default-src": ["'none'"],
            "style-src": ["'self'"],
            "img-src": ["'self'", "data:"],
            "font-src": ["'self'"],
            "connect-src": ["'self'"],
            "worker-src": ["'self'"],
            "object-src": ["'none'"],
            "base-uri": ["'self'"],
            "form-action": ["'none'"],
        }, name


def test_each_page_hashes_exactly_the_inline_scripts_outside_its_content_and_no_json(real_site):
    hashed_somewhere = set()
    for path in html_files(real_site):
        html = path.read_text(encoding="utf-8")
        soup = BeautifulSoup(html, "html.parser")
        scripts = [s for s in soup.find_all("script") if not s.get("src")]
        running = [s for s in scripts if (s.get("type") or "") not in DATA_TYPES]
        assert not [s for s in running if s.find_parent("article")], f"{path}: a script in the content area"
        expected = {sha256_source(s.string or "") for s in running}
        allowed = set(directives(META.search(html).group(1))["script-src"][1:])
        assert allowed == expected, f"{path.relative_to(real_site.site_dir)}: hashes {allowed} ≠ scripts {expected}"
        assert not {sha256_source(s.string or "") for s in scripts if s.get("type") in DATA_TYPES} & allowed
        hashed_somewhere |= allowed
    # Material's scope script differs with the page's depth: one hash per depth (/, ../, ../../, and 404's "/").
    assert len(hashed_somewhere) >= 5


def test_the_site_s_own_scripts_are_a_file_not_inline(real_site):
    page = real_site.html("")
    assert page.select_one('script[src$="assets/javascripts/site.js"]')
    assert (real_site.site_dir / "assets" / "javascripts" / "site.js").is_file()
    bundle = page.select_one('script[src*="assets/javascripts/bundle."]')
    assert page.find_all("script").index(page.select_one('script[src$="site.js"]')) < page.find_all(
        "script").index(bundle), "site.js must run before Material's bundle"


# ---------------------------------------------------------------------------------------------
# add_policy on its own


@pytest.fixture(scope="module")
def templates() -> csp.TemplateScripts:
    return csp.TemplateScripts.read(THEME_DIRS)


SCOPE = ('__md_scope=new URL("BASE",location),__md_hash=e=>[...e].reduce(((e,_)=>(e<<5)-e+_.charCodeAt(0)),0),'
         '__md_get=(e,_=localStorage,t=__md_scope)=>JSON.parse(_.getItem(t.pathname+"."+e)),'
         '__md_set=(e,_,t=localStorage,a=__md_scope)=>{try{t.setItem(a.pathname+"."+e,JSON.stringify(_))}catch(e){}}')
TARGET = ('var target=document.getElementById(location.hash.slice(1));'
          'target&&target.name&&(target.checked=target.name.startsWith("__tabbed_"))')


def page(head: str = "", nav: str = "", article: str = "", after: str = "") -> str:
    return (f'<!doctype html><html><head><meta charset="utf-8"><title>T</title>{head}</head><body>{nav}'
            f'<article class="md-content__inner md-typeset">{article}</article>{after}</body></html>')


def script_sources(html: str) -> list[str]:
    return directives(META.search(html).group(1))["script-src"][1:]


@pytest.mark.parametrize("base", [".", "..", "../..", "/", "/sammen/", "https://example.invalid/sammen/"])
def test_material_s_scope_script_gets_its_hash_for_any_base_url(templates, base):
    script = SCOPE.replace("BASE", base)
    assert script_sources(csp.add_policy(page(head=f"<script>{script}</script>"), templates)) == [
        sha256_source(script)]


@pytest.mark.parametrize("base", ['",alert(1),"', "..\\", "</script><script>x", ".. ", "x(1)"])
def test_a_scope_script_whose_base_url_could_be_code_gets_no_hash(templates, base):
    assert script_sources(csp.add_policy(page(head=f"<script>{SCOPE.replace('BASE', base)}</script>"), templates)) == []


def test_a_template_s_script_copied_into_the_story_text_gets_no_hash(templates):
    assert script_sources(csp.add_policy(page(article=f"<p>Hei</p><script>{TARGET}</script>"), templates)) == []
    outside = csp.add_policy(page(article=f"<script>{TARGET}</script>", after=f"<script>{TARGET}</script>"), templates)
    assert script_sources(outside) == [sha256_source(TARGET)]  # the template's own copy, after the content


def test_a_script_outside_the_content_that_no_template_emits_gets_no_hash(templates):
    """Story text that slipped through escaping into the title or the navigation is not trusted for its place."""
    html = page(head="<title><script>alert(1)</script></title>", nav="<nav><script>alert(2)</script></nav>",
                after='<script>alert(3)</script><script type="module">alert(4)</script>')
    assert script_sources(csp.add_policy(html, templates)) == []


def test_a_closing_article_tag_in_the_story_text_does_not_end_the_content_area(templates):
    html = page(article=f"</article><script>{TARGET}</script><article>")
    assert script_sources(csp.add_policy(html, templates)) == []


def test_data_blocks_and_external_scripts_get_no_hash(templates):
    html = page(head='<script type="application/ld+json">{"@type": "Article"}</script><script src="a.js"></script>',
                after='<script id="__config" type="application/json">{"base": ".."}</script>')
    assert script_sources(csp.add_policy(html, templates)) == []


def test_the_policy_is_put_before_the_first_script_even_without_meta_charset(templates):
    html = csp.add_policy("<html><head><script>x</script></head><body></body></html>", templates)
    assert html.startswith('<html><head><meta http-equiv="Content-Security-Policy" content="default-src')
    with pytest.raises(ValueError):
        csp.add_policy("<script>x</script><p>no head</p>", templates)


def test_a_template_script_written_with_crlf_line_ends_is_hashed_as_the_browser_reads_it(tmp_path):
    (tmp_path / "x.html").write_bytes(b"<script>\r\n  go();\r\n</script>")
    scripts = csp.TemplateScripts.read([tmp_path])
    html = csp.add_policy(page(after="<script>\r\n  go();\r\n</script>"), scripts)
    assert script_sources(html) == [sha256_source("\n  go();\n")]


def test_mkdocs_serve_pages_have_no_policy_because_its_livereload_script_is_inline(preview):
    """MkDocs puts an inline livereload script into every page it serves; a policy would block it."""
    server = preview({"a.md": story_text(title="Historie A")})
    for path in ("", "historier/a/"):
        status, html = server.get(path)
        assert status == 200 and "livereload" in html and "Content-Security-Policy" not in html, path


# ---------------------------------------------------------------------------------------------
# Every page type a build can make, the withdrawn story's address included

# Each page-type template in overrides/ with an address that a build makes from it. The preview's
# «story-problems.html» is left out: `mkdocs serve` pages carry no policy (see the test above); so is
# «cached-page.html», which writes a page of one of these types as the last build wrote it, policy and
# all (tests/test_page_cache.py: the same bytes).
PAGE_TYPES = {
    "home.html": "", "story.html": "historier/med-bilde/", "withdrawn.html": "historier/trukket/",
    "listing.html": "verdier/raushet/", "places.html": "steder/", "focus-areas.html": "satsingsomrader/",
    "partners.html": "sammen/", "goals.html": "mal/", "numbers.html": "tall/", "data.html": "data/",
    "share.html": "del-din-historie/", "languages.html": "sprak/", "404.html": "404.html", "main.html": "visjonen/",
}


def test_the_page_types_listed_are_every_template_in_overrides():
    made = {path.name for path in (ROOT / "overrides").glob("*.html")} - {"story-problems.html", "cached-page.html"}
    assert set(PAGE_TYPES) == made


def test_every_page_type_has_one_policy_the_withdrawn_storys_address_included(build_site):
    from io import BytesIO

    from PIL import Image

    picture = BytesIO()
    Image.new("RGB", (700, 400), (200, 40, 40)).save(picture, "JPEG")
    site = build_site({
        "med-bilde/index.md": story_text(image="bilde.jpg", image_alt="Et bilde", image_credit="Ola", place="Sandvika",
                                         focus="medvirkning", partners="[innbyggere]", goals="dialog",
                                         featured="true"),
        "med-bilde/bilde.jpg": picture.getvalue(),
        "trukket.md": "---\nconsent: Saksnr. 2026/9\nwithdrawn: 2026-11-01\n---\n",
    })
    assert site.error is None, site.errors()
    for template, address in PAGE_TYPES.items():
        assert site.exists(address), (template, address)
    for path in sorted(site.site_dir.rglob("*.html")):
        html = path.read_text(encoding="utf-8")
        name = path.relative_to(site.site_dir)
        assert len(META.findall(html)) == 1, f"{name}: {len(META.findall(html))} policies"
        policy = directives(META.search(html).group(1))
        assert policy["default-src"] == ["'none'"] and policy["script-src"][0] == "'self'", name
