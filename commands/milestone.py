"""perfledger milestone: in-year milestones for annual indicators."""

from __future__ import annotations

from datetime import datetime

import click

from commands.support.context import Ledger, done, pass_ledger
from commands.support.output import emit, format_option, render
from ledger.vocabulary import MILESTONE_STATUSES


@click.group()
def milestone() -> None:
    """In-year milestones for annual indicators."""


@milestone.command("add")
@click.argument("code")
@click.option("--title", required=True, metavar="T")
@click.option("--due", type=click.DateTime(formats=["%Y-%m-%d"]), required=True, metavar="DATE")
@pass_ledger
def add(ledger: Ledger, code: str, title: str, due: datetime) -> None:
    """Add a milestone to annual indicator CODE; prints its id."""
    key = ledger.ready().targets.add_milestone(ledger.actor, code, title, due.date())
    click.echo(key)
    done(ledger, f"{code}: milestone {key} due {due.date().isoformat()}")


@milestone.command("progress")
@click.argument("milestone_id", metavar="ID")
@click.option("--status", required=True, metavar="|".join(MILESTONE_STATUSES),
              help="on-track, at-risk, missed or done.")
@click.option("--note", required=True, metavar="T")
@pass_ledger
def progress(ledger: Ledger, milestone_id: str, status: str, note: str) -> None:
    """Record progress on milestone ID."""
    ledger.ready().targets.milestone_progress(ledger.actor, milestone_id, status, note)
    done(ledger, f"{milestone_id}: {status}")


@milestone.command("list")
@click.option("--indicator", metavar="CODE")
@format_option()
@pass_ledger
def milestones(ledger: Ledger, indicator: str | None, fmt: str) -> None:
    """Milestones and their latest progress."""
    from projections import queries

    with ledger.read() as conn:
        rows = queries.milestones(conn, queries.head_position(conn), indicator)
    emit(render(rows, ["id", "indicator", "title", "due", "status", "note", "actor"], fmt))
