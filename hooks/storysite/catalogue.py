"""The published stories, sorted and grouped: what the index views and story pages list."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

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
    _by_place: dict[Place | None, list[Story]] = field(default_factory=dict, repr=False)

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
        for story in shown:  # a place's stories are asked for once per place page, map and chart
            catalogue._by_place.setdefault(story.place, []).append(story)
        return catalogue

    # Groupings -----------------------------------------------------------------------------

    def with_value(self, value: Value) -> list[Story]:
        return [s for s in self.stories if value in s.values]

    def at_place(self, place: Place) -> list[Story]:
        return list(self._by_place.get(place, ()))

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

        Each feature's stories are one Python int used as a set of bits, so the stories with a given
        number of features in common are a few ANDs of ints: linear per story (one bit per story),
        whatever a story declares, and no numpy to import.
        """
        assert self._similarity is not None
        if count <= 0:
            return []
        index = self._position[story.slug]
        chosen: list[Story] = []
        for level in self._similarity.levels(index):
            needed = count - len(chosen)
            candidates = (self._chronological[i] for i in self._similarity.nearest(level, index, needed))
            chosen += sorted(candidates, key=lambda o: _closeness(o, story))[:needed]
            if len(chosen) == count:
                break
        return chosen


class _Similarity:
    """For every feature, the stories that have it as one int: bit ``i`` is story number ``i`` in date
    order (the catalogue's chronological order: date, then title, then slug)."""

    def __init__(self, stories: list[Story]) -> None:
        numbers: dict[tuple, int] = {}
        members: list[list[int]] = []
        owned: list[tuple[int, ...]] = []
        for index, story in enumerate(stories):
            mine = tuple(numbers.setdefault(feature, len(numbers)) for feature in dict.fromkeys(_features(story)))
            for number in mine:
                if number == len(members):
                    members.append([])
                members[number].append(index)
            owned.append(mine)
        masks = [_bits(indices, len(stories)) for indices in members]
        # Each story's features' sets (shared ints, not copies).
        self.features: list[tuple[int, ...]] = [tuple(masks[number] for number in mine) for mine in owned]
        self.everyone = (1 << len(stories)) - 1
        # The number of the first story dated the same day as each story.
        self.day_start: list[int] = []
        for index, story in enumerate(stories):
            same_day = index and stories[index - 1].date == story.date
            self.day_start.append(self.day_start[index - 1] if same_day else index)

    def levels(self, index: int) -> Iterator[int]:
        """The other stories with something in common with story number ``index``, as one set of bits
        for each number of features in common that occurs, most in common first."""
        # The counts in binary, one int for each binary digit (bit-sliced addition of the features' sets).
        digits: list[int] = []
        for mask in self.features[index]:
            carry = mask
            for place, digit in enumerate(digits):
                digits[place] = digit ^ carry
                carry &= digit
                if not carry:
                    break
            else:
                digits.append(carry)
        rest = 0
        for digit in digits:
            rest |= digit
        rest &= self.everyone ^ (1 << index)
        for level in range((1 << len(digits)) - 1, 0, -1):
            if not rest:
                return
            exact = rest
            for place, digit in enumerate(digits):
                exact &= digit if level >> place & 1 else ~digit
                if not exact:
                    break
            if exact:
                rest ^= exact
                yield exact

    def nearest(self, stories: int, index: int, count: int) -> list[int]:
        """The numbers of at most ``2 * count`` stories in the set ``stories`` among which are the
        ``count`` nearest in date to story number ``index`` (with every tie on the cut day)."""
        found: list[int] = []
        # Later stories, in date then title order: the same as their order in closeness.
        later = stories >> (index + 1)
        while later and len(found) < count:
            lowest = later & -later
            found.append(index + lowest.bit_length())
            later ^= lowest
        # Earlier stories: days nearest first, and on each day the first by title first.
        earlier = stories & ((1 << index) - 1)
        taken = 0
        while earlier and taken < count:
            start = self.day_start[earlier.bit_length() - 1]
            day = earlier >> start
            earlier &= (1 << start) - 1
            while day and taken < count:
                lowest = day & -day
                found.append(start + lowest.bit_length() - 1)
                day ^= lowest
                taken += 1
        return found


def _bits(indices: list[int], size: int) -> int:
    """The set of ``indices`` as an int (bit ``i`` set for each ``i``)."""
    packed = bytearray((size + 7) // 8)
    for i in indices:
        packed[i >> 3] |= 1 << (i & 7)
    return int.from_bytes(packed, "little")


def _features(story: Story) -> tuple:
    place = (("place", story.place.slug),) if story.place else ()
    return (*(("value", v.slug) for v in story.values), *place, *(("focus", f.key) for f in story.focus),
            *(("partner", p.key) for p in story.partners), *(("goal", g.key) for g in story.goals))


def _closeness(other: Story, story: Story) -> tuple:
    return (abs((other.date - story.date).days), -other.date.toordinal(), other.title, other.slug)
