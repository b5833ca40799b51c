"""Open data: the stories as JSON, CSV and a Frictionless Data Package, validated against its own schema."""

from __future__ import annotations

import csv
import io
import json

import pytest
from conftest import build, make_project, story_text
from PIL import Image

SITE = "https://example.invalid/"
RICH_BODY = """# Overskrift med &amp; og <b>fet</b>

Et avsnitt med *kursiv*, **fet**, `kode`, en [lenke](https://ok.example "tittel") og en
myk linjeskift,\\
og et hardt linjeskift. Tegn som &lt;, &gt; og «» står som de er.

- første punkt
- andre punkt med [referanse][r]

1. nummerert

> Et sitat fra en innbygger.

| Sted | Antall |
|---|---|
| Sandvika | 12 |

```
kode   med   mellomrom
```

![Et kart over Sandvika](kart.jpg)

<details><summary>Les mer</summary>

Skjult bak et klikk, men synlig når leseren åpner det.

</details>

[r]: https://ok.example/r
"""


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    picture = io.BytesIO()
    Image.new("RGB", (1400, 900), "navy").save(picture, "JPEG")
    return make_project(tmp_path_factory.mktemp("data"), {
        "a.md": story_text("Første avsnitt med «sitat», komma og \"anførsel\".\n\nAndre avsnitt.\n",
                           title='"Kafé, «kaffe» og \\"kake\\""', date="2016-01-01", tags="[raushet, mangfold]",
                           place="Jar", focus="[identitet, medvirkning]", partners="[innbyggere, frivillige]",
                           goals="[dialog]", authors="[Kari Nordmann, Ola Nordmann]", featured="true",
                           consent='"Saksnr. HEMMELIG-1"'),
        "b/index.md": story_text("Tekst.\n", title="Med bilde", date="2020-02-02", image="b.jpg",
                                 image_alt="En blå flate", image_credit='"Foto: Ola"', minors="true",
                                 guardian_consent='"Saksnr. HEMMELIG-2"'),
        "b/b.jpg": picture.getvalue(),
        "c/index.md": story_text(RICH_BODY, title="Rik tekst", date="2012-03-04", place="Sandvika",
                                 partners="[ungdom]", minors="true", guardian_consent='"Saksnr. HEMMELIG-3"',
                                 goals="[dialog, tjenester]", focus="[styring]"),
        "c/kart.jpg": picture.getvalue(),
        "utkast.md": story_text(title="Utkast", draft="true"),
        "trukket.md": "---\nconsent: Saksnr. 2026/9\nwithdrawn: 2026-01-01\n---\n",
    })


@pytest.fixture(scope="module")
def site(project):
    built = build(project)
    assert built.error is None, built.errors()
    return built


def _read(site, name: str) -> bytes:
    return (site.site_dir / "data" / name).read_bytes()


def test_json_has_one_object_per_published_story_with_every_public_field(site):
    records = json.loads(_read(site, "historier.json"))
    assert [r["slug"] for r in records] == ["b", "a", "c"]
    a = records[1]
    assert a == {
        "slug": "a", "language": "nb", "url": SITE + "historier/a/", "title": 'Kafé, «kaffe» og "kake"',
        "description": "En kort ingress om historien.", "date": "2016-01-01",
        "authors": ["Kari Nordmann", "Ola Nordmann"], "values": ["mangfold", "raushet"], "place": "Jar",
        "focus": ["medvirkning", "identitet"], "partners": ["innbyggere", "frivillige"], "goals": ["dialog"],
        "featured": True, "image_url": None, "image_alt": None, "image_credit": None,
        "body": "Første avsnitt med «sitat», komma og \"anførsel\".\n\nAndre avsnitt.",
    }
    b = records[0]
    assert b["image_url"].startswith(SITE + "historier/b/b-") and b["image_url"].endswith("-1200.jpg")
    assert (site.site_dir / b["image_url"][len(SITE):]).is_file()
    assert (b["image_alt"], b["image_credit"]) == ("En blå flate", "Foto: Ola")


def test_csv_holds_the_same_rows_with_lists_joined_by_semicolons(site):
    raw = _read(site, "historier.csv")
    assert raw.count(b"\r\n") >= 3 and not raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8"), newline="")))
    records = json.loads(_read(site, "historier.json"))
    assert len(rows) == len(records) == 3
    for row, record in zip(rows, records, strict=True):
        for key, value in record.items():
            expected = ";".join(value) if isinstance(value, list) else (
                "" if value is None else "true" if value is True else "false" if value is False else value)
            assert row[key] == expected, key


def test_drafts_withdrawn_stories_and_consent_are_in_no_data_file(site):
    for name in ("historier.json", "historier.csv", "datapackage.json"):
        data = _read(site, name).decode("utf-8")
        for needle in ("Utkast", "Trukket tilbake", "HEMMELIG", "consent", "minors"):
            assert needle not in data, (name, needle)


def test_data_package_is_valid_and_the_csv_matches_its_schema(site):
    from frictionless import Package

    package = Package(str(site.site_dir / "data" / "datapackage.json"))
    report = package.validate()
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    descriptor = json.loads(_read(site, "datapackage.json"))
    assert descriptor["licenses"][0]["name"] == "NLOD-2.0"
    fields = {f["name"]: f for f in descriptor["resources"][0]["schema"]["fields"]}
    assert fields["date"]["type"] == "date" and fields["featured"]["type"] == "boolean"
    assert "image_credit" in fields["image_url"]["description"]  # pictures are not under NLOD
    assert all(f["description"] for f in fields.values())


def test_the_data_package_catches_a_broken_row(site, tmp_path):
    """The validation above can fail: a row with an impossible date and no slug is reported."""
    from frictionless import Package

    folder = tmp_path / "data"
    folder.mkdir()
    for name in ("historier.json", "datapackage.json"):
        (folder / name).write_bytes(_read(site, name))
    broken = _read(site, "historier.csv").decode("utf-8").replace("2016-01-01", "2016-02-30").replace("\r\na,", "\r\n,")
    (folder / "historier.csv").write_text(broken, encoding="utf-8", newline="")
    report = Package(str(folder / "datapackage.json")).validate()
    assert not report.valid
    assert {error[2] for error in report.flatten(["rowNumber", "fieldName", "type"])} >= {"type-error", "constraint-error"}


def test_two_builds_of_the_same_stories_give_the_same_bytes(site, project, tmp_path):
    import shutil

    first = {name: _read(site, name) for name in ("historier.json", "historier.csv", "datapackage.json")}
    copy = tmp_path / "kopi"
    shutil.copytree(project, copy, ignore=shutil.ignore_patterns("site", ".cache"))
    again = build(copy)  # another folder, another time: nothing may depend on either
    assert again.error is None, again.errors()
    assert again.site_dir != site.site_dir
    for name, data in first.items():
        assert _read(again, name) == data, name


def test_the_data_page_explains_the_files_and_links_them(site):
    page = site.article("data/")
    assert page.h1.get_text(strip=True) == "Åpne data"
    links = {a.get_text(strip=True): a["href"] for a in page.select("a")}
    for name in ("historier.json", "historier.csv", "datapackage.json"):
        assert (site.path("data/").parent / links[name]).resolve().is_file(), name
    assert "NLOD" in page.get_text() and "image_credit" in page.get_text()
    assert "Kartverket (CC BY 4.0, © Kartverket)" in " ".join(page.get_text().split())


def test_text_a_spreadsheet_would_run_as_a_formula_is_defused_in_every_cell_and_list_entry(tmp_path):
    project = make_project(tmp_path, {"f.md": story_text(
        "-1 grad i dag.\n", title='"=HYPERLINK(\\"https://evil.example\\")"',
        description='"  +Ingressen begynner med pluss."', authors='[Kari, "=HYPERLINK(\\"https://evil.example\\")", "@Ola"]')})
    site = build(project)
    assert site.error is None, site.errors()
    row = next(csv.DictReader(io.StringIO(_read(site, "historier.csv").decode("utf-8"), newline="")))
    assert row["title"] == "'=HYPERLINK(\"https://evil.example\")"
    assert row["description"].startswith("'") and row["body"] == "'-1 grad i dag."
    # a spreadsheet splits the list on «;»: no entry may start a formula
    assert row["authors"].split(";") == ["Kari", "'=HYPERLINK(\"https://evil.example\")", "'@Ola"]
    record = json.loads(_read(site, "historier.json"))[0]
    assert record["title"] == '=HYPERLINK("https://evil.example")'
    assert record["authors"] == ["Kari", '=HYPERLINK("https://evil.example")', "@Ola"]


def _visible(element) -> str:
    return " ".join(element.get_text("").split())


def test_every_text_in_the_open_data_is_on_the_story_page_as_a_reader_sees_it(site):
    """The open data publishes what the page shows, never the source: each text of each record (each
    line of the body) is in the page's visible text, alt text among its pictures' alt text, and each
    key names a page the story links to."""
    records = json.loads(_read(site, "historier.json"))
    for record in records:
        page = site.article(record["url"][len(SITE):])
        visible = _visible(page)
        for key in ("title", "description", "place", "image_credit"):
            if record[key] is not None:
                assert " ".join(record[key].split()) in visible, (record["slug"], key, record[key])
        for name in record["authors"]:
            assert name in visible, (record["slug"], name)
        for value in record["values"]:
            assert value.lower() in visible.lower(), (record["slug"], value)
        addresses = [a["href"] for a in page.select("a[href]")]
        for key in ("focus", "partners", "goals"):
            for code in record[key]:
                assert any(f"/{code}/" in address for address in addresses), (record["slug"], key, code)
        if record["image_alt"] is not None:
            assert record["image_alt"] in [img.get("alt") for img in page.select("img")]
        body = page.select_one(".story__body")
        assert record["body"]
        for line in record["body"].split("\n"):
            assert " ".join(line.split()) in _visible(body), (record["slug"], line)


def test_the_body_in_the_open_data_is_the_text_of_the_page_not_its_source(site):
    rich = next(r for r in json.loads(_read(site, "historier.json")) if r["slug"] == "c")
    text = rich["body"]
    assert text.startswith("Overskrift med & og fet\n\nEt avsnitt med kursiv, fet, kode, en lenke og en myk "
                           "linjeskift,\nog et hardt linjeskift.")
    assert "Tegn som <, > og «» står som de er." in text
    assert "kode   med   mellomrom" in text and "Skjult bak et klikk" in text
    for source in ("**", "](", "https://ok.example", "[r]:", "<b>", "&amp;", "kart.jpg", "Et kart over", "```"):
        assert source not in text, source
    row = next(r for r in csv.DictReader(io.StringIO(_read(site, "historier.csv").decode("utf-8"), newline=""))
               if r["slug"] == "c")
    assert row["body"] == text


def test_the_data_package_names_the_map_data_and_its_licence(site):
    descriptor = json.loads(_read(site, "datapackage.json"))
    assert descriptor["sources"][0]["title"] == "Kartverket, kommunegrenser, CC BY 4.0, © Kartverket"
