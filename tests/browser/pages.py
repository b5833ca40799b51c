"""The page types a reader meets, each with one real address in the example site."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class PageType:
    name: str  # test id and screenshot file name
    path: str  # below the site's root
    status: int = 200  # what the server answers

    def __str__(self) -> str:
        return self.name


STORY_WITH_PICTURE = "historier/sprakkafeen-i-sandvika-norsk-over-en-kopp-kaffe/"
STORY_WITHOUT_PICTURE = "historier/hele-lommedalen-pa-dugnad/"
# A story told in more languages, and its version in Arabic (right to left) and in English.
STORY_IN_LANGUAGES = STORY_WITH_PICTURE
STORY_RIGHT_TO_LEFT = STORY_IN_LANGUAGES + "ar/"
STORY_IN_ENGLISH = STORY_IN_LANGUAGES + "en/"

PAGE_TYPES: tuple[PageType, ...] = (
    PageType("forside", ""),
    PageType("visjonen", "visjonen/"),
    PageType("verdi-mangfold", "verdier/mangfold/"),
    PageType("verdi-raushet", "verdier/raushet/"),
    PageType("verdi-barekraft", "verdier/barekraft/"),
    PageType("alle-historier", "historier/"),
    PageType("historie-med-bilde", STORY_WITH_PICTURE),
    PageType("historie-uten-bilde", STORY_WITHOUT_PICTURE),
    PageType("historie-arabisk", STORY_RIGHT_TO_LEFT),
    PageType("historie-lettlest", "historier/naboer-og-bedrifter-rydder-strendene-pa-snaroya/nb-x-lettlest/"),
    PageType("sprak", "sprak/"),
    PageType("steder", "steder/"),
    PageType("sted", "steder/sandvika/"),
    PageType("satsingsomrader", "satsingsomrader/"),
    PageType("satsingsomrade", "satsingsomrader/identitet/"),
    PageType("sammen", "sammen/"),
    PageType("sammen-ungdom", "sammen/ungdom/"),
    PageType("mal", "mal/"),
    PageType("mal-dialog", "mal/dialog/"),
    PageType("tall", "tall/"),
    PageType("data", "data/"),
    PageType("del-din-historie", "del-din-historie/"),
    PageType("redaksjon", "bidra/redaksjon/"),
    PageType("personvern", "personvern/"),
    PageType("tilgjengelighet", "tilgjengelighet/"),
    PageType("404", "finnes-ikke/", status=404),
)

PALETTES = ("light", "dark")  # the reader's system setting; Material picks its theme from it
