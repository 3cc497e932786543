"""perfledger action: action plans for indicators, risks and escalation cases."""

from __future__ import annotations

from datetime import date, datetime

import click

from commands.support.context import Ledger, done, pass_ledger
from commands.support.output import emit, format_option, render
from commands.support.params import AS_AT, Bounded


@click.group()
def action() -> None:
    """Action plans (000 §3.7, §4.8): SMART actions with a lead, a deadline and progress, for an
    indicator, a risk or an escalation case."""


@action.command("add")
@click.option("--for", "target", required=True, metavar="CODE|RISK|CASE",
              help="The indicator, risk or escalation case the action serves.")
@click.option("--title", required=True, metavar="T")
@click.option("--lead", required=True, metavar="NAME", help="Who leads it (on the roster).")
@click.option("--due", required=True, type=click.DateTime(["%Y-%m-%d"]), metavar="DATE")
@pass_ledger
def add(ledger: Ledger, target: str, title: str, lead: str, due: datetime) -> None:
    """Add an action; prints its id."""
    key = ledger.ready().actions.add(ledger.actor, target, title, lead, due.date())
    click.echo(key)
    done(ledger, f"{key}: for {target}, lead {lead}, due {due.date().isoformat()}")


@action.command("progress")
@click.argument("key", metavar="ID")
@click.option("--percent", required=True, type=Bounded(0, 99), metavar="N")
@click.option("--note", required=True, metavar="T")
@pass_ledger
def progress(ledger: Ledger, key: str, percent: int, note: str) -> None:
    """Report progress on action ID (by its lead, performance support or an administrator)."""
    ledger.ready().actions.progress(ledger.actor, key, percent, note)
    done(ledger, f"{key}: {percent}%")


@action.command("complete")
@click.argument("key", metavar="ID")
@click.option("--note", required=True, metavar="T")
@pass_ledger
def complete(ledger: Ledger, key: str, note: str) -> None:
    """Complete action ID."""
    ledger.ready().actions.complete(ledger.actor, key, note)
    done(ledger, f"{key}: complete")


@action.command("list")
@click.option("--overdue", is_flag=True, help="Only the actions past their due date and not complete.")
@click.option("--for", "target", metavar="X", help="Only the actions for X (an indicator, risk or case).")
@click.option("--as-at", "as_at", type=AS_AT, metavar="WHEN", help="As the plans stood then.")
@format_option()
@pass_ledger
def list_(ledger: Ledger, overdue: bool, target: str | None, as_at: datetime | None, fmt: str) -> None:
    """The actions, soonest due first; overdue ones are marked."""
    from projections import queries
    from projections.queries import actions as plans
    from projections.queries.escalations import as_at_date

    today: date = as_at_date(as_at or datetime.now().astimezone())
    with ledger.read() as conn:
        rows = plans.actions(conn, queries.position_at(conn, as_at), today, overdue, target)
    emit(render(rows, plans.COLUMNS, fmt))
