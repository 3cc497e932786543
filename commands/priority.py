"""perfledger priority: a plan's priorities, each with a theme and a basket of indicators."""

from __future__ import annotations

from datetime import datetime

import click

from commands.support.context import Ledger, done, pass_ledger
from commands.support.output import emit, format_option, render
from commands.support.params import AS_AT

COLUMNS = ["code", "plan", "title", "theme", "indicators"]


@click.group()
def priority() -> None:
    """Priorities of a plan (000 §3.1-3.3), each with a theme and a basket of indicators; reports take
    --plan and --priority and group their rows by priority."""


@priority.command("add")
@click.argument("code")
@click.option("--plan", required=True, metavar="PLAN")
@click.option("--title", required=True, metavar="T")
@click.option("--theme", metavar="T", help="The thematic partnership or block that owns it.")
@pass_ledger
def add(ledger: Ledger, code: str, plan: str, title: str, theme: str | None) -> None:
    """Add priority CODE to PLAN."""
    ledger.ready().plans.add_priority(ledger.actor, code, plan, title, theme)
    done(ledger, f"priority {code} added to plan {plan}")


@priority.command("link")
@click.argument("code")
@click.option("--indicator", "indicators", required=True, multiple=True, metavar="CODE",
              help="An indicator for the basket (repeat for more).")
@pass_ledger
def link(ledger: Ledger, code: str, indicators: tuple[str, ...]) -> None:
    """Put indicators in priority CODE's basket."""
    linked = ledger.ready().plans.link(ledger.actor, code, list(indicators))
    done(ledger, f"priority {code}: linked {', '.join(linked)}")


@priority.command("unlink")
@click.argument("code")
@click.option("--indicator", "indicators", required=True, multiple=True, metavar="CODE")
@click.option("--reason", required=True, metavar="T")
@pass_ledger
def unlink(ledger: Ledger, code: str, indicators: tuple[str, ...], reason: str) -> None:
    """Take indicators out of priority CODE's basket (kept in the history)."""
    ledger.ready().plans.unlink(ledger.actor, code, list(indicators), reason)
    done(ledger, f"priority {code}: unlinked {', '.join(indicators)}")


@priority.command("list")
@click.option("--plan", metavar="PLAN", help="Only the priorities of PLAN and the plans within it.")
@click.option("--as-at", "as_at", type=AS_AT, metavar="WHEN")
@format_option()
@pass_ledger
def list_(ledger: Ledger, plan: str | None, as_at: datetime | None, fmt: str) -> None:
    """The priorities (as at WHEN) and their baskets."""
    from projections import queries
    from projections.queries import plans as plan_queries

    with ledger.read() as conn:
        rows = plan_queries.priorities(conn, queries.position_at(conn, as_at), plan)
    shown = [{**r, "indicators": ";".join(r["indicators"])} for r in rows] if fmt != "json" else rows
    emit(render(shown, COLUMNS, fmt))
