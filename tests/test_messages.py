"""Messages that point at the real mistake, in the exact words `check` and the build print; and the
fields no story may hold: dates before 1900, text that shows nothing, hidden tag characters."""

from __future__ import annotations

import pytest
from conftest import ROOT, story_text
from storysite import story, vocabulary

VOCABULARY = vocabulary.load(ROOT / "data" / "vocabulary.yml")
FREE_TEXT = ("title", "description", "authors", "image_alt", "image_credit", "consent", "guardian_consent")


def problems(tmp_path, text: str, name: str = "a.md") -> list[str]:
    """What `check` prints for one story file, one problem a line."""
    folder = tmp_path / "stories"
    (folder / name).parent.mkdir(parents=True, exist_ok=True)
    (folder / name).write_text(text, encoding="utf-8")
    _, found = story.load_all(folder, tmp_path, VOCABULARY)
    return [str(problem) for problem in found]


@pytest.mark.parametrize(("fields", "expected"), [
    ({"tags": "raushet, mangfold"},
     "stories/a.md:6: tags: «raushet, mangfold» er skrevet som én verdi, ikke som en liste. "
     "Sett hakeparenteser rundt listen: tags: [raushet, mangfold]."),
    ({"focus": "medvirkning,styring"},
     "stories/a.md:8: focus: «medvirkning,styring» er skrevet som én verdi, ikke som en liste. "
     "Sett hakeparenteser rundt listen: focus: [medvirkning, styring]."),
    ({"goals": "medvirkning"},
     "stories/a.md:8: goals: «medvirkning» er et satsingsområde, ikke et av kommunens hovedmål. "
     "Skriv det under «focus:»."),
    ({"focus": "[identitet, dialog]"},
     "stories/a.md:8: focus: «dialog» er et av kommunens hovedmål, ikke et av satsingsområdene. "
     "Skriv det under «goals:»."),
    ({"tags": "ungdom"},
     "stories/a.md:6: tags: «ungdom» er en av dem som kan være med, ikke en av verdiene. Skriv det under «partners:»."),
    ({"place": "raushet"},
     "stories/a.md:8: place: «raushet» er en verdi, ikke et sted. Skriv det under «tags:»."),
])
def test_a_word_under_the_wrong_key_or_a_list_without_brackets_says_how_to_write_it(tmp_path, fields, expected):
    assert problems(tmp_path, story_text(**fields)) == [expected]


def test_a_missing_space_after_a_colon_is_named_on_its_own_line(tmp_path):
    text = story_text(consent="Saksnr. 2020/1\nplace:Sandvika\nfeatured: true")
    assert problems(tmp_path, text) == [
        "stories/a.md:8: place: det mangler et mellomrom etter kolonet i «place:Sandvika». Skriv «place: Sandvika».",
    ]
    last = story_text(consent="Saksnr. 2020/1\nplace:Sandvika")
    assert problems(tmp_path, last) == [
        "stories/a.md:8: place: det mangler et mellomrom etter kolonet i «place:Sandvika». Skriv «place: Sandvika».",
    ]
    first = story_text().replace("title: En historie", "title:En historie")
    assert problems(tmp_path, first) == [
        "stories/a.md:2: title: det mangler et mellomrom etter kolonet i «title:En historie». "
        "Skriv «title: En historie».",
    ]


def test_a_web_address_on_a_line_of_its_own_is_not_taken_for_a_missing_space(tmp_path):
    text = story_text(consent="Saksnr. 2020/1\nhttps://example.org")
    assert [p.split(": ")[1] for p in problems(tmp_path, text)] == ["front matter"]


@pytest.mark.parametrize("key", ["title", "description", "authors", "tags", "date", "consent"])
def test_a_required_field_that_is_present_but_empty_says_it_is_empty_not_missing(tmp_path, key):
    found = problems(tmp_path, story_text(**{key: ""}))
    assert len(found) == 1 and ": feltet er tomt. Skriv en verdi etter kolonet." in found[0], found
    assert "mangler" not in found[0]


@pytest.mark.parametrize(("date", "expected"), [
    ("0001-01-01", "stories/a.md:4: date: datoen 0001-01-01 er før 1900. Sjekk årstallet."),
    ("1899-12-31", "stories/a.md:4: date: datoen 1899-12-31 er før 1900. Sjekk årstallet."),
])
def test_a_date_before_1900_is_refused(tmp_path, date, expected):
    assert problems(tmp_path, story_text(date=date)) == [expected]


def test_the_first_day_of_1900_is_accepted(tmp_path):
    assert problems(tmp_path, story_text(date="1900-01-01")) == []


BLANK = ["\u3164", "\u2800", "\uffa0", "\u115f\u1160", "\u200b\u2060", "\u2800 \u3164 \uffa0", "\ufe0f"]


@pytest.mark.parametrize("key", FREE_TEXT)
@pytest.mark.parametrize("blank", BLANK, ids=[f"U+{ord(b[0]):04X}" for b in BLANK])
def test_text_made_only_of_blank_looking_characters_is_refused_in_every_free_text_field(tmp_path, key, blank):
    fields = {key: f'"{blank}"'}
    if key.startswith("image_"):
        fields |= {"image_alt": "Et bilde", "image_credit": "Ola", key: f'"{blank}"'}
    if key == "guardian_consent":
        fields["minors"] = "true"
    found = [p for p in problems(tmp_path, story_text(**fields)) if f": {key}: " in p]
    assert found and found[0].endswith(f"{key}: feltet har bare usynlige tegn. Skriv en verdi etter kolonet."), found


def test_a_blank_looking_character_inside_real_text_is_fine(tmp_path):
    assert problems(tmp_path, story_text(title='"Hei\u3164du"')) == []


@pytest.mark.parametrize("key", FREE_TEXT)
def test_unicode_tag_characters_are_refused_in_every_free_text_field(tmp_path, key):
    hidden = "".join(chr(0xE0000 + ord(c)) for c in "ring 99")
    fields = {key: f'"Synlig tekst{hidden}"'}
    if key == "guardian_consent":
        fields["minors"] = "true"
    found = [p for p in problems(tmp_path, story_text(**fields)) if f": {key}: " in p]
    assert found[0] == (f"stories/a.md:{found[0].split(':')[1]}: {key}: teksten har et usynlig merketegn (U+E0072). "
                        "Skriv verdien på nytt for hånd, uten å lime den inn.")


def test_unicode_tag_characters_are_refused_in_the_body_and_shown_as_codes(tmp_path):
    found = problems(tmp_path, story_text("Hei\n\nSkjult\U000e0041\U000e0042 tekst.\n"))
    assert found == ["stories/a.md:12: tekst: teksten har et usynlig merketegn (U+E0041). Skriv linjen på nytt for hånd."]
    key = problems(tmp_path, story_text(**{"ti\U000e0041tle": "x"}))
    assert "stories/a.md:8: ti<U+E0041>tle: ukjent felt." in "\n".join(key)


@pytest.mark.parametrize(("fields", "expected"), [
    ({"image": "bilde.jpg", "image_alt": "", "image_credit": "Ola"},
     "stories/a/index.md:9: image_alt: feltet er tomt: bildet trenger en alternativ tekst som beskriver bildet. "
     "Fyll inn «image_alt:»."),
    ({"image": "bilde.jpg", "image_alt": "Et bilde", "image_credit": ""},
     "stories/a/index.md:10: image_credit: feltet er tomt: bildet trenger hvem som har tatt eller eier bildet. "
     "Fyll inn «image_credit:»."),
    ({"partners": "ungdom", "minors": ""},
     "stories/a/index.md:9: minors: feltet er tomt: en historie der ungdom er med, må si om barn under 15 år kan "
     "kjennes igjen. Skriv «minors: true» (og «guardian_consent:») hvis noen under 15 år kan kjennes igjen i tekst "
     "eller bilde, ellers «minors: false»."),
    ({"minors": "true", "guardian_consent": ""},
     "stories/a/index.md:9: guardian_consent: feltet er tomt: når barn under 15 år kan kjennes igjen, må foresatte ha "
     "samtykket. Legg til «guardian_consent:» med saksnummeret der samtykket fra foresatte er arkivert."),
])
def test_an_optional_field_present_but_empty_says_it_is_empty_on_its_own_line(tmp_path, fields, expected):
    found = [p for p in problems(tmp_path, story_text(**fields), "a/index.md") if "bildefilen" not in p]
    assert found == [expected]


@pytest.mark.parametrize("empty", ["", "~", "null", "Null", "NULL"])
def test_every_way_yaml_writes_nothing_is_an_empty_field(tmp_path, empty):
    assert problems(tmp_path, story_text(title=empty)) == [
        "stories/a.md:2: title: feltet er tomt. Skriv en verdi etter kolonet."]
    assert problems(tmp_path, story_text(place=empty, focus=empty, image=empty)) == []  # optional: not given


def test_a_quoted_null_is_text(tmp_path):
    assert problems(tmp_path, story_text(title='"null"')) == []


def _story(tmp_path, **fields):
    folder = tmp_path / "stories"
    folder.mkdir(exist_ok=True)
    (folder / "a.md").write_text(story_text(**fields), encoding="utf-8")
    stories, found = story.load_all(folder, tmp_path, VOCABULARY)
    assert [str(p) for p in found] == []
    return stories[0]


@pytest.mark.parametrize(("word", "meant"), [("true", True), ("Ja", True), ("yes", True), ("false", False),
                                             ("nei", False), ("NO", False)])
def test_true_and_false_in_norwegian_and_english(tmp_path, word, meant):
    assert _story(tmp_path, featured=word).featured is meant
    assert _story(tmp_path, draft=word).draft is meant


@pytest.mark.parametrize(("fields", "expected"), [
    ({"featured": "[ja]"}, "stories/a.md:8: featured: skal være true eller false, ikke en liste. "
                           "Skriv true (ja) eller false (nei)."),
    ({"authors": '"Kari; Ola"'}, "stories/a.md:5: authors: navnet «Kari; Ola» har et semikolon. "
                                 "Skriv flere navn som en liste: [Kari, Ola]."),
    ({"tags": "Sandvika"}, "stories/a.md:6: tags: «Sandvika» er et sted, ikke en av verdiene. Skriv det under «place:»."),
    ({"place": "Tromsø"}, "stories/a.md:8: place: «Tromsø» er ikke et sted i stedslisten. "
                        "Velg et sted fra stedslisten i data/vocabulary.yml."),
    ({"partners": "ungdommer"}, "stories/a.md:8: partners: «ungdommer» er ikke blant dem som kan være med "
                                f"({', '.join(p.key for p in VOCABULARY.partners)}). Mente du «ungdom»?"),
    ({"date": "juni 2015"}, "stories/a.md:4: date: «juni 2015» er ikke en dato på formen ÅÅÅÅ-MM-DD. "
                            "Skriv for eksempel 2015-06-12."),
])
def test_each_field_names_what_is_wrong_and_how_to_write_it(tmp_path, fields, expected):
    assert problems(tmp_path, story_text(**fields)) == [expected]


def test_a_place_from_the_list_is_read(tmp_path):
    assert _story(tmp_path, place="sandvika").place.name == "Sandvika"


def test_an_empty_front_matter_block_asks_for_each_required_field(tmp_path):
    found = problems(tmp_path, "---\n---\nTekst.\n")
    assert sorted(p.split(": ")[1] for p in found) == ["authors", "consent", "date", "description", "tags", "title"]
    assert all(": feltet mangler. Legg til «" in p for p in found)


def test_front_matter_may_end_with_yaml_s_three_dots(tmp_path):
    assert problems(tmp_path, story_text().replace("\n---\n\n", "\n...\n\n", 1)) == []


def test_old_mac_line_ends_are_read_as_lines(tmp_path):
    assert problems(tmp_path, story_text(title="Mac").replace("\n", "\r")) == []


def test_the_vocabulary_read_again_unchanged_is_the_same_object_and_changed_is_read_afresh(tmp_path):
    path = tmp_path / "vocabulary.yml"
    text = (ROOT / "data" / "vocabulary.yml").read_text(encoding="utf-8")
    path.write_text(text, encoding="utf-8")
    first = vocabulary.load(path)
    assert vocabulary.load(path) is first and first == VOCABULARY and hash(first) == hash(VOCABULARY)
    place = first.places[0].name
    path.write_text(text.replace(place, f"{place} sentrum", 1), encoding="utf-8")
    changed = vocabulary.load(path)
    assert changed != first and changed.places[0].name == f"{place} sentrum" and hash(changed) != hash(first)
    path.write_text("values: [", encoding="utf-8")
    with pytest.raises(vocabulary.VocabularyError):
        vocabulary.load(path)
