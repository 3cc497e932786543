"""perfledger report risks: the risk registers with a likelihood x impact heat map."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import click

from commands.support.context import Ledger, pass_ledger
from commands.support.files import check_output, force_option, write_output
from commands.support.params import AS_AT


@click.command("risks")
@click.option("--register", type=click.Choice(["corporate", "directorate", "service", "project"]))
@click.option("--as-at", "as_at", type=AS_AT, metavar="WHEN", help="As the ledger stood then (default: now).")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "csv", "json", "html", "xlsx"]),
    default="table",
    show_default=True,
)
@click.option(
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    metavar="FILE",
    help="Write the report to FILE instead of the screen (needed for xlsx).",
)
@force_option
@pass_ledger
def risks(
    ledger: Ledger, register: str | None, as_at: datetime | None, fmt: str, output: Path | None, force: bool
) -> None:
    """The risks on the registers as they stood, with a heat map of their residual scores coloured by
    the matrix then in force. Same ledger and an explicit --as-at: byte-identical output."""
    from projections import queries
    from projections.reports import risks as report_risks

    if fmt == "xlsx" and output is None:
        raise click.UsageError("--format xlsx writes a workbook: give --output FILE.xlsx")
    if output is not None:
        check_output(output, ledger, force)
    with ledger.read() as conn:
        moment = ledger.report_time(as_at)
        data = report_risks.build(conn, queries.position_at(conn, moment), moment, register)
    content = report_risks.render(data, fmt)
    if output is not None:
        write_output(output, content, ledger, force=force)
        click.echo(f"wrote the {fmt} risk report to {output}", err=True)
        return
    click.echo(content.decode("utf-8"), nl=False)
