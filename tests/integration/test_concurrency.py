"""Several OS processes write to one ledger at once: nothing lost, nothing doubled, chain intact.

Each worker is a fresh interpreter (multiprocessing's 'spawn' context) with its own
``LedgerApp`` on the same URL; a barrier releases them together so their writes interleave.

The write tests open their apps one process at a time (``opening`` lock) so that they test
writing; opening at once is its own test, ``test_processes_opening_the_ledger_at_once``.
"""

from __future__ import annotations

import time
from collections import Counter
from decimal import Decimal
from typing import Any

from ledger.app import LedgerApp
from ledger.app.returns import ReturnInput
from ledger.domain.indicator import ProForma
from ledger.domain.returns import PeriodReturn
from ledger.errors import Invalid
from ledger.store.url import parse_store_url
from ledger.values import Frequency, Period, Polarity, Role, Unit
from tests.integration.concurrently import START_TIMEOUT, run_together, whole_log

PER_PROCESS = 40

MONTHLY = ProForma("Households in temporary accommodation", Unit.COUNT, Polarity.LOWER,
                   Frequency.MONTHLY)


def months(first: Period, count: int) -> list[Period]:
    found = [first]
    while len(found) < count:
        found.append(found[-1].next())
    return found


# --- the workers (module level, so a spawned interpreter can import them) -------------------
def submit_worker(url: str, name: str, jobs: list[tuple[str, str, str]], barrier: Any,
                  opening: Any, results: Any) -> None:
    """Submit every (indicator, period, value) in ``jobs``; report each outcome and when."""
    outcomes: list[str] = []
    started = finished = 0.0
    try:
        with opening:
            app = LedgerApp(parse_store_url(url))
        try:
            barrier.wait(timeout=START_TIMEOUT)
            started = time.monotonic()
            for code, period, value in jobs:
                item = ReturnInput(code, Period.parse(period), Decimal(value))
                try:
                    outcomes.append(app.returns.submit("bob", item))
                except Exception as exc:  # reported to the parent, which fails the test
                    outcomes.append(f"error {type(exc).__name__}: {exc}")
            finished = time.monotonic()
        finally:
            app.close()
    except Exception as exc:
        barrier.abort()  # release the others at once rather than after their timeout
        outcomes.append(f"worker failed {type(exc).__name__}: {exc}")
    results.put((name, (outcomes, started, finished)))


def register_worker(url: str, name: str, codes: list[str], barrier: Any, opening: Any,
                    results: Any) -> None:
    """For each code in turn, wait for the others, then all try to register it at once."""
    outcomes: list[tuple[str, str, str]] = []
    try:
        with opening:
            app = LedgerApp(parse_store_url(url))
        try:
            for code in codes:
                barrier.wait(timeout=START_TIMEOUT)
                try:
                    app.indicators.register("alice", code, MONTHLY)
                    outcomes.append((code, "ok", ""))
                except Invalid as exc:
                    outcomes.append((code, "invalid", str(exc)))
                except Exception as exc:
                    outcomes.append((code, "error", f"{type(exc).__name__}: {exc}"))
        finally:
            app.close()
    except Exception as exc:
        barrier.abort()
        outcomes.append(("", "worker failed", f"{type(exc).__name__}: {exc}"))
    results.put((name, outcomes))


def open_worker(url: str, name: str, times: int, barrier: Any, opening: Any,
                results: Any) -> None:
    """Open (and close) a LedgerApp ``times`` times, starting with the others; report failures."""
    failures: list[str] = []
    try:
        barrier.wait(timeout=START_TIMEOUT)
        for _ in range(times):
            try:
                LedgerApp(parse_store_url(url)).close()
            except Exception as exc:
                failures.append(f"{type(exc).__module__}.{type(exc).__name__}: {exc}")
    except Exception as exc:
        barrier.abort()
        failures.append(f"worker failed {type(exc).__name__}: {exc}")
    results.put((name, failures))


# --- tests -------------------------------------------------------------------------------
def test_three_processes_submitting_at_once_lose_and_double_nothing(
    app: LedgerApp, store_url: str
):
    app.people.add("alice", "bob", [Role.PERFORMANCE_SUPPORT], None)
    app.indicators.register("alice", "NI 1", MONTHLY)
    app.indicators.register("alice", "NI 2", MONTHLY)
    setup = app.audit.digest()
    assert setup.size == 6

    first = Period.month(2005, 4)
    early, late = months(first, PER_PROCESS), months(first, 2 * PER_PROCESS)[PER_PROCESS:]
    work = {
        # A and C share an indicator (different periods); B has its own
        "A": [("NI 1", str(p), str(1000 + i)) for i, p in enumerate(early)],
        "B": [("NI 2", str(p), str(2000 + i)) for i, p in enumerate(early)],
        "C": [("NI 1", str(p), str(3000 + i)) for i, p in enumerate(late)],
    }
    reported = run_together(submit_worker, store_url, work)

    for name, (outcomes, _, _) in reported.items():
        problems = [o for o in outcomes if o != "new"]
        assert not problems, f"process {name}: {problems[:5]}"
        assert len(outcomes) == PER_PROCESS, f"process {name} reported {len(outcomes)} outcomes"
    # they really ran at once (time.monotonic is system-wide on Linux)
    starts = [started for _, started, _ in reported.values()]
    ends = [finished for _, _, finished in reported.values()]
    assert max(starts) < min(ends), f"the workers did not overlap: {reported}"

    submitted = sum(len(jobs) for jobs in work.values())
    expected_size = setup.size + submitted
    head = app.core.head()
    assert head is not None
    assert head.position == expected_size, (
        f"{head.position} events after {setup.size} + {submitted} submitted"
    )

    log = list(whole_log(app))
    assert [e.position for e in log] == list(range(1, expected_size + 1)), "positions not gapless"
    recorded = [e.recorded_at for e in log]
    assert recorded == sorted(recorded), "recorded_at goes backwards along the chain"
    returns = [e.event for e in log if type(e.event).__qualname__.endswith("Submitted")]
    keys = Counter((e.indicator, str(e.period)) for e in returns)
    duplicated = [k for k, n in keys.items() if n > 1]
    assert not duplicated, f"returns recorded twice: {duplicated[:5]}"
    expected_keys = {(code, period) for jobs in work.values() for code, period, _ in jobs}
    assert set(keys) == expected_keys

    for jobs in work.values():
        for code, period, value in jobs:
            found = app.core.load(PeriodReturn, code, Period.parse(period))
            assert found is not None, f"{code} {period} missing"
            assert found.value == Decimal(value)
            assert found.revision == 1

    verdict = app.audit.verify(setup)
    assert verdict.ok is True, verdict
    assert verdict.size == expected_size
    assert verdict.digest == app.audit.digest()


def test_two_processes_racing_to_register_the_same_code_one_wins(
    app: LedgerApp, store_url: str
):
    codes = [f"RACE {n}" for n in range(1, 9)]
    before = app.audit.digest().size
    reported = run_together(register_worker, store_url, {"A": codes, "B": codes})

    by_code: dict[str, list[tuple[str, str]]] = {code: [] for code in codes}
    for name, outcomes in reported.items():
        for code, result, message in outcomes:
            assert result in ("ok", "invalid"), f"process {name}, {code}: {result} {message}"
            by_code[code].append((result, message))
    for code, results in by_code.items():
        assert len(results) == 2, f"{code}: {results}"
        wins = [r for r in results if r[0] == "ok"]
        losses = [r for r in results if r[0] == "invalid"]
        assert len(wins) == 1, f"{code}: {results}"
        assert len(losses) == 1, f"{code}: {results}"
        assert "already registered" in losses[0][1]

    registered = Counter(
        e.event.code for e in whole_log(app)
        if type(e.event).__qualname__.endswith("Registered")
    )
    assert registered == Counter(dict.fromkeys(codes, 1))
    head = app.core.head()
    assert head is not None
    assert head.position == before + len(codes)
    verdict = app.audit.verify()
    assert verdict.ok is True, verdict
    assert verdict.size == before + len(codes)


def test_processes_opening_the_ledger_at_once(app: LedgerApp, store_url: str):
    """Every CLI command opens the ledger; two commands started together must both work."""
    reported = run_together(open_worker, store_url, {"A": 15, "B": 15, "C": 15})
    failures = [f"{name}: {f}" for name, found in reported.items() for f in found]
    assert not failures, (
        f"BUG: {len(failures)} of 45 LedgerApp opens started together failed, e.g. "
        f"{failures[0]!r}. ledger/store/url.py sets CREATE_TABLE=y, so every open runs the "
        "library's create statements, and PostgresApplicationRecorder always appends "
        "CREATE OR REPLACE FUNCTION <schema>.<insert_events> (eventsourcing/postgres.py, even with "
        "POSTGRES_ENABLE_DB_FUNCTIONS=n; ledger/store/postgres.py does not drop it): concurrent "
        "CREATE OR REPLACE FUNCTION on the same pg_proc row fails with 'tuple concurrently updated'"
    )
    assert app.audit.verify().ok is True
