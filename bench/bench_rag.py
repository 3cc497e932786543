"""perfledger benchmark: the as-at RAG report must not slow down as history grows.

    python bench/bench_rag.py [--indicators 500] [--years 10] [--quick]

Two SQLite ledgers in a temporary directory, 1x (YEARS financial years) and 4x (4 x YEARS),
both ending with 2024/25: INDICATORS quarterly indicators, a target per indicator per year,
every quarter's returns, and 10% of them revised. A simulated clock records each quarter's
returns 20 days after it ends, the revisions 60 days after it ends, and each year's targets
in the March before it starts. A fresh 'spawn' child then times the query itself,
build(conn, position_at(conn, when), when, period), as at just after the first year's
returns and as at the end. The median of RUNS runs counts, after one warm-up run.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from importlib.metadata import version
from multiprocessing import get_context
from pathlib import Path
from typing import Any

ACTOR = "bench"
LAST_YEAR = 2024  # both ledgers end with the financial year 2024/25
RUNS = 7
TARGET_MS, FLAT = 200.0, 1.25  # a ~60 ms median repeats within about 5%
Result = dict[str, Any]


class Clock:
    """The recording time of the next events: set it, and the ledger stamps with it."""

    def __init__(self) -> None:
        self.now = datetime(2000, 1, 1, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now

    def at(self, day: date, days: int = 0) -> None:
        self.now = datetime(day.year, day.month, day.day, 12, tzinfo=UTC) + timedelta(days=days)


def code(k: int) -> str:
    return f"BR {k:04d}"


def as_at_times(first: int, last: int) -> list[tuple[str, datetime, str]]:
    """(label, as-at time, report period): after the first year's returns, and at the end."""
    return [("early", datetime(first + 1, 6, 30, 12, tzinfo=UTC), f"{first}/{(first + 1) % 100:02d}-Q4"),
            ("latest", datetime(last + 1, 6, 30, 12, tzinfo=UTC), f"{last}/{(last + 1) % 100:02d}-Q4")]


# --- stages (each runs in its own child process) ----------------------------------
def stage_build(db: str, indicators: int, first: int, last: int) -> Result:
    from ledger.app import LedgerApp
    from ledger.app.returns import ReturnInput
    from ledger.domain.indicator import ProForma
    from ledger.store.url import parse_store_url
    from ledger.values import Frequency, Period, Polarity, Status, Target, Unit
    from projections.catchup.engine import make_engine
    from projections.catchup.runner import catch_up

    start = time.perf_counter()
    clock = Clock()
    config = parse_store_url(f"sqlite:///{db}")
    app = LedgerApp(config, clock=clock)
    clock.at(datetime(first, 1, 2))
    app.people.initialise(ACTOR, ACTOR, Decimal(5))
    for k in range(indicators):
        percent = k % 2 == 0  # percent, higher is better; else number, lower is better
        app.indicators.register(ACTOR, code(k), ProForma(
            title=f"Bench indicator {k}", unit=Unit.PERCENT if percent else Unit.NUMBER,
            polarity=Polarity.HIGHER if percent else Polarity.LOWER, frequency=Frequency.QUARTERLY,
            decimals=2 if percent else 1, tolerance=None if percent or k % 3 else Decimal(8)))

    def row(k: int, period: Any, bump: int, reason: str | None) -> ReturnInput:
        h = (k * 7919 + period.year * 104729 + period.index * 1299709) % 1000
        status = Status.FINAL if h % 3 else Status.PROVISIONAL
        if k % 2 == 0:  # value = numerator / 400 as a percentage
            numerator = Decimal(min(160 + h % 200 + bump, 400))
            return ReturnInput(code(k), period, numerator / 4, numerator, Decimal(400), status,
                               "On track; the action plan is being delivered.", "partner return", reason)
        return ReturnInput(code(k), period, Decimal(1000 + h) / 10 + bump, None, None, status,
                           "Below profile: a recovery plan was agreed.", "local system", reason)

    def load(items: list[ReturnInput]) -> None:
        app.imports.returns(ACTOR, lambda: ((n, item) for n, item in enumerate(items, start=2)))

    def targets(year: int) -> None:
        fy = Period.year_of(year)
        clock.at(fy.start, -20)  # in March, before the year starts
        if (year - first) % 10 == 5:  # a ledger-wide tolerance change now and then
            app.targets.rag_default(ACTOR, Decimal(5 + (year - first) // 10 % 3), fy, "annual review")
        for k in range(indicators):
            target = (Target(value=Decimal(70 + year % 5), monitoring_level=Decimal(60)) if k % 2 == 0
                      else Target(value=Decimal(150 - year % 5), tolerance=Decimal(10)))
            app.targets.set(ACTOR, code(k), fy, target, None, "the agreed annual target")

    returns = revisions = 0
    targets(first)
    for year in range(first, last + 1):
        for quarter in range(1, 5):
            period = Period.quarter(year, quarter)
            clock.at(period.end, 20)
            load([row(k, period, 0, None) for k in range(indicators)])
            clock.at(period.end, 60)
            revised = [row(k, period, 4, "partner corrected the figure") for k in range(indicators)
                       if (k + quarter) % 10 == 0]
            if revised:
                load(revised)
            returns, revisions = returns + indicators, revisions + len(revised)
            if quarter == 3 and year < last:
                targets(year + 1)
    built = time.perf_counter() - start
    applied = catch_up(make_engine(config), app.core)
    app.close()
    return {"events": applied, "returns": returns, "revisions": revisions, "build_s": built,
            "catchup_s": time.perf_counter() - start - built}


def stage_query(db: str, first: int, last: int) -> list[Result]:
    from ledger.store.url import parse_store_url
    from ledger.values import Period
    from projections.catchup.engine import make_engine
    from projections.queries import position_at
    from projections.reports.rag import build

    engine = make_engine(parse_store_url(f"sqlite:///{db}"))
    out: list[Result] = []
    with engine.connect() as conn:
        for label, when, period_text in as_at_times(first, last):
            period = Period.parse(period_text)
            times: list[float] = []
            lookups: list[float] = []
            report: dict[str, Any] = {}
            for _ in range(RUNS + 1):
                start = time.perf_counter()
                position = position_at(conn, when)
                found = time.perf_counter()
                report = build(conn, position, when, period)
                times.append((time.perf_counter() - start) * 1000)
                lookups.append((found - start) * 1000)
            ratings = Counter(str(r["rating"]) for r in report["rows"])
            out.append({"label": label, "when": when.date().isoformat(), "period": period_text,
                        "position": report["position"], "rows": len(report["rows"]),
                        "ratings": dict(sorted(ratings.items())), "first_ms": times[0],
                        "median_ms": statistics.median(times[1:]),
                        "position_ms": statistics.median(lookups[1:])})
    return out


# --- the driver ---------------------------------------------------------------------
def child(fn: Any, *args: Any) -> Any:
    """Run one stage in a fresh interpreter."""
    with ProcessPoolExecutor(1, mp_context=get_context("spawn")) as pool:
        return pool.submit(fn, *args).result()


def cli_time(db: str, first: int, last: int) -> tuple[float, int]:
    """Wall time of the whole `perfledger report rag --format json` command (process start included)."""
    _, when, period = as_at_times(first, last)[-1]
    exe = Path(sys.executable).with_name("perfledger")
    command = [str(exe), "--db", f"sqlite:///{db}", "--actor", ACTOR, "report", "rag", "--format", "json",
               "--as-at", when.isoformat().replace("+00:00", "Z"), "--period", period]
    start = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, check=True)
    seconds = time.perf_counter() - start
    return seconds, len(json.loads(done.stdout)["rows"])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--indicators", type=int, default=500, help="quarterly indicators")
    parser.add_argument("--years", type=int, default=10, help="years of history at 1x (4x has 4 times)")
    parser.add_argument("--quick", action="store_true", help="50 indicators, 2 and 8 years")
    args = parser.parse_args()
    indicators, years = (50, 2) if args.quick else (args.indicators, args.years)
    print(f"machine: {os.cpu_count()} cpu, {platform.machine()}, Python {platform.python_version()}, "
          f"SQLite {sqlite3.sqlite_version}, eventsourcing {version('eventsourcing')}, "
          f"SQLAlchemy {version('sqlalchemy')}", flush=True)
    sizes = {"1x": LAST_YEAR - years + 1, "4x": LAST_YEAR - 4 * years + 1}
    built: dict[str, Result] = {}
    results: dict[str, list[Result]] = {}
    with tempfile.TemporaryDirectory(prefix="perfledger-bench-rag-") as tmp:
        for size, first in sizes.items():
            db = str(Path(tmp) / f"rag-{size}.db")
            built[size] = child(stage_build, db, indicators, first, LAST_YEAR)
            b = built[size]
            print(f"  {size}: {indicators} indicators x {LAST_YEAR - first + 1} years ({first}/"
                  f"{(first + 1) % 100:02d} on): {b['returns']:,} returns, {b['revisions']:,} revisions, "
                  f"{b['events']:,} events; built in {b['build_s']:.1f} s, views caught up in "
                  f"{b['catchup_s']:.1f} s", file=sys.stderr, flush=True)
            results[size] = child(stage_query, db, first, LAST_YEAR)
            for r in results[size]:
                print(f"  {size} {r['label']}: position {r['position']:,}, {r['rows']} rows, ratings "
                      f"{r['ratings']}", file=sys.stderr)
        cli_s, cli_rows = cli_time(str(Path(tmp) / "rag-4x.db"), sizes["4x"], LAST_YEAR)

    header = ("history", "events", "as at", "period", "warm-up ms", "median ms", "of which position_at",
              "target", "latest/early", "4x/1x")
    rows: list[tuple[str, ...]] = []
    for size, first in sizes.items():
        early = results[size][0]["median_ms"]
        for i, r in enumerate(results[size]):
            base = results["1x"][i]["median_ms"]
            rows.append((f"{size} ({LAST_YEAR - first + 1} years)", f"{built[size]['events']:,}",
                         f"{r['label']} {r['when']}", r["period"], f"{r['first_ms']:.1f}",
                         f"{r['median_ms']:.1f}", f"{r['position_ms']:.1f}",
                         f"< {TARGET_MS:.0f} {'PASS' if r['median_ms'] < TARGET_MS else 'FAIL'}",
                         f"{r['median_ms'] / early:.2f}",
                         "-" if size == "1x" else f"{r['median_ms'] / base:.2f}"))
    def flat(column: int) -> str:
        ratios = [float(r[column]) for r in rows if r[column] != "-"]
        low, high = min(ratios), max(ratios)
        return f"{low:.2f}..{high:.2f} {'flat' if low >= 1 / FLAT and high <= FLAT else 'NOT flat'}"

    print(f"\nRAG report query, build(conn, position_at(conn, when), when, period), on SQLite: "
          f"{indicators} quarterly indicators, median of {RUNS} runs after a warm-up"
          + ("" if indicators == 500 else " (scaled down from 500: the ratios are what count)"))
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]
    for line in [header, tuple("-" * w for w in widths), *rows]:
        print("  ".join(cell.ljust(w) if i in (0, 2, 3, 7) else cell.rjust(w)
                        for i, (cell, w) in enumerate(zip(line, widths, strict=True))).rstrip())
    print(f"flat means about 1 (within {1 / FLAT:.2f}..{FLAT}): latest/early {flat(8)}, 4x/1x {flat(9)}")
    print(f"whole CLI command, perfledger report rag --format json at 4x, latest (process start, "
          f"imports and catch-up check included): {cli_s * 1000:.0f} ms, {cli_rows} rows")


if __name__ == "__main__":
    main()
