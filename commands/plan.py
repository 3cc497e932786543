"""perfledger plan: plans - the Community Strategy, the LAA, corporate, directorate and service plans."""

from __future__ import annotations

from datetime import datetime

import click

from commands.support.context import Ledger, done, pass_ledger
from commands.support.output import emit, format_option, render, render_record
from commands.support.params import AS_AT, PERIOD
from ledger.errors import NotFound
from ledger.values import Period
from ledger.vocabulary import PLAN_KINDS

PLAN_COLUMNS = ["code", "title", "kind", "parent", "start", "until", "priorities"]
PRIORITY_COLUMNS = ["code", "title", "theme", "indicators"]


@click.group()
def plan() -> None:
    """Plans (001 R6-R7, 000 §3.1-3.3): the golden thread from the Community Strategy and the LAA to
    service plans; each plan holds priorities, each priority a basket of indicators (perfledger priority)."""


@plan.command("add")
@click.argument("code")
@click.option("--title", required=True, metavar="T")
@click.option("--kind", required=True, type=click.Choice(PLAN_KINDS))
@click.option("--parent", metavar="CODE", help="The plan this one sits within (its span must be inside).")
@click.option("--from", "start", required=True, type=PERIOD, metavar="PERIOD",
              help="The first period, e.g. 2024/25.")
@click.option("--until", required=True, type=PERIOD, metavar="PERIOD", help="The last period, e.g. 2026/27.")
@pass_ledger
def add(ledger: Ledger, code: str, title: str, kind: str, parent: str | None, start: Period,
        until: Period) -> None:
    """Add plan CODE."""
    ledger.ready().plans.add(ledger.actor, code, title, kind, parent, start, until)
    done(ledger, f"plan {code} added ({kind}, {start} to {until})")


@plan.command("list")
@click.option("--as-at", "as_at", type=AS_AT, metavar="WHEN")
@format_option()
@pass_ledger
def list_(ledger: Ledger, as_at: datetime | None, fmt: str) -> None:
    """The plans (as at WHEN), each with how many priorities it holds."""
    from projections import queries
    from projections.queries import plans as plan_queries

    with ledger.read() as conn:
        position = queries.position_at(conn, as_at)
        held = plan_queries.priorities(conn, position)
        rows = [{**p, "priorities": sum(1 for q in held if q["plan"] == p["code"])}
                for p in plan_queries.plans(conn, position)]
    emit(render(rows, PLAN_COLUMNS, fmt))


@plan.command("show")
@click.argument("code")
@click.option("--as-at", "as_at", type=AS_AT, metavar="WHEN")
@format_option()
@pass_ledger
def show(ledger: Ledger, code: str, as_at: datetime | None, fmt: str) -> None:
    """Plan CODE (as at WHEN) with its priorities and their baskets."""
    from projections import queries
    from projections.queries import plans as plan_queries

    with ledger.read() as conn:
        position = queries.position_at(conn, as_at)
        found = next((p for p in plan_queries.plans(conn, position) if p["code"] == code), None)
        if found is None:
            raise NotFound(f"unknown plan {code!r}" + (" as at that time" if as_at else "")
                           + ": see perfledger plan list")
        held = [p for p in plan_queries.priorities(conn, position) if p["plan"] == code]
    fields = ("code", "title", "kind", "parent", "start", "until", "actor", "recorded_at")
    record = {k: found[k] for k in fields}
    if fmt == "json":
        emit(render_record({**record, "priorities": held}, fmt))
        return
    emit(render_record(record, fmt))
    if fmt == "table":
        emit("\nPriorities:\n")
    emit(render([{**p, "indicators": ";".join(p["indicators"])} for p in held], PRIORITY_COLUMNS, fmt,
                title="priorities"))
