"""The published stories, sorted and grouped: what the index views and story pages list."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from .story import Story
from .vocabulary import FocusArea, Goal, Partner, Place, Value, Vocabulary

PER_PAGE = 20


@dataclass
class Listing:
    """One index view: a title, a base address and its stories, newest first."""

    kind: str  # "all", "value", "place", "focus", "partner" or "goal"
    url: str
    title: str
    subject: Value | Place | FocusArea | Partner | Goal | None
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
    _similarity: _Similarity | None = field(default=None, repr=False)

    @classmethod
    def build(cls, stories: list[Story], vocabulary: Vocabulary, include_drafts: bool = False) -> Catalogue:
        shown = [s for s in stories if (include_drafts or not s.draft) and not s.withdrawn]
        shown.sort(key=lambda s: (s.date, s.title, s.slug), reverse=True)
        withdrawn = sorted((s for s in stories if s.withdrawn and (include_drafts or not s.draft)),
                           key=lambda s: s.slug)
        catalogue = cls(vocabulary, shown, withdrawn)
        catalogue._chronological = list(reversed(shown))
        catalogue._position = {s.slug: i for i, s in enumerate(catalogue._chronological)}
        catalogue._similarity = _Similarity(catalogue._chronological)
        return catalogue

    # Groupings -----------------------------------------------------------------------------

    def with_value(self, value: Value) -> list[Story]:
        return [s for s in self.stories if value in s.values]

    def at_place(self, place: Place) -> list[Story]:
        return [s for s in self.stories if s.place == place]

    def in_focus(self, area: FocusArea) -> list[Story]:
        return [s for s in self.stories if area in s.focus]

    def with_partner(self, partner: Partner) -> list[Story]:
        return [s for s in self.stories if partner in s.partners]

    def with_goal(self, goal: Goal) -> list[Story]:
        return [s for s in self.stories if goal in s.goals]

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
            + [Listing("partner", x.url, x.name, x, self.with_partner(x)) for x in v.partners]
            + [Listing("goal", x.url, x.name, x, self.with_goal(x)) for x in v.goals]
        )

    # Story neighbours ----------------------------------------------------------------------

    def older_and_newer(self, story: Story) -> tuple[Story | None, Story | None]:
        """The story published just before and just after ``story``."""
        index = self._position[story.slug]
        older = self._chronological[index - 1] if index > 0 else None
        newer = self._chronological[index + 1] if index + 1 < len(self._chronological) else None
        return older, newer

    def related(self, story: Story, count: int = 3) -> list[Story]:
        """Up to ``count`` stories with most values, place, focus areas, partners and goals in common,
        then nearest in date. Stories with nothing in common are not related. Ties go to the newer
        story, then the title.

        Every story's features are one row of bits, so the number in common with every other story
        is one vectorised AND and popcount (numpy): linear per story, whatever a story declares.
        """
        assert self._similarity is not None
        index = self._position[story.slug]
        scores = self._similarity.scores(index)
        scores[index] = 0
        chosen: list[Story] = []
        for level in np.flatnonzero(np.bincount(scores))[::-1]:
            if level == 0:
                break
            candidates = np.flatnonzero(scores == level)
            needed = count - len(chosen)
            if len(candidates) > needed:  # keep the nearest in date, with every tie at the cut
                days = np.abs(self._similarity.ordinals[candidates] - story.date.toordinal())
                candidates = candidates[days <= np.partition(days, needed - 1)[needed - 1]]
            ranked = sorted((self._chronological[i] for i in candidates), key=lambda o: _closeness(o, story))
            chosen += ranked[:needed]
            if len(chosen) == count:
                break
        return chosen


class _Similarity:
    """The stories' features as rows of bits (in date order), for counting features in common."""

    def __init__(self, stories: list[Story]) -> None:
        bit: dict[tuple, int] = {}
        rows = []
        for story in stories:
            row = 0
            for feature in _features(story):
                row |= 1 << bit.setdefault(feature, len(bit))
            rows.append(row)
        words = max(1, (len(bit) + 63) // 64)
        self.masks = np.zeros((len(stories), words), dtype=np.uint64)
        for number, row in enumerate(rows):
            for word in range(words):
                self.masks[number, word] = (row >> (64 * word)) & 0xFFFF_FFFF_FFFF_FFFF
        self.ordinals = np.array([story.date.toordinal() for story in stories], dtype=np.int64)

    def scores(self, index: int) -> np.ndarray:
        """How many features every story has in common with story number ``index``."""
        return np.bitwise_count(self.masks & self.masks[index]).sum(axis=1, dtype=np.int64)


def _features(story: Story) -> tuple:
    place = (("place", story.place.slug),) if story.place else ()
    return (*(("value", v.slug) for v in story.values), *place, *(("focus", f.key) for f in story.focus),
            *(("partner", p.key) for p in story.partners), *(("goal", g.key) for g in story.goals))


def _closeness(other: Story, story: Story) -> tuple:
    return (abs((other.date - story.date).days), -other.date.toordinal(), other.title, other.slug)
