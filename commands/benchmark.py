"""perfledger benchmark: published comparator values - imported from a file, listed, and shown with the
group's quartiles and median and where this council stands - as at any date."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import click

from commands.support.context import Ledger, done, pass_ledger
from commands.support.output import emit, format_option, render, render_record
from commands.support.params import AS_AT, PERIOD
from ledger.errors import Invalid, NotFound
from ledger.values import Period, PeriodKind

VALUE_COLUMNS = ["area", "value", "own"]


@click.group()
def benchmark() -> None:
    """Benchmarks (000 §3.6, §9.3.2): the values published for comparable areas, and where this
    council stands among them."""


@benchmark.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--dry-run", is_flag=True, help="Check every row; write nothing.")
@click.option("--sheet", metavar="NAME", help="For an .xlsx workbook: the sheet to read (default: the "
                                              "first).")
@pass_ledger
def import_(ledger: Ledger, file: Path, dry_run: bool, sheet: str | None) -> None:
    """Import published benchmark values from a CSV file or an Excel workbook (.xlsx): all rows or none.

    Header: indicator,period,group,area,value,source - every cell filled: the period
    a financial year (2023/24), the group defined (comparator group add), the area
    one of its areas, the value a number, the source the publication it comes from.
    A value the ledger holds already is kept; a changed one is recorded as a
    correction, the earlier value kept in the trail.
    """
    from commands.support.benchmarkfile import read_benchmarks

    app = ledger.ready()
    result = app.benchmarks.import_rows(ledger.actor, lambda: read_benchmarks(file, sheet), file.name,
                                        dry_run=dry_run)
    counts = f"{result.new} new, {result.revised} revised, {result.unchanged} unchanged"
    if not result.written:
        click.echo(f"{file.name}: {result.rows} rows are valid ({counts} benchmark sets); dry run: nothing "
                   "written", err=True)
    else:
        done(ledger, f"imported {result.rows} benchmark values from {file.name} ({counts} sets)")


def _year(period: Period | None) -> Period | None:
    if period is not None and period.kind is not PeriodKind.YEAR:
        raise Invalid(f"--period {period} is not a financial year: benchmarks are published for a year, "
                      f"e.g. {period.financial_year}")
    return period


@benchmark.command("list")
@click.option("--indicator", "code", metavar="CODE")
@click.option("--period", type=PERIOD, metavar="YEAR", help="A financial year, e.g. 2023/24.")
@click.option("--group", "group_name", metavar="NAME")
@click.option("--as-at", "as_at", type=AS_AT, metavar="WHEN", help="The values as they were known then.")
@format_option()
@pass_ledger
def list_(ledger: Ledger, code: str | None, period: Period | None, group_name: str | None,
          as_at: datetime | None, fmt: str) -> None:
    """The published values: each area's, with its source."""
    from projections import queries
    from projections.queries import benchmarks as benchmark_queries

    with ledger.read() as conn:
        rows = benchmark_queries.values(conn, queries.position_at(conn, as_at), code, _year(period),
                                        group_name)
    emit(render(rows, benchmark_queries.LIST_COLUMNS, fmt, title="benchmarks"))


@benchmark.command("show")
@click.argument("code")
@click.option("--period", type=PERIOD, metavar="YEAR", help="A financial year (default: the latest "
                                                           "published).")
@click.option("--group", "group_name", metavar="NAME", help="The comparator group (default: the first by "
                                                           "name with values that year).")
@click.option("--as-at", "as_at", type=AS_AT, metavar="WHEN", help="As the values were known then.")
@format_option("table", "json")
@pass_ledger
def show(ledger: Ledger, code: str, period: Period | None, group_name: str | None, as_at: datetime | None,
         fmt: str) -> None:
    """CODE's benchmark: the group's values, n, lower quartile, median, upper quartile, and this
    council's quartile (1 = best, by the indicator's polarity) and rank - by the ledger's own figure
    for the year (as report rag --period YEAR rates it), else by its published value."""
    from projections import queries
    from projections.reports import benchmarks as report

    with ledger.read() as conn:
        position = queries.position_at(conn, as_at)
        if queries.indicator(conn, code, position) is None:
            raise NotFound(f"unknown indicator {code!r}: see perfledger indicator list")
        found = report.show(conn, position, code, _year(period), group_name)
    if found is None:
        wanted = " ".join(p for p in (str(period) if period else "", f"in {group_name}" if group_name else "")
                          if p)
        raise NotFound(f"no benchmark for {code}" + (f" {wanted}" if wanted else "")
                       + (" as at that time" if as_at else "") + ": import one with perfledger benchmark "
                       "import FILE (see perfledger benchmark list)")
    if fmt == "json":
        emit(render_record(found, fmt))
        return
    rows = found.pop("values")
    sources = found.pop("sources")
    emit(render_record(found, fmt))
    emit("\nValues:\n")
    emit(render([{**r, "own": "*" if r["own"] else ""} for r in rows], VALUE_COLUMNS, fmt, title="values"))
    emit("\nSources:\n" + "".join(f"- {source}\n" for source in sources))
