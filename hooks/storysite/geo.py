"""The map of Bærum on /steder/ and the locator on each place's page, drawn at build time as data
for an inline SVG (no map service, no script). No MkDocs here."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from .vocabulary import Place


@dataclass(frozen=True)
class PlaceMap:
    """What the map template draws (to be filled in)."""

    places: tuple[tuple[Place, int], ...]


def places_map(places: Sequence[tuple[Place, int]], all_places: Sequence[Place]) -> PlaceMap | None:
    """The map of every place with stories (``(place, count)``); ``all_places`` fixes the extent."""
    return None


def locator(place: Place, all_places: Sequence[Place]) -> PlaceMap | None:
    """A small map that shows where ``place`` is among all places; None for a place without a point."""
    return None
