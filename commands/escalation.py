"""perfledger escalation: the ladder's decisions and people's part in them."""

from __future__ import annotations

from datetime import datetime

import click

from commands.support.context import Ledger, done, pass_ledger
from commands.support.output import emit, format_option, render, render_record
from commands.support.params import AS_AT
from ledger.errors import NotFound

HISTORY_COLUMNS = ["position", "recorded_at", "actor", "action", "stage", "review", "due", "note", "plan"]


@click.group()
def escalation() -> None:
    """Escalation cases: the ladder's decisions and people's responses."""


@escalation.command("list")
@click.option("--open", "only_open", is_flag=True, help="Only cases not closed.")
@click.option("--overdue", is_flag=True, help="Only cases whose response is overdue.")
@click.option("--as-at", "as_at", type=AS_AT, metavar="WHEN")
@format_option()
@pass_ledger
def list_(ledger: Ledger, only_open: bool, overdue: bool, as_at: datetime | None, fmt: str) -> None:
    """Every escalation case, with its status (overdue: past its deadline, not responded)."""
    from projections import queries
    from projections.queries import escalations as cases

    with ledger.read() as conn:
        position = queries.position_at(conn, as_at)
        moment = as_at or datetime.now().astimezone()
        found = cases.cases(conn, position, cases.as_at_date(moment))
    if only_open:
        found = [c for c in found if c["status"] != "closed"]
    if overdue:
        found = [c for c in found if c["status"] == "overdue"]
    emit(render(found, cases.COLUMNS, fmt))


@escalation.command("show")
@click.argument("case", metavar="ID")
@click.option("--as-at", "as_at", type=AS_AT, metavar="WHEN")
@format_option()
@pass_ledger
def show(ledger: Ledger, case: str, as_at: datetime | None, fmt: str) -> None:
    """Case ID and its whole history."""
    from projections import queries
    from projections.queries import escalations as cases

    with ledger.read() as conn:
        position = queries.position_at(conn, as_at)
        moment = as_at or datetime.now().astimezone()
        found = cases.cases(conn, position, cases.as_at_date(moment), case)
        if not found:
            raise NotFound(f"unknown escalation {case!r}: see perfledger escalation list")
        steps = cases.history(conn, case, position)
    record = {**found[0], "history": steps}
    if fmt == "json":
        emit(render_record(record, fmt))
        return
    emit(render_record(found[0], fmt))
    if fmt == "table":
        emit("\nHistory:\n")
    emit(render(steps, HISTORY_COLUMNS, fmt))


@escalation.command("raise")
@click.argument("code")
@click.option("--stage", type=int, required=True, metavar="N")
@click.option("--note", required=True, metavar="T")
@pass_ledger
def raise_(ledger: Ledger, code: str, stage: int, note: str) -> None:
    """Open CODE's case at stage N by hand (or move its open case up to N); prints its id."""
    key = ledger.ready().escalations.raise_escalation(ledger.actor, code, stage, note)
    click.echo(key)
    done(ledger, f"{code}: escalation {key} at stage {stage}")


@escalation.command("respond")
@click.argument("case", metavar="ID")
@click.option("--note", required=True, metavar="T")
@click.option("--plan", metavar="REF", help="The plan asked for (required at stages that ask for one).")
@click.option("--action", "actions", multiple=True, metavar="ID",
              help="An action of the plan (repeat for more).")
@pass_ledger
def respond(ledger: Ledger, case: str, note: str, plan: str | None, actions: tuple[str, ...]) -> None:
    """Respond to case ID (a progress report, or a plan with --plan, naming its actions)."""
    ledger.ready().escalations.respond(ledger.actor, case, note, plan, list(actions))
    done(ledger, f"{case}: responded")


@escalation.command("close")
@click.argument("case", metavar="ID")
@click.option("--note", required=True, metavar="T")
@pass_ledger
def close(ledger: Ledger, case: str, note: str) -> None:
    """Close case ID by hand; the next review may open a new case if performance stays below."""
    ledger.ready().escalations.close(ledger.actor, case, note)
    done(ledger, f"{case}: closed")
