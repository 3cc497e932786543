"""Fixtures of the e2e tests: ledgers cloned from templates built once per session."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import ExitStack
from pathlib import Path

import pytest

from tests.conftest import Templates
from tests.e2e.harness import Perfledger

Builder = Callable[[str], Perfledger]


@pytest.fixture
def clone_of(backend: str, templates: Templates, tmp_path: Path) -> Iterator[Callable[[Builder], Perfledger]]:
    """``clone_of(build)``: the ledger BUILD makes (through the CLI, from an empty URL), built once
    per session and backend and cloned for this test."""
    with ExitStack() as stack:
        def clone(build: Builder) -> Perfledger:
            name = f"{build.__module__}.{build.__qualname__}"
            return Perfledger(stack.enter_context(templates.clone(backend, name, build, tmp_path)))

        yield clone


def demo_ledger(url: str) -> Perfledger:
    """The demo, built at URL (for tests that write to it: they clone it)."""
    from click.testing import CliRunner

    from commands.cli import cli

    result = CliRunner().invoke(cli, ["--actor", "demo-user", "demo", "--db", url])
    assert result.exit_code == 0, result.stderr
    return Perfledger(url)


@pytest.fixture
def clone_demo(clone_of: Callable[[Builder], Perfledger]) -> Callable[[], Perfledger]:
    """``clone_demo()``: a copy of the demo ledger of this test's own, to write to."""
    return lambda: clone_of(demo_ledger)
