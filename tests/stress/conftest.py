"""Fixtures of the stress suite (each module is marked ``stress``): the figures each test
measures (processes, commands, events, throughput, retries, kill points, time) are printed in a
"stress figures" section at the end of the run."""

from __future__ import annotations

from collections.abc import Callable

import pytest

FIGURES = pytest.StashKey[list[str]]()
Figures = Callable[[str], None]


@pytest.fixture
def figures(request: pytest.FixtureRequest) -> Figures:
    """``figures(line)``: a measured figure, printed with the test's name at the end of the run."""
    kept = request.config.stash.setdefault(FIGURES, [])
    name = request.node.name

    def note(line: str) -> None:
        kept.append(f"{name}: {line}")

    return note


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter, config: pytest.Config) -> None:
    kept = config.stash.get(FIGURES, [])
    if kept:
        terminalreporter.section("stress figures")
        for line in kept:
            terminalreporter.write_line(line)
