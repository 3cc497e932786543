"""perfledger demo: build a realistic sample ledger and print what it holds.

The demo's data (``data``), its timeline of who recorded what when (``timeline``,
``ladder``, ``quality``) and its orchestration (``build``) live in this package.
"""

from __future__ import annotations

import os
import sys

import click
from click.core import ParameterSource

from commands.support.context import Ledger
from commands.support.output import emit, render

DEMO_URL = "sqlite:///perfledger-demo.db"


@click.command()
@click.option("--db", "db", metavar="URL", default=None,
              help="Where to build the demo (overrides the global --db and PERFLEDGER_DB; "
                   "default ./perfledger-demo.db).")
@click.pass_context
def demo(ctx: click.Context, db: str | None) -> None:
    """Build a realistic sample ledger and print what it holds.

    It writes to --db given here, else to the global --db or PERFLEDGER_DB,
    else to ./perfledger-demo.db. It never writes into a ledger that holds
    anything but an earlier demo. The acting user is enrolled with every
    role, so every command can be tried.
    """
    from commands.demo.build import build_demo, key_folder, reset_earlier_demo
    from projections.reports.formats import as_table
    from projections.reports.render import shorten

    ledger: Ledger = ctx.obj
    if db is not None:
        ledger.use(db)
    elif ctx.find_root().get_parameter_source("db") is ParameterSource.DEFAULT and not os.environ.get(
            "PERFLEDGER_DB"):
        ledger.use(DEMO_URL)
    reset_earlier_demo(ledger)
    click.echo(f"building the demo ledger at {ledger.config.display} ...", err=True)
    built = build_demo(ledger)
    counts = built.counts
    rows = [{**row, "title": shorten(row["title"], 48)} for row in built.indicators]
    click.echo(f"\nperfledger demo: {counts['people']} people, {counts['indicators']} indicators, "
               f"{counts['returns']} returns, {counts['revisions']} revisions; {built.position} events\n")
    emit(render(rows, ["code", "title", "frequency", "latest", "value", "status"], "table"))
    click.echo()
    click.echo(as_table(built.report, sys.stdout.isatty()), nl=False)
    click.echo(f"\nchain digest: {built.digest}")
    click.echo(f"the cast's signing keys: {key_folder(ledger)}/ (e.g. --key "
               f"{key_folder(ledger) / 'tom-okafor.key'}; see docs/threat-model.md)")
    click.echo(f"try: perfledger --db {ledger.config.url} audit trail --indicator 'NI 192'")
