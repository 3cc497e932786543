"""perfledger rag: the ledger-wide rating rules."""

from __future__ import annotations

from decimal import Decimal

import click

from commands.support.context import Ledger, done, pass_ledger
from commands.support.params import DECIMAL, PERIOD
from ledger.values import Period


@click.group()
def rag() -> None:
    """The ledger-wide rating rules."""


@rag.command("default")
@click.option("--tolerance", type=DECIMAL, required=True, metavar="PCT")
@click.option("--from", "from_period", type=PERIOD, metavar="PERIOD",
              help="The first period the rule applies to (default: all periods).")
@click.option("--reason", required=True, metavar="T")
@pass_ledger
def default(ledger: Ledger, tolerance: Decimal, from_period: Period | None, reason: str) -> None:
    """Change the ledger-wide amber band (a percentage of the target)."""
    ledger.ready().targets.rag_default(ledger.actor, tolerance, from_period, reason)
    scope = f"from {from_period}" if from_period else "for all periods"
    done(ledger, f"default tolerance {tolerance}% {scope}")
