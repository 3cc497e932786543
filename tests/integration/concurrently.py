"""Running ledger workers in separate OS processes at once (multiprocessing's 'spawn'), for the
concurrency tests, and reading a whole log back in small pages."""

from __future__ import annotations

import multiprocessing
import queue
from collections.abc import Iterator
from typing import Any

import pytest

from ledger.app import LedgerApp

SPAWN = multiprocessing.get_context("spawn")
START_TIMEOUT = 60.0  # spawning and importing can be slow on a loaded machine
RUN_TIMEOUT = 120.0


def run_together(target: Any, url: str, work: dict[str, Any]) -> dict[str, Any]:
    """Start one process per entry of ``work``, released together; collect what each reports."""
    barrier = SPAWN.Barrier(len(work))
    opening = SPAWN.Lock()
    results = SPAWN.Queue()
    processes = [
        SPAWN.Process(target=target, args=(url, name, jobs, barrier, opening, results), name=name)
        for name, jobs in work.items()
    ]
    for process in processes:
        process.start()
    reported: dict[str, Any] = {}
    try:
        for _ in processes:
            try:
                name, outcomes = results.get(timeout=START_TIMEOUT + RUN_TIMEOUT)
            except queue.Empty:
                pytest.fail(f"workers did not report in time; got only {sorted(reported)}")
            reported[name] = outcomes
        for process in processes:
            process.join(timeout=30)
            assert process.exitcode == 0, f"{process.name} exited with {process.exitcode}"
    finally:
        for process in processes:
            if process.is_alive():
                process.kill()
                process.join(timeout=5)
    return reported


def whole_log(app: LedgerApp) -> Iterator[Any]:
    after = 0
    while page := app.core.read_log(after, 50):  # small pages: exercise the paging too
        yield from page
        after = page[-1].position
