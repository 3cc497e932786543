"""perfledger benchmark: the integrated performance report of a council with 500 indicators.

    python bench/bench_performance.py [--indicators 500] [--years 3]

Builds a SQLite ledger with bench_rag's generator (INDICATORS quarterly indicators, YEARS years
of returns, targets and revisions), then times, as at the end, median of RUNS after a warm-up:

- rag: the RAG report's data and its HTML (the baseline, measured in the same run);
- performance: the performance report's data (the RAG rows, eight-quarter trends, escalations);
- html: rendering that data as one HTML file with an inline SVG chart per exception;
- total: performance + html, the time a person waits (target: under 2 s for 500 indicators).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench_rag import stage_build

RUNS = 5
TARGET_S = 2.0


def timed(fn: object, runs: int = RUNS) -> tuple[float, object]:
    assert callable(fn)
    result = fn()  # warm-up
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--indicators", type=int, default=500)
    parser.add_argument("--years", type=int, default=3)
    args = parser.parse_args()

    from ledger.store.url import parse_store_url
    from ledger.values import Period
    from projections.catchup.engine import make_engine
    from projections.queries import position_at
    from projections.reports import performance, performance_formats
    from projections.reports.formats import render_rag
    from projections.reports.rag import build as rag_build

    last = 2024
    first = last - args.years + 1
    with tempfile.TemporaryDirectory() as folder:
        db = str(Path(folder) / "bench.db")
        built = stage_build(db, args.indicators, first, last)
        engine = make_engine(parse_store_url(f"sqlite:///{db}"))
        when = datetime(last + 1, 6, 30, 12, tzinfo=UTC)
        period = Period.parse(f"{last}/{(last + 1) % 100:02d}-Q4")
        with engine.connect() as conn:
            position = position_at(conn, when)
            rag_s, _ = timed(lambda: render_rag(rag_build(conn, position, when, period), "html"))
            data_s, data = timed(lambda: performance.build(conn, position, when, period, None, "digest"))
            html_s, page = timed(lambda: performance_formats.render(data, "html"))  # type: ignore[arg-type]
        engine.dispose()
    assert isinstance(page, bytes)
    assert isinstance(data, dict)
    total = data_s + html_s
    print(f"ledger: {args.indicators} indicators, {args.years} years, {built['events']} events "
          f"(built in {built['build_s']:.1f} s)")
    print(f"exceptions charted: {len(data['exceptions'])}; HTML {len(page) / 1024:.0f} KiB")
    print(f"rag report (data + html), the baseline: {rag_s * 1000:8.1f} ms")
    print(f"performance report data:                {data_s * 1000:8.1f} ms  ({data_s / rag_s:.2f} x rag)")
    print(f"performance report html:                {html_s * 1000:8.1f} ms")
    print(f"performance report total:               {total * 1000:8.1f} ms  ({total / rag_s:.2f} x rag)  "
          f"target < {TARGET_S:.0f} s: {'met' if total < TARGET_S else 'NOT MET'}")


if __name__ == "__main__":
    main()
