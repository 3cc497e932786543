"""perfledger national demo benchmark: build, catch-up, rebuild, verify and a one-council as-at report.

    python bench/bench_national.py [--base 4] [--scales 1,4,16] [--postgres URL]

Builds ``perfledger demo --size national``'s ledger (``commands/demo/national.py``) at BASE
councils x each scale (4, 16 and 64 councils by default: 24,000 to 384,000 returns; 317 is the
full national size), each in a fresh PostgreSQL schema (dropped afterwards), and times, each
in a fresh ``spawn`` child (so each peak RSS is its own): the build (registrations, then every
quarter's imports and revisions on the simulated clock), the views' catch-up, ``projections
rebuild``, ``audit verify``, and the as-at report of one council (its 150 returns for a
quarter, as believed at a time: ``position_at`` and the read) as at the end of the first year
and as at the end, the median of 7 runs after a warm-up. Numbers, not assertions.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from datetime import UTC, datetime
from typing import Any

from bench_postgres import DEFAULT_PG, postgres_schema

from bench import Result, child, rate, rss_mb, stage_rebuild, stage_verify, timed  # bench/bench.py


def stage_build(url: str, councils: int) -> Result:
    from commands.demo import national
    from ledger.app import LedgerApp
    from ledger.store.url import parse_store_url

    clock = national.NationalClock()
    app = LedgerApp(parse_store_url(url), clock=clock)
    start_rss = rss_mb()
    began = time.perf_counter()

    def progress(message: str) -> None:  # how far a long build got, should it be stopped
        if councils >= 64:
            print(f"    {time.perf_counter() - began:7.0f} s  {message}", file=sys.stderr, flush=True)

    counts, seconds, cpu = timed(lambda: national.build(app, clock, "bench", councils, progress), None,
                                 "build")
    head = app.core.head()
    app.close()
    return {"events": head.position if head else 0, "returns": counts["returns"],
            "revisions": counts["revisions"], "seconds": seconds, "cpu": cpu, "rss0": start_rss,
            "rss": rss_mb()}


def stage_catch_up(url: str) -> Result:
    from ledger.app import LedgerApp
    from ledger.store.url import parse_store_url
    from projections.catchup.engine import make_engine
    from projections.catchup.runner import catch_up

    config = parse_store_url(url)
    app, engine = LedgerApp(config), make_engine(config)
    events, seconds, cpu = timed(lambda: catch_up(engine, app.core), None, "catchup")
    return {"events": events, "seconds": seconds, "cpu": cpu, "rss": rss_mb()}


def stage_report(url: str) -> Result:
    from commands.demo import national
    from ledger.store.url import parse_store_url
    from ledger.values import Period
    from projections.catchup.engine import make_engine

    engine = make_engine(parse_store_url(url))
    council = national.councils(1)[0]
    out: Result = {}
    first, last = national.FIRST, national.FIRST + national.YEARS - 1
    for label, when, period in (
            ("early", datetime(first + 1, 6, 30, tzinfo=UTC), Period.quarter(first, 4)),
            ("latest", datetime(last + 1, 6, 30, tzinfo=UTC), Period.quarter(last, 4))):
        times: list[float] = []
        for _ in range(8):  # a warm-up, then 7
            with engine.connect() as conn:
                start = time.perf_counter()
                rows = national.council_report(conn, council, when, period)
                times.append(time.perf_counter() - start)
        out[f"{label}_ms"] = statistics.median(times[1:]) * 1000
        out[f"{label}_rows"] = len(rows)
    engine.dispose()
    return out


def run(url: str, councils: int) -> dict[str, Result]:
    built = child(stage_build, url, councils)
    print(f"  {councils} councils: built {built['events']:,} events in {built['seconds']:.0f} s",
          file=sys.stderr, flush=True)
    return {"build": built, "catchup": child(stage_catch_up, url), "rebuild": child(stage_rebuild, url, None),
            "verify": child(stage_verify, url, None), "report": child(stage_report, url)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", type=int, default=4, help="councils at 1x (default 4)")
    parser.add_argument("--scales", default="1,4,16", help="multiples of --base (default 1,4,16)")
    parser.add_argument("--postgres", default=DEFAULT_PG,
                        help=f"a database to make schemas in ({DEFAULT_PG})")
    args = parser.parse_args()
    scales = [int(s) for s in args.scales.split(",")]
    results: list[tuple[int, dict[str, Result]]] = []
    for scale in scales:
        with postgres_schema(args.postgres) as url:
            results.append((scale, run(url, args.base * scale)))
    report(args.base, results)


def report(base: int, results: list[tuple[int, dict[str, Any]]]) -> None:
    print(f"\nnational demo on PostgreSQL, {base} councils at 1x (150 quarterly indicators each, 10 years)")
    header = ("scale", "councils", "events", "build ev/s", "catch-up ev/s", "rebuild ev/s", "verify ev/s",
              "report early/latest ms", "peak RSS build/catch-up/rebuild/verify MB")
    rows = [header]
    for scale, r in results:
        b, c, rb, v, rp = r["build"], r["catchup"], r["rebuild"], r["verify"], r["report"]
        rows.append((f"{scale}x", f"{base * scale}", f"{b['events']:,.0f}",
                     f"{rate(b['events'], b['seconds']):,.0f}",
                     f"{rate(c['events'], c['seconds']):,.0f}", f"{rate(rb['events'], rb['seconds']):,.0f}",
                     f"{rate(v['events'], v['seconds']):,.0f}",
                     f"{rp['early_ms']:.1f} / {rp['latest_ms']:.1f} ({rp['latest_rows']:.0f} rows)",
                     f"{b['rss']:.0f} / {c['rss']:.0f} / {rb['rss']:.0f} / {v['rss']:.0f}"))
    widths = [max(len(row[i]) for row in rows) for i in range(len(header))]
    for row in rows:
        print("  ".join(cell.rjust(w) for cell, w in zip(row, widths, strict=True)))
    if len(results) > 1:
        first, last = results[0][1]["report"], results[-1][1]["report"]
        ratio = last["latest_ms"] / first["latest_ms"]
        print(f"one-council report, latest, {results[-1][0]}x / 1x: {ratio:.2f} "
              f"(flat: about 1; target under 200 ms at 16x)")


if __name__ == "__main__":
    main()
