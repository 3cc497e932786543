"""perfledger report rag / verify: the RAG report as at any date, issued reports and their proof."""

from __future__ import annotations

import sys
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

import click

from commands.support.context import Ledger, pass_ledger
from commands.support.files import check_output, force_option, write_output
from commands.support.output import Tampered
from commands.support.params import AS_AT, PERIOD
from ledger.errors import Invalid
from ledger.values import Period
from policies.authorisation import Act

if TYPE_CHECKING:
    from sqlalchemy import Connection


def narrowing_options(command: Callable[..., None]) -> Callable[..., None]:
    """--plan, --priority and --theme: which indicators a report covers, grouped by priority."""
    for option in reversed([
        click.option("--plan", metavar="P", help="Only the priorities of plan P (and the plans within it), "
                                                 "grouped by priority, exceptions first in each."),
        click.option("--priority", metavar="P", help="Only priority P's basket of indicators."),
        click.option("--theme", metavar="T",
                     help="Only the indicators of theme T (indicator register --theme)."),
    ]):
        command = option(command)
    return command


def check_theme(conn: Connection, position: int, theme: str | None) -> None:
    from projections import queries

    if theme is not None and theme not in {i["theme"] for i in queries.indicators(conn, position)}:
        raise Invalid(f"no indicator has the theme {theme!r} as at that time: see perfledger indicator list")


@click.command("rag")
@click.option("--period", type=PERIOD, help="Default: the last quarter ended by the as-at time.")
@click.option("--as-at", "as_at", type=AS_AT, metavar="WHEN",
              help="As the ledger stood then (default: now).")
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "json", "html", "xlsx"]), default="table",
              show_default=True,
              help="xlsx: a workbook (rows, restatements, major obstacles, basis), written to --output.")
@click.option("--output", type=click.Path(dir_okay=False, path_type=Path), metavar="FILE",
              help="Write the report to FILE instead of the screen.")
@force_option
@click.option("--issue", is_flag=True,
              help="Record this report's basis and SHA-256 in the ledger, so the file can be proven later.")
@narrowing_options
@pass_ledger
def rag(ledger: Ledger, period: Period | None, as_at: datetime | None, fmt: str,
        output: Path | None, force: bool, issue: bool, plan: str | None, priority: str | None,
        theme: str | None) -> None:
    """Each indicator's actual against target, its rating and direction of travel.

    Same ledger, same arguments and an explicit --as-at: byte-identical output. An --as-at the
    ledger's clock has not reached yet is reported as at now, and a note names that time. The
    report lists the restatements approved since the last issued RAG report. With --plan or
    --priority the rows are grouped by priority, exceptions first in each, with each priority's
    direction of travel on a year ago.
    """
    from projections import queries
    from projections.reports import issued

    if issue and fmt == "csv":
        raise Invalid("a CSV report holds one table and cannot list its restatements: "
                      "issue the table, json or html form")
    if fmt == "xlsx" and output is None:
        raise click.UsageError("--format xlsx writes a workbook: give --output FILE.xlsx")
    colour = output is None and sys.stdout.isatty() and not issue
    if output is not None:
        check_output(output, ledger, force)  # refused before anything is read, written or recorded
    with ledger.read(Act.REPORT_ISSUE if issue else Act.READ) as conn:
        moment = ledger.report_time(as_at)
        check_theme(conn, queries.position_at(conn, moment), theme)
        report = issued.rag(conn, moment, period, fmt, issued.Narrowing(plan, priority, theme), colour=colour)
    if output is not None:  # the file first: an issue is recorded only for a report that exists
        write_output(output, report.content, ledger, force=force)
    if issue:
        shown = [(row["indicator"], Period.parse(row["period"])) for row in report.data["rows"]
                 if row.get("actual") is not None]
        new = ledger.ready().audit.issue_report(ledger.actor, "rag", report.sha256, report.basis,
                                                issued.code_version(), shown)
        ledger.catch_up()
        said = "issued" if new else "already issued (the same bytes)"
        click.echo(f"{said}: rag report {fmt}, basis position {report.position}, SHA-256 {report.sha256}",
                   err=True)
    if output is not None:
        click.echo(f"wrote the {fmt} RAG report for {report.data['period']} (position {report.position}) "
                   f"to {output}", err=True)
        return
    click.echo(report.text, nl=False)


@click.command("verify")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@pass_ledger
def verify(ledger: Ledger, file: Path) -> None:
    """Was FILE issued by this ledger, byte for byte? Regenerates it from its basis to prove it."""
    from projections.reports import issued

    with ledger.read() as conn:
        verdict = issued.check(conn, file.name, file.read_bytes(), ledger.app.audit)
    if not verdict.genuine:
        raise Tampered(verdict.line)
    click.echo(verdict.line)
