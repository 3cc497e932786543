"""perfledger report performance: the integrated performance report a board reads."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import click

from commands.report.rag import check_theme, narrowing_options
from commands.support.context import Ledger, pass_ledger
from commands.support.files import check_output, force_option, write_output
from commands.support.params import AS_AT, PERIOD
from ledger.values import Period
from policies.authorisation import Act
from projections.reports import PERFORMANCE_FORMATS as FORMATS


@click.command("performance")
@click.option("--period", required=True, type=PERIOD, help="The period reported (a year-end report rates "
                                                            "the outturns).")
@click.option("--as-at", "as_at", type=AS_AT, metavar="WHEN", help="As the ledger stood then (default: now).")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="html", show_default=True,
              help="html: one self-contained file (charts inline, no script, prints on A4); xlsx needs "
                   "--output.")
@click.option("--output", type=click.Path(dir_okay=False, path_type=Path), metavar="FILE",
              help="Write the report to FILE instead of the screen.")
@force_option
@click.option("--issue", is_flag=True,
              help="Record this report's basis and SHA-256 in the ledger, so the file can be proven later.")
@narrowing_options
@pass_ledger
def performance(ledger: Ledger, period: Period, as_at: datetime | None, fmt: str, output: Path | None,
                force: bool, issue: bool, plan: str | None, priority: str | None, theme: str | None) -> None:
    """The integrated performance report: a summary, the exceptions first (red, then amber, each with
    its trend chart, commentary, outlook, escalation and data-quality flags), good performance, the
    restatements since the last issued report and the major obstacles. With --plan or --priority,
    grouped by priority: each priority's exceptions first, and its direction of travel.

    Same ledger, same arguments and an explicit --as-at: byte-identical output, provable with
    perfledger report verify FILE once issued.
    """
    from projections import queries
    from projections.reports import issued

    if fmt == "xlsx" and output is None:
        raise click.UsageError("--format xlsx writes a workbook: give --output FILE.xlsx")
    if output is not None:
        check_output(output, ledger, force)  # refused before anything is read, written or recorded
    app = ledger.ready()
    with ledger.read(Act.REPORT_ISSUE if issue else Act.READ) as conn:
        moment = ledger.report_time(as_at)
        position = queries.position_at(conn, moment)
        check_theme(conn, position, theme)
        report = issued.performance_report(conn, moment, period, fmt, issued.Narrowing(plan, priority, theme),
                                           app.audit.head_at(position))
    if output is not None:  # the file first: an issue is recorded only for a report that exists
        write_output(output, report.content, ledger, force=force)
    if issue:
        shown = [(row["indicator"], Period.parse(row["period"])) for row in report.data["rows"]
                 if row.get("actual") is not None]
        new = app.audit.issue_report(ledger.actor, "performance", report.sha256, report.basis,
                                     issued.code_version(), shown)
        ledger.catch_up()
        said = "issued" if new else "already issued (the same bytes)"
        click.echo(f"{said}: performance report {fmt}, basis position {report.position}, SHA-256 "
                   f"{report.sha256}", err=True)
    if output is not None:
        click.echo(f"wrote the {fmt} performance report for {report.data['period']} (position "
                   f"{report.position}) to {output}", err=True)
        return
    click.echo(report.text, nl=False)
