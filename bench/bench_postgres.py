"""perfledger on PostgreSQL beside SQLite: import, a mixed ledger's rebuild and verify, against raw appends.

    python bench/bench_postgres.py [--returns 50000] [--quick] [--repeat N] [--postgres URL] [--profile DIR]

For each backend, in the same run and on the same machine: the baseline is the library's own
batched append rate on that backend (a plain ``eventsourcing`` ``Application``, 100 aggregates
per ``save()``: ``eventsourcing.sqlite`` on a file, ``eventsourcing.postgres`` in a fresh
schema). Then the ledger, as ``bench.py`` builds it: registrations, one ``return import`` of
RETURNS monthly returns with the views caught up (timed: import + catch-up), then a mix that
is not timed (a second import revising 2% of the returns with a reason, and 5% of them
finalised, 100 aggregates per save), then ``projections rebuild`` of the mixed ledger and
``audit verify``, timed. Every stage runs in a fresh ``spawn`` child (its own peak RSS). The
PostgreSQL schemas are dropped at the end. Numbers, not assertions.
"""

from __future__ import annotations

import argparse
import csv
import os
import platform
import statistics
import sys
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal
from importlib.metadata import version
from pathlib import Path
from typing import Any

from eventsourcing.application import Application

from bench import (  # bench/bench.py, next to this file
    ACTOR,
    BATCH,
    COMMENT,
    TARGET_RATIO,
    TARGET_REBUILD,
    TARGET_VERIFY,
    Reading,
    Result,
    child,
    code,
    month,
    rate,
    rss_mb,
    stage_import,
    stage_rebuild,
    stage_setup,
    stage_verify,
    store_url,
    timed,
)

REVISED, FINALISED = 50, 20  # one return in 50 revised (2%), one in 20 finalised (5%)
DEFAULT_PG = "postgresql://postgres@127.0.0.1:5432/test"


def stage_baseline(url: str, n: int) -> Result:
    """The library alone: N one-event aggregates appended 100 per save() on URL's backend."""
    from ledger.store.url import parse_store_url

    env = dict(parse_store_url(store_url(url)).env)
    env.pop("APPLICATION_RECORDER_TOPIC")  # the library's own recorder, not the ledger's chained one
    env.pop("POSTGRES_ENABLE_DB_FUNCTIONS", None)
    app: Application[Any] = Application(env=env)
    start_rss = rss_mb()

    def run() -> None:
        batch: list[Reading] = []
        for i in range(n):
            batch.append(Reading(code(i), month(i), Decimal(i % 10_000) / 100, "provisional", COMMENT))
            if len(batch) == BATCH:
                app.save(*batch)
                batch = []
        if batch:
            app.save(*batch)

    _, seconds, cpu = timed(run, None, "baseline")
    app.close()
    return {"events": n, "seconds": seconds, "cpu": cpu, "rss0": start_rss, "rss": rss_mb()}


def stage_mix(url: str, csv_path: str, n: int) -> Result:
    """Revise 2% of the returns (one import with a reason column) and finalise 5% of them."""
    from commands.support.csvfile import read_returns
    from ledger.app import LedgerApp
    from ledger.domain.returns import PeriodReturn
    from ledger.store.url import parse_store_url
    from ledger.values import Period

    app = LedgerApp(parse_store_url(store_url(url)))
    with open(csv_path, "w", newline="", encoding="utf-8") as handle:
        out = csv.writer(handle)
        out.writerow(["indicator", "period", "value", "numerator", "denominator", "status", "commentary",
                      "source", "reason"])
        for i in range(0, n, REVISED):
            out.writerow([code(i), month(i), Decimal(i % 997) / 10, "", "", "provisional", COMMENT,
                          "local system", "corrected at source"])
    path = Path(csv_path)
    revised = app.imports.returns(ACTOR, lambda: read_returns(path),
                                  rows_again=lambda: read_returns(path, trusted=True)).rows
    # Finalise returns still provisional (bench.py's rows are final but for every third).
    chosen = [i for i in range(3, n, 3) if i % REVISED][: n // FINALISED]
    finalised = 0
    for start in range(0, len(chosen), BATCH):
        ids = [PeriodReturn.create_id(code(i), Period.parse(month(i))) for i in chosen[start:start + BATCH]]
        found = list(app.core.load_returns(ids).values())
        for aggregate in found:
            aggregate.finalise("checked", ACTOR)
        app.core.save(*found)
        finalised += len(found)
    app.close()
    return {"revised": revised, "finalised": finalised}


@contextmanager
def postgres_schema(base: str) -> Iterator[str]:
    """A new schema in BASE's database for one stage's ledger; dropped on the way out."""
    import psycopg

    schema = f"bench_{uuid.uuid4().hex[:10]}"
    plain = base.split("?")[0]
    with psycopg.connect(plain, autocommit=True) as conn:
        conn.execute(f'CREATE SCHEMA "{schema}"')
    try:
        yield f"{plain}?schema={schema}"
    finally:
        with psycopg.connect(plain, autocommit=True) as conn:
            conn.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')


@contextmanager
def place(backend: str, work: Path, name: str, pg: str) -> Iterator[str]:
    if backend == "sqlite":
        yield str(work / f"{name}.db")
        for leftover in work.glob(f"{name}.db*"):
            leftover.unlink()
        return
    with postgres_schema(pg) as url:
        yield url


def backend_run(backend: str, work: Path, n: int, pg: str, r: int, profile: str | None = None) -> Result:
    stats = None
    if profile:  # cProfile of each timed stage (the client's main thread): DIR/<backend>-<run>/<stage>.prof
        stats = str(Path(profile) / f"{backend}-{r + 1}")
        Path(stats).mkdir(parents=True, exist_ok=True)
    with place(backend, work, f"baseline-{r}", pg) as where:
        base = child(stage_baseline, where, n)
    with place(backend, work, f"ledger-{r}", pg) as where:
        csv_path, revisions = str(work / f"returns-{r}.csv"), str(work / f"revisions-{r}.csv")
        child(stage_setup, where, csv_path, n)
        imported = child(stage_import, where, csv_path, stats)
        mix = child(stage_mix, where, revisions, n)
        rebuilt = child(stage_rebuild, where, stats)
        verified = child(stage_verify, where, stats)
    out = {
        "base": rate(base["events"], base["seconds"]), "base_cpu": rate(base["events"], base["cpu"]),
        "import": rate(imported["events"], imported["import_s"]),
        "combined": rate(imported["events"], imported["import_s"] + imported["catchup_s"]),
        "combined_cpu": rate(imported["events"], imported["import_cpu"] + imported["catchup_cpu"]),
        "rebuild": rate(rebuilt["events"], rebuilt["seconds"]), "rebuild_cpu": rate(rebuilt["events"],
                                                                                    rebuilt["cpu"]),
        "verify": rate(verified["events"], verified["seconds"]),
        "events": rebuilt["events"], "revised": mix["revised"], "finalised": mix["finalised"],
        "rss_import": imported["rss"], "rss_rebuild": rebuilt["rss"],
    }
    out["ratio"], out["ratio_cpu"] = out["combined"] / out["base"], out["combined_cpu"] / out["base_cpu"]
    print(f"  {backend} run {r + 1}: baseline {out['base']:,.0f}/s; import + catch-up "
          f"{out['combined']:,.0f}/s ({out['ratio']:.2f} x); rebuild {out['rebuild']:,.0f}/s; "
          f"verify {out['verify']:,.0f}/s",
          file=sys.stderr, flush=True)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--returns", type=int, default=50_000, help="returns imported (about one event each)")
    parser.add_argument("--quick", action="store_true", help="5,000 returns: well under a minute")
    parser.add_argument("--repeat", type=int, default=1, metavar="N", help="N runs per backend; medians")
    parser.add_argument("--postgres", default=os.environ.get("PERFLEDGER_TEST_POSTGRES") or DEFAULT_PG,
                        help=f"a PostgreSQL database to make schemas in (default: {DEFAULT_PG})")
    parser.add_argument("--backend", choices=["both", "sqlite", "postgres"], default="both")
    parser.add_argument("--profile", metavar="DIR", help="also dump cProfile stats of the timed stages "
                        "(slower: compare shares, not rates)")
    args = parser.parse_args()
    n = 5_000 if args.quick else args.returns
    backends = ["sqlite", "postgres"] if args.backend == "both" else [args.backend]
    print(f"machine: {os.cpu_count()} cpu, {platform.machine()}, Python {platform.python_version()}, "
          f"eventsourcing {version('eventsourcing')}, psycopg {version('psycopg')}; "
          f"{n:,} returns + {n // REVISED:,} revisions + {n // FINALISED:,} finalisations", flush=True)
    runs: dict[str, list[Result]] = {b: [] for b in backends}
    with tempfile.TemporaryDirectory(prefix="perfledger-bench-") as tmp:
        for r in range(max(args.repeat, 1)):
            for backend in backends:  # alternated, so load on the machine falls on both alike
                runs[backend].append(backend_run(backend, Path(tmp), n, args.postgres, r, args.profile))
    report(runs)


def report(runs: dict[str, list[Result]]) -> None:
    backends = list(runs)
    med = {b: {k: statistics.median(r[k] for r in runs[b]) for k in runs[b][0]} for b in backends}
    def each(form: Any) -> tuple[str, ...]:
        return tuple(form(med[b]) for b in backends)

    rows: list[tuple[str, ...]] = [
        ("baseline: eventsourcing append, 100/save (events/s)", *each(lambda m: f"{m['base']:,.0f}")),
        ("return import + catch-up (events/s)", *(f"{med[b]['combined']:,.0f}" for b in backends)),
        (f"  x baseline (target >= {TARGET_RATIO})",
         *each(lambda m: f"{m['ratio']:.2f} {'PASS' if m['ratio'] >= TARGET_RATIO else 'FAIL'}")),
        ("  x baseline, CPU", *(f"{med[b]['ratio_cpu']:.2f}" for b in backends)),
        ("  of which the import alone (events/s)", *(f"{med[b]['import']:,.0f}" for b in backends)),
        (f"rebuild, mixed ledger (events/s; target >= {TARGET_REBUILD:,.0f})",
         *(f"{med[b]['rebuild']:,.0f} {'PASS' if med[b]['rebuild'] >= TARGET_REBUILD else 'FAIL'}"
           for b in backends)),
        ("  CPU (events/CPU-s)", *(f"{med[b]['rebuild_cpu']:,.0f}" for b in backends)),
        (f"audit verify (events/s; target >= {TARGET_VERIFY:,.0f})", *each(lambda m: f"{m['verify']:,.0f}")),
        ("mixed ledger: events / revised / finalised",
         *each(lambda m: f"{m['events']:,.0f} / {m['revised']:,.0f} / {m['finalised']:,.0f}")),
        ("peak RSS import / rebuild (MB)",
         *(f"{med[b]['rss_import']:.0f} / {med[b]['rss_rebuild']:.0f}" for b in backends)),
    ]
    if any(len(r) > 1 for r in runs.values()):
        rows.append(("runs (x baseline; rebuild/s)", *("; ".join(
            f"{r['ratio']:.2f}, {r['rebuild']:,.0f}" for r in runs[b]) for b in backends)))
    header = ("metric", *backends)
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]
    print(f"\nmedians of {len(next(iter(runs.values())))} run(s) per backend")
    for row in [header, tuple("-" * w for w in widths), *rows]:
        print("  ".join(c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(row, widths,
                                                                                          strict=True))))


if __name__ == "__main__":
    main()
