"""The set-up an editor follows: README and guide give every command for macOS/Linux and for Windows
PowerShell side by side, with a virtual environment, and CI runs the README's test command exactly."""

from __future__ import annotations

import re

from conftest import ROOT

BLOCK = re.compile(r"^( *)```(\w+)\n(.*?)^\1```$", re.DOTALL | re.MULTILINE)
# What Windows PowerShell 5.1 refuses or reads differently: `VAR=1 command`, `&&`, `export`, sourcing.
BASH_ONLY = (re.compile(r"(^|;\s*)[A-Z_]+=\S+ "), re.compile(r"&&"), re.compile(r"^export "),
             re.compile(r"^\. |^source "), re.compile(r"\.venv/bin"))


def blocks(path) -> list[tuple[str, list[str]]]:
    """The code blocks of a Markdown file: (language, command lines without comments)."""
    text = path.read_text(encoding="utf-8")
    return [(language, [line.strip() for line in body.splitlines() if line.strip() and not line.strip().startswith("#")])
            for _, language, body in BLOCK.findall(text)]


def readme_setup() -> dict[str, list[str]]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    setup = text[text.index("## Set-up"):text.index("### Commands for editors")]
    found = {language: [line for line in body.splitlines() if line and not line.startswith("#")]
             for _, language, body in BLOCK.findall(setup) if language in ("sh", "powershell")}
    found["sh"] = [line for line in BLOCK.findall(setup)[0][2].splitlines() if line and not line.startswith("#")]
    return found


def test_readme_setup_is_two_commands_for_each_system_with_a_virtual_environment():
    setup = readme_setup()
    assert len(setup["sh"]) == 2 and len(setup["powershell"]) == 2, setup
    site, tests = setup["sh"]
    assert site.startswith("python3 -m venv .venv && . .venv/bin/activate && pip install -r requirements.txt")
    assert site.endswith("mkdocs serve") and tests.endswith("python -m pytest")
    site, tests = setup["powershell"]
    assert site.startswith(r"py -m venv .venv; .venv\Scripts\Activate.ps1; pip install -r requirements.txt;")
    assert site.endswith("$env:NO_MKDOCS_2_WARNING=1; mkdocs serve")
    assert tests == r".venv\Scripts\Activate.ps1; pip install -r requirements-test.txt; python -m pytest"


def test_ci_runs_the_readmes_test_command_exactly():
    test_command = readme_setup()["sh"][1]
    ci = [line for line in (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
          if line and not line.startswith("#")]
    assert ci[-1] == test_command


def test_powershell_commands_use_no_bash_only_syntax():
    for name in ("README.md", "CONTRIBUTING.md"):
        commands = [line for language, lines in blocks(ROOT / name) if language == "powershell" for line in lines]
        assert commands, name
        for line in commands:
            for pattern in BASH_ONLY:
                assert not pattern.search(line), f"{name}: {line}"


def test_every_command_in_the_guide_is_given_for_both_systems_side_by_side():
    found = [(language, lines) for language, lines in blocks(ROOT / "CONTRIBUTING.md") if language in ("sh", "powershell")]
    pairs = 0
    for index, (language, lines) in enumerate(found):
        if language == "sh":
            after, windows = found[index + 1]
            assert after == "powershell" and windows, (lines, windows)
            pairs += 1
        elif found[index - 1][0] != "sh":  # PowerShell alone: only what Windows alone needs
            assert lines == ["Set-ExecutionPolicy -Scope CurrentUser RemoteSigned"], lines
    assert pairs >= 9
    commands = {line for _, lines in found for line in lines}
    for expected in ("python3 -m venv .venv", ". .venv/bin/activate", "py -m venv .venv", r".venv\Scripts\Activate.ps1",
                     "NO_MKDOCS_2_WARNING=1 mkdocs serve", "$env:NO_MKDOCS_2_WARNING=1", "mkdocs serve"):
        assert expected in commands, expected


def test_the_guide_says_the_preview_runs_until_ctrl_c():
    text = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
    assert "`mkdocs serve` blir stående og kjøre til du stopper den." in text
    assert "Ctrl+C" in text and "127.0.0.1" not in text
