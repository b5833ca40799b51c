"""Whose site it is: every page's header reads as Bærum kommune's publication, every footer names the
publisher, the responsible editor and a contact address, pictures are credited as what they are, and
/visjonen/ shows the picture its text speaks of, honestly captioned."""

from __future__ import annotations

import re
from urllib.parse import urljoin, urlsplit

import pytest
import yaml
from conftest import ROOT, story_text

PAGES = ("", "visjonen/", "historier/", "verdier/mangfold/", "steder/", "tilgjengelighet/", "404.html")


class _Loader(yaml.SafeLoader):
    """Reads ``!ENV [NAME, default]`` in mkdocs.yml as its default."""


_Loader.add_constructor("!ENV", lambda loader, node: loader.construct_sequence(node)[-1])
EXTRA = yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=_Loader)["extra"]


@pytest.mark.parametrize("url", PAGES)
def test_the_header_is_a_wordmark_in_text_leading_to_the_front_page(real_site, url):
    header = real_site.html(url).select_one("header.md-header")
    mark = header.select_one("a.site-wordmark")
    assert [span.get_text(strip=True) for span in mark.select("span")] == [
        "Bærum kommune", "Sammen skaper vi fremtiden"]
    assert urlsplit(urljoin(f"https://example.invalid/{url}", mark["href"])).path == "/"
    assert header.select("img") == []  # no logo picture and never the coat of arms
    assert "logo" not in header.get_text().lower()


@pytest.mark.parametrize("url", PAGES)
def test_every_footer_names_publisher_editor_and_contact_and_invites_stories(real_site, url):
    footer = real_site.html(url).select_one("footer.md-footer")
    facts = {dt.get_text(strip=True): dt.find_next_sibling("dd") for dt in footer.select("dt")}
    assert facts["Utgiver"].get_text(strip=True) == EXTRA["publisher"] == "Bærum kommune"
    assert facts["Ansvarlig redaktør"].get_text(strip=True) == EXTRA["editor"]
    contact = facts["Kontakt"].a
    assert contact["href"] == f"mailto:{EXTRA['contact_email']}" and contact.get_text() == EXTRA["contact_email"]
    links = {a.get_text(strip=True): a["href"] for a in footer.select("nav a")}
    assert links["Del din historie"].endswith("del-din-historie/")
    assert "Material for MkDocs" not in footer.get_text() and "Laget med" not in footer.get_text()


def test_the_theme_is_credited_in_the_accessibility_statement(real_site):
    page = real_site.article("tilgjengelighet/")
    assert page.select_one('a[href="https://squidfunk.github.io/mkdocs-material/"]').get_text() == (
        "Material for MkDocs")


def test_the_favicon_is_a_mark_of_its_own_not_three_dots(real_site):
    icon = (real_site.site_dir / "assets" / "images" / "favicon.svg").read_text(encoding="utf-8")
    assert icon.count("<circle") < 3 and "<path" in icon


def test_visjonen_shows_the_workshop_picture_it_speaks_of_with_an_honest_caption(real_site):
    page = real_site.article("visjonen/")
    figure = page.select_one("figure.vision-figure")
    img = figure.img
    assert real_site.exists("assets/images/" + img["src"].rsplit("/", 1)[-1])
    assert len(img["alt"]) > 40 and img["alt"].startswith("Tegning")
    caption = " ".join(figure.figcaption.get_text().split())
    assert caption.startswith("Bildet er fra verkstedet med Ungdommens kommunestyre februar 2015.")
    assert "Illustrasjon: Bærum kommune" in caption and "tegning i stedet" in caption
    # The sentence that speaks of the picture is its caption, nowhere else on the page.
    assert page.get_text().count("Bildet er fra verkstedet") == 1


def test_no_credit_names_its_kind_twice_on_the_example_site(real_site):
    credits = [" ".join(caption.get_text().split()) for path in (real_site.site_dir / "historier").glob("*/index.html")
               for caption in real_site.html(f"historier/{path.parent.name}/").select(".story__picture figcaption")]
    assert len(credits) >= 4
    for credit in credits:
        assert re.fullmatch(r"(Foto|Illustrasjon): [^:]+", credit), credit


def test_a_story_picture_is_credited_as_a_photo_or_as_what_its_credit_says(build_site, tmp_path):
    from PIL import Image

    picture = tmp_path / "bilde.jpg"
    Image.new("RGB", (800, 500), "teal").save(picture)
    stories = {}
    for slug, credit in (("foto", "Kari Berg"), ("tegning", '"Illustrasjon: Bærum kommune"'),
                         ("i-parentes", '"Bærum kommune (illustrasjon)"')):
        stories[f"{slug}/index.md"] = story_text(title=slug.capitalize(), image="bilde.jpg",
                                                 image_alt='"En flate"', image_credit=credit)
        stories[f"{slug}/bilde.jpg"] = picture.read_bytes()
    site = build_site(stories)
    assert site.error is None, site.error
    caption = {slug: site.article(f"historier/{slug}/").select_one(".story__picture figcaption").get_text()
               for slug in ("foto", "tegning", "i-parentes")}
    assert caption == {"foto": "Foto: Kari Berg", "tegning": "Illustrasjon: Bærum kommune",
                       "i-parentes": "Illustrasjon: Bærum kommune"}
