"""The proven exit: ProperDocs (the maintained MkDocs 1.x fork) builds the same site as MkDocs."""

from __future__ import annotations

import os
import re
import subprocess
import sys

from conftest import make_project, story_text
from PIL import Image

GENERATOR = re.compile(rb'<meta name="generator" content="[^"]*">')


def _build(project, command: list[str], out: str) -> dict[str, bytes]:
    result = subprocess.run([*command, "build", "--strict", "-d", out], cwd=project, capture_output=True,
                            text=True, check=False, env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
    assert result.returncode == 0, result.stderr
    site = project / out
    return {p.relative_to(site).as_posix(): GENERATOR.sub(b"", p.read_bytes())
            for p in sorted(site.rglob("*")) if p.is_file()}


def test_properdocs_builds_the_same_site_as_mkdocs_apart_from_the_generator_tag(tmp_path):
    picture = tmp_path / "p.jpg"
    Image.new("RGB", (1600, 1000), "teal").save(picture)
    project = make_project(tmp_path, {
        "a.md": story_text(title="En historie", tags="[raushet, mangfold]", place="Sandvika", focus="identitet"),
        "b/index.md": story_text("## Mellomtittel\n\nTekst.\n", title="Med bilde", image="p.jpg", image_alt="Flate",
                                 image_credit="Ola", date="2021-02-03"),
        "b/p.jpg": picture.read_bytes(),
    })
    with_mkdocs = _build(project, [sys.executable, "-m", "mkdocs"], "med-mkdocs")
    with_properdocs = _build(project, [sys.executable, "-m", "properdocs"], "med-properdocs")
    assert set(with_mkdocs) == set(with_properdocs)
    assert "historier/b/index.html" in with_mkdocs
    different = [name for name in with_mkdocs if with_mkdocs[name] != with_properdocs[name]]
    assert different == []
