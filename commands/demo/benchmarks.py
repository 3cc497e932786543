"""The demo's benchmarks (issue 16, item 4): a comparator group of Halton's Cheshire and Merseyside
neighbours and the household recycling rates (ex-NI 192) DEFRA published for them - real figures, each
row citing where it was published (``benchmarks.csv``) - imported year by year after the timeline."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime, time
from functools import partial
from pathlib import Path

from commands.demo.data import SPECS, figure
from commands.demo.timeline import LONDON, DemoClock, manager, recording_on
from commands.support.benchmarkfile import read_benchmarks
from ledger.app import LedgerApp
from ledger.app.benchmarks import BenchmarkInput
from ledger.app.returns import ReturnInput
from ledger.values import Period, Status

DATA = Path(__file__).with_name("benchmarks.csv")
GROUP = "Cheshire and Merseyside"
AREAS = ["Halton", "St Helens", "Knowsley", "Liverpool", "Warrington", "Cheshire West and Chester",
         "Cheshire East"]
PS = "Priya Shah"
BACKFILLED = "NI 192"
# When each published year is imported (after the timeline's last scene, in the order published).
IMPORTS = ((date(2026, 10, 5), Period.year_of(2015)), (date(2026, 10, 12), Period.year_of(2022)))


def _rows_of(year: Period) -> Iterator[tuple[int, BenchmarkInput | list[str]]]:
    return (row for row in read_benchmarks(DATA) if isinstance(row[1], list) or row[1].period == year)


def record(app: LedgerApp) -> int:
    """Define the group and import the published years, on the demo's clock; returns the events."""
    clock = DemoClock()
    written = 0
    with recording_on(app, clock):
        clock.now = datetime.combine(IMPORTS[0][0], time(9), tzinfo=LONDON)
        app.benchmarks.define(PS, GROUP, AREAS, "Halton",
                              "Halton's Cheshire and Merseyside neighbours, for the DEFRA waste statistics")
        written += 1
        for day, year in IMPORTS:
            clock.now = datetime.combine(day, time(11), tzinfo=LONDON)
            result = app.benchmarks.import_rows(PS, partial(_rows_of, year), DATA.name)
            written += result.new + result.revised
        clock.now = datetime.combine(IMPORTS[-1][0], time(14), tzinfo=LONDON)
        written += _back_fill(app)
    return written


def _back_fill(app: LedgerApp) -> int:
    """The ledger's own figure for the latest published year: NI 192's 2022/23 outturn (the demo's
    synthetic baseline year), back-filled as history from the year's closing WasteDataFlow return, so
    the benchmark places the council by its own ledger figure."""
    spec = next(s for s in SPECS if s.code == BACKFILLED)
    year = IMPORTS[-1][1]
    value, numerator, denominator = figure(spec, year)
    row = ReturnInput(BACKFILLED, year, value, numerator, denominator, Status.FINAL,
                      "2022/23 outturn, back-filled to compare with the published neighbours",
                      "WasteDataFlow 2022/23 Q4 return")
    result = app.imports.returns(manager(BACKFILLED), lambda: iter([(1, row)]), history=date(2023, 6, 30))
    return result.new * 2  # Return.Submitted and Return.RecordedAsHistory
