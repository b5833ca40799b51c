"""A story told in three languages beside bokmål, one of them right to left, built into a real site: each
version at its address with the right `lang` and `dir`, linked by the switcher, `hreflang` and the sitemap,
shown once in the listings, welcomed on /sprak/, out of the feeds and in the search index."""

from __future__ import annotations

import io
import json
import xml.etree.ElementTree as ET

import pytest
from conftest import story_text
from PIL import Image

SLUG = "koret-synger-pa-mange-sprak"
STORY = f"historier/{SLUG}/"
ARABIC_WORD = "الجوقة"  # «the choir», in the Arabic version's ingress only


def jpeg() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (900, 600), (40, 120, 90)).save(out, "JPEG")
    return out.getvalue()


def version(title: str, description: str, alt: str, body: str, credit: str = "translated_by: Ola Nordmann") -> str:
    return f"---\ntitle: {title}\ndescription: {description}\nimage_alt: {alt}\n{credit}\n---\n\n{body}\n"


STORIES = {
    f"{SLUG}/index.md": story_text("Koret synger på mange språk.\n", title="Koret synger på mange språk",
                                   description="Et kor i Sandvika der alle kan synge med.", place="Sandvika",
                                   image="kor.jpg", image_alt="Et kor synger.", image_credit="Kari Berg"),
    f"{SLUG}/kor.jpg": jpeg(),
    f"{SLUG}/index.en.md": version("The choir sings in many languages", "A choir in Sandvika where everyone sings.",
                                   "A choir sings.", "The choir sings in many languages."),
    f"{SLUG}/index.ar.md": version("الجوقة تغني بلغات كثيرة", f"{ARABIC_WORD} في ساندفيكا يغني فيها الجميع.",
                                   "جوقة تغني.", "تغني الجوقة بلغات كثيرة.", "told_by: Amal Hassan"),
    f"{SLUG}/index.nn.md": version("Koret syng på mange språk", "Eit kor i Sandvika der alle kan syngje med.",
                                   "Eit kor syng.", "Koret syng på mange språk."),
    "bare-bokmal.md": story_text(title="Bare på bokmål", date="2020-05-18"),
}
LANGUAGES = {"nb": STORY, "nn": f"{STORY}nn/", "en": f"{STORY}en/", "ar": f"{STORY}ar/"}


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    from conftest import build, make_project

    built = build(make_project(tmp_path_factory.mktemp("versions"), STORIES))
    assert built.error is None, built.errors()
    return built


@pytest.mark.parametrize(("code", "direction"), [("en", "ltr"), ("ar", "rtl"), ("nn", "ltr")])
def test_each_version_is_at_its_address_with_lang_and_dir_on_its_text_only(site, code, direction):
    page = site.html(LANGUAGES[code])
    article = page.select_one("article.md-content__inner")
    assert page.html["lang"] == "nb"  # the site around the story stays Norwegian
    for selector in ("h1", ".story__ingress", ".story__body", "figure.story__picture"):
        element = article.select_one(selector)
        assert (element.get("lang"), element.get("dir")) == (code, direction), selector
    assert article.select_one("figure figcaption")["lang"] == "nb"  # «Foto: …» is the site's words
    assert article.select_one(".story-meta").get("lang") is None
    assert page.select_one(".md-tabs").find_parent(attrs={"lang": True}).name == "html"


def test_a_versions_page_shows_its_own_text_picture_text_and_translator(site):
    article = site.article(LANGUAGES["ar"])
    assert article.select_one("h1").get_text(strip=True) == "الجوقة تغني بلغات كثيرة"
    assert article.select_one(".story__body").get_text(strip=True) == "تغني الجوقة بلغات كثيرة."
    img = article.select_one("figure img")
    assert img["alt"] == "جوقة تغني." and img["src"].startswith("../")
    assert (site.path(LANGUAGES["ar"]).parent / img["src"]).is_file()
    meta = {div.dt.get_text(strip=True): div.dd.get_text(strip=True) for div in article.select(".story-meta > div")}
    assert meta["Fortalt av"] == "Amal Hassan" and meta["Skrevet av"] == "Kari Nordmann"
    assert "Fortalt av" not in {dt.get_text(strip=True) for dt in site.article(STORY).select(".story-meta dt")}


@pytest.mark.parametrize("code", ["nb", "nn", "en", "ar"])
def test_the_switcher_links_every_language_by_its_own_name_with_hreflang(site, code):
    article = site.article(LANGUAGES[code])
    links = article.select(".story-languages a")
    assert [(a.get_text(strip=True), a["hreflang"], a.find_parent("bdi")["lang"]) for a in links] == [
        ("Norsk", "nb", "nb"), ("Nynorsk", "nn", "nn"), ("English", "en", "en"), ("العربية", "ar", "ar")]
    assert [a["hreflang"] for a in links if a.get("aria-current") == "page"] == [code]
    assert links[3].find_parent("bdi")["dir"] == "rtl"
    here = site.path(LANGUAGES[code]).parent
    assert all((here / a["href"] / "index.html").resolve().is_file() for a in links)


@pytest.mark.parametrize("code", ["nb", "ar"])
def test_the_head_names_every_language_as_an_alternate(site, code):
    head = site.html(LANGUAGES[code]).head
    alternates = {link["hreflang"]: link["href"] for link in head.select('link[rel="alternate"][hreflang]')}
    base = "https://example.invalid/"
    assert alternates == {**{c: base + url for c, url in LANGUAGES.items()}, "x-default": base + STORY}
    ld = json.loads(head.select_one('script[type="application/ld+json"]').string)
    assert ld["inLanguage"] == code


def test_the_sitemap_lists_each_version_with_its_alternates(site):
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "x": "http://www.w3.org/1999/xhtml"}
    root = ET.fromstring(site.path("sitemap.xml").read_bytes())
    entries = {url.find("s:loc", ns).text: {link.get("hreflang"): link.get("href") for link in url.findall("x:link", ns)}
               for url in root.findall("s:url", ns)}
    base = "https://example.invalid/"
    for url in LANGUAGES.values():
        assert set(entries[base + url]) == {"nb", "nn", "en", "ar", "x-default"}
    assert entries[base + "historier/bare-bokmal/"] == {}


def test_listings_show_the_story_once_with_the_languages_it_is_also_in(site):
    assert site.card_titles("historier/") == ["Bare på bokmål", "Koret synger på mange språk"]
    card = site.article("historier/").select(".story-card")[1]
    also = card.select_one(".story-card__languages")
    assert also.get_text(" ", strip=True).startswith("Også på:")
    assert [(a.get_text(strip=True), a["hreflang"]) for a in also.select("a")] == [
        ("Nynorsk", "nn"), ("English", "en"), ("العربية", "ar")]
    assert site.article("historier/").select(".story-card")[0].select_one(".story-card__languages") is None
    assert site.card_titles("steder/sandvika/") == ["Koret synger på mange språk"]


def test_the_languages_page_welcomes_each_language_in_itself_and_lists_its_stories(site):
    article = site.article("sprak/")
    arabic = article.select_one("#ar").find_parent("section")
    welcome = arabic.select_one(".language-section__welcome")
    assert (welcome["lang"], welcome["dir"]) == ("ar", "rtl") and welcome.get_text(strip=True).startswith("أهلًا")
    assert [a.get_text(strip=True) for a in arabic.select(".language-section__stories a")] == ["الجوقة تغني بلغات كثيرة"]
    polish = article.select_one("#pl").find_parent("section")
    assert polish.select_one(".language-section__welcome")["lang"] == "pl" and not polish.select("a")
    assert len(article.select("section.language-section")) == 9
    assert site.html("").select_one('footer a[href$="sprak/"]') is not None


def test_feeds_carry_the_bokmal_text_only(site):
    feed = site.path("feed.xml").read_text(encoding="utf-8")
    assert "Koret synger på mange språk" in feed
    assert all(title not in feed for title in ("The choir sings", "الجوقة", "Koret syng på"))


def test_the_search_index_finds_the_story_by_a_word_of_its_arabic_version(site):
    docs = json.loads(site.path("search/search_index.json").read_text(encoding="utf-8"))["docs"]
    found = [doc["location"] for doc in docs if ARABIC_WORD in doc["text"] or ARABIC_WORD in doc["title"]]
    assert found == [LANGUAGES["ar"]]


def test_a_story_without_versions_has_no_switcher_and_no_alternates(site):
    page = site.html("historier/bare-bokmal/")
    assert page.select(".story-languages") == [] and page.select("link[hreflang]") == []


def test_a_version_breaking_a_rule_stops_the_build_naming_file_line_and_field(build_site):
    stories = {**STORIES, f"{SLUG}/index.en.md": version("A", "B", "C", "D").replace("---\n\n", "date: 2020-05-17\n---\n\n")}
    built = build_site(stories)
    assert built.error is not None
    assert (f"stories/{SLUG}/index.en.md:6: date: feltet hører til hovedhistorien (index.md) og skal ikke gjentas i "
            "en oversettelse.") in built.errors()


def test_the_open_data_has_a_row_per_language_with_its_text_and_address(site):
    records = json.loads(site.path("data/historier.json").read_text(encoding="utf-8"))
    mine = [r for r in records if r["slug"] == SLUG]
    assert [r["language"] for r in mine] == ["nb", "nn", "en", "ar"]
    arabic = mine[3]
    assert arabic["url"] == "https://example.invalid/" + LANGUAGES["ar"]
    assert (arabic["title"], arabic["image_alt"], arabic["body"]) == ("الجوقة تغني بلغات كثيرة", "جوقة تغني.",
                                                                      "تغني الجوقة بلغات كثيرة.")
    assert arabic["date"] == mine[0]["date"] and arabic["image_url"] == mine[0]["image_url"]
    assert [r["language"] for r in records if r["slug"] == "bare-bokmal"] == ["nb"]
    rows = site.path("data/historier.csv").read_text(encoding="utf-8").splitlines()
    assert rows[0].startswith("slug,language,url,") and len(rows) == len(records) + 1
    package = json.loads(site.path("data/datapackage.json").read_text(encoding="utf-8"))
    assert package["resources"][0]["schema"]["primaryKey"] == ["slug", "language"]
