"""perfledger assess: the lead's judgement of whether an indicator will meet its year's target."""

from __future__ import annotations

import click

from commands.support.context import Ledger, done, pass_ledger
from commands.support.params import PERIOD
from ledger.values import Period
from ledger.vocabulary import OUTLOOKS


@click.command()
@click.argument("code")
@click.argument("year", type=PERIOD)
@click.option("--outlook", required=True, metavar="|".join(OUTLOOKS), help="likely, difficult or unlikely.")
@click.option("--note", required=True, metavar="T")
@pass_ledger
def assess(ledger: Ledger, code: str, year: Period, outlook: str, note: str) -> None:
    """Record the lead's judgement: will CODE meet YEAR's target? (assessed RAG)"""
    ledger.ready().targets.assess(ledger.actor, code, year, outlook, note)
    done(ledger, f"{code} {year}: {outlook}")
