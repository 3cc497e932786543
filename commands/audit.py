"""perfledger audit: the trail of who changed what and why; the chain digest and its verification."""

from __future__ import annotations

import sys
from datetime import datetime

import click

from commands.context import Ledger, pass_ledger
from commands.output import emit, format_option, render
from commands.params import AS_AT, PERIOD, SINCE
from ledger.store.chain import Digest
from ledger.values import Period
from projections import queries

TRAIL_COLUMNS = ["position", "recorded_at", "actor", "event", "indicator", "period", "reason",
                 "before", "after", "detail"]


@click.group()
def audit() -> None:
    """History and tamper evidence."""


@audit.command("trail")
@click.option("--indicator", metavar="CODE")
@click.option("--period", type=PERIOD)
@click.option("--actor", "who", metavar="NAME", help="Only what NAME did.")
@click.option("--since", type=SINCE, metavar="WHEN")
@click.option("--until", type=AS_AT, metavar="WHEN")
@format_option()
@pass_ledger
def trail(ledger: Ledger, indicator: str | None, period: Period | None, who: str | None,
          since: datetime | None, until: datetime | None, fmt: str) -> None:
    """Every recorded event, in position order, with who, why, and before/after values."""
    with ledger.read() as conn:
        rows = list(queries.trail(conn, indicator=indicator, period=str(period) if period else None,
                                  actor=who, since=since, until=until))
    emit(render(rows, TRAIL_COLUMNS, fmt))


@audit.command("digest")
@pass_ledger
def digest(ledger: Ledger) -> None:
    """Print the chain head as SIZE:CHAINHEX, for publishing outside the database."""
    app = ledger.ready()
    app.authorise(ledger.actor, "read")
    click.echo(str(app.digest()))


@audit.command("verify")
@click.option("--digest", "digest_text", metavar="DIGEST",
              help="A digest published earlier: also prove the log still extends it.")
@pass_ledger
def verify(ledger: Ledger, digest_text: str | None) -> None:
    """Recompute the hash chain from the stored events; exit 1 naming the first bad position."""
    expected = None
    if digest_text is not None:
        try:
            expected = Digest.parse(digest_text)
        except ValueError as error:
            raise click.BadParameter(str(error), param_hint="--digest") from None
    app = ledger.open()
    progress = None
    if sys.stderr.isatty():
        def progress(n: int) -> None:
            if n % 50000 == 0:
                click.echo(f"\rverified {n} events", err=True, nl=False)
    # The chain is checked from the raw rows before anything is decoded: a tampered event
    # may not even decode, and tamper found must be reported whoever asks.
    verdict = app.verify(expected, progress)
    if not verdict.ok:
        click.echo(f"TAMPERED: {verdict.problem}", err=True)
        sys.exit(1)
    app.settings()
    app.authorise(ledger.actor, "read")
    against = f"; extends {expected}" if expected else ""
    click.echo(f"ok: {verdict.size} events verified; head {verdict.digest}{against}")


COMMANDS = [audit]
