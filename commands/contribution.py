"""perfledger contribution: a contributing organisation's own target and returns for an indicator."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

import click

from commands.support.context import Ledger, done, pass_ledger
from commands.support.output import emit, format_option, render
from commands.support.params import AS_AT, DECIMAL, PERIOD
from ledger.errors import NotFound
from ledger.values import Period

COLUMNS = ["period", "organisation", "target", "actual", "share", "total", "commentary"]


@click.group()
def contribution() -> None:
    """Contributions (000 §10.10): an organisation designated as contributing to an indicator agrees its
    own contribution target and reports its part to the lead, who sees it beside the total."""


@contribution.command("target")
@click.argument("code")
@click.argument("organisation")
@click.argument("period", type=PERIOD)
@click.argument("value", type=DECIMAL)
@click.option("--reason", required=True, metavar="T")
@pass_ledger
def target(ledger: Ledger, code: str, organisation: str, period: Period, value: Decimal, reason: str) -> None:
    """Set ORGANISATION's contribution target to CODE for PERIOD."""
    ledger.ready().contributions.set_target(ledger.actor, code, organisation, period, value, reason)
    done(ledger, f"{code} {period}: {organisation}'s contribution target {value}")


@contribution.command("return")
@click.argument("code")
@click.argument("organisation")
@click.argument("period", type=PERIOD)
@click.argument("value", type=DECIMAL)
@click.option("--comment", metavar="T")
@pass_ledger
def return_(
    ledger: Ledger, code: str, organisation: str, period: Period, value: Decimal, comment: str | None
) -> None:
    """Report ORGANISATION's contribution to CODE for PERIOD (its own people, or performance support)."""
    ledger.ready().contributions.report(ledger.actor, code, organisation, period, value, comment)
    done(ledger, f"{code} {period}: {organisation} contributed {value}")


@contribution.command("list")
@click.argument("code")
@click.option("--as-at", "as_at", type=AS_AT, metavar="WHEN")
@format_option()
@pass_ledger
def list_(ledger: Ledger, code: str, as_at: datetime | None, fmt: str) -> None:
    """CODE's contributions by period (as at WHEN), each beside the indicator's total."""
    from projections import queries
    from projections.queries import plans as plan_queries

    with ledger.read() as conn:
        position = queries.position_at(conn, as_at)
        if queries.indicator(conn, code, position) is None:
            raise NotFound(f"unknown indicator {code!r}: see perfledger indicator list")
        found = plan_queries.contributions(conn, position, code)
        totals = {r["period"]: r["value"] for r in queries.returns(conn, code, position)}
    rows = []
    for (_, period), parts in sorted(found.items(), key=lambda item: item[0][1]):
        total = totals.get(period)
        for part in parts:
            share = (
                f"{round(100 * Decimal(part['actual']) / Decimal(total))}%"
                if part["actual"] is not None and total not in (None, "0")
                else None
            )
            rows.append({"period": period, **part, "share": share, "total": total})
    emit(render(rows, COLUMNS, fmt))
