"""perfledger benchmark: import, projections, rebuild, verify and memory against raw `eventsourcing`.

    python bench/bench.py [--returns 100000] [--quick] [--repeat N] [--profile DIR]

Every stage runs in a fresh 'spawn' child process on SQLite files in a temporary
directory; a child reports its wall and CPU timings (time.process_time) and its
peak RSS (ru_maxrss). The baseline is the library's own batched append rate
measured in the same run. With ``--repeat N`` the baseline and full-size stages
run N times and the table shows medians (the quarter-size run, for memory, once).
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
import statistics
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


def timed(fn: Callable[[], T], profile: str | None, name: str) -> tuple[T, float, float]:
    """(result, wall seconds, CPU seconds of this process)."""
    profiler = cProfile.Profile() if profile else None
    start, cpu = time.perf_counter(), time.process_time()
    if profiler:
        profiler.enable()
    out = fn()
    if profiler:
        profiler.disable()
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    if profiler and profile:
        profiler.dump_stats(str(Path(profile) / f"{name}.prof"))
    return out, seconds, cpu


def store_url(db: str) -> str:
    """A ledger's URL: DB itself if it is one (``bench_postgres.py`` passes PostgreSQL URLs), else a
    SQLite file's path."""
    return db if "://" in db else f"sqlite:///{db}"


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

    _, seconds, cpu = timed(run, profile, "baseline")
    return {"events": n, "seconds": seconds, "cpu": cpu, "rss0": start_rss, "rss": rss_mb()}


def stage_setup(db: str, csv_path: str, n: int) -> Result:
    """An initialised ledger with enough monthly indicators, views caught up, and the CSV file."""
    from ledger.app import LedgerApp
    from ledger.domain.indicator import ProForma
    from ledger.store.url import parse_store_url
    from ledger.values import Frequency, Polarity, Unit
    from projections.catchup.engine import make_engine
    from projections.catchup.runner import catch_up

    start = time.perf_counter()
    config = parse_store_url(store_url(db))
    app = LedgerApp(config)
    app.people.initialise(ACTOR, ACTOR, Decimal(5))
    indicators = math.ceil(n / MONTHS)
    for k in range(indicators):
        unit = Unit.PERCENT if k % 2 == 0 else Unit.NUMBER
        app.indicators.register(ACTOR, code(k * MONTHS), ProForma(
            title=f"Benchmark indicator {k}", unit=unit, polarity=Polarity.HIGHER,
            frequency=Frequency.MONTHLY, decimals=2))
    catch_up(make_engine(config), app.core)
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
    from commands.support.csvfile import read_returns
    from ledger.app import LedgerApp
    from ledger.store.url import parse_store_url
    from projections.catchup.engine import make_engine
    from projections.catchup.runner import catch_up

    config = parse_store_url(store_url(db))
    app = LedgerApp(config)
    app.core.settings()
    start_rss = rss_mb()
    path = Path(csv_path)
    result, import_s, import_cpu = timed(lambda: app.imports.returns(
        ACTOR, lambda: read_returns(path), rows_again=lambda: read_returns(path, trusted=True)),
        profile, "import")
    applied, catchup_s, catchup_cpu = timed(lambda: catch_up(make_engine(config), app.core), profile,
                                            "catchup")
    return {"events": result.rows, "import_s": import_s, "applied": applied, "catchup_s": catchup_s,
            "import_cpu": import_cpu, "catchup_cpu": catchup_cpu, "rss0": start_rss, "rss": rss_mb()}


def stage_rebuild(db: str, profile: str | None) -> Result:
    from ledger.app import LedgerApp
    from ledger.store.url import parse_store_url
    from projections.catchup.engine import make_engine
    from projections.catchup.runner import rebuild

    config = parse_store_url(store_url(db))
    app, engine = LedgerApp(config), make_engine(config)
    start_rss = rss_mb()
    events, seconds, cpu = timed(lambda: rebuild(engine, app.core), profile, "rebuild")
    return {"events": events, "seconds": seconds, "cpu": cpu, "rss0": start_rss, "rss": rss_mb()}


def stage_verify(db: str, profile: str | None) -> Result:
    from ledger.app import LedgerApp
    from ledger.store.url import parse_store_url

    app = LedgerApp(parse_store_url(store_url(db)))
    start_rss = rss_mb()
    verdict, seconds, cpu = timed(app.audit.verify, profile, "verify")
    if not verdict.ok:
        raise SystemExit(f"verify failed: {verdict.problem}")
    return {"events": verdict.size, "seconds": seconds, "cpu": cpu, "rss0": start_rss, "rss": rss_mb()}


# --- the driver ---------------------------------------------------------------------
def child(fn: Callable[..., Result], *args: Any) -> Result:
    """Run one stage in a fresh interpreter, so its ru_maxrss is its own."""
    with ProcessPoolExecutor(1, mp_context=get_context("spawn")) as pool:
        return pool.submit(fn, *args).result()


def ledger_run(work: Path, n: int, profile: str | None, tag: str = "") -> dict[str, Result]:
    db, csv_path = str(work / f"ledger-{n}{tag}.db"), str(work / f"returns-{n}{tag}.csv")
    out = {"setup": child(stage_setup, db, csv_path, n)}
    print(f"  {n:>7,} returns: {out['setup']['indicators']:.0f} indicators x {MONTHS} months set up "
          f"in {out['setup']['seconds']:.1f} s", file=sys.stderr)
    out["import"] = child(stage_import, db, csv_path, profile)
    print(f"  {n:>7,} returns: imported in {out['import']['import_s']:.1f} s, views caught up in "
          f"{out['import']['catchup_s']:.1f} s", file=sys.stderr)
    out["rebuild"] = child(stage_rebuild, db, profile)
    out["verify"] = child(stage_verify, db, profile)
    for leftover in work.glob(f"ledger-{n}{tag}.db*"):
        leftover.unlink()
    return out


def rate(events: float, seconds: float) -> float:
    return events / seconds if seconds > 0 else float("inf")


def run_metrics(first: Result, second: Result, full: dict[str, Result]) -> dict[str, float]:
    """One repeat's rates: wall (events per second) and CPU (events per CPU-second of the stage)."""
    imp, reb, ver = full["import"], full["rebuild"], full["verify"]
    n = imp["events"]
    base_s = min(first["seconds"], second["seconds"])
    base_cpu = min(first["cpu"], second["cpu"])
    out = {
        "base": rate(first["events"], base_s), "base1": rate(first["events"], first["seconds"]),
        "base2": rate(second["events"], second["seconds"]),
        "import": rate(n, imp["import_s"]), "catchup": rate(imp["applied"], imp["catchup_s"]),
        "combined": rate(n, imp["import_s"] + imp["catchup_s"]),
        "rebuild": rate(reb["events"], reb["seconds"]), "verify": rate(ver["events"], ver["seconds"]),
        "base_cpu": rate(first["events"], base_cpu),
        "import_cpu": rate(n, imp["import_cpu"]), "catchup_cpu": rate(imp["applied"], imp["catchup_cpu"]),
        "combined_cpu": rate(n, imp["import_cpu"] + imp["catchup_cpu"]),
        "rebuild_cpu": rate(reb["events"], reb["cpu"]), "verify_cpu": rate(ver["events"], ver["cpu"]),
        "import_s": imp["import_s"], "catchup_s": imp["catchup_s"], "applied": imp["applied"],
        "rebuild_s": reb["seconds"], "verify_s": ver["seconds"], "ledger": ver["events"],
        "base_events": first["events"], "base_s": base_s,
    }
    out["ratio"] = out["combined"] / out["base"]
    out["ratio_cpu"] = out["combined_cpu"] / out["base_cpu"]
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--returns", type=int, default=100_000, help="returns to import (full size)")
    parser.add_argument("--quick", action="store_true", help="10,000 returns: well under a minute")
    parser.add_argument("--repeat", type=int, default=1, metavar="N",
                        help="run the baseline and the full-size stages N times; report medians")
    parser.add_argument("--profile", metavar="DIR", help="dump cProfile stats of each full-size stage")
    args = parser.parse_args()
    n = 10_000 if args.quick else args.returns
    quarter = max(n // 4, 1)
    print(f"machine: {os.cpu_count()} cpu, {platform.machine()}, Python {platform.python_version()}, "
          f"SQLite {sqlite3.sqlite_version}, eventsourcing {version('eventsourcing')}, "
          f"SQLAlchemy {version('sqlalchemy')}", flush=True)
    if args.profile:
        Path(args.profile).mkdir(parents=True, exist_ok=True)
    runs: list[dict[str, float]] = []
    with tempfile.TemporaryDirectory(prefix="perfledger-bench-") as tmp:
        work = Path(tmp)
        print(f"ledger at 1/4 size ({quarter:,} returns), for memory", file=sys.stderr)
        small = ledger_run(work, quarter, None)
        for r in range(max(args.repeat, 1)):
            print(f"repeat {r + 1}: baseline ({n:,} events, {BATCH} aggregates per save()), "
                  f"ledger at full size ({n:,} returns), baseline again", file=sys.stderr)
            profile = args.profile if r == 0 else None
            first = child(stage_baseline, str(work / f"baseline-1-{r}.db"), n, profile)
            full = ledger_run(work, n, profile, f"-{r}")
            second = child(stage_baseline, str(work / f"baseline-2-{r}.db"), n, None)
            runs.append(run_metrics(first, second, full))
            m = runs[-1]
            print(f"  repeat {r + 1}: baseline {m['base']:,.0f}/s; combined {m['ratio']:.2f} x (wall), "
                  f"{m['ratio_cpu']:.2f} x (CPU); rebuild {m['rebuild']:,.0f}/s, "
                  f"{m['rebuild_cpu']:,.0f}/CPU-s; verify {m['verify']:,.0f}/s", file=sys.stderr)
    report(n, small, full, runs)


def report(n: int, small: dict[str, Result], full: dict[str, Result], runs: list[dict[str, float]]) -> None:
    med = {k: statistics.median(r[k] for r in runs) for k in runs[0]}

    def verdict(ok: bool) -> str:
        return "PASS" if ok else "FAIL"

    base_rate = med["base"]
    rows: list[tuple[str, str, str, str, str]] = [
        ("baseline: eventsourcing append, 100/save", f"{base_rate:,.0f}", "events/s", "-",
         f"(runs: {med['base1']:,.0f}, {med['base2']:,.0f})"),
        ("return import (validate + chain)", f"{med['import']:,.0f}", "events/s", "-",
         f"{med['import'] / base_rate:.2f} x baseline"),
        ("projection catch-up", f"{med['catchup']:,.0f}", "events/s", "-",
         f"{med['catchup'] / base_rate:.2f} x baseline"),
        ("import + catch-up (combined)", f"{med['combined']:,.0f}", "events/s",
         f">= {TARGET_RATIO} x baseline = {TARGET_RATIO * base_rate:,.0f}",
         f"{med['ratio']:.2f} {verdict(med['ratio'] >= TARGET_RATIO)}"),
        ("projections rebuild", f"{med['rebuild']:,.0f}", "events/s", f">= {TARGET_REBUILD:,.0f}",
         f"{med['rebuild'] / TARGET_REBUILD:.2f} {verdict(med['rebuild'] >= TARGET_REBUILD)}"),
        ("audit verify", f"{med['verify']:,.0f}", "events/s", f">= {TARGET_VERIFY:,.0f}",
         f"{med['verify'] / TARGET_VERIFY:.2f} {verdict(med['verify'] >= TARGET_VERIFY)}"),
        ("CPU: baseline", f"{med['base_cpu']:,.0f}", "events/CPU-s", "-", "-"),
        ("CPU: return import (validate + chain)", f"{med['import_cpu']:,.0f}", "events/CPU-s", "-",
         f"{med['import_cpu'] / med['base_cpu']:.2f} x baseline"),
        ("CPU: projection catch-up", f"{med['catchup_cpu']:,.0f}", "events/CPU-s", "-",
         f"{med['catchup_cpu'] / med['base_cpu']:.2f} x baseline"),
        ("CPU: import + catch-up (combined)", f"{med['combined_cpu']:,.0f}", "events/CPU-s",
         f">= {TARGET_RATIO} x baseline",
         f"{med['ratio_cpu']:.2f} {verdict(med['ratio_cpu'] >= TARGET_RATIO)}"),
        ("CPU: projections rebuild", f"{med['rebuild_cpu']:,.0f}", "events/CPU-s",
         f">= {TARGET_REBUILD:,.0f}",
         f"{med['rebuild_cpu'] / TARGET_REBUILD:.2f} {verdict(med['rebuild_cpu'] >= TARGET_REBUILD)}"),
        ("CPU: audit verify", f"{med['verify_cpu']:,.0f}", "events/CPU-s", f">= {TARGET_VERIFY:,.0f}",
         f"{med['verify_cpu'] / TARGET_VERIFY:.2f} {verdict(med['verify_cpu'] >= TARGET_VERIFY)}"),
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
    median_of = f"median of {len(runs)} runs; " if len(runs) > 1 else ""
    print(f"\n{n:,} returns ({full['setup']['indicators']:.0f} indicators x {MONTHS} months); "
          f"ledger {med['ledger']:,.0f} events; {median_of}baseline {med['base_events']:,.0f} events in "
          f"{med['base_s']:.2f} s; import {med['import_s']:.2f} s, catch-up {med['catchup_s']:.2f} s "
          f"({med['applied']:,.0f} events), rebuild {med['rebuild_s']:.2f} s, "
          f"verify {med['verify_s']:.2f} s")
    if len(runs) > 1:
        print("runs: " + "; ".join(
            f"{r['ratio']:.2f}x/{r['ratio_cpu']:.2f}x cpu, "
            f"rebuild {r['rebuild']:,.0f}/{r['rebuild_cpu']:,.0f} cpu"
            for r in runs))
    header = ("metric", "value", "unit", "target", "ratio / pass")
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(5)]
    for r in [header, tuple("-" * w for w in widths), *rows]:
        print("  ".join(cell.ljust(w) if i in (0, 2, 3) else cell.rjust(w)
                        for i, (cell, w) in enumerate(zip(r, widths, strict=True))).rstrip())


if __name__ == "__main__":
    main()
