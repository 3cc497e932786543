"""perfledger replay benchmark: `audit replay` (replay into scratch + compare) against `projections rebuild`.

    python bench/bench_replay.py [--returns 50000] [--quick]

Builds a SQLite ledger of monthly returns as bench.py does (registrations, then one
`return import` of RETURNS rows, caught up), then times, in the same process on the same
ledger: a plain `rebuild` of the live views, and `verify_views` (catch-up, replay of every
event into a scratch SQLite file, merge-compare of every view). The ratio replay/rebuild is
the cost of the check against the cost of the maintenance it recommends. Numbers, not
assertions; the replay must find no difference, or the benchmark is invalid.
"""

from __future__ import annotations

import argparse
import platform
import resource
import sys
import tempfile
import time
from pathlib import Path

from bench import stage_import, stage_setup  # bench/bench.py, next to this file
from ledger.app import LedgerApp
from ledger.store.url import parse_store_url
from projections.catchup.engine import make_engine
from projections.catchup.replay import verify_views
from projections.catchup.runner import rebuild


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--returns", type=int, default=50_000, help="returns imported (about one event each)")
    parser.add_argument("--quick", action="store_true", help="5,000 returns: a few seconds")
    args = parser.parse_args()
    n = 5_000 if args.quick else args.returns
    with tempfile.TemporaryDirectory(prefix="perfledger-bench-") as work:
        db, rows = str(Path(work) / "ledger.db"), str(Path(work) / "returns.csv")
        stage_setup(db, rows, n)
        stage_import(db, rows, None)
        config = parse_store_url(f"sqlite:///{db}")
        app, engine = LedgerApp(config), make_engine(config)
        start = time.perf_counter()
        events = rebuild(engine, app.core)
        rebuild_s = time.perf_counter() - start
        rss_before = rss_mb()
        marks: dict[str, float] = {}

        def progress(message: str) -> None:
            if message.startswith("comparing"):
                marks.setdefault("compare", time.perf_counter())

        start = time.perf_counter()
        result = verify_views(app.core, engine, progress)
        replay_s = time.perf_counter() - start
        if not result.ok or result.replayed != events:
            raise SystemExit(f"benchmark invalid: the replay found {result.differences} difference(s)")
        compare_s = replay_s - (marks["compare"] - start)
        engine.dispose()
        app.close()
    print(f"perfledger replay benchmark: {events:,} events on SQLite "
          f"({platform.python_implementation()} {sys.version.split()[0]}, {platform.machine()})")
    print(f"  projections rebuild        {rebuild_s:8.2f} s  {events / rebuild_s:10,.0f} events/s")
    print(f"  audit replay (all)         {replay_s:8.2f} s  {events / replay_s:10,.0f} events/s")
    print(f"    of which the compare     {compare_s:8.2f} s  ({result.views} views, row by row)")
    print(f"  ratio replay / rebuild     {replay_s / rebuild_s:8.2f} x")
    print(f"  peak RSS                   {rss_mb():8.1f} MB  (before the replay {rss_before:.1f} MB)")


if __name__ == "__main__":
    main()
