"""The habits the project keeps: ruff and mypy clean (settings in pyproject.toml)."""

from __future__ import annotations

import subprocess
import sys

from conftest import ROOT


def _run(*command: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", *command], cwd=ROOT, capture_output=True, text=True, check=False)


def test_ruff_finds_nothing():
    result = _run("ruff", "check", "--no-cache", ".")
    assert result.returncode == 0, result.stdout + result.stderr


def test_mypy_finds_nothing_in_the_hooks():
    result = _run("mypy", "--no-incremental", "--cache-dir=/dev/null")
    assert result.returncode == 0, result.stdout + result.stderr
