"""What every generated page shows, as plain data: no MkDocs here.

Each function takes the catalogue (and the pictures' web versions) and returns a ``PageData``: the
page's address, its template, its title and description, and the data its template gets — only what
that page shows, so a page's data is also a complete key for the incremental preview. The MkDocs
adapter (``site_build``) registers the pages and hands each template its data.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import cast

from . import feeds, geo, opendata
from .catalogue import Catalogue, Listing
from .pictures import Version
from .problems import Problem
from .slugs import is_slug
from .story import Story
from .vocabulary import FocusArea, Goal, Partner, Place, Value

HOME_NEWEST = 6
HOME_YOUTH = 3
YOUTH = "ungdom"  # the partner kind with «a special place» in the vision's partnership work
WORDS_PER_MINUTE = 200
Pictures = Mapping[str, Sequence[Version]]  # a story's slug → its picture's web versions, smallest first


@dataclass(frozen=True)
class PageData:
    """One generated page: where it is, how it is drawn and what it shows."""

    src_uri: str  # the MkDocs source path, e.g. ``historier/<slug>/index.md``
    template: str
    title: str
    description: str
    data: dict = field(default_factory=dict)  # what the template gets, and nothing else
    feed: str | None = None  # the Atom feed this page announces besides the site's own
    body: str = ""  # Markdown for MkDocs to render (the contributor guide); stories bring their HTML

    @property
    def story(self) -> Story | None:
        """The story a story page shows (no ``isinstance``: ``mkdocs serve`` reloads this code, and
        a test process may hold stories of two loads of it)."""
        return self.data.get("story")


def nb_number(value: int) -> str:
    """A whole number as Norwegians write it: «1 234» (a no-break space between thousands)."""
    return f"{value:,}".replace(",", "\u00a0")


def count_label(count: int) -> str:
    """«1 historie», «3 historier», «1 234 historier»: the one place the plural is spelt."""
    return f"{nb_number(count)} {'historie' if count == 1 else 'historier'}"


def reading_minutes(story: Story) -> int:
    return max(1, math.ceil(len(story.body.split()) / WORDS_PER_MINUTE))


def story_page(story: Story, catalogue: Catalogue, pictures: Pictures) -> PageData:
    older, newer = catalogue.older_and_newer(story)
    related = catalogue.related(story)
    return PageData(f"{story.url}index.md", "story.html", story.title, story.description, {
        "story": story,
        "related": related,
        "older": older,
        "newer": newer,
        "reading_minutes": reading_minutes(story),
        "pictures": _pictures_of([story, *related], pictures),
    })


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
        elif len(parts) == 3 and parts[2] == "index.md":
            slug = parts[1]
        else:
            continue
        if is_slug(slug) and slug not in taken:
            by_slug.setdefault(slug, []).append(problem)
    return [problem_page(slug, found) for slug, found in sorted(by_slug.items())]


def listing_pages(catalogue: Catalogue, pictures: Pictures) -> list[PageData]:
    """Every page of every index: all stories, each value, focus area and place."""
    made = []
    for listing in catalogue.listings():
        feed = f"{listing.url}feed.xml" if listing.kind in ("all", "value") else None
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


def places_page(catalogue: Catalogue) -> PageData:
    places = catalogue.places_in_use()
    return PageData("steder/index.md", "places.html", "Steder", "Historier fra stedene i Bærum.",
                    {"places": places, "map": geo.places_map(places, catalogue.vocabulary.places)})


@dataclass(frozen=True)
class Bar:
    """One row of a table of counts: a label, its count, the list it counts (if any) and the bar's width."""

    label: str
    count: int
    url: str | None
    width: int  # percent of the largest count in its table, in steps of 5 (a CSS class, not a style)


@dataclass(frozen=True)
class CrossTable:
    """Stories per value (columns) and place (rows), with totals."""

    columns: tuple[tuple[str, str], ...]  # (value name, its list's address)
    rows: tuple[tuple[str, str, tuple[int, ...], int], ...]  # (place, its list's address, counts, total)
    totals: tuple[int, ...]


@dataclass(frozen=True)
class Summary:
    """The few numbers the front page and a value page show, linking to /tall/."""

    stories: int
    places: int
    first_year: int | None
    last_year: int | None


def numbers_page(catalogue: Catalogue) -> PageData:
    """«Visjonen i tall»: build-time tables with CSS bars, every figure linking to what it counts."""
    stories = [s for s in catalogue.stories if not s.draft]
    years = sorted({s.date.year for s in stories})
    by_year = [(str(year), sum(s.date.year == year for s in stories), None)
               for year in range(years[0], years[-1] + 1)] if years else []
    places = [(p, len([s for s in stories if s.place == p])) for p in catalogue.vocabulary.places]
    values = catalogue.vocabulary.values
    used = [(place, count) for place, count in places if count]
    cross = CrossTable(
        columns=tuple((value.name.capitalize(), value.url) for value in values),
        rows=tuple((place.name, place.url, tuple(sum(1 for s in stories if s.place == place and value in s.values)
                                                  for value in values), count) for place, count in used),
        totals=tuple(sum(1 for s in stories if value in s.values and s.place) for value in values),
    )
    return PageData("tall/index.md", "numbers.html", "Visjonen i tall",
                    "Hvor mange historier det er om hver verdi, hvert satsingsområde, hvert sted og hvert år.", {
        "summary": summary(catalogue),
        "by_value": _bars([(v.name.capitalize(), sum(v in s.values for s in stories), v.url) for v in values]),
        "by_focus": _bars([(a.name, sum(a in s.focus for s in stories), a.url) for a in catalogue.vocabulary.focus]),
        "by_partner": _bars([(p.name, sum(p in s.partners for s in stories), p.url)
                             for p in catalogue.vocabulary.partners]),
        "by_goal": _bars([(g.name, sum(g in s.goals for s in stories), g.url) for g in catalogue.vocabulary.goals]),
        "by_place": _bars([(p.name, count, p.url if count else None) for p, count in places]),
        "by_year": _bars(by_year),
        "value_place": cross,
    })


def summary(catalogue: Catalogue, value: Value | None = None) -> Summary:
    stories = [s for s in catalogue.stories if not s.draft and (value is None or value in s.values)]
    years = [s.date.year for s in stories]
    return Summary(len(stories), len({s.place for s in stories if s.place}), min(years, default=None),
                   max(years, default=None))


def data_page(catalogue: Catalogue) -> PageData:
    """/data/: what the open-data files hold, in plain words."""
    return PageData("data/index.md", "data.html", "Åpne data",
                    "Alle historiene som åpne data: JSON, CSV og en datapakke, fritt til gjenbruk (NLOD 2.0).", {
        "fields": [(name, kind, required, text) for name, kind, required, text in opendata.FIELDS],
        "count": len([s for s in catalogue.stories if not s.draft]),
        "files": (opendata.JSON_FILE, opendata.CSV_FILE, opendata.PACKAGE_FILE),
    })


def _bars(rows: Sequence[tuple[str, int, str | None]]) -> tuple[Bar, ...]:
    largest = max((count for _, count, _ in rows), default=0) or 1
    return tuple(Bar(label, count, url, 5 * round(20 * count / largest)) for label, count, url in rows)


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
    featured = catalogue.featured()
    newest = catalogue.newest(HOME_NEWEST, skip=featured)
    youth_partner = catalogue.vocabulary.partner(YOUTH)
    youth = catalogue.with_partner(youth_partner)[:HOME_YOUTH] if youth_partner else []
    return {
        "values": value_counts(catalogue),
        "featured": featured,
        "newest": newest,
        "youth": youth,
        "youth_url": youth_partner.url if youth_partner else None,
        "areas": focus_counts(catalogue),
        "goals": goal_counts(catalogue),
        "summary": summary(catalogue),
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
    files = {"feed.xml": feeds.atom(published, title=site_name, subtitle="Alle historiene, nyeste først.",
                                    site_url=site_url, page_url="historier/", feed_url="feed.xml")}
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
    versions = pictures.get(story.slug) if story else None
    image = site_url + story.url + versions[-1].name if story and versions else None
    feeds_announced = [("Alle historier", "feed.xml")]
    if page and page.feed:
        feeds_announced.append((page.title, page.feed))
    return {
        "title": title,
        "description": description,
        "url": url,
        "type": "article" if story else "website",
        "image": image,
        "image_alt": story.picture.alt if story and story.picture and image else None,
        "feeds": feeds_announced,
        "json_ld": article_json_ld(story, url, image) if story else None,
    }


def article_json_ld(story: Story, url: str, image: str | None) -> dict:
    """schema.org Article for a story page."""
    article: dict = {
        "@context": "https://schema.org",
        "@type": "Article",
        "headline": story.title,
        "description": story.description,
        "datePublished": story.date.isoformat(),
        "inLanguage": "nb",
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

