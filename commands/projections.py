"""perfledger projections: rebuild every view from the events."""

from __future__ import annotations

import sys

import click

from commands.support.context import Ledger, pass_ledger
from policies.authorisation import Act


@click.group()
def projections() -> None:
    """The read models (views) derived from the events."""


@projections.command("rebuild")
@pass_ledger
def rebuild(ledger: Ledger) -> None:
    """Empty every view and replay all events from position 1 (administrators only).

    Maintenance, not a read: it changes no event, but it empties and refills
    every view that every other command reads.
    """
    from projections.catchup.runner import rebuild as rebuild_views

    app = ledger.authorised(Act.PROJECTIONS_REBUILD)

    def progress(n: int) -> None:
        if sys.stderr.isatty():
            click.echo(f"\rreplayed {n} events", err=True, nl=False)

    app.audit.require_intact("rebuilding the views")
    count = rebuild_views(ledger.engine, app.core, progress)
    if sys.stderr.isatty():
        click.echo("", err=True)
    click.echo(f"rebuilt the views from {count} events", err=True)

