"""perfledger report diff: every figure that differs between two dates, and why."""

from __future__ import annotations

from datetime import datetime

import click

from commands.support.context import Ledger, pass_ledger
from commands.support.output import emit, format_option, keep_sheets
from commands.support.params import AS_AT, PERIOD
from ledger.errors import Invalid
from ledger.values import Period, format_utc


@click.command("diff")
@click.option("--from", "start", type=AS_AT, metavar="WHEN", required=True)
@click.option("--to", "end", type=AS_AT, metavar="WHEN", required=True)
@click.option("--period", type=PERIOD, help="Only figures for PERIOD and the periods inside it.")
@click.option("--indicator", metavar="CODE", help="Only CODE's figures.")
@format_option()
@pass_ledger
def diff(ledger: Ledger, start: datetime, end: datetime, period: Period | None, indicator: str | None,
         fmt: str) -> None:
    """Every figure that differs between two dates, with the events that explain it."""
    from projections import queries
    from projections.reports.diff import changes
    from projections.reports.formats import diff_sheets, render_diff

    if end < start:
        raise Invalid("--to is before --from: give the earlier date first")
    with ledger.read() as conn:
        end = ledger.report_time(end)
        start = min(start, end)
        first, last = queries.position_at(conn, start), queries.position_at(conn, end)
        found = changes(conn, first, last, period, indicator)
    result = {"from": {"as_at": format_utc(start), "position": first},
              "to": {"as_at": format_utc(end), "position": last},
              "period": str(period) if period else None, "indicator": indicator, "differences": found}
    if fmt == "xlsx":
        keep_sheets(diff_sheets(result))
        return
    emit(render_diff(result, fmt))
