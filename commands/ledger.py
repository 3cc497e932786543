"""perfledger ledger: ledger-wide settings of how it proves who acts."""

from __future__ import annotations

import click

from commands.support.context import Ledger, done, pass_ledger


@click.group("ledger")
def ledger_() -> None:
    """Ledger-wide settings."""


@ledger_.command("identity")
@click.argument("mode", type=click.Choice(["signed"]))
@click.option("--reason", required=True, metavar="T")
@pass_ledger
def identity(ledger: Ledger, mode: str, reason: str) -> None:
    """Require signed identity from now on: every write by a person with an enrolled key must
    be signed with it (--key). There is no way back (administrators only)."""
    keyed = ledger.ready().people.require_signatures(ledger.actor, reason)
    done(ledger, f"identity: signed from now on ({keyed} people have enrolled keys)")
