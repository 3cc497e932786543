"""The load of the stress suite: a ledger set up for many writers, and the worker each OS process
runs (module level, so a spawned interpreter can import it).

Every worker drives the application in-process (no CLI start-up per command) as three people of
its own: an improvement manager (returns, adjustment requests), a data-quality officer (queries,
validations, decisions on the requests) and a performance-support officer (targets). The
commands are drawn from a seeded random mix over a few shared indicators and periods, so the
workers collide on the same aggregates. A refusal by a control is recorded as the CLI records it
(exactly one ``Refusal.Recorded`` event). Every event a worker writes is counted where it is saved
(``Core.save``), so the parent can hold the ledger's size to the sum of what the workers saved.
"""

from __future__ import annotations

import random
import time
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from ledger.app import LedgerApp
from ledger.app.adjustments import Restatement
from ledger.app.returns import ReturnInput
from ledger.domain.indicator import ProForma
from ledger.errors import Busy, Invalid, LedgerError, NotFound, Refused
from ledger.store.url import parse_store_url
from ledger.values import Frequency, Period, Polarity, Role, Target, Unit
from projections import queries
from projections.catchup.engine import make_engine
from projections.catchup.runner import catch_up
from tests.helpers import ret
from tests.integration.concurrently import START_TIMEOUT

INDICATORS = ("ST 1", "ST 2", "ST 3")
OPEN_YEARS = ("2023/24", "2024/25")  # ended before any clock this suite runs with
CLOSED_YEAR = "2022/23"
PERCENT = ProForma("Stress test share", Unit.PERCENT, Polarity.HIGHER, Frequency.QUARTERLY)

# The mix: (kind, weight). Reads are a fifth of the commands.
MIX = (
    ("submit", 30), ("target", 10), ("query", 8), ("resolve", 5), ("validate", 4),
    ("request", 10), ("approve", 8), ("reject", 2), ("self-approve", 2), ("read-views", 11),
    ("read-store", 10),
)
WRITES = {kind for kind, _ in MIX if not kind.startswith("read")}


def quarters(year: str) -> list[Period]:
    return [Period.parse(f"{year}-Q{n}") for n in (1, 2, 3, 4)]


def people(worker: int) -> tuple[str, str, str]:
    """The improvement manager, data-quality officer and performance-support officer of WORKER."""
    return f"im{worker}", f"dq{worker}", f"ps{worker}"


def set_up(url: str, workers: int) -> None:
    """alice (administrator), three people per worker, the indicators, and a closed year of returns."""
    app = LedgerApp(parse_store_url(url))
    try:
        app.people.initialise("alice", "alice", Decimal(5))
        for worker in range(workers):
            manager, officer, support = people(worker)
            app.people.add("alice", manager, [Role.IMPROVEMENT_MANAGER], None)
            app.people.add("alice", officer, [Role.DATA_QUALITY_OFFICER], None)
            app.people.add("alice", support, [Role.PERFORMANCE_SUPPORT], None)
        for code in INDICATORS:
            app.indicators.register("alice", code, PERCENT)
            for n, quarter in enumerate(quarters(CLOSED_YEAR)):
                app.returns.submit("alice", ret(code, str(quarter), f"{40 + n}.0"))
        app.targets.close_period("alice", Period.parse(CLOSED_YEAR), "reported to the board")
    finally:
        app.close()


@dataclass
class Report:
    """What one worker did: each command's kind and outcome, the events it saved, its retries."""

    name: str
    outcomes: Counter[tuple[str, str]] = field(default_factory=Counter)
    saved: int = 0
    saved_by_topic: Counter[str] = field(default_factory=Counter)
    retries: int = 0
    most_retries: int = 0  # the most tries one command repeated
    gave_up: int = 0
    errors: list[str] = field(default_factory=list)
    started: float = 0.0
    finished: float = 0.0


class Worker:
    def __init__(self, app: LedgerApp, number: int, seed: int, report: Report) -> None:
        self.app = app
        self.rng = random.Random(seed)
        self.manager, self.officer, self.support = people(number)
        self.report = report
        self.requests: list[str] = []  # this worker's adjustment requests, maybe still pending
        self.queries: list[str] = []  # queries this worker raised, maybe still open
        self.engine: Any = None
        self.kinds = [kind for kind, _ in MIX]
        self.weights = [weight for _, weight in MIX]

    def open_period(self) -> tuple[str, Period]:
        return self.rng.choice(INDICATORS), self.rng.choice(quarters(self.rng.choice(OPEN_YEARS)))

    def value(self) -> Decimal:
        return Decimal(self.rng.randint(300, 600)) / 10

    def run(self, commands: int) -> None:
        for n in range(commands):
            kind = self.rng.choices(self.kinds, self.weights)[0]
            try:
                outcome = getattr(self, kind.replace("-", "_"))(n)
            except Busy:
                outcome = "busy"
            except Refused as refusal:
                self.record_refusal(kind, refusal)
                outcome = "refused"
            except (Invalid, NotFound):
                outcome = "invalid"
            except LedgerError as error:
                outcome = "error"
                self.report.errors.append(f"{kind}: {type(error).__name__}: {error}")
            except Exception as error:  # reported to the parent, which fails the test
                outcome = "error"
                self.report.errors.append(f"{kind}: {type(error).__name__}: {error}")
            self.report.outcomes[(kind, outcome)] += 1

    def record_refusal(self, kind: str, refusal: Refused) -> None:
        """As the CLI does (commands/cli.py): exactly one event records the refused attempt."""
        if refusal.control is not None and getattr(refusal, "recorded", True):
            self.app.core.record_refusal(self.actor_of(kind), kind, [], refusal.control, str(refusal))

    def actor_of(self, kind: str) -> str:
        return {"submit": self.manager, "request": self.manager, "self-approve": self.manager,
                "target": self.support}.get(kind, self.officer)

    # --- the commands ----------------------------------------------------------------------
    def submit(self, n: int) -> str:
        code, period = self.open_period()
        item = ReturnInput(code, period, self.value(), reason=f"revised by {self.manager} (#{n})")
        return self.app.returns.submit(self.manager, item)

    def target(self, n: int) -> str:
        code, period = self.open_period()
        self.app.targets.set(self.support, code, period, Target(self.value()), None, f"agreed (#{n})")
        return "ok"

    def query(self, n: int) -> str:
        code, period = self.open_period()
        self.queries.append(self.app.quality.raise_query(self.officer, code, period, f"is it right? (#{n})"))
        return "ok"

    def resolve(self, n: int) -> str:
        if not self.queries:
            return "nothing"
        key = self.queries.pop(0)
        outcome = self.rng.choice(("upheld", "not-upheld"))
        self.app.quality.resolve_query(self.officer, key, outcome, f"checked (#{n})")
        return "ok"

    def validate(self, n: int) -> str:
        code, period = self.open_period()
        self.app.quality.validate(self.officer, code, period, f"checked against the source (#{n})")
        return "ok"

    def request(self, n: int) -> str:
        code = self.rng.choice(INDICATORS)
        period = self.rng.choice(quarters(CLOSED_YEAR))
        self.requests.append(self.app.adjustments.request(
            self.manager, code, [Restatement(period, self.value())], "error-correction",
            f"double counted (#{n})", f"source v{n}", None))
        return "ok"

    def approve(self, n: int) -> str:
        if not self.requests:
            return "nothing"
        self.app.adjustments.approve(self.officer, self.requests.pop(0), f"checked (#{n})")
        return "ok"

    def reject(self, n: int) -> str:
        if not self.requests:
            return "nothing"
        self.app.adjustments.reject(self.officer, self.requests.pop(), f"no evidence (#{n})")
        return "ok"

    def self_approve(self, n: int) -> str:
        """Refused: an improvement manager may not decide a request (control "permission")."""
        if not self.requests:
            return "nothing"
        self.app.adjustments.approve(self.manager, self.requests[0], None)
        return "ok"

    def read_views(self, n: int) -> str:
        """What a read command does: catch the views up (concurrently with the others), then query."""
        if self.engine is None:
            self.engine = make_engine(self.app.core.config)
        catch_up(self.engine, self.app.core)
        with self.engine.connect() as conn:
            position = queries.position_at(conn, None)
            queries.returns(conn, self.rng.choice(INDICATORS), position)
        return "ok"

    def read_store(self, n: int) -> str:
        self.app.audit.digest()
        self.app.returns.warnings_of(*self.open_period())
        return "ok"


def counting(app: LedgerApp, report: Report) -> None:
    """Count every event this process saves, where it is saved (``Core.save``)."""
    save = app.core.save

    def counted(*objs: Any, **kwargs: Any) -> Any:
        recordings = save(*objs, **kwargs)
        report.saved += len(recordings)
        report.saved_by_topic.update(r.notification.topic for r in recordings)
        return recordings

    app.core.save = counted  # type: ignore[method-assign]


def load_worker(url: str, name: str, job: tuple[int, int, int], barrier: Any, opening: Any,
                results: Any) -> None:
    """Run COMMANDS commands of the mix (seeded) as worker NUMBER; report what happened."""
    number, seed, commands = job
    report = Report(name)
    try:
        with opening:
            app = LedgerApp(parse_store_url(url))
        counting(app, report)
        worker = Worker(app, number, seed, report)
        try:
            barrier.wait(timeout=START_TIMEOUT)
            report.started = time.monotonic()
            worker.run(commands)
            report.finished = time.monotonic()
        finally:
            report.retries, report.gave_up = app.core.retries, app.core.gave_up
            report.most_retries = app.core.most_retries
            if worker.engine is not None:
                worker.engine.dispose()
            app.close()
    except Exception as exc:
        barrier.abort()
        report.errors.append(f"worker failed {type(exc).__name__}: {exc}")
    results.put((name, report))


HOT = ("ST 1", "2023/24-Q1")  # the one return every writer of the hot-spot test revises


def hot_worker(url: str, name: str, job: tuple[int, int], barrier: Any, opening: Any, results: Any) -> None:
    """Revise the one hot return REVISIONS times as worker NUMBER: every write races the others
    (each with a figure no other revision gives, so none "changes nothing")."""
    number, revisions = job
    report = Report(name)
    try:
        with opening:
            app = LedgerApp(parse_store_url(url))
        counting(app, report)
        manager = people(number)[0]
        try:
            barrier.wait(timeout=START_TIMEOUT)
            report.started = time.monotonic()
            for n in range(revisions):
                item = ReturnInput(HOT[0], Period.parse(HOT[1]), Decimal(1 + number * 1000 + n) / 100,
                                   reason=f"revised by {manager} (#{n})")
                try:
                    report.outcomes[("submit", app.returns.submit(manager, item))] += 1
                except Busy:
                    report.outcomes[("submit", "busy")] += 1
            report.finished = time.monotonic()
        finally:
            report.retries, report.gave_up = app.core.retries, app.core.gave_up
            report.most_retries = app.core.most_retries
            app.close()
    except Exception as exc:
        barrier.abort()
        report.errors.append(f"worker failed {type(exc).__name__}: {exc}")
    results.put((name, report))
