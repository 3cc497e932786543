"""perfledger audit trail: every recorded event, with who, why, and before/after values."""

from __future__ import annotations

from datetime import datetime

import click

from commands.support.context import Ledger, pass_ledger
from commands.support.output import emit, format_option, render
from commands.support.params import AS_AT, PERIOD, SINCE
from ledger.errors import NotFound
from ledger.values import Period

TRAIL_COLUMNS = ["position", "recorded_at", "actor", "event", "indicator", "period", "reason",
                 "before", "after", "detail"]
TRAIL_FIELDS = [*TRAIL_COLUMNS, "adjustment", "requested_by", "decided_by", "login"]  # csv and json


@click.command("trail")
@click.option("--indicator", metavar="CODE")
@click.option("--period", type=PERIOD)
@click.option("--actor", "who", metavar="NAME", help="Only what NAME did.")
@click.option("--since", type=SINCE, metavar="WHEN")
@click.option("--until", type=AS_AT, metavar="WHEN")
@format_option()
@pass_ledger
def trail(ledger: Ledger, indicator: str | None, period: Period | None, who: str | None,
          since: datetime | None, until: datetime | None, fmt: str) -> None:
    """Every recorded event, in position order, with who, why, and before/after values.

    On PostgreSQL the login that wrote each event (the server's session_user, in its leaf
    hash) is in csv and json, and beside the actor in the table where logins are bound."""
    from projections import queries

    with ledger.read() as conn:  # the actor may read before anything is said of the ledger
        if indicator is not None and indicator not in ledger.app.core.indicator_codes():
            raise NotFound(f"unknown indicator {indicator!r}: see perfledger indicator list")
        rows = list(queries.trail(conn, indicator=indicator, period=str(period) if period else None,
                                  actor=who, since=since, until=until))
    # the login that wrote each event (PostgreSQL) is in csv and json always, and in the table
    # once the ledger binds people to logins (where it is who acted)
    bound = ledger.app.core.roster().any_bound
    columns = [*TRAIL_COLUMNS[:3], "login", *TRAIL_COLUMNS[3:]] if bound else TRAIL_COLUMNS
    emit(render(rows, columns if fmt == "table" else TRAIL_FIELDS, fmt))
