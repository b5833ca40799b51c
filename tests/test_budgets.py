"""Bounded work per story, proven: the worst body we can make for each limit is checked in seconds.

Each shape of ``bench/budgets.py`` (a body as long as a story may be, built to make one part of
reading it as slow or as large as it can) is checked with ``python -m hooks.storysite check`` in a
process of its own. Linear work takes well under a second; the copies an HTML parser makes of
formatting elements left open took minutes and gigabytes for a fraction of this length. The limits
(10 s, 500 MB) leave headroom for a loaded machine and still tell the two apart.
"""

from __future__ import annotations

import sys

import pytest
from conftest import ROOT, make_project

sys.path.insert(0, str(ROOT / "bench"))

import budgets

REFUSED = {  # shape: the start of the problem `check` prints for it
    "misnested-attributes": "stories/historie.md:9: tekst: mer enn 8 formateringer (som <b>, <i> og <a>) er åpne",
    "misnested": "stories/historie.md:9: tekst: mer enn 8 formateringer (som <b>, <i> og <a>) er åpne inni hverandre.",
    "open-in-list": "stories/historie.md:9: tekst: HTML-taggen <b> er ikke lukket før avsnittet",
    "misnested-order": "stories/historie.md:9: tekst: HTML-taggene <b> og <i> er lukket i feil rekkefølge.",
    "nested-divs": "stories/historie.md:9: tekst: HTML-elementene ligger mer enn 100 nivåer inni hverandre.",
    "nested-spans": "stories/historie.md:9: tekst: HTML-elementene ligger mer enn 100 nivåer inni hverandre.",
    "unused-references": "stories/historie.md:9: tekst: skjult tekst: 1007 lenkedefinisjoner brukes ikke av noen lenke",
    "attributes": "stories/historie.md:9: tekst: HTML-taggen <b> har 9000 attributter; grensen er 10.",
    "html-links": "stories/historie.md: tekst: teksten har 1 363 HTML-tagger; grensen er 1 000.",
    "table-fill": "stories/historie.md: tekst: teksten blir ",
    "comments": "stories/historie.md:9: tekst: skjult tekst: en HTML-kommentar",
    "line-search": "stories/historie.md:9: tekst: lenken «aaaaaaaa",
}


@pytest.mark.parametrize("shape", list(budgets.SHAPES))
def test_the_worst_body_of_each_shape_is_checked_within_time_and_memory(tmp_path, shape):
    what, make = budgets.SHAPES[shape]
    body = make()
    assert len(body) <= budgets.MAX_CHARACTERS
    project = make_project(tmp_path, {})
    (project / "stories" / "historie.md").write_text(budgets.FRONT_MATTER + body, encoding="utf-8")
    result = budgets.measure(project)
    assert result["seconds"] < budgets.TIME_LIMIT, f"{shape} ({what}): {result['seconds']:.1f} s"
    assert result["peak_mb"] < budgets.MEMORY_LIMIT, f"{shape} ({what}): {result['peak_mb']:.0f} MB"
    assert "Traceback" not in result["output"], result["output"][-2000:]
    if shape in REFUSED:
        assert result["code"] == 1
        problems = [line.strip() for line in result["output"].splitlines() if line.startswith("  stories/")]
        assert any(line.startswith(REFUSED[shape]) for line in problems), problems
        assert len(problems) <= 21, "one problem for each kind, and at most 20 for a body"
    else:
        assert result["code"] == 0, result["output"][-2000:]


def test_the_measurement_itself_sees_a_slow_and_large_check(tmp_path):
    """The launcher measures the child: a check made to sleep and allocate shows both."""
    project = make_project(tmp_path, {"historie.md": budgets.FRONT_MATTER + "Hei.\n"})
    (project / "hooks" / "storysite" / "__main__.py").write_text(
        "import time\nballast = bytearray(300 * 1024 * 1024)\nballast[::4096] = b'x' * (len(ballast) // 4096)\n"
        "time.sleep(1.5)\n", encoding="utf-8")
    result = budgets.measure(project)
    assert result["seconds"] > 1.5 and result["peak_mb"] > 300, result
