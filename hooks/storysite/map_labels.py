"""Where the map's labels go: boxes, estimated text widths and the label rule (``place``). No MkDocs here.

All sizes are in viewBox units. A label's box is what the rule compares: its estimated text width
(generous) by its ascent and descent, plus the halo drawn behind its letters.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

ASCENT, DESCENT = 0.8, 0.25  # a label's height above and below its baseline, in ems (Å and Ø included)
HALO = 0.12  # the outline behind a label's letters (ems), counted into its box
GAP = 0.25  # between a marker and its label (ems)
REPAIRS = 4  # rounds that label the spots left without a label first
LEADER = 1.1  # how much farther out (ems) the second ring of spots lies; a line leads there from the marker


@dataclass(frozen=True)
class Box:
    """A rectangle in viewBox units."""

    left: float
    top: float
    right: float
    bottom: float

    def overlaps(self, other: Box) -> bool:
        """Whether the two share more than an edge."""
        return (self.left < other.right and other.left < self.right
                and self.top < other.bottom and other.top < self.bottom)

    def inside(self, other: Box) -> bool:
        return (self.left >= other.left and self.right <= other.right
                and self.top >= other.top and self.bottom <= other.bottom)

    def crossed_by(self, x1: float, y1: float, x2: float, y2: float) -> bool:
        """Whether the segment from (x1, y1) to (x2, y2) passes through the box (Liang–Barsky)."""
        if (max(x1, x2) < self.left or min(x1, x2) > self.right
                or max(y1, y2) < self.top or min(y1, y2) > self.bottom):
            return False  # wholly on one side: what the steps below find too, only sooner
        low, high = 0.0, 1.0
        for p, q in ((x1 - x2, x1 - self.left), (x2 - x1, self.right - x1),
                     (y1 - y2, y1 - self.top), (y2 - y1, self.bottom - y1)):
            if p == 0:
                if q < 0:
                    return False
                continue
            t = q / p
            if p < 0:
                low = max(low, t)
            else:
                high = min(high, t)
            if low >= high:
                return False
        return True


@dataclass(frozen=True)
class Label:
    """A text on the map: an SVG ``<text>`` at (x, y) (the baseline) with ``text-anchor``; ``leader``
    is the line (x1, y1, x2, y2) from its marker when it stands apart from it."""

    text: str
    x: float
    y: float
    anchor: str  # "start", "end" or "middle"
    box: Box  # the estimated box of its letters and halo: what the label rule compares
    leader: tuple[float, float, float, float] | None = None


def n(value: float) -> float:
    """A coordinate as the SVG has it: to a tenth, and without «.0» (so the output reads cleanly)."""
    value = round(float(value), 1)
    return int(value) if value.is_integer() else value


# Advance widths of Arial/Helvetica/Liberation Sans in ems (the site's system font stack falls back
# to these); a letter not listed counts as wide. ``WIDTH_MARGIN`` covers wider system fonts.
_WIDTHS = {
    **dict.fromkeys("ijl", 0.222), **dict.fromkeys("ftI ", 0.278), **dict.fromkeys("r-", 0.333),
    **dict.fromkeys("cksvxyzJ", 0.5), **dict.fromkeys("abdeghnopqu0123456789", 0.556), "ø": 0.611, "å": 0.556,
    **dict.fromkeys("FTZL", 0.611), **dict.fromkeys("ABEKPSVXYÅ", 0.667), **dict.fromkeys("CDHNRUw", 0.722),
    **dict.fromkeys("GOQØ", 0.778), **dict.fromkeys("mM", 0.833), "æ": 0.889, "W": 0.944, "Æ": 1.0,
}
WIDTH_MARGIN = 1.12


def text_width(text: str, font_size: float) -> float:
    """The estimated width of ``text`` at ``font_size``, on the generous side."""
    return sum(_WIDTHS.get(c, 0.8) for c in text) * font_size * WIDTH_MARGIN


def label_box(text: str, x: float, y: float, anchor: str, font_size: float) -> Box:
    """The box a label's letters and halo cover: from its attributes, as the SVG has them."""
    width = text_width(text, font_size)
    left = {"start": x, "middle": x - width / 2, "end": x - width}[anchor]
    halo = HALO * font_size
    return Box(left - halo, y - ASCENT * font_size - halo, left + width + halo, y + DESCENT * font_size + halo)


def marker_box(x: float, y: float, radius: float) -> Box:
    return Box(x - radius, y - radius, x + radius, y + radius)


def frame(width: float, height: float) -> Box:
    """Where labels may go: the viewBox less a thin edge."""
    return Box(2, 2, width - 2, height - 2)


# The directions tried, in order: right, left, above, below, then the four corners.
_DIAGONAL = math.sqrt(0.5)
_DIRECTIONS = ((1, 0), (-1, 0), (0, -1), (0, 1),
               (_DIAGONAL, -_DIAGONAL), (-_DIAGONAL, -_DIAGONAL), (_DIAGONAL, _DIAGONAL), (-_DIAGONAL, _DIAGONAL))


def candidates(text: str, x: float, y: float, radius: float, font_size: float) -> list[Label]:
    """Where a label may go: beside its marker in each direction, then the same farther out (twice)
    with a leader line from the marker's edge."""
    gap = GAP * font_size
    middle = (ASCENT - DESCENT) / 2 * font_size  # from the baseline to the middle of the letters
    labels = []
    for far in (0.0, LEADER * font_size, 2 * LEADER * font_size):
        for dx, dy in _DIRECTIONS:
            reach = radius + far + (gap if dx == 0 or dy == 0 else gap / 2)
            ex, ey = x + dx * reach, y + dy * reach  # the label's nearest point to the marker
            anchor = "start" if dx > 0.1 else "end" if dx < -0.1 else "middle"
            if dy < -0.1:
                ly = ey - (DESCENT + HALO) * font_size
            elif dy > 0.1:
                ly = ey + (ASCENT + HALO) * font_size
            else:
                ly = ey + middle
            lx, ly = n(ex), n(ly)
            leader = None
            if far:
                leader = (n(x + dx * radius), n(y + dy * radius), n(x + dx * (reach - gap / 2)),
                          n(y + dy * (reach - gap / 2)))
            labels.append(Label(text, lx, ly, anchor, label_box(text, lx, ly, anchor, font_size), leader))
    return labels


@dataclass(frozen=True)
class Spot:
    """A marker the label rule places a label for: its texts (tried in order), rank and circle."""

    texts: tuple[str, ...]  # e.g. the name, then the number if the name fits nowhere
    weight: int  # more stories are labelled first
    x: float
    y: float
    radius: float


def place(spots: Sequence[Spot], font_size: float, frame: Box, obstacles: Sequence[Box] = ()) -> list[Label | None]:
    """Labels for ``spots``, following this rule:

    **No label's box overlaps another label's box, any marker's box or an obstacle; no leader line
    crosses a marker or label other than its own; every label lies inside the frame.**

    Spots are labelled greedily: the spot with the fewest free places for its first text first (at the
    edge or in a cluster), then the one with the most stories, then in the given order. Each tries its
    texts in order and, for each, the spots of ``candidates`` in order, and takes the first that keeps
    the rule. A spot with no
    such place gets no label (``None``), unless a repair finds one: up to ``REPAIRS`` more rounds, in
    which the spots left without a label go first, and from the second repair on use only their
    shorter texts.
    """
    markers = [marker_box(s.x, s.y, s.radius) for s in spots]
    fixed = [*markers, *obstacles]

    def free(label: Label, own: int, taken: Sequence[Box], leaders: Sequence[tuple[float, ...]], *,
             framed: bool = True) -> bool:
        if (framed and not label.box.inside(frame)) or any(label.box.overlaps(box) for box in taken):
            return False
        if any(label.box.crossed_by(*line) for line in leaders):
            return False
        return label.leader is None or not any(
            box.crossed_by(*label.leader) for i, box in enumerate(taken) if i != own)

    options = [[label for text in s.texts for label in candidates(text, s.x, s.y, s.radius, font_size)
                if free(label, i, fixed, ())] for i, s in enumerate(spots)]
    first_free = [sum(label.text == s.texts[0] for label in found) for s, found in zip(spots, options, strict=True)]
    order = sorted(range(len(spots)), key=lambda i: (first_free[i], -spots[i].weight, i))
    short: set[int] = set()  # spots that use only their shorter texts (the number instead of the name)
    best: list[Label | None] = []
    for round_number in range(REPAIRS + 1):
        labels: list[Label | None] = [None] * len(spots)
        # Every option is already clear of the markers and obstacles and inside the frame: only the
        # labels placed in this round remain to check (``own`` is a marker's index, never one of these).
        placed: list[Box] = []
        leaders: list[tuple[float, ...]] = []
        for i in order:
            tried = [found for found in options[i] if i not in short or found.text != spots[i].texts[0]]
            label = next((found for found in tried if free(found, -1, placed, leaders, framed=False)), None)
            if label is not None:
                labels[i] = label
                placed.append(label.box)
                if label.leader:
                    leaders.append(label.leader)
        if not best or labels.count(None) < best.count(None):
            best = labels
        if None not in labels:
            break
        # The spots left without a label go first in the next round (a place hemmed in by its
        # neighbours' labels gets its spot before they take theirs); from the second repair on, they
        # use their shorter texts.
        left = [i for i in order if labels[i] is None]
        if round_number >= 1:
            short.update(i for i in left if len(spots[i].texts) > 1)
        order = left + [i for i in order if labels[i] is not None]
    return best
