"""Deterministic synthetic stories in the front-matter format of ``stories/`` (see ``stories/_mal.md``).

``generate(folder, n, seed)`` writes ``n`` stories: Norwegian text from word pools, bodies of
200–600 words, every value, place and focus area of ``data/vocabulary.yml`` used, about 10 % folder
stories (``<slug>/index.md``) with a 2400×1600 JPEG beside them. ``random.Random`` seeded with
``seed`` and ``n`` drives everything, so the same arguments give the same bytes.
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
from PIL import Image

SEED = 2015
PICTURE_SIZE = (2400, 1600)
PICTURE_NAME = "bilde.jpg"


@dataclass(frozen=True)
class Story:
    slug: str
    title: str
    file: str  # the Markdown file, relative to the stories folder
    values: tuple[str, ...]
    place: str | None
    focus: tuple[str, ...]
    picture: bool

    @property
    def url(self) -> str:
        return f"historier/{self.slug}/"


def generate(folder: Path, n: int, vocabulary_file: Path, seed: int = SEED, *, pictures: bool = True) -> list[Story]:
    """N stories in ``folder``; without ``pictures`` none has a picture (each is a plain file)."""
    vocabulary = yaml.safe_load(vocabulary_file.read_text(encoding="utf-8"))
    values = [str(v["name"]) for v in vocabulary["values"]]
    focus_keys = [str(f["key"]) for f in vocabulary["focus"]]
    places = [str(p["name"] if isinstance(p, dict) else p) for p in vocabulary["places"]]
    partner_keys = [str(p["key"]) for p in vocabulary.get("partners") or ()]
    goal_keys = [str(g["key"]) for g in vocabulary.get("goals") or ()]
    rng = random.Random(f"{seed}:{n}")
    folder.mkdir(parents=True, exist_ok=True)
    stories = []
    for i in range(n):
        # The first stories cycle through every value, place and focus area, so small N uses them all.
        place = places[i] if i < len(places) else (None if rng.random() < 0.1 else rng.choice(places))
        tags = _some(rng, values, 1, 3, values[i % len(values)])
        focus = _some(rng, focus_keys, 0, 2, focus_keys[i % len(focus_keys)] if i < len(focus_keys) else None)
        where = "Bærum" if place in (None, "Hele Bærum") else place
        title = _fill(rng, rng.choice(TITLES), where)
        title = title[0].upper() + title[1:]
        slug = f"{_slugify(title)[:60].strip('-')}-{i + 1}"
        picture = (i == 1 or rng.random() < 0.10) and pictures
        day = date(2015, 1, 1) + timedelta(days=rng.randrange(4000))
        lines = ["---", f'title: "{title}"', f'description: "{_sentence(rng, where)} {_sentence(rng, where)}"',
                 f"date: {day.isoformat()}", f"authors: [{', '.join(rng.sample(PEOPLE, rng.choice((1, 1, 2))))}]",
                 f"tags: [{', '.join(tags)}]"]
        lines += [f"place: {place}"] if place else []
        lines += [f"focus: [{', '.join(focus)}]"] if focus else []
        partners = _some(rng, partner_keys, 0, 3, None)
        goals = _some(rng, goal_keys, 0, 2, None)
        lines += [f"partners: [{', '.join(partners)}]"] if partners else []
        lines += [f"goals: [{', '.join(goals)}]"] if goals else []
        lines += ["minors: false"] if "ungdom" in partners else []
        if picture:
            lines += [f"image: {PICTURE_NAME}", f'image_alt: "{rng.choice(ALTS)}"',
                      f'image_credit: "{rng.choice(PEOPLE)}"']
        lines.append(f'consent: "Samtykke arkivert, saksnr. {day.year}/{rng.randrange(10000, 99999)}"')
        lines += ["featured: true"] if i == 0 or rng.random() < 0.02 else []
        text = "\n".join(lines) + "\n---\n\n" + _body(rng, where)
        if picture:
            path = folder / slug / "index.md"
            path.parent.mkdir()
            (path.parent / PICTURE_NAME).write_bytes(_picture(rng.randrange(4), f"{seed}/{n}/{slug}"))
        else:
            path = folder / f"{slug}.md"
        path.write_text(text, encoding="utf-8")
        stories.append(Story(slug, title, path.relative_to(folder).as_posix(), tags, place, focus, picture))
    return stories


def _some(rng: random.Random, items: list[str], low: int, high: int, first: str | None) -> tuple[str, ...]:
    chosen = set(rng.sample(items, rng.randint(low, high))) | ({first} if first else set())
    return tuple(item for item in items if item in chosen)


def _slugify(text: str) -> str:
    text = text.translate(str.maketrans("æøåÆØÅ", "aoaaoa")).lower()
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")


def _fill(rng: random.Random, pattern: str, where: str) -> str:
    return pattern.format(
        ved=f"{'i' if where in IN_PLACES else 'på'} {where}", sted=where, gruppe=rng.choice(GROUPS),
        ting=rng.choice(THINGS), aktivitet=rng.choice(ACTIVITIES), subjekt=rng.choice(SUBJECTS),
        verb=rng.choice(VERBS), tid=rng.choice(TIMES), tall=rng.randrange(3, 60))


def _sentence(rng: random.Random, where: str) -> str:
    return _fill(rng, rng.choice(SENTENCES), where)


def _body(rng: random.Random, where: str) -> str:
    target, words, blocks = rng.randrange(200, 601), 0, list[str]()
    headings = rng.sample(HEADINGS, len(HEADINGS))
    while words < target:
        if blocks and len(blocks) % 4 == 0 and headings:
            blocks.append(f"## {headings.pop()}")
        elif rng.random() < 0.2:
            blocks.append(f"– {_fill(rng, rng.choice(QUOTES), where)}, sier {rng.choice(PEOPLE)}.")
        elif rng.random() < 0.08:
            blocks.append("Dette sto på programmet:\n\n" + "\n".join(
                f"- {_fill(rng, '{aktivitet} ved {ting}', where)}" for _ in range(rng.randrange(3, 6))))
        else:
            blocks.append(" ".join(_sentence(rng, where) for _ in range(rng.randrange(2, 6))))
        words += len(blocks[-1].split())
    return "\n\n".join(blocks) + "\n"


def _picture(variant: int, label: str) -> bytes:
    """One of four drawn pictures, made unique by a JPEG comment (a content-keyed cache sees N/10 pictures)."""
    comment = label.encode()
    base = _base_picture(variant)
    return base[:2] + b"\xff\xfe" + struct.pack(">H", len(comment) + 2) + comment + base[2:]


@cache
def _base_picture(variant: int) -> bytes:
    """A colour gradient with grain (so it compresses about like a photograph: some 600 KB)."""
    rng = random.Random(f"picture:{variant}")
    size = PICTURE_SIZE
    colours = [tuple(rng.randrange(30, 230) for _ in range(3)) for _ in range(2)]
    gradient = Image.linear_gradient("L").resize(size)
    image = Image.composite(Image.new("RGB", size, colours[0]), Image.new("RGB", size, colours[1]), gradient)
    grain = Image.frombytes("L", size, rng.randbytes(size[0] * size[1])).convert("RGB")
    out = io.BytesIO()
    Image.blend(image, grain, 0.07).save(out, "JPEG", quality=85)
    return out.getvalue()


IN_PLACES = {"Bærum", "Sandvika", "Lommedalen", "Bærums Verk", "Grav"}
TITLES = [
    "{gruppe} {ved} samler nabolaget", "{aktivitet} {ved}: alle er velkomne", "Slik ble {ting} et samlingspunkt",
    "{gruppe} gir {ting} et nytt liv", "Ny {aktivitet} {ved} trekker folk i alle aldre", "Sammen om {ting} {ved}",
    "Fra idé til {aktivitet}: {gruppe} viser vei", "{sted} fikk {aktivitet} og mange nye venner",
    "Da {gruppe} inviterte til {aktivitet}", "Hva betyr visjonen for {gruppe} {ved}?",
]
GROUPS = ["velforeningen", "elevrådet", "pensjonistene", "ungdomsklubben", "frivilligsentralen", "idrettslaget",
          "korpset", "biblioteket", "seniorsenteret", "foreldrene", "Ungdommens kommunestyre", "turlaget", "hagelaget"]
THINGS = ["det gamle bedehuset", "skolegården", "nærmiljøhagen", "sykkelverkstedet", "ballbingen", "turstien",
          "strandparken", "kafeen i kulturhuset", "byttebua", "gapahuken", "skøytebanen", "lekeplassen"]
ACTIVITIES = ["språkkafé", "dugnad", "byttemarked", "leksehjelp", "reparasjonskafé", "nabomiddag", "turgruppe",
              "strikkekveld", "plantebytte", "allsang", "sjakkturnering", "matlagingskurs", "ryddeaksjon", "fotokurs"]
SUBJECTS = ["Naboene", "Elevene", "De frivillige", "Foreldrene", "Ungdommene", "De eldre", "Lærerne",
            "Medarbeiderne", "Innbyggerne", "Politikerne", "Barna", "De nye naboene", "Trenerne"]
VERBS = ["møtes", "samarbeider", "lager mat", "rydder", "planlegger", "snakker sammen", "deler erfaringer",
         "bygger", "synger", "går tur", "lærer av hverandre", "hjelper til", "samles"]
TIMES = ["hver tirsdag", "en gang i måneden", "hver lørdag", "i vinterferien", "om kvelden", "etter skoletid",
         "i sommer", "hele året", "før jul", "i helgene"]
SENTENCES = [
    "{subjekt} {verb} {tid} {ved}.", "Det startet med en enkel idé om {aktivitet}.",
    "I dag kommer det rundt {tall} personer {tid}.", "{subjekt} mener {ting} har blitt viktigere enn før.",
    "Mange har fått nye venner gjennom {aktivitet}.", "Kommunen stiller med lokaler, mens {gruppe} står for resten.",
    "Ingen trenger å melde seg på, og det koster ingenting.",
    "{subjekt} sier det handler om å ta vare på hverandre.",
    "Ideen kom fra {gruppe}, og den spredte seg raskt.", "Nå håper de at flere steder i Bærum gjør det samme.",
    "Det er plass til alle, uansett alder, språk og bakgrunn.",
    "{subjekt} har brukt {ting} til {aktivitet} i {tall} uker.",
    "Etter hvert ble {ting} et sted der folk stikker innom.", "Alt utstyret er gitt av naboer og lokale butikker.",
    "Det er både mangfold, raushet og bærekraft i det som skjer {ved}.",
]
QUOTES = ["Vi ville gjøre noe sammen, ikke bare snakke om det", "Her er alle velkomne, og det merkes",
          "Det beste er alle samtalene rundt bordet", "Det er dette som gjør {sted} til et godt sted å bo",
          "Jeg kom for å hjelpe til, men jeg har fått mye tilbake", "Det koster lite, men betyr veldig mye"]
HEADINGS = ["Slik begynte det", "Alle kan være med", "Et sted å møtes", "Mangfold i praksis", "Raushet i hverdagen",
            "Tenker på fremtiden", "Hva skjer videre?", "Mange hender"]
PEOPLE = ["Kari Nordmann", "Ola Hansen", "Aisha Rahman", "Mateusz Kowalski", "Ingrid Berg", "Yusuf Demir",
          "Sofie Lie", "Jonas Bakke", "Lena Haugen", "Ahmed Ali", "Per Olsen", "Thu Nguyen", "Nora Vik"]
ALTS = ["Illustrasjon av et landskap i myke farger.", "Illustrasjon av et nabolag om ettermiddagen.",
        "Illustrasjon av en park med stier og trær."]
