"""Related stories: the catalogue's choice equals a brute-force reference, story by story."""

from __future__ import annotations

import datetime
import random
import sys
from pathlib import Path

import pytest
from conftest import ROOT
from storysite import story as story_module
from storysite import vocabulary
from storysite.catalogue import Catalogue
from storysite.story import Story

sys.path.insert(0, str(ROOT / "bench"))

import storygen

VOCABULARY = vocabulary.load(ROOT / "data" / "vocabulary.yml")


def features(story: Story) -> set[tuple[str, str]]:
    """What a story declares, written out again here (not the catalogue's own helper)."""
    found = {("value", v.slug) for v in story.values} | {("focus", f.key) for f in story.focus}
    found |= {("partner", p.key) for p in story.partners} | {("goal", g.key) for g in story.goals}
    return found | ({("place", story.place.slug)} if story.place else set())


def brute_force(stories: list[Story], story: Story, count: int) -> list[str]:
    """Every other story with something in common: most in common, then nearest in date, then the
    newer, then the title and the address."""
    mine = features(story)
    scored = [(len(mine & features(o)), o) for o in stories if o.slug != story.slug]
    ranked = sorted(((common, o) for common, o in scored if common),
                    key=lambda pair: (-pair[0], abs((pair[1].date - story.date).days), -pair[1].date.toordinal(),
                                      pair[1].title, pair[1].slug))
    return [o.slug for _, o in ranked[:count]]


def check_every_story(stories: list[Story], counts: tuple[int, ...] = (3,)) -> None:
    catalogue = Catalogue.build(stories, VOCABULARY)
    for story in catalogue.stories:
        for count in counts:
            got = [s.slug for s in catalogue.related(story, count)]
            assert got == brute_force(catalogue.stories, story, count), (story.slug, count)


@pytest.fixture(scope="module")
def generated(tmp_path_factory) -> list[Story]:
    """The benchmark's synthetic stories (values, places, focus areas, partners and goals at random)."""
    folder = tmp_path_factory.mktemp("related") / "stories"
    storygen.generate(folder, 250, ROOT / "data" / "vocabulary.yml", storygen.SEED, pictures=False)
    stories, problems = story_module.load_all(folder, folder.parent, VOCABULARY)
    assert not problems and len(stories) == 250
    return stories


def test_related_stories_of_generated_stories_equal_the_brute_force_reference(generated):
    check_every_story(generated, counts=(3,))


def made_up(rng: random.Random, n: int, days: int) -> list[Story]:
    """Stories crowded onto a few days with few titles, so ties in common, date and title are many."""
    v = VOCABULARY
    stories = []
    for i in range(n):
        stories.append(Story(
            slug=f"s{i}", source=f"stories/s{i}.md", title=rng.choice("ABC"), description="x",
            date=datetime.date(2020, 1, 1) + datetime.timedelta(days=rng.randrange(days)), authors=("A",),
            values=tuple(rng.sample(v.values, rng.randint(0, 2))),
            place=rng.choice((None, *v.places[:3])), focus=tuple(rng.sample(v.focus, rng.randint(0, 2))),
            picture=None, featured=False, draft=False, words=0, body_line=1,
            partners=tuple(rng.sample(v.partners, rng.randint(0, min(2, len(v.partners))))),
            goals=tuple(rng.sample(v.goals, rng.randint(0, 1)))))
    return stories


@pytest.mark.parametrize("seed", range(6))
def test_related_stories_with_many_ties_equal_the_brute_force_reference(seed):
    rng = random.Random(seed)
    check_every_story(made_up(rng, rng.choice((1, 2, 7, 40, 150)), rng.choice((1, 3, 30))), counts=(0, 1, 3, 8))


def test_a_value_declared_twice_counts_once():
    raushet = VOCABULARY.values[0]
    sandvika = VOCABULARY.places[0]

    def story(slug: str, values: tuple, place, day: int) -> Story:
        return Story(slug=slug, source=f"stories/{slug}.md", title=slug, description="x",
                     date=datetime.date(2020, 1, day), authors=("A",), values=values, place=place, focus=(),
                     picture=None, featured=False, draft=False, words=0, body_line=1)

    twice = story("twice", (raushet, raushet), sandvika, 10)
    catalogue = Catalogue.build([twice, story("value", (raushet,), None, 1), story("place", (), sandvika, 11)],
                                VOCABULARY)
    # One in common each: the nearer first (counted twice, the value would win).
    assert [s.slug for s in catalogue.related(twice)] == ["place", "value"]


def test_no_numpy_in_the_build_requirements():
    assert "numpy" not in (Path(ROOT) / "requirements.txt").read_text(encoding="utf-8").lower()
