"""Deterministic synthetic stories for the benchmark: Norwegian text, every value, place and focus area.

``generate(stories_dir, n, seed=...)`` writes ``n`` stories in the front-matter format of
``stories/`` (see ``stories/_mal.md``): about one in ten is a folder story
(``<slug>/index.md``) with a 2400×1600 JPEG picture beside it. The same ``n`` and ``seed`` always
give the same files, byte for byte.

Pictures: a handful of distinct pictures (smooth gradients and shapes with grain, so JPEG
compresses them about as well as a photograph) are drawn once per process; each story gets one
of them with its own JPEG comment segment, so every picture file has different bytes (a
content-keyed cache sees as many distinct pictures as a real site) but costs no extra drawing.
"""

from __future__ import annotations

import io
import random
import re
import struct
import unicodedata
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache
from pathlib import Path

import yaml
from PIL import Image, ImageDraw, ImageFilter

SEED = 2015
PICTURE_SHARE = 0.10
FEATURED_SHARE = 0.02
PICTURE_SIZE = (2400, 1600)
DISTINCT_PICTURES = 6
FIRST_DATE = date(2015, 1, 1)
LAST_DATE = date(2025, 12, 31)
PICTURE_NAME = "bilde.jpg"


@dataclass(frozen=True)
class GeneratedStory:
    """What the benchmark needs to know about a generated story."""

    slug: str
    title: str
    path: Path  # the Markdown file
    date: date
    values: tuple[str, ...]
    place: str | None
    focus: tuple[str, ...]
    picture: Path | None

    @property
    def url(self) -> str:
        return f"historier/{self.slug}/"


@dataclass(frozen=True)
class Vocabulary:
    values: tuple[str, ...]  # names as editors write them in ``tags:``
    focus: tuple[str, ...]  # keys as editors write them in ``focus:``
    places: tuple[str, ...]


def load_vocabulary(path: Path) -> Vocabulary:
    """The closed lists from ``data/vocabulary.yml`` (read at run time: the project may change them)."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return Vocabulary(
        values=tuple(str(v["name"]) for v in data["values"]),
        focus=tuple(str(f["key"]) for f in data["focus"]),
        places=tuple(str(p) for p in data["places"]),
    )


def generate(stories_dir: Path, n: int, vocabulary: Vocabulary, seed: int = SEED) -> list[GeneratedStory]:
    """Write ``n`` stories into ``stories_dir`` (created if missing) and describe them."""
    rng = random.Random(f"{seed}:{n}")
    stories_dir.mkdir(parents=True, exist_ok=True)
    slugs: set[str] = set()
    stories = []
    span = (LAST_DATE - FIRST_DATE).days
    for index in range(n):
        # Cycle through every value, place and focus area first, so even a small corpus uses them all.
        place = vocabulary.places[index % len(vocabulary.places)] if index < len(vocabulary.places) else (
            None if rng.random() < 0.1 else rng.choice(vocabulary.places))
        values = _some(rng, vocabulary.values, 1, 3, first=vocabulary.values[index % len(vocabulary.values)])
        focus = _some(rng, vocabulary.focus, 0, 2,
                      first=vocabulary.focus[index % len(vocabulary.focus)] if index < 2 * len(vocabulary.focus) else None)
        day = FIRST_DATE + timedelta(days=rng.randrange(span + 1))
        title = _title(rng, place)
        slug = _unique(slugify(title), slugs)
        with_picture = rng.random() < PICTURE_SHARE or index == 1
        featured = rng.random() < FEATURED_SHARE or index == 0
        if with_picture:
            path = stories_dir / slug / "index.md"
            path.parent.mkdir(parents=True, exist_ok=True)
            picture = path.parent / PICTURE_NAME
            picture.write_bytes(_picture_bytes(rng.randrange(DISTINCT_PICTURES), f"{seed}/{n}/{slug}"))
        else:
            path, picture = stories_dir / f"{slug}.md", None
        text = _front_matter(rng, title, place, values, focus, day, picture is not None, featured) + _body(rng, place)
        path.write_text(text, encoding="utf-8")
        stories.append(GeneratedStory(slug, title, path, day, values, place, focus, picture))
    return stories


# Front matter ------------------------------------------------------------------------------------

def _front_matter(rng, title, place, values, focus, day, with_picture, featured) -> str:
    authors = rng.sample(PEOPLE, rng.choice((1, 1, 1, 2)))
    lines = [
        "---",
        f'title: "{title}"',
        f'description: "{_description(rng, place)}"',
        f"date: {day.isoformat()}",
        f'authors: "{authors[0]}"' if len(authors) == 1 else f"authors: [{', '.join(authors)}]",
        f"tags: [{', '.join(values)}]",
    ]
    if place:
        lines.append(f"place: {place}")
    if focus:
        lines.append(f"focus: [{', '.join(focus)}]")
    if with_picture:
        lines += [
            f"image: {PICTURE_NAME}",
            f'image_alt: "{rng.choice(PICTURE_ALTS)}"',
            f'image_credit: "{rng.choice(PEOPLE)}"',
        ]
    consent = ("Ingen gjenkjennelige personer er avbildet." if rng.random() < 0.3
               else f"Samtykke arkivert, saksnr. {day.year}/{rng.randrange(10000, 99999)}")
    lines.append(f'consent: "{consent}"')
    if featured:
        lines.append("featured: true")
    lines.append("---")
    return "\n".join(lines) + "\n\n"


def _title(rng: random.Random, place: str | None) -> str:
    where = _name(place)
    title = rng.choice(TITLES).format(sted=where, ved=_at(where), gruppe=rng.choice(GROUPS),
                                      ting=rng.choice(THINGS), aktivitet=rng.choice(ACTIVITIES))
    return title[0].upper() + title[1:]


def _description(rng: random.Random, place: str | None) -> str:
    where = _name(place)
    first = _sentence(rng, where)
    second = _sentence(rng, where)
    return f"{first} {second}"[:290].rstrip()


# Body --------------------------------------------------------------------------------------------

def _body(rng: random.Random, place: str | None) -> str:
    where = _name(place)
    target = rng.randrange(200, 601)
    words = 0
    blocks: list[str] = []
    headings = rng.sample(HEADINGS, len(HEADINGS))
    while words < target:
        if blocks and len(blocks) % 4 == 0 and headings:
            blocks.append(f"## {headings.pop()}")
            continue
        if rng.random() < 0.25:
            paragraph = _quote(rng, where)
        elif rng.random() < 0.08:
            items = [f"- {rng.choice(LIST_ITEMS)}" for _ in range(rng.randrange(3, 6))]
            paragraph = "Dette sto på programmet:\n\n" + "\n".join(items)
        else:
            paragraph = " ".join(_sentence(rng, where) for _ in range(rng.randrange(2, 6)))
            if rng.random() < 0.1:
                first = paragraph.split(".")[0]
                paragraph = f"**{first}.**" + paragraph[len(first) + 1:]
        blocks.append(paragraph)
        words += len(paragraph.split())
    return "\n\n".join(blocks) + "\n"


def _sentence(rng: random.Random, where: str) -> str:
    pattern = rng.choice(SENTENCES)
    return pattern.format(
        subjekt=rng.choice(SUBJECTS), verb=rng.choice(VERBS), ting=rng.choice(THINGS), sted=where, ved=_at(where),
        tid=rng.choice(TIMES), aktivitet=rng.choice(ACTIVITIES), gruppe=rng.choice(GROUPS),
        tall=rng.randrange(3, 60),
    )


def _quote(rng: random.Random, where: str) -> str:
    person = rng.choice(PEOPLE)
    age = f" ({rng.randrange(9, 90)})" if rng.random() < 0.5 else ""
    return f"– {rng.choice(QUOTES).format(sted=where)}, sier {person}{age}."


def _name(place: str | None) -> str:
    return "Bærum" if place in (None, "Hele Bærum") else place


def _at(name: str) -> str:
    """The place with its preposition, as Bærum residents say it: «i Sandvika», «på Haslum»."""
    return f"{'i' if name in IN_PLACES else 'på'} {name}"


# Pictures ----------------------------------------------------------------------------------------

def _picture_bytes(variant: int, label: str) -> bytes:
    """One of the distinct pictures, with a JPEG comment that makes these bytes unique."""
    base = _base_picture(variant)
    comment = f"bench picture {label}".encode()
    segment = b"\xff\xfe" + struct.pack(">H", len(comment) + 2) + comment
    return base[:2] + segment + base[2:]  # right after the SOI marker


@cache
def _base_picture(variant: int) -> bytes:
    rng = random.Random(f"picture:{variant}")
    width, height = PICTURE_SIZE
    small = (width // 8, height // 8)
    sky, ground = _colour(rng), _colour(rng)
    image = Image.new("RGB", small)
    gradient = Image.linear_gradient("L").resize(small)
    image = Image.composite(Image.new("RGB", small, ground), Image.new("RGB", small, sky), gradient)
    draw = ImageDraw.Draw(image)
    for _ in range(rng.randrange(12, 24)):
        x, y = rng.randrange(small[0]), rng.randrange(small[1])
        rx, ry = rng.randrange(8, 90), rng.randrange(6, 60)
        draw.ellipse((x - rx, y - ry, x + rx, y + ry), fill=_colour(rng))
    image = image.filter(ImageFilter.GaussianBlur(3)).resize(PICTURE_SIZE, Image.Resampling.BICUBIC)
    grain = Image.effect_noise(PICTURE_SIZE, 48).convert("RGB")
    image = Image.blend(image, grain, 0.12)
    out = io.BytesIO()
    image.save(out, "JPEG", quality=85, optimize=True)
    return out.getvalue()


def _colour(rng: random.Random) -> tuple[int, int, int]:
    return rng.randrange(30, 230), rng.randrange(30, 230), rng.randrange(30, 230)


# Slugs -------------------------------------------------------------------------------------------

_TRANSLITERATION = str.maketrans({"æ": "a", "ø": "o", "å": "a", "Æ": "a", "Ø": "o", "Å": "a"})


def slugify(text: str) -> str:
    """The site's address rule (æ→a, ø→o, å→a; a–z, 0–9 and hyphens), written here independently."""
    text = unicodedata.normalize("NFC", text).translate(_TRANSLITERATION).lower()
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")[:80].strip("-")


def _unique(slug: str, taken: set[str]) -> str:
    candidate, number = slug, 2
    while candidate in taken:
        candidate, number = f"{slug}-{number}", number + 1
    taken.add(candidate)
    return candidate


def _some(rng: random.Random, items: tuple[str, ...], low: int, high: int, first: str | None) -> tuple[str, ...]:
    """``low``–``high`` distinct items (``first`` always among them), in vocabulary order."""
    count = rng.randint(low, high)
    chosen = set(rng.sample(items, count))
    if first is not None:
        chosen.add(first)
    return tuple(item for item in items if item in chosen)


# Word pools --------------------------------------------------------------------------------------

IN_PLACES = {"Bærum", "Sandvika", "Lommedalen", "Bærums Verk", "Grav"}

TITLES = [
    "{gruppe} {ved} samler nabolaget",
    "{aktivitet} {ved}: alle er velkomne",
    "Slik ble {ting} et samlingspunkt {ved}",
    "{gruppe} gir {ting} et nytt liv",
    "Ny {aktivitet} {ved} trekker folk i alle aldre",
    "Sammen om {ting} {ved}",
    "Fra idé til {aktivitet}: {gruppe} viser vei",
    "{sted} fikk {aktivitet} – og mange nye venner",
    "Da {gruppe} inviterte til {aktivitet}",
    "Hva betyr visjonen for {gruppe} {ved}?",
]
GROUPS = [
    "velforeningen", "elevrådet", "pensjonistene", "ungdomsklubben", "nabolaget", "frivilligsentralen",
    "idrettslaget", "korpset", "menigheten", "biblioteket", "seniorsenteret", "foreldrene", "skolekorpset",
    "Ungdommens kommunestyre", "turlaget", "leseombudene", "hagelaget", "sykkelgruppa",
]
THINGS = [
    "det gamle bedehuset", "skolegården", "nærmiljøhagen", "sykkelverkstedet", "ballbingen",
    "turstien langs elva", "biblioteksrommet", "strandparken", "kafeen i kulturhuset", "byttebua",
    "gapahuken", "skøytebanen", "matbordet", "verktøybiblioteket", "lekeplassen", "badeplassen",
]
ACTIVITIES = [
    "språkkafé", "dugnad", "byttemarked", "leksehjelp", "reparasjonskafé", "nabomiddag", "turgruppe",
    "strikkekveld", "sykkelverksted", "plantebytte", "allsang", "sjakkturnering", "matlagingskurs",
    "skirenn for små og store", "ryddeaksjon", "historiefortelling", "fotokurs", "konsert i parken",
]
SUBJECTS = [
    "Naboene", "Elevene", "De frivillige", "Foreldrene", "Ungdommene", "De eldre", "Bibliotekarene",
    "Lærerne", "Lederne i kommunen", "Medarbeiderne", "Innbyggerne", "Politikerne", "Barna",
    "Velforeningen", "De nye naboene", "Trenerne",
]
VERBS = [
    "møtes", "samarbeider", "lager mat", "rydder", "planlegger", "snakker sammen", "deler erfaringer",
    "bygger", "synger", "går tur", "lærer av hverandre", "hjelper til", "inviterer", "samles",
]
TIMES = [
    "hver tirsdag", "en gang i måneden", "hver lørdag formiddag", "i vinterferien", "om kvelden",
    "etter skoletid", "i sommer", "hele året", "før jul", "i helgene",
]
SENTENCES = [
    "{subjekt} {verb} {tid} {ved}.",
    "{subjekt} {ved} {verb} {tid}.",
    "Det startet med en enkel idé om {aktivitet}.",
    "I dag kommer det rundt {tall} personer {tid}.",
    "{subjekt} mener {ting} har blitt viktigere enn før.",
    "Mange forteller at de har fått nye venner gjennom {aktivitet}.",
    "Kommunen stiller med lokaler, mens {gruppe} står for resten.",
    "Ingen trenger å melde seg på, og det koster ingenting.",
    "{subjekt} sier det handler om å ta vare på hverandre.",
    "Ideen kom fra {gruppe}, og den spredte seg raskt.",
    "Nå håper de at flere steder i Bærum gjør det samme.",
    "Noen kommer for å lære, andre kommer for å være sammen med andre.",
    "Det er plass til alle, uansett alder, språk og bakgrunn.",
    "{subjekt} har brukt {ting} til {aktivitet} i {tall} uker.",
    "Det viktigste er at folk blir kjent med hverandre.",
    "Etter hvert ble {ting} et sted der folk stikker innom.",
    "Tiltaket får støtte fra kommunen og fra lokale bedrifter.",
    "Alt utstyret er gitt av naboer og lokale butikker.",
    "På den måten blir visjonen til noe vi gjør, ikke bare noe vi sier.",
    "Det er både mangfold, raushet og bærekraft i det som skjer her.",
]
QUOTES = [
    "Vi ville gjøre noe sammen, ikke bare snakke om det",
    "Her er alle velkomne, og det merkes",
    "Jeg hadde aldri trodd at så mange ville komme",
    "Det beste er alle samtalene rundt bordet",
    "Vi lærer like mye av de unge som de lærer av oss",
    "Det er dette som gjør {sted} til et godt sted å bo",
    "Når vi gjør ting sammen, blir det lettere for alle",
    "Jeg kom for å hjelpe til, men jeg har fått mye tilbake",
    "Det koster lite, men betyr veldig mye",
]
HEADINGS = [
    "Slik begynte det", "Alle kan være med", "Et sted å møtes", "Mangfold i praksis", "Raushet i hverdagen",
    "Tenker på fremtiden", "Hva skjer videre?", "Mange hender", "Lærer av hverandre", "Et godt nabolag",
]
LIST_ITEMS = [
    "kaffe og vafler", "omvisning for nye naboer", "reparasjon av sykler", "aktiviteter for barna",
    "samtale om visjonen", "bytte av klær og leker", "musikk fra skolekorpset", "felles middag",
]
PEOPLE = [
    "Kari Nordmann", "Ola Hansen", "Aisha Rahman", "Mateusz Kowalski", "Ingrid Berg", "Yusuf Demir",
    "Sofie Lie", "Tamara Nilsen", "Jonas Bakke", "Lena Haugen", "Ahmed Ali", "Marte Strand",
    "Per Olsen", "Thu Nguyen", "Elin Dahl", "Kommunikasjonsenheten", "Oskar Moen", "Nora Vik",
]
PICTURE_ALTS = [
    "Illustrasjon av et landskap med åser, trær og en blek himmel.",
    "Illustrasjon i varme farger av et nabolag om ettermiddagen.",
    "Illustrasjon av en park med stier, benker og store trær.",
    "Illustrasjon av et vinterlandskap med snø og lave skyer.",
]
