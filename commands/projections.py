"""perfledger projections: rebuild every view from the events, or follow them as they arrive."""

from __future__ import annotations

import signal
import sys

import click

from commands.support.context import Ledger, diverged, pass_ledger
from ledger.errors import Invalid
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



@projections.command("follow")
@pass_ledger
def follow(ledger: Ledger) -> None:
    """Keep the views caught up as events arrive, until stopped (PostgreSQL).

    A long-lived process: it LISTENs for the ledger's commits and applies each to the views
    at once. While it runs, commands that write leave the views to it, and a read that finds
    them behind waits for it to reach every event written before the read began (at most
    PERFLEDGER_FOLLOW_WAIT seconds, default 10; then the read catches up itself). SIGTERM or
    Ctrl-C stops it cleanly. One follower per ledger; see docs/scaling.md for a systemd unit.
    """
    if ledger.config.backend != "postgres":
        raise Invalid("projections follow is for PostgreSQL ledgers: on SQLite every command "
                      "catches the views up itself, so there is nothing to follow")
    from projections.catchup.follow import AlreadyFollowing, follow_events, views_position
    from projections.catchup.runner import ViewsDiverged

    app = ledger.authorised(Act.READ)
    app.audit.require_intact("following the events")
    stopping: list[int] = []

    def stop(signum: int, _frame: object) -> None:
        stopping.append(signum)

    def applied(count: int, position: int) -> None:
        click.echo(f"applied {count} event(s): the views stand at position {position}", err=True)

    def started(position: int) -> None:
        click.echo(f"following the ledger's events from position {position}; stop with SIGTERM or Ctrl-C",
                   err=True)

    before = {signum: signal.signal(signum, stop) for signum in (signal.SIGTERM, signal.SIGINT)}
    try:
        follow_events(ledger.engine, app.core, lambda: bool(stopping), applied, started)
    except AlreadyFollowing:
        raise Invalid("another perfledger projections follow is already following this ledger: "
                      "one is enough (stop it first to start another)") from None
    except ViewsDiverged as error:
        raise Invalid(diverged(error)) from None
    finally:
        for signum, handler in before.items():
            signal.signal(signum, handler)
    click.echo(f"stopped following: the views stand at position {views_position(ledger.engine)}", err=True)
