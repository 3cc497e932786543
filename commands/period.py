"""perfledger period: closing reported periods, and the list of closed ones."""

from __future__ import annotations

import click

from commands.support.context import Ledger, done, pass_ledger
from commands.support.output import emit, format_option, render
from commands.support.params import PERIOD
from ledger.values import Period


@click.group()
def period() -> None:
    """Reporting periods."""


@period.command("close")
@click.argument("period", type=PERIOD)
@click.option("--note", metavar="T")
@pass_ledger
def close(ledger: Ledger, period: Period, note: str | None) -> None:
    """Close PERIOD (and every finer period inside it): later changes are retrospective."""
    ledger.ready().targets.close_period(ledger.actor, period, note)
    done(ledger, f"{period} closed")


@period.command("list")
@format_option()
@pass_ledger
def closed_list(ledger: Ledger, fmt: str) -> None:
    """The closed periods."""
    from projections import queries

    with ledger.read() as conn:
        rows = queries.closed_periods(conn, queries.head_position(conn))
    emit(render(rows, ["period", "note", "actor", "recorded_at"], fmt))
