"""The retry budget of a use case (issue 18, item 8): bounded, jittered, doubling; and Core.run
tries exactly ATTEMPTS times before it gives up Busy."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any, cast

import pytest
from eventsourcing.persistence import IntegrityError, OperationalError

from ledger.app import core
from ledger.app.core import ATTEMPTS, BACKOFF_CAP, BACKOFF_FIRST, Core, backoff, budget
from ledger.errors import Busy


def test_each_wait_lies_between_half_and_all_of_its_doubling_ceiling() -> None:
    for number in range(ATTEMPTS):
        ceiling = min(BACKOFF_CAP, BACKOFF_FIRST * 2**number)
        assert backoff(number, lambda low, high: low) == pytest.approx(ceiling / 2)
        assert backoff(number, lambda low, high: high) == pytest.approx(ceiling)
        assert ceiling / 2 <= backoff(number) <= ceiling


def test_the_waits_are_jittered_so_colliding_writers_spread_out() -> None:
    assert len({backoff(3) for _ in range(20)}) > 1


def test_the_whole_budget_is_bounded_and_longer_than_before() -> None:
    assert ATTEMPTS == 12
    assert budget() == pytest.approx(sum(min(BACKOFF_CAP, BACKOFF_FIRST * 2**n) for n in range(ATTEMPTS - 1)))
    assert 1.55 < budget() < 7  # the old budget: 6 tries, 1.55 s of waits


def fake_core() -> Any:
    return SimpleNamespace(retries=0, gave_up=0, most_retries=0)


def test_run_retries_conflicts_and_busy_databases_then_succeeds(monkeypatch: pytest.MonkeyPatch) -> None:
    waits: list[float] = []
    monkeypatch.setattr(core.time, "sleep", waits.append)
    failures: list[Exception] = [IntegrityError("conflict"), OperationalError("database is locked")]

    def attempt() -> str:
        if failures:
            raise failures.pop(0)
        return "done"

    state = fake_core()
    assert Core.run(cast(Core, state), attempt) == "done"
    assert (state.retries, state.gave_up, state.most_retries, len(waits)) == (2, 0, 2, 2)


def test_run_gives_up_busy_after_every_try(monkeypatch: pytest.MonkeyPatch) -> None:
    waits: list[float] = []
    monkeypatch.setattr(core.time, "sleep", waits.append)
    tries = 0

    def attempt() -> None:
        nonlocal tries
        tries += 1
        raise IntegrityError("conflict")

    state = fake_core()
    with pytest.raises(Busy, match="nothing was written"):
        Core.run(cast(Core, state), attempt)
    assert (tries, state.retries, state.gave_up, len(waits)) == (ATTEMPTS, ATTEMPTS - 1, 1, ATTEMPTS - 1)
    assert sum(waits) <= budget()
