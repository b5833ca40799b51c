"""The published stories, sorted and grouped: what the index views and story pages list."""

from __future__ import annotations

import bisect
import itertools
from collections.abc import Sequence
from dataclasses import dataclass, field

from .story import Story
from .vocabulary import FocusArea, Place, Value, Vocabulary

PER_PAGE = 20


@dataclass
class Listing:
    """One index view: a title, a base address and its stories, newest first."""

    kind: str  # "all", "value", "place" or "focus"
    url: str
    title: str
    subject: Value | Place | FocusArea | None
    stories: list[Story]

    def pages(self, per_page: int = PER_PAGE) -> list[ListingPage]:
        chunks = [self.stories[i : i + per_page] for i in range(0, len(self.stories), per_page)] or [[]]
        pages = [ListingPage(self, number, chunk, len(chunks)) for number, chunk in enumerate(chunks, start=1)]
        return pages


@dataclass
class ListingPage:
    """One page of a listing (Material's blog shows ten a page; we show ``PER_PAGE``)."""

    listing: Listing
    number: int
    stories: list[Story]
    count: int

    @property
    def url(self) -> str:
        return self.page_url(self.number)

    def page_url(self, number: int) -> str:
        return self.listing.url if number == 1 else f"{self.listing.url}side/{number}/"

    @property
    def previous_url(self) -> str | None:
        return self.page_url(self.number - 1) if self.number > 1 else None

    @property
    def next_url(self) -> str | None:
        return self.page_url(self.number + 1) if self.number < self.count else None


@dataclass
class Catalogue:
    """Every published story (drafts too, in a preview), with the groupings the site shows."""

    vocabulary: Vocabulary
    stories: list[Story]  # newest first
    withdrawn: list[Story] = field(default_factory=list)  # consent withdrawn: only their addresses remain
    _chronological: list[Story] = field(default_factory=list, repr=False)
    _position: dict[str, int] = field(default_factory=dict, repr=False)
    _features: dict[frozenset, list[Story]] = field(default_factory=dict, repr=False)

    @classmethod
    def build(cls, stories: list[Story], vocabulary: Vocabulary, include_drafts: bool = False) -> Catalogue:
        shown = [s for s in stories if (include_drafts or not s.draft) and not s.withdrawn]
        shown.sort(key=lambda s: (s.date, s.title, s.slug), reverse=True)
        withdrawn = sorted((s for s in stories if s.withdrawn and (include_drafts or not s.draft)),
                           key=lambda s: s.slug)
        catalogue = cls(vocabulary, shown, withdrawn)
        catalogue._chronological = list(reversed(shown))
        catalogue._position = {s.slug: i for i, s in enumerate(catalogue._chronological)}
        for story in catalogue._chronological:
            features = _features(story)
            for size in range(1, len(features) + 1):
                for subset in itertools.combinations(features, size):
                    catalogue._features.setdefault(frozenset(subset), []).append(story)
        return catalogue

    # Groupings -----------------------------------------------------------------------------

    def with_value(self, value: Value) -> list[Story]:
        return [s for s in self.stories if value in s.values]

    def at_place(self, place: Place) -> list[Story]:
        return [s for s in self.stories if s.place == place]

    def in_focus(self, area: FocusArea) -> list[Story]:
        return [s for s in self.stories if area in s.focus]

    def featured(self) -> list[Story]:
        return [s for s in self.stories if s.featured]

    def newest(self, count: int, skip: Sequence[Story] = ()) -> list[Story]:
        return [s for s in self.stories if s not in skip][:count]

    def places_in_use(self) -> list[tuple[Place, int]]:
        counts = {place: len(self.at_place(place)) for place in self.vocabulary.places}
        return [(place, count) for place, count in counts.items() if count]

    def listings(self) -> list[Listing]:
        """Every index view of the site."""
        v = self.vocabulary
        return (
            [Listing("all", "historier/", "Alle historier", None, self.stories)]
            + [Listing("value", x.url, x.name.capitalize(), x, self.with_value(x)) for x in v.values]
            + [Listing("focus", x.url, x.name, x, self.in_focus(x)) for x in v.focus]
            + [Listing("place", p.url, p.name, p, self.at_place(p)) for p, _ in self.places_in_use()]
        )

    # Story neighbours ----------------------------------------------------------------------

    def older_and_newer(self, story: Story) -> tuple[Story | None, Story | None]:
        """The story published just before and just after ``story``."""
        index = self._position[story.slug]
        older = self._chronological[index - 1] if index > 0 else None
        newer = self._chronological[index + 1] if index + 1 < len(self._chronological) else None
        return older, newer

    def related(self, story: Story, count: int = 3) -> list[Story]:
        """Up to ``count`` stories with most values, place and focus areas in common, then nearest in date.

        Stories with nothing in common are not related. Ties go to the newer story, then the title.
        Each level of "in common" looks only at the stories sharing that many features, found
        through an index of feature subsets, so the cost does not grow with the square of the site.
        """
        features = _features(story)
        chosen: list[Story] = []
        for level in range(len(features), 0, -1):
            candidates: dict[str, Story] = {}
            for subset in itertools.combinations(features, level):
                group = self._features.get(frozenset(subset), [])
                for other in _nearest(group, story, features, level, count - len(chosen)):
                    candidates[other.slug] = other
            ranked = sorted(candidates.values(), key=lambda o: _closeness(o, story))
            chosen += ranked[: count - len(chosen)]
            if len(chosen) == count:
                break
        return chosen


def _features(story: Story) -> tuple:
    place = (("place", story.place.slug),) if story.place else ()
    return (*(("value", v.slug) for v in story.values), *place, *(("focus", f.key) for f in story.focus))


def _score(story: Story, features: tuple) -> int:
    return len(set(_features(story)) & set(features))


def _closeness(other: Story, story: Story) -> tuple:
    return (abs((other.date - story.date).days), -other.date.toordinal(), other.title, other.slug)


def _nearest(group: list[Story], story: Story, features: tuple, level: int, count: int) -> list[Story]:
    """Up to ``count`` stories of ``group`` (sorted by date) that share exactly ``level`` of
    ``features``, nearest in date to ``story``.

    Walks outward from the story's date; stories as far away as the last one found are all
    taken before the cut, so ties are broken by ``_closeness`` and not by the walk.
    """
    found: list[Story] = []
    below = bisect.bisect_left(group, story.date, key=lambda s: s.date) - 1
    above = below + 1
    while below >= 0 or above < len(group):
        if above < len(group) and (below < 0 or _days(group[above], story) <= _days(group[below], story)):
            other, above = group[above], above + 1
        else:
            other, below = group[below], below - 1
        if len(found) >= count and _days(other, story) > _days(found[-1], story):
            break
        if other.slug != story.slug and _score(other, features) == level:
            found.append(other)
    found.sort(key=lambda o: _closeness(o, story))
    return found[:count]


def _days(other: Story, story: Story) -> int:
    return abs((other.date - story.date).days)
