"""perfledger national demo benchmark: build, catch-up, rebuild, verify, a one-council as-at report
and a benchmarking report across councils.

    python bench/bench_national.py [--base 4] [--scales 1,4,16] [--postgres URL]

Builds ``perfledger demo --size national``'s ledger (``commands/demo/national.py``) at BASE
councils x each scale (4, 16 and 64 councils by default: 54,800 to 876,800 returns; 317 is the
full national size, 4,342,900 returns), each in a fresh PostgreSQL schema (dropped afterwards),
and times, each in a fresh ``spawn`` child (so each peak RSS is its own): the build (plans,
registrations, then every month's imports, revisions and each year's targets on the simulated
clock), the views' catch-up, ``projections rebuild``, ``audit verify``, and two reads, each as at
the end of the first year and as at the end, the median of 7 runs after a warm-up: the data of
``report rag --plan COUNCIL --period Q4 --as-at WHEN`` for the first council (``council_rag``: the
functions the command calls, without rendering), and the benchmarking of every monthly national
indicator across the councils for March with that council's standing
(``projections.queries.councils.benchmarking``). Numbers, not assertions.
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
    from projections.queries import councils, position_at

    engine = make_engine(parse_store_url(url))
    council = national.councils(1)[0]
    out: Result = {}
    first, last = national.FIRST, national.FIRST + national.YEARS - 1
    for label, year in (("early", first), ("latest", last)):  # as at the end of June after the year
        when, quarter, month = datetime(year + 1, 6, 30, tzinfo=UTC), Period.quarter(year, 4), Period.month(
            year + 1, 3)
        times: list[float] = []
        spread: list[float] = []
        for _ in range(8):  # a warm-up, then 7
            with engine.connect() as conn:
                start = time.perf_counter()
                rows = national.council_rag(conn, council, when, quarter)["rows"]
                times.append(time.perf_counter() - start)
                start = time.perf_counter()
                found = list(councils.benchmarking(conn, position_at(conn, when), str(month), council))
                spread.append(time.perf_counter() - start)
        out[f"{label}_ms"] = statistics.median(times[1:]) * 1000
        out[f"{label}_rows"] = len(rows)
        out[f"{label}_bench_ms"] = statistics.median(spread[1:]) * 1000
        out[f"{label}_bench_rows"] = len(found)
        out[f"{label}_bench_n"] = found[0]["councils"] if found else 0
    engine.dispose()
    out["rss"] = rss_mb()
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
    print(f"\nnational demo on PostgreSQL, {base} councils at 1x (150 indicators each: 100 monthly, "
          "40 quarterly, 10 annual; 10 years)")
    header = ("scale", "councils", "events", "build ev/s", "catch-up ev/s", "rebuild ev/s", "verify ev/s",
              "rag --plan early/latest ms", "benchmarking early/latest ms",
              "peak RSS build/catch-up/rebuild/verify/reports MB")
    rows = [header]
    for scale, r in results:
        b, c, rb, v, rp = r["build"], r["catchup"], r["rebuild"], r["verify"], r["report"]
        rows.append((f"{scale}x", f"{base * scale}", f"{b['events']:,.0f}",
                     f"{rate(b['events'], b['seconds']):,.0f}",
                     f"{rate(c['events'], c['seconds']):,.0f}", f"{rate(rb['events'], rb['seconds']):,.0f}",
                     f"{rate(v['events'], v['seconds']):,.0f}",
                     f"{rp['early_ms']:.1f} / {rp['latest_ms']:.1f} ({rp['latest_rows']:.0f} rows)",
                     f"{rp['early_bench_ms']:.1f} / {rp['latest_bench_ms']:.1f} "
                     f"({rp['latest_bench_rows']:.0f} x {rp['latest_bench_n']:.0f})",
                     f"{b['rss']:.0f} / {c['rss']:.0f} / {rb['rss']:.0f} / {v['rss']:.0f} / {rp['rss']:.0f}"))
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
