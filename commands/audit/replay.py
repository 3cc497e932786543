"""perfledger audit replay: do the live views follow from the events?"""

from __future__ import annotations

import sys

import click

from commands.support.context import Ledger, diverged, pass_ledger
from commands.support.output import Failed
from ledger.errors import Invalid
from policies.authorisation import Act


@click.command("replay")
@pass_ledger
def replay(ledger: Ledger) -> None:
    """Rebuild every view from the events in scratch space and compare it with the live one.

    The live views are first brought up to date, then events 1..P (their position) are
    replayed into scratch space (a temporary SQLite file, or a temporary schema in the same
    PostgreSQL database) and every view is compared row by row. Each difference is printed
    on stdout as a DIFFERENT: line (the first 50 per view; all are counted), then the exit
    code is 1. The live views are never changed, apart from the usual catch-up.
    """
    from projections.catchup.replay import ReplayError, verify_views
    from projections.catchup.runner import ViewsDiverged, check_follows

    app = ledger.authorised(Act.READ)
    tty = sys.stderr.isatty()

    def progress(message: str) -> None:
        click.echo(f"\r{message}\033[K", err=True, nl=False)

    app.audit.require_intact("the replay")
    try:  # views ahead of a truncated log: say so (and what to run), not a page of differences
        check_follows(ledger.engine, app.core)
    except ViewsDiverged as error:
        raise Invalid(diverged(error)) from None
    try:
        result = verify_views(app.core, ledger.engine, progress if tty else None)
    except ReplayError as error:
        raise Invalid(f"replay not completed: {error}") from None
    finally:
        if tty:
            click.echo("\r\033[K", err=True, nl=False)
    if result.warning:
        click.echo(f"warning: the live views could not catch up first ({result.warning})", err=True)
    if result.ok:
        click.echo(f"ok: {result.views} views match a replay of {result.replayed} events")
        return
    for table in result.differing:
        for difference in table.shown:
            click.echo(f"DIFFERENT: {difference.describe()}")
        if table.count > len(table.shown):
            click.echo(f"DIFFERENT: {table.table}: {table.count - len(table.shown)} more difference(s) "
                       "not shown")
    raise Failed(f"{result.differences} difference(s) in {len(result.differing)} view(s): the views "
                 "do not follow from the events; run perfledger projections rebuild")

