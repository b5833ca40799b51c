"""The front page as a reader gets it: each story once, cards without a picture as text cards, the youth's
section honest about what it shows, invitations to share a story leading to «Del din historie»."""

from __future__ import annotations

from collections import Counter

import pytest
from conftest import build, make_project, story_text


def _card_links(page) -> list[str]:
    return [a["href"] for a in page.select(".story-card__title a")]


def test_no_story_appears_twice_on_the_front_page_of_the_example_site(real_site):
    links = _card_links(real_site.article(""))
    assert len(links) >= 9  # featured, newest and the youth's section all show cards
    assert [link for link, n in Counter(links).items() if n > 1] == []


@pytest.fixture(scope="module")
def overlapping(tmp_path_factory):
    """Every story is featured, new and from young people: each section could pick every one."""
    stories = {f"s{n}.md": story_text(title=f"Historie {n}", date=f"2020-01-{n + 10:02d}", featured="true",
                                      partners="[ungdom]", minors="false") for n in range(4)}
    stories |= {f"u{n}.md": story_text(title=f"Ungdom {n}", date=f"2019-01-{n + 10:02d}", partners="[ungdom]",
                                       minors="false") for n in range(9)}
    site = build(make_project(tmp_path_factory.mktemp("front"), stories))
    assert site.error is None, site.errors()
    return site


def test_each_section_shows_what_the_sections_above_it_have_not(overlapping):
    home = overlapping.article("")
    sections = {s.h2.get_text(strip=True): [a.get_text(strip=True) for a in s.select(".story-card__title a")]
                for s in home.select("section") if s.select(".story-card")}
    assert sections["Utvalgte historier"] == ["Historie 3", "Historie 2", "Historie 1", "Historie 0"]
    assert sections["Nyeste historier"] == [f"Ungdom {n}" for n in (8, 7, 6, 5, 4, 3)]
    assert sections["Ungdommens stemme"] == ["Ungdom 2", "Ungdom 1", "Ungdom 0"]
    assert [link for link, n in Counter(_card_links(home)).items() if n > 1] == []


def test_the_youth_section_counts_every_youth_story_even_those_shown_above(overlapping):
    youth = overlapping.article("").select_one("section.home__youth")
    link = youth.select_one('a[href="sammen/ungdom/"]')
    assert " ".join(link.parent.get_text().split()) == "Se alle historiene der ungdom er med (13 historier)"
    assert "Ingen historier fra ungdom ennå" not in youth.get_text()


def test_with_no_youth_stories_the_youth_section_invites_young_people_to_share(build_site):
    site = build_site({"a.md": story_text(title="Voksen")})
    youth = site.article("").select_one("section.home__youth")
    assert "Ingen historier fra ungdom ennå" in youth.get_text()
    assert [a["href"] for a in youth.select("a")] == ["del-din-historie/"]


def test_every_invitation_to_share_on_the_front_page_leads_to_del_din_historie(real_site):
    home = real_site.article("")
    assert not [a["href"] for a in home.select("a") if "bidra" in a["href"]]  # the editors' guide is for staff
    invitations = [a["href"] for a in home.select("a") if "del din historie" in a.get_text().lower()]
    assert invitations == ["del-din-historie/", "del-din-historie/"]  # beside the vision, and to the young
    assert real_site.exists("del-din-historie/")


def test_cards_with_a_picture_show_it_and_cards_without_are_text_cards(real_site):
    cards = real_site.article("historier/").select(".story-card")
    with_picture = [c for c in cards if c.img]
    assert with_picture and len(with_picture) < len(cards)
    for card in cards:
        kind = "story-card--picture" if card.img else "story-card--text"
        assert kind in card["class"], card["class"]
        assert bool(card.select(".story-card__picture")) == bool(card.img)  # no empty picture box
        value = card.select_one(".value-badge")["class"][-1].removeprefix("value-badge--")
        assert f"story-card--{value}" in card["class"]  # its first value colours a text card's edge


def test_the_front_page_leads_to_the_map_of_places(real_site):
    section = real_site.article("").select_one("section.home__map")
    assert section.h2.get_text(strip=True) == "Historier fra hele Bærum"
    assert section.select_one('a[href="steder/"]')
