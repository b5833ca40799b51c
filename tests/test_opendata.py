"""Open data: the stories as JSON, CSV and a Frictionless Data Package, validated against its own schema."""

from __future__ import annotations

import csv
import io
import json

import pytest
from conftest import build, make_project, story_text
from PIL import Image

SITE = "https://example.invalid/"


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
        "utkast.md": story_text(title="Utkast", draft="true"),
        "trukket.md": story_text(title="Trukket tilbake", withdrawn="2026-01-01"),
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
    assert [r["slug"] for r in records] == ["b", "a"]
    a = records[1]
    assert a == {
        "slug": "a", "url": SITE + "historier/a/", "title": 'Kafé, «kaffe» og "kake"',
        "description": "En kort ingress om historien.", "date": "2016-01-01",
        "authors": ["Kari Nordmann", "Ola Nordmann"], "values": ["mangfold", "raushet"], "place": "Jar",
        "focus": ["medvirkning", "identitet"], "partners": ["innbyggere", "frivillige"], "goals": ["dialog"],
        "featured": True, "image_url": None, "image_alt": None, "image_credit": None,
        "body": "Første avsnitt med «sitat», komma og \"anførsel\".\n\nAndre avsnitt.\n",
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
    assert len(rows) == len(records) == 2
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


def test_text_a_spreadsheet_would_run_as_a_formula_is_defused_in_the_csv(tmp_path):
    project = make_project(tmp_path, {"f.md": story_text(title='"=HYPERLINK(\\"https://evil.example\\")"',
                                                         authors='"@Ola"')})
    site = build(project)
    assert site.error is None, site.errors()
    row = next(csv.DictReader(io.StringIO(_read(site, "historier.csv").decode("utf-8"), newline="")))
    assert row["title"] == "'=HYPERLINK(\"https://evil.example\")" and row["authors"] == "'@Ola"
    assert json.loads(_read(site, "historier.json"))[0]["title"] == '=HYPERLINK("https://evil.example")'
