"""Search works in the browser, offline: «bærekraft» lists the stories tagged with it."""

from __future__ import annotations

from urllib.parse import urljoin, urlsplit

import frontmatter
import pytest
from conftest import ROOT
from playwright.sync_api import Page

from .checks import assert_no_axe_violations, assert_private
from .pages import PALETTES


def tagged_story_paths(tag: str) -> set[str]:
    """The addresses of the stories tagged ``tag``, read from the story files themselves."""
    paths = set()
    for path in sorted((ROOT / "stories").glob("*.md")) + sorted((ROOT / "stories").glob("*/index.md")):
        slug = path.parent.name if path.name == "index.md" else path.stem
        if slug.startswith(("_", ".")):
            continue
        meta = frontmatter.load(path).metadata
        tags = meta.get("tags") or []
        if tag in (tags if isinstance(tags, list) else [tags]) and not meta.get("draft"):
            paths.add(f"historier/{slug}/")
    return paths


def open_search_results(page: Page, query: str) -> list[str]:
    """Type ``query`` into the search box as a reader would; return the result links once they show."""
    button = page.locator("label.md-header__button[for=__search]")  # the magnifier on narrow screens
    if button.is_visible():
        button.click()
    else:
        page.locator(".md-search__input").click()
    page.wait_for_function("() => document.activeElement.matches('.md-search__input')")
    page.keyboard.type(query, delay=20)
    links = page.locator(".md-search-result__item > .md-search-result__link")
    links.first.wait_for(state="visible", timeout=10_000)
    return [urljoin(page.url, href) for href in links.evaluate_all("els => els.map(e => e.getAttribute('href'))")]


def test_search_for_baerekraft_lists_a_story_tagged_with_it(site_browser, site_server):
    expected = tagged_story_paths("bærekraft")
    assert expected, "no story is tagged bærekraft: the example stories should have some"
    page = site_browser.open("")
    mark = site_browser.context().guard.mark()
    results = open_search_results(page, "bærekraft")
    found = {urlsplit(url).path.removeprefix(urlsplit(site_server.root).path) for url in results}
    assert found & expected, (
        f"SEARCH: «bærekraft» lists {sorted(found)}; none of the stories tagged bærekraft {sorted(expected)}"
    )
    assert not page.script_errors, f"JavaScript errors during search: {page.script_errors}"
    assert_private(page, site_browser.context().guard.since(mark), "the front page while searching")


@pytest.mark.parametrize("palette", PALETTES)
@pytest.mark.parametrize("width", (1280, 375))
def test_search_overlay_with_results(site_browser, screenshots, width, palette):
    """The search overlay showing results: no axe violation; a screenshot for people to look at."""
    page = site_browser.open("", palette=palette, width=width)
    open_search_results(page, "bærekraft")
    page.screenshot(path=screenshots / f"sok-{width}-{palette}.png", animations="disabled")
    assert_no_axe_violations(page, f"the search overlay with «bærekraft» at {width} px ({palette} theme)")


@pytest.mark.parametrize("query", ["dugnaden", "Lommedalen", "vafler"])
def test_search_uses_the_norwegian_stemmer_for_whole_words_and_inflections(site_browser, site_server, query):
    """«dugnaden» finds the story titled «… på dugnad», and whole words such as «Lommedalen» and
    «vafler» (in its ingress) find it too: the index holds stems, and the site stems each query
    term before Material adds its type-ahead wildcard (lunr does not stem wildcard terms)."""
    page = site_browser.open("")
    results = open_search_results(page, query)
    found = {urlsplit(url).path.removeprefix(urlsplit(site_server.root).path) for url in results}
    assert "historier/hele-lommedalen-pa-dugnad/" in found, f"SEARCH: «{query}» lists {sorted(found)}"


LANGUAGE_CAFE = "historier/sprakkafeen-i-sandvika-norsk-over-en-kopp-kaffe/"


@pytest.mark.parametrize(("query", "expected"), [
    ("coffee", f"{LANGUAGE_CAFE}en/"),  # English, indexed as written; the Norwegian stem is «coffe»
    ("språkkafeene", LANGUAGE_CAFE),  # bokmål, stemmed: the story says «språkkafeen»
])
def test_search_stems_bokmal_and_leaves_other_languages_words_whole(site_browser, site_server, query, expected):
    """The index stems only the bokmål text the Norwegian way; an English version's words are kept as
    written, and the query, stemmed with Material's wildcard after it, still finds them."""
    page = site_browser.open("")
    results = open_search_results(page, query)
    found = {urlsplit(url).path.removeprefix(urlsplit(site_server.root).path) for url in results}
    assert expected in found, f"SEARCH: «{query}» lists {sorted(found)}"
    assert not page.script_errors, page.script_errors


# Builds an index in a worker from the site's own search worker (with the hook's additions in front) and
# lunr's Norwegian support, as Material's worker does, and returns the words the index holds.
INDEX_WORDS = """async ([worker, lunr, docs]) => {
  const code = await (await fetch(worker)).text();
  const probe = code + `;
    self.importScripts(${JSON.stringify(lunr + "lunr.stemmer.support.min.js")}, ${JSON.stringify(lunr + "lunr.no.min.js")});
    const index = self.lunr(function () {
      this.use(self.lunr.no); this.ref("location"); this.field("text");
      for (const doc of ${JSON.stringify(docs)}) this.add(doc);
    });
    postMessage(Object.keys(index.invertedIndex));`;
  const probeWorker = new Worker(URL.createObjectURL(new Blob([probe], {type: "text/javascript"})));
  return await new Promise((resolve, reject) => {
    probeWorker.onmessage = (event) => resolve(event.data);
    probeWorker.onerror = (event) => reject(new Error(event.message));
  });
}"""


def test_the_index_stems_bokmal_and_lettlest_and_keeps_other_languages_words_whole(site_browser, site_server,
                                                                                    built_site):
    worker = next((built_site.site_dir / "assets" / "javascripts" / "workers").glob("search.*.min.js")).name
    page = site_browser.open("search/search_index.json")  # the site's origin, without a page's script policy
    words = page.evaluate(INDEX_WORDS, [
        site_server.url(f"assets/javascripts/workers/{worker}"), site_server.url("assets/javascripts/lunr/min/"),
        [{"location": f"{LANGUAGE_CAFE}", "text": "språkkafeen"},
         {"location": f"{LANGUAGE_CAFE}nb-x-lettlest/", "text": "historiene"},
         {"location": f"{LANGUAGE_CAFE}en/#the-coffee", "text": "coffee singers"},
         {"location": f"{LANGUAGE_CAFE}nn/", "text": "gardane"}],
    ])
    assert sorted(words) == ["coffee", "gardane", "histori", "singers", "språkkafe"]
