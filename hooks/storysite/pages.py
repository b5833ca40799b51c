"""What every generated page shows, as plain data: no MkDocs here.

Each function takes the catalogue (and the pictures' web versions) and returns a ``PageData``: the
page's address, its template, its title and description, and the data its template gets — only what
that page shows, so a page's data is also a complete key for the incremental preview. The MkDocs
adapter (``site_build``) registers the pages and hands each template its data.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import cast

from . import feeds, geo, opendata
from .catalogue import Catalogue, Listing
from .numbers import summary
from .pagedata import PageData
from .pictures import Version
from .problems import Problem
from .slugs import is_slug
from .story import Story
from .versions import VERSION_FILE
from .versions import Version as StoryVersion
from .vocabulary import BOKMAL, FocusArea, Goal, Language, Partner, Place, Value

HOME_NEWEST = 6
HOME_YOUTH = 3
YOUTH = "ungdom"  # the partner kind with «a special place» in the vision's partnership work
WORDS_PER_MINUTE = 200
# What a picture's credit may say it is; any other credit is a photographer's («Foto: …»).
CREDIT_KINDS = frozenset({"foto", "fotograf", "illustrasjon", "tegning", "grafikk", "kart", "bilde"})
UNPLACED_LISTED = 10  # stories without a place named on /steder/; more are counted only
SITE_FEED = "feed.xml"  # all stories, newest first; one more per value at <value>/feed.xml
Pictures = Mapping[str, Sequence[Version]]  # a story's slug → its picture's web versions, smallest first


def nb_number(value: int) -> str:
    """A whole number as Norwegians write it: «1 234» (a no-break space between thousands)."""
    return f"{value:,}".replace(",", "\u00a0")


def count_label(count: int) -> str:
    """«1 historie», «3 historier», «1 234 historier»: the one place the plural is spelt."""
    return f"{nb_number(count)} {'historie' if count == 1 else 'historier'}"


def reading_minutes(story: Story) -> int:
    return max(1, math.ceil(story.words / WORDS_PER_MINUTE))


def picture_credit(credit: str) -> str:
    """The credit line under a picture: «Foto: Kari Berg», or the credit as written when it already names
    its kind («Illustrasjon: Bærum kommune»; «Bærum kommune (illustrasjon)» reads the same way)."""
    credit = " ".join(credit.split())
    if not credit:
        return ""
    kind, colon, rest = credit.partition(":")
    if colon and kind.strip().lower() in CREDIT_KINDS and rest.strip():
        return f"{kind.strip().capitalize()}: {rest.strip()}"
    match = re.fullmatch(r"(.+?)\s*\((\w+)\)", credit)
    if match and match[2].lower() in CREDIT_KINDS:
        return f"{match[2].capitalize()}: {match[1]}"
    return f"Foto: {credit}"


def story_pages(story: Story, catalogue: Catalogue, pictures: Pictures) -> list[PageData]:
    """A story's page and one page per version of it (``/historier/<slug>/<code>/``)."""
    main = story_page(story, catalogue, pictures)
    return [main, *(version_page(story, version, main) for version in story.versions)]


def story_page(story: Story, catalogue: Catalogue, pictures: Pictures) -> PageData:
    older, newer = catalogue.older_and_newer(story)
    related = catalogue.related(story)
    return PageData(f"{story.url}index.md", "story.html", story.title, story.description, {
        "story": story,
        "related": related,
        "older": older,
        "newer": newer,
        "reading_minutes": reading_minutes(story),
        "credit": picture_credit(story.picture.credit) if story.picture else None,
        "pictures": _pictures_of([story, *related], pictures),
        "version": None,
        "languages": language_links(story, BOKMAL),
        "alternates": alternates(story),
    })


def version_page(story: Story, version: StoryVersion, main: PageData) -> PageData:
    """A version's page: the story's page (same picture, neighbours, related stories) with the
    version's text, which the template marks with the version's ``lang`` and ``dir``."""
    told = story.in_version(version)
    return PageData(f"{version.url}index.md", "story.html", version.title, version.description, {
        **main.data,
        "story": told,
        "version": version,
        "reading_minutes": reading_minutes(told),
        "languages": language_links(story, version.language),
        "picture_up": "../",  # the page is one folder below the story's pictures
    })


@dataclass(frozen=True)
class LanguageLink:
    """One entry of a story's language switcher: the language's own name, linked to its version."""

    language: Language
    url: str
    current: bool


def language_links(story: Story, current: Language) -> list[LanguageLink]:
    """«Les historien på: Norsk · English · العربية …»: the story and each version; empty without versions."""
    if not story.versions:
        return []
    return [LanguageLink(BOKMAL, story.url, current == BOKMAL)] + [
        LanguageLink(v.language, v.url, current == v.language) for v in story.versions]


def alternates(story: Story) -> list[tuple[str, str]]:
    """``(hreflang, address)`` of every language a story is in, the bokmål text also as ``x-default``,
    for ``<link rel="alternate">`` and the sitemap; empty without versions."""
    if not story.versions:
        return []
    return [(BOKMAL.code, story.url), *((v.language.code, v.url) for v in story.versions),
            ("x-default", story.url)]


def languages_page(catalogue: Catalogue) -> PageData:
    """/sprak/: each language, welcomed in itself, with the stories told in it."""
    told = [(language, [(story, version) for story in catalogue.stories for version in story.versions
                        if version.language == language])
            for language in catalogue.vocabulary.languages]
    return PageData("sprak/index.md", "languages.html", "Historier på andre språk",
                    "Historiene fra Bærum på nynorsk, engelsk, polsk, arabisk og andre språk, og lettlest.",
                    {"bokmal": BOKMAL, "languages": told})


def withdrawn_page(story: Story) -> PageData:
    """What a withdrawn story's address shows: that it is withdrawn, and nothing of the story."""
    return PageData(f"{story.url}index.md", "withdrawn.html", "Historien er trukket tilbake",
                    "Denne historien er ikke lenger på nettstedet.", {"noindex": True})


def problem_page(slug: str, problems: Sequence[Problem]) -> PageData:
    """Preview only: a story with problems is left out; its address lists the problems instead."""
    return PageData(f"historier/{slug}/index.md", "story-problems.html", "Historien har feil",
                    "Historien vises ikke før feilene er rettet.", {"story_problems": list(problems),
                                                                    "noindex": True})


def problem_pages(catalogue: Catalogue, problems: Sequence[Problem]) -> list[PageData]:
    """One ``problem_page`` per story file with problems whose address no valid story holds."""
    taken = {s.slug for s in catalogue.stories} | {s.slug for s in catalogue.withdrawn}
    by_slug: dict[str, list[Problem]] = {}
    for problem in problems:
        parts = problem.path.split("/")
        if len(parts) == 2 and parts[1].endswith(".md"):
            slug = parts[1][:-3]
        elif len(parts) == 3 and (parts[2] == "index.md" or VERSION_FILE.fullmatch(parts[2])):
            slug = parts[1]  # the story's own file, or one of its versions
        else:
            continue
        if is_slug(slug) and slug not in taken:
            by_slug.setdefault(slug, []).append(problem)
    return [problem_page(slug, found) for slug, found in sorted(by_slug.items())]


def listing_pages(catalogue: Catalogue, pictures: Pictures) -> list[PageData]:
    """Every page of every index: all stories, each value, focus area and place."""
    made = []
    for listing in catalogue.listings():
        feed = feed_address(listing)
        lead = _lead(listing)
        extra: dict = {}  # the same on every page of the listing: made once
        if listing.kind == "place":
            extra["locator"] = geo.locator(cast(Place, listing.subject), catalogue.vocabulary.places)
        if listing.kind == "value":  # «Mangfold i tall»
            extra["summary"] = summary(catalogue, cast(Value, listing.subject))
        for page in listing.pages():
            title = listing.title if page.number == 1 else f"{listing.title} – side {page.number}"
            data = {
                "listing": _listing_summary(listing, lead),
                "listing_page": page,
                "feed": feed,
                "pictures": _pictures_of(page.stories, pictures),
                **extra,
            }
            made.append(PageData(f"{page.url}index.md", "listing.html", title, _description(listing), data,
                                 feed=feed))
    return made


def feed_address(listing: Listing) -> str | None:
    """The Atom feed a listing announces: the site's own for all stories, one per value, none for
    the rest (``feed_files`` writes exactly these)."""
    if listing.kind == "all":
        return SITE_FEED
    if listing.kind == "value":
        return f"{listing.url}feed.xml"
    return None


def places_page(catalogue: Catalogue) -> PageData:
    places = catalogue.places_in_use()
    # Stories that name no place: told apart here, so the page's counts add up to every story.
    unplaced = [s for s in catalogue.stories if s.place is None]
    return PageData("steder/index.md", "places.html", "Steder", "Historier fra stedene i Bærum.",
                    {"places": places, "map": geo.places_map(places, catalogue.vocabulary.places),
                     "unplaced": unplaced[:UNPLACED_LISTED], "unplaced_count": len(unplaced)})


def data_page(catalogue: Catalogue) -> PageData:
    """/data/: what the open-data files hold, in plain words."""
    return PageData("data/index.md", "data.html", "Åpne data",
                    "Alle historiene som åpne data: JSON, CSV og en datapakke, fritt til gjenbruk (NLOD 2.0).", {
        "fields": [(name, kind, required, text) for name, kind, required, text in opendata.FIELDS],
        "count": len([s for s in catalogue.stories if not s.draft]),
        "files": (opendata.JSON_FILE, opendata.CSV_FILE, opendata.PACKAGE_FILE),
    })


def partners_page(catalogue: Catalogue) -> PageData:
    return PageData("sammen/index.md", "partners.html", "Sammen",
                    "Hvem som skaper fremtiden sammen i Bærum, og historiene om dem.",
                    {"partners": partner_counts(catalogue)})


def goals_page(catalogue: Catalogue) -> PageData:
    return PageData("mal/index.md", "goals.html", "Kommunens mål",
                    "Bærum kommunes fire hovedmålsetninger og historiene som viser dem i praksis.",
                    {"goals": goal_counts(catalogue)})


def focus_areas_page(catalogue: Catalogue) -> PageData:
    return PageData("satsingsomrader/index.md", "focus-areas.html", "Satsingsområder",
                    "Visjonens fire satsingsområder og historiene om dem.", {"areas": focus_counts(catalogue)})


def home(catalogue: Catalogue, pictures: Pictures) -> dict:
    """The front page's data (the page itself is ``docs/index.md``)."""
    # Each section picks from what the sections above it have not shown: no story twice.
    featured = catalogue.featured()
    newest = catalogue.newest(HOME_NEWEST, skip=featured)
    youth_partner = catalogue.vocabulary.partner(YOUTH)
    shown = {s.slug for s in (*featured, *newest)}
    all_youth = catalogue.with_partner(youth_partner) if youth_partner else []
    youth = [s for s in all_youth if s.slug not in shown][:HOME_YOUTH]
    places = catalogue.places_in_use()
    return {
        "values": value_counts(catalogue),
        "featured": featured,
        "newest": newest,
        "youth": youth,
        "youth_count": len(all_youth),  # the youth's stories, shown above or not
        "youth_url": youth_partner.url if youth_partner else None,
        "areas": focus_counts(catalogue),
        "goals": goal_counts(catalogue),
        "summary": summary(catalogue),
        "map": geo.places_map(places, catalogue.vocabulary.places),
        "pictures": _pictures_of([*featured, *newest, *youth], pictures),
    }


def value_counts(catalogue: Catalogue) -> list[tuple[Value, int]]:
    return [(value, len(catalogue.with_value(value))) for value in catalogue.vocabulary.values]


def focus_counts(catalogue: Catalogue) -> list[tuple[FocusArea, int]]:
    return [(area, len(catalogue.in_focus(area))) for area in catalogue.vocabulary.focus]


def partner_counts(catalogue: Catalogue) -> list[tuple[Partner, int]]:
    return [(partner, len(catalogue.with_partner(partner))) for partner in catalogue.vocabulary.partners]


def goal_counts(catalogue: Catalogue) -> list[tuple[Goal, int]]:
    return [(goal, len(catalogue.with_goal(goal))) for goal in catalogue.vocabulary.goals]


def feed_files(catalogue: Catalogue, site_name: str, site_url: str) -> dict[str, bytes]:
    """The site's Atom feed and one per value, by their paths on the site. Drafts never get in."""
    published = [s for s in catalogue.stories if not s.draft]
    files = {SITE_FEED: feeds.atom(published, title=site_name, subtitle="Alle historiene, nyeste først.",
                                   site_url=site_url, page_url="historier/", feed_url=SITE_FEED)}
    for value in catalogue.vocabulary.values:
        files[f"{value.url}feed.xml"] = feeds.atom(
            [s for s in published if value in s.values], title=f"{site_name}: {value.name}",
            subtitle=f"Historier om {value.name}: {value.description}.",
            site_url=site_url, page_url=value.url, feed_url=f"{value.url}feed.xml")
    return files


def share(*, title: str, description: str, url: str, site_url: str, page: PageData | None,
          pictures: Pictures) -> dict:
    """Sharing tags and, on a story, schema.org Article JSON-LD (raw text: the template escapes)."""
    story = page.story if page else None
    version = page.data.get("version") if page else None
    versions = pictures.get(story.slug) if story else None
    image = site_url + story.url + versions[-1].name if story and versions else None
    feeds_announced = [("Alle historier", SITE_FEED)]
    if page and page.feed and page.feed != SITE_FEED:
        feeds_announced.append((page.title, page.feed))
    return {
        "title": title,
        "description": description,
        "url": url,
        "type": "article" if story else "website",
        "image": image,
        "image_alt": story.picture.alt if story and story.picture and image else None,
        "feeds": feeds_announced,
        "json_ld": article_json_ld(story, url, image, version.language.code if version else BOKMAL.code)
        if story else None,
        "alternates": [(code, site_url + address) for code, address in page.data.get("alternates", ())]
        if page else [],
    }


def article_json_ld(story: Story, url: str, image: str | None, language: str = BOKMAL.code) -> dict:
    """schema.org Article for a story page."""
    article: dict = {
        "@context": "https://schema.org",
        "@type": "Article",
        "headline": story.title,
        "description": story.description,
        "datePublished": story.date.isoformat(),
        "inLanguage": language,
        "url": url,
        "mainEntityOfPage": url,
        "author": [{"@type": "Person", "name": name} for name in story.authors],
        "keywords": [value.name for value in story.values],
        "publisher": {"@type": "Organization", "name": "Bærum kommune"},
    }
    if image:
        article["image"] = image
    if story.place:
        article["contentLocation"] = {"@type": "Place", "name": story.place.name}
    return article


def search_summary(story: Story) -> str:
    """What the search index holds of a story: title (added by the search plugin), ingress, values,
    place and authors, not the body, so what every reader downloads to search stays small."""
    parts = [story.description, ", ".join(v.name for v in story.values)]
    parts += [story.place.name] if story.place else []
    parts += [", ".join(p.name for p in story.partners)] if story.partners else []
    parts += [", ".join(g.name for g in story.goals)] if story.goals else []
    return " · ".join(parts + list(story.authors))


@dataclass(frozen=True)
class ListingSummary:
    """What a listing page says about its listing (not its stories, which ``listing_page`` holds)."""

    kind: str
    title: str
    lead: str | None
    total: int
    intro: str | None = None  # a partial with more to say, above the stories (the youth's page)


def _listing_summary(listing: Listing, lead: str | None) -> ListingSummary:
    youth = listing.kind == "partner" and cast(Partner, listing.subject).key == YOUTH
    return ListingSummary(listing.kind, listing.title, lead, len(listing.stories),
                          "partials/youth-intro.html" if youth else None)


def _lead(listing: Listing) -> str | None:
    """The sentence under an index's heading, decided once, here."""
    if listing.kind == "value":
        value = cast(Value, listing.subject)
        return f"{value.name.capitalize()}: {value.description}."
    if listing.kind == "focus":
        return f"Satsingsområde i visjonen: «{cast(FocusArea, listing.subject).wording}»."
    if listing.kind == "partner":
        return cast(Partner, listing.subject).description
    if listing.kind == "goal":
        return f"Et av Bærum kommunes hovedmål: «{cast(Goal, listing.subject).wording}»"
    return None


def _description(listing: Listing) -> str:
    """The meta description of an index page."""
    if listing.kind == "value":
        return cast(Value, listing.subject).description
    if listing.kind == "focus":
        return cast(FocusArea, listing.subject).wording
    if listing.kind == "partner":
        return cast(Partner, listing.subject).description
    if listing.kind == "goal":
        return cast(Goal, listing.subject).wording
    if listing.kind == "place":
        return f"Historier fra {listing.title}."
    return "Alle historiene, nyeste først."


def _pictures_of(stories: Sequence[Story | None], pictures: Pictures) -> dict[str, Sequence[Version]]:
    return {s.slug: pictures[s.slug] for s in stories if s is not None and s.slug in pictures}

