"""A story told in more languages, as a reader's browser draws it: `lang` and `dir` where the text is, the
switcher that reaches every version, a right-to-left version that is accessible, reflows and works by
keyboard, and every language's letters drawn with a real glyph, never a missing-glyph box."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from .checks import assert_keyboard_works, assert_no_axe_violations, assert_reflows
from .pages import STORY_IN_LANGUAGES, STORY_RIGHT_TO_LEFT

ROOT = Path(__file__).resolve().parents[2]
LANGUAGES = yaml.safe_load((ROOT / "data" / "vocabulary.yml").read_text(encoding="utf-8"))["languages"]

# How the page's own font draws a character, as pixels on a canvas (the browser picks a font for each character
# from the page's stack and the system's fallbacks, as it does for text in the page), beside how it draws a code
# point no font has (U+0378 and U+0379 are unassigned): equal pixels mean a missing-glyph box.
DRAWN_LIKE_MISSING = """([selector, sample]) => {
  const style = getComputedStyle(document.querySelector(selector));
  const font = `${style.fontWeight} 32px ${style.fontFamily}`;
  const canvas = document.createElement("canvas");
  canvas.width = 64; canvas.height = 64;
  const context = canvas.getContext("2d", {willReadFrequently: true});
  const draw = (text) => {
    context.clearRect(0, 0, 64, 64);
    context.font = font;
    context.fillStyle = "#000";
    context.fillText(text, 8, 44);
    return Array.from(context.getImageData(0, 0, 64, 64).data).join(",") + "|" + context.measureText(text).width;
  };
  const missing = draw("\\u0378");
  const controlCase = draw("\\u0379") === missing;  // the check can tell: another unassigned point is a box too
  const letters = [...new Set(Array.from(sample).filter((c) => /\\p{L}/u.test(c)))];
  return {controlCase, font, boxes: letters.filter((c) => draw(c) === missing)};
}"""


def test_a_right_to_left_version_marks_its_text_and_leaves_the_sites_navigation_norwegian(site_browser):
    page = site_browser.open(STORY_RIGHT_TO_LEFT)
    rendered = page.evaluate("""() => {
      const at = (selector) => {
        const element = document.querySelector(selector);
        return [element.closest("[lang]").lang, getComputedStyle(element).direction];
      };
      return {page: document.documentElement.lang, title: at("article h1"), ingress: at(".story__ingress"),
              body: at(".story__body p"), picture: at(".story__picture img"), tabs: at(".md-tabs"),
              header: at(".md-header"), meta: at(".story-meta dt"), footer: at(".md-footer")};
    }""")
    assert rendered["page"] == "nb"
    for part in ("title", "ingress", "body", "picture"):
        assert rendered[part] == ["ar", "rtl"], f"{part}: {rendered[part]}"
    for part in ("tabs", "header", "meta", "footer"):
        assert rendered[part] == ["nb", "ltr"], f"{part}: {rendered[part]}"


def test_each_name_in_the_switcher_is_in_its_own_language_and_direction(site_browser):
    page = site_browser.open(STORY_IN_LANGUAGES)
    links = page.evaluate("""() => Array.from(document.querySelectorAll(".story-languages a")).map((a) => ({
      name: a.textContent.trim(), lang: a.closest("[lang]").lang, hreflang: a.hreflang,
      direction: getComputedStyle(a).direction, current: a.getAttribute("aria-current")}))""")
    assert links[0] == {"name": "Norsk", "lang": "nb", "hreflang": "nb", "direction": "ltr", "current": "page"}
    by_code = {language["code"]: language for language in LANGUAGES}
    for link in links[1:]:
        language = by_code[link["lang"]]
        assert link == {"name": language["own"], "lang": language["code"], "hreflang": language["code"],
                        "direction": language["direction"], "current": None}
    assert {link["lang"] for link in links} >= {"nb", "en", "ar"}


def test_the_switcher_reaches_every_version_and_back(site_browser, site_server):
    page = site_browser.open(STORY_IN_LANGUAGES)
    codes = page.eval_on_selector_all(".story-languages a", "links => links.map((a) => a.hreflang)")
    for code in codes:
        page.locator(f'.story-languages a[hreflang="{code}"]').focus()
        with page.expect_navigation(wait_until="load"):
            page.keyboard.press("Enter")  # by keyboard, as a reader without a mouse follows it
        path = STORY_IN_LANGUAGES if code == "nb" else f"{STORY_IN_LANGUAGES}{code}/"
        assert page.url == site_server.url(path), (code, page.url)
        current = page.eval_on_selector('.story-languages a[aria-current="page"]', "a => a.hreflang")
        assert current == code
        title_lang = page.eval_on_selector("article h1", "h => h.closest('[lang]').lang")
        assert title_lang == code


def test_a_right_to_left_version_is_axe_clean_in_both_themes(site_browser):
    for palette in ("light", "dark"):
        page = site_browser.open(STORY_RIGHT_TO_LEFT, palette=palette)
        assert_no_axe_violations(page, f"/{STORY_RIGHT_TO_LEFT} ({palette})")


def test_a_right_to_left_version_reflows_at_320_pixels_and_works_by_keyboard(site_browser):
    assert_reflows(site_browser.open(STORY_RIGHT_TO_LEFT, width=320), f"/{STORY_RIGHT_TO_LEFT} at 320 px")
    assert_keyboard_works(site_browser.open(STORY_RIGHT_TO_LEFT, width=320), f"/{STORY_RIGHT_TO_LEFT} at 320 px")


@pytest.mark.parametrize("language", LANGUAGES, ids=lambda language: language["code"])
def test_every_letter_of_each_languages_sample_has_a_glyph_in_the_sites_fonts(site_browser, language):
    page = site_browser.open("sprak/")
    selector = f'#{language["code"]} ~ .language-section__welcome'
    sample = page.eval_on_selector(selector, "p => p.textContent")
    assert sample.strip() == " ".join(language["welcome"].split())
    found = page.evaluate(DRAWN_LIKE_MISSING, [selector, sample + language["own"]])
    assert found["controlCase"], "the check cannot tell a missing glyph from a drawn one"
    assert found["boxes"] == [], (f"MISSING GLYPHS: {language['name']} ({language['code']}) draws "
                                  f"{found['boxes']} as boxes in the font «{found['font']}»")


def test_the_glyph_check_finds_a_letter_that_no_font_has(site_browser):
    page = site_browser.open("sprak/")
    page.evaluate("() => document.querySelector('.lead').append(' \\u{1E4D0}')")  # Nag Mundari (Unicode 15)
    found = page.evaluate(DRAWN_LIKE_MISSING, [".lead", page.eval_on_selector(".lead", "p => p.textContent")])
    assert found["boxes"] == ["\U0001E4D0"]


def test_search_finds_the_arabic_version_by_a_word_of_its_title(site_browser, site_server):
    page = site_browser.open("")
    page.locator(".md-search__input").click()
    page.keyboard.insert_text("مقهى")  # «café», as an Arabic keyboard or a paste gives it
    page.keyboard.press("End")  # Material reads the query on a key's release
    links = page.locator(".md-search-result__item > .md-search-result__link")
    links.first.wait_for(state="visible", timeout=10_000)
    found = [href.split("?")[0] for href in links.evaluate_all("els => els.map((a) => a.href)")]
    assert site_server.url(STORY_RIGHT_TO_LEFT) in found, found
    assert not page.script_errors, page.script_errors
