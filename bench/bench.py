"""perfledger benchmark: import, projections, rebuild, verify and memory against raw `eventsourcing`.

    python bench/bench.py [--returns 100000] [--quick] [--profile DIR]

Every stage runs in a fresh 'spawn' child process on SQLite files in a temporary
directory; a child reports its timings and its peak RSS (ru_maxrss). The
baseline is the library's own batched append rate measured in the same run.
"""

from __future__ import annotations

import argparse
import cProfile
import csv
import math
import os
import platform
import resource
import sqlite3
import sys
import tempfile
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from decimal import ROUND_HALF_UP, Decimal
from importlib.metadata import version
from multiprocessing import get_context
from pathlib import Path
from typing import Any, TypeVar

from eventsourcing.application import Application
from eventsourcing.domain import Aggregate

T = TypeVar("T")
Result = dict[str, float]
MONTHS = 250  # monthly periods per indicator, from 2000-04
ACTOR = "bench"
BATCH = 100  # aggregates per save() in the baseline
COMMENT = "On track; the partnership's action plan is being delivered."
TARGET_RATIO, TARGET_REBUILD, TARGET_VERIFY, FLAT = 0.5, 20_000.0, 50_000.0, 1.5


class Reading(Aggregate):
    """The baseline's aggregate: one created event with the fields of a return."""

    def __init__(self, indicator: str, period: str, value: Decimal, status: str, commentary: str) -> None:
        self.indicator = indicator
        self.period = period
        self.value = value
        self.status = status
        self.commentary = commentary


def rss_mb() -> float:
    """Peak resident set size of this process so far (ru_maxrss is in KiB on Linux)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def timed(fn: Callable[[], T], profile: str | None, name: str) -> tuple[T, float]:
    profiler = cProfile.Profile() if profile else None
    start = time.perf_counter()
    if profiler:
        profiler.enable()
    out = fn()
    if profiler:
        profiler.disable()
    seconds = time.perf_counter() - start
    if profiler and profile:
        profiler.dump_stats(str(Path(profile) / f"{name}.prof"))
    return out, seconds


def month(i: int) -> str:
    total = 2000 * 12 + 3 + i % MONTHS  # April 2000 onwards
    return f"{total // 12:04d}-{total % 12 + 1:02d}"


def code(i: int) -> str:
    return f"BENCH {i // MONTHS:04d}"


# --- stages (each runs in its own child process) ----------------------------------
def stage_baseline(db: str, n: int, profile: str | None) -> Result:
    app: Application[Any] = Application(env={"PERSISTENCE_MODULE": "eventsourcing.sqlite",
                                             "SQLITE_DBNAME": db})
    start_rss = rss_mb()

    def run() -> None:
        batch: list[Reading] = []
        for i in range(n):
            value = Decimal(i % 10_000) / 100
            batch.append(Reading(code(i), month(i), value, "provisional", COMMENT))
            if len(batch) == BATCH:
                app.save(*batch)
                batch = []
        if batch:
            app.save(*batch)

    _, seconds = timed(run, profile, "baseline")
    return {"events": n, "seconds": seconds, "rss0": start_rss, "rss": rss_mb()}


def stage_setup(db: str, csv_path: str, n: int) -> Result:
    """An initialised ledger with enough monthly indicators, views caught up, and the CSV file."""
    from ledger.domain.indicator import ProForma
    from ledger.returns_service import LedgerApp
    from ledger.store.url import parse_store_url
    from ledger.values import Frequency, Polarity, Unit
    from projections.engine import make_engine
    from projections.runner import catch_up

    start = time.perf_counter()
    config = parse_store_url(f"sqlite:///{db}")
    app = LedgerApp(config)
    app.initialise(ACTOR, ACTOR, Decimal(5))
    indicators = math.ceil(n / MONTHS)
    for k in range(indicators):
        unit = Unit.PERCENT if k % 2 == 0 else Unit.NUMBER
        app.register_indicator(ACTOR, code(k * MONTHS), ProForma(
            title=f"Benchmark indicator {k}", unit=unit, polarity=Polarity.HIGHER,
            frequency=Frequency.MONTHLY, decimals=2))
    catch_up(make_engine(config), app)
    with open(csv_path, "w", newline="", encoding="utf-8") as handle:
        out = csv.writer(handle)
        out.writerow(["indicator", "period", "value", "numerator", "denominator", "status",
                      "commentary", "source"])
        for i in range(n):
            status = "final" if i % 3 else "provisional"
            if (i // MONTHS) % 2 == 0:  # percent, with its parts
                numerator = (i * 7919) % 4001
                value = (Decimal(numerator * 100) / 4000).quantize(Decimal("0.01"), ROUND_HALF_UP)
                out.writerow([code(i), month(i), value, numerator, 4000, status, COMMENT, "partner return"])
            else:
                value = Decimal((i * 104729) % 100_000) / 10
                out.writerow([code(i), month(i), value, "", "", status, COMMENT, "local system"])
    app.close()
    return {"indicators": indicators, "seconds": time.perf_counter() - start, "rss": rss_mb()}


def stage_import(db: str, csv_path: str, profile: str | None) -> Result:
    """`perfledger return import FILE` as the CLI runs it: one transaction, then the catch-up."""
    from commands.csvfile import read_returns
    from ledger.returns_service import LedgerApp
    from ledger.store.url import parse_store_url
    from projections.engine import make_engine
    from projections.runner import catch_up

    config = parse_store_url(f"sqlite:///{db}")
    app = LedgerApp(config)
    app.settings()
    start_rss = rss_mb()
    path = Path(csv_path)
    result, import_s = timed(lambda: app.import_returns(
        ACTOR, lambda: read_returns(path), rows_again=lambda: read_returns(path, trusted=True)),
        profile, "import")
    applied, catchup_s = timed(lambda: catch_up(make_engine(config), app), profile, "catchup")
    return {"events": result.rows, "import_s": import_s, "applied": applied, "catchup_s": catchup_s,
            "rss0": start_rss, "rss": rss_mb()}


def stage_rebuild(db: str, profile: str | None) -> Result:
    from ledger.returns_service import LedgerApp
    from ledger.store.url import parse_store_url
    from projections.engine import make_engine
    from projections.runner import rebuild

    config = parse_store_url(f"sqlite:///{db}")
    app, engine = LedgerApp(config), make_engine(config)
    start_rss = rss_mb()
    events, seconds = timed(lambda: rebuild(engine, app), profile, "rebuild")
    return {"events": events, "seconds": seconds, "rss0": start_rss, "rss": rss_mb()}


def stage_verify(db: str, profile: str | None) -> Result:
    from ledger.returns_service import LedgerApp
    from ledger.store.url import parse_store_url

    app = LedgerApp(parse_store_url(f"sqlite:///{db}"))
    start_rss = rss_mb()
    verdict, seconds = timed(app.verify, profile, "verify")
    if not verdict.ok:
        raise SystemExit(f"verify failed: {verdict.problem}")
    return {"events": verdict.size, "seconds": seconds, "rss0": start_rss, "rss": rss_mb()}


# --- the driver ---------------------------------------------------------------------
def child(fn: Callable[..., Result], *args: Any) -> Result:
    """Run one stage in a fresh interpreter, so its ru_maxrss is its own."""
    with ProcessPoolExecutor(1, mp_context=get_context("spawn")) as pool:
        return pool.submit(fn, *args).result()


def ledger_run(work: Path, n: int, profile: str | None) -> dict[str, Result]:
    db, csv_path = str(work / f"ledger-{n}.db"), str(work / f"returns-{n}.csv")
    out = {"setup": child(stage_setup, db, csv_path, n)}
    print(f"  {n:>7,} returns: {out['setup']['indicators']:.0f} indicators x {MONTHS} months set up "
          f"in {out['setup']['seconds']:.1f} s", file=sys.stderr)
    out["import"] = child(stage_import, db, csv_path, profile)
    print(f"  {n:>7,} returns: imported in {out['import']['import_s']:.1f} s, views caught up in "
          f"{out['import']['catchup_s']:.1f} s", file=sys.stderr)
    out["rebuild"] = child(stage_rebuild, db, profile)
    out["verify"] = child(stage_verify, db, profile)
    return out


def rate(events: float, seconds: float) -> float:
    return events / seconds if seconds > 0 else float("inf")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--returns", type=int, default=100_000, help="returns to import (full size)")
    parser.add_argument("--quick", action="store_true", help="10,000 returns: well under a minute")
    parser.add_argument("--profile", metavar="DIR", help="dump cProfile stats of each full-size stage")
    args = parser.parse_args()
    n = 10_000 if args.quick else args.returns
    quarter = max(n // 4, 1)
    print(f"machine: {os.cpu_count()} cpu, {platform.machine()}, Python {platform.python_version()}, "
          f"SQLite {sqlite3.sqlite_version}, eventsourcing {version('eventsourcing')}, "
          f"SQLAlchemy {version('sqlalchemy')}", flush=True)
    if args.profile:
        Path(args.profile).mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="perfledger-bench-") as tmp:
        work = Path(tmp)
        print(f"baseline: {n:,} events, {BATCH} aggregates per save()", file=sys.stderr)
        first = child(stage_baseline, str(work / "baseline-1.db"), n, args.profile)
        print(f"ledger at 1/4 size and at full size ({quarter:,} and {n:,} returns)", file=sys.stderr)
        small = ledger_run(work, quarter, None)
        full = ledger_run(work, n, args.profile)
        print("baseline again (machine load drifts): the faster of the two counts", file=sys.stderr)
        second = child(stage_baseline, str(work / "baseline-2.db"), n, None)

    base = min(first, second, key=lambda r: r["seconds"])

    base_rate = rate(base["events"], base["seconds"])
    imp = full["import"]
    import_rate = rate(imp["events"], imp["import_s"])
    catchup_rate = rate(imp["applied"], imp["catchup_s"])
    combined = rate(imp["events"], imp["import_s"] + imp["catchup_s"])
    rebuild_rate = rate(full["rebuild"]["events"], full["rebuild"]["seconds"])
    verify_rate = rate(full["verify"]["events"], full["verify"]["seconds"])

    def verdict(ok: bool) -> str:
        return "PASS" if ok else "FAIL"

    rows: list[tuple[str, str, str, str, str]] = [
        ("baseline: eventsourcing append, 100/save", f"{base_rate:,.0f}", "events/s", "-",
         f"(runs: {rate(n, first['seconds']):,.0f}, {rate(n, second['seconds']):,.0f})"),
        ("return import (validate + chain)", f"{import_rate:,.0f}", "events/s", "-",
         f"{import_rate / base_rate:.2f} x baseline"),
        ("projection catch-up", f"{catchup_rate:,.0f}", "events/s", "-",
         f"{catchup_rate / base_rate:.2f} x baseline"),
        ("import + catch-up (combined)", f"{combined:,.0f}", "events/s",
         f">= {TARGET_RATIO} x baseline = {TARGET_RATIO * base_rate:,.0f}",
         f"{combined / base_rate:.2f} {verdict(combined / base_rate >= TARGET_RATIO)}"),
        ("projections rebuild", f"{rebuild_rate:,.0f}", "events/s", f">= {TARGET_REBUILD:,.0f}",
         f"{rebuild_rate / TARGET_REBUILD:.2f} {verdict(rebuild_rate >= TARGET_REBUILD)}"),
        ("audit verify", f"{verify_rate:,.0f}", "events/s", f">= {TARGET_VERIFY:,.0f}",
         f"{verify_rate / TARGET_VERIFY:.2f} {verdict(verify_rate >= TARGET_VERIFY)}"),
    ]
    for stage, label in (("import", "import + catch-up"), ("rebuild", "rebuild"), ("verify", "verify")):
        a, b = small[stage], full[stage]
        ratio = b["rss"] / a["rss"]
        rows.append((f"peak RSS {label} (1/4 -> full)", f"{a['rss']:.0f} -> {b['rss']:.0f}", "MB",
                     f"full/quarter <= {FLAT}", f"{ratio:.2f} {verdict(ratio <= FLAT)}"))
        grew_a, grew_b = a["rss"] - a["rss0"], b["rss"] - b["rss0"]
        grows = grew_b / max(grew_a, 1) > FLAT and grew_b - grew_a > 10
        rows.append((f"  growth within the stage, {label}", f"{grew_a:.0f} -> {grew_b:.0f}", "MB",
                     "(informative)", f"{grew_b / max(grew_a, 1):.2f} {'grows' if grows else 'flat'}"))
    print(f"\n{n:,} returns ({full['setup']['indicators']:.0f} indicators x {MONTHS} months); "
          f"ledger {full['verify']['events']:,.0f} events; baseline {base['events']:,.0f} events in "
          f"{base['seconds']:.2f} s; import {imp['import_s']:.2f} s, catch-up {imp['catchup_s']:.2f} s "
          f"({imp['applied']:,.0f} events), rebuild {full['rebuild']['seconds']:.2f} s, "
          f"verify {full['verify']['seconds']:.2f} s")
    header = ("metric", "value", "unit", "target", "ratio / pass")
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(5)]
    for r in [header, tuple("-" * w for w in widths), *rows]:
        print("  ".join(cell.ljust(w) if i in (0, 2, 3) else cell.rjust(w)
                        for i, (cell, w) in enumerate(zip(r, widths, strict=True))).rstrip())


if __name__ == "__main__":
    main()
