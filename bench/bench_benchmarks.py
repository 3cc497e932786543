"""latest_benchmarks (the reports' benchmark query) against a per-indicator query, in the same run.

    python bench/bench_benchmarks.py [--indicators 200] [--areas 16] [--years 10] [--repeat 5]

Fills the benchmark views of a SQLite file directly (INDICATORS x YEARS sets of AREAS values, one
group), then times ``latest_benchmarks`` for every indicator at once (two queries) and, as the
baseline, the same answer read one indicator at a time; prints the medians and their ratio.
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import time
from pathlib import Path

from sqlalchemy import create_engine, insert

from ledger.values import Period
from projections import schema as t
from projections.queries.benchmarks import latest_benchmarks


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--indicators", type=int, default=200)
    parser.add_argument("--areas", type=int, default=16)
    parser.add_argument("--years", type=int, default=10)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        engine = create_engine(f"sqlite:///{Path(folder) / 'views.db'}")
        t.metadata.create_all(engine, tables=[t.benchmarks, t.comparator_groups])
        areas = [f"Area {i}" for i in range(args.areas)]
        codes = [f"NI {i}" for i in range(args.indicators)]
        with engine.begin() as conn:
            conn.execute(insert(t.comparator_groups), [{
                "name": "CIPFA", "from_position": 1, "until_position": None, "areas": json.dumps(areas),
                "own": areas[0], "membership": 1, "reason": None, "actor": "pat", "recorded_at": "x",
                "defined_at": "x"}])
            conn.execute(insert(t.benchmarks), [{
                "indicator": code, "comparator": "CIPFA", "period": str(Period.year_of(2015 + y)),
                "area": area,
                "from_position": 2 + y, "until_position": None, "value": str(40 + (i * 7 + y) % 13),
                "source": "bench", "edition": 1, "actor": "pat", "recorded_at": "x"}
                for code in codes for y in range(args.years) for i, area in enumerate(areas)])
        upto = Period.year_of(2015 + args.years - 1)
        position = args.years + 2

        def once() -> dict[str, object]:
            with engine.connect() as conn:
                return dict(latest_benchmarks(conn, position, codes, upto))

        def per_indicator() -> dict[str, object]:
            with engine.connect() as conn:
                return {code: latest_benchmarks(conn, position, [code], upto)[code] for code in codes}

        assert once() == per_indicator()
        timings = {}
        for name, fn in (("per indicator (baseline)", per_indicator), ("latest_benchmarks", once)):
            runs = []
            for _ in range(args.repeat):
                start = time.perf_counter()
                fn()
                runs.append(time.perf_counter() - start)
            timings[name] = statistics.median(runs)
        rows = args.indicators * args.years * args.areas
        print(f"{args.indicators} indicators x {args.years} years x {args.areas} areas = {rows:,} rows")
        for name, seconds in timings.items():
            print(f"{name:26} {seconds * 1000:9.1f} ms")
        print(f"ratio (baseline / latest_benchmarks): "
              f"{timings['per indicator (baseline)'] / timings['latest_benchmarks']:.1f}x")


if __name__ == "__main__":
    main()
