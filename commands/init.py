"""perfledger init: create the ledger and its first administrator."""

from __future__ import annotations

from decimal import Decimal

import click

from commands.support.context import Ledger, done, pass_ledger
from commands.support.params import DECIMAL


@click.command()
@click.option("--admin", metavar="NAME", help="The first administrator (default: the acting user).")
@click.option("--tolerance", type=DECIMAL, default="5", show_default=True, metavar="PCT",
              help="Ledger-wide amber band, a percentage of the target.")
@pass_ledger
def init(ledger: Ledger, admin: str | None, tolerance: Decimal) -> None:
    """Create the ledger (idempotent); NAME becomes its administrator."""
    app = ledger.open(create=True)
    administrator = admin or ledger.actor
    if app.people.initialise(ledger.actor, administrator, tolerance):
        done(ledger, f"initialised ledger at {ledger.config.display}; administrator: {administrator}")
    else:
        click.echo(f"ledger at {ledger.config.display} is already initialised: nothing changed", err=True)

