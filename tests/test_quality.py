"""The packages and the tests stay ruff- and mypy-clean (the packages strictly; the brief's
standard), checked on every CI run."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ["ledger", "projections", "commands", "policies"]


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", *args], cwd=ROOT, capture_output=True, text=True,
                          check=False)


def test_ruff_finds_nothing() -> None:
    result = run("ruff", "check", *PACKAGES, "bench", "tests")
    assert result.returncode == 0, result.stdout + result.stderr


def test_mypy_strict_finds_nothing() -> None:
    result = run("mypy")
    assert result.returncode == 0, result.stdout + result.stderr


def test_mypy_finds_nothing_in_the_tests() -> None:
    """The tests are type-checked too (pyproject's override for tests.* says how strictly)."""
    result = run("mypy", "tests")
    assert result.returncode == 0, result.stdout + result.stderr
