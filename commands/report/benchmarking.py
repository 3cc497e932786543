"""perfledger report benchmarking: each national indicator across the councils of a ledger of many."""

from __future__ import annotations

from datetime import datetime

import click

from commands.support.context import Ledger, pass_ledger
from commands.support.output import emit, format_option, render
from commands.support.params import AS_AT, PERIOD
from ledger.values import Period


@click.command("benchmarking")
@click.option("--period", type=PERIOD, required=True, metavar="PERIOD",
              help="The period whose returns are compared, e.g. 2023/24-Q4 or 2024-03.")
@click.option("--council", metavar="CODE", help="Also where council CODE stands: its figure, its quartile "
                                                "(1 = best, by the indicator's polarity) and its rank.")
@click.option("--as-at", "as_at", type=AS_AT, metavar="WHEN", help="As the ledger stood then (default: now).")
@format_option()
@pass_ledger
def benchmarking(ledger: Ledger, period: Period, council: str | None, as_at: datetime | None,
                 fmt: str) -> None:
    """Each national indicator across the councils, from their own returns for PERIOD: how many councils
    returned it, the lower quartile, median and upper quartile (the inclusive method, as benchmark show),
    the lowest and the highest.

    For a ledger of many councils (demo --size national): a council's indicator codes are its
    ONS-shaped code, a space, then the national indicator (E06000001 NI 007); other codes are
    left out. Each return is read as the ledger believed it then: an explicit --as-at gives the
    same output whatever was recorded after it.
    """
    from projections import queries
    from projections.queries import councils

    with ledger.read() as conn:
        position = queries.position_at(conn, as_at)
        rows = list(councils.benchmarking(conn, position, str(period), council.strip() if council else None))
    columns = councils.COLUMNS + (councils.STANDING if council else [])
    emit(render(rows, columns, fmt, title="benchmarking"))
