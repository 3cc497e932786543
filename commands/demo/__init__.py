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
NATIONAL_COUNCILS = 317  # English councils in the national demo (commands/demo/national.py, KINDS)


@click.command()
@click.option("--db", "db", metavar="URL", default=None,
              help="Where to build the demo (overrides the global --db and PERFLEDGER_DB; "
                   "default ./perfledger-demo.db).")
@click.option("--size", type=click.Choice(["standard", "national"]), default="standard", show_default=True,
              help="standard: one partnership, every feature; national: every English council's "
                   "returns, synthetic, for PostgreSQL (docs/scaling.md).")
@click.option("--councils", type=click.IntRange(1, NATIONAL_COUNCILS), default=None, metavar="N",
              help="With --size national: the first N councils (default all 317).")
@click.pass_context
def demo(ctx: click.Context, db: str | None, size: str, councils: int | None) -> None:
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
    if size == "national":
        national_demo(ledger, councils)
        return
    if councils is not None:
        raise click.UsageError("--councils N goes with --size national")
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


def national_demo(ledger: Ledger, count: int | None) -> None:
    """Stream the national demo into the ledger (PostgreSQL; SQLite for a few councils only)."""
    from collections import Counter

    from commands.demo import national
    from commands.demo.build import reset_earlier_demo
    from ledger.errors import Invalid
    from projections.catchup.runner import catch_up

    count = count if count is not None else len(national.councils())
    if ledger.config.backend == "sqlite" and count > national.SQLITE_MOST:
        returns = count * national.returns_per_council()
        raise Invalid(f"a national demo of {count} councils ({returns:,} returns) is for PostgreSQL: "
                      f"give --db postgresql://... (on SQLite, --councils {national.SQLITE_MOST} or fewer)")
    reset_earlier_demo(ledger)
    app = ledger.open(create=True)
    click.echo(f"building the national demo ({count} councils x {national.INDICATORS} indicators x "
               f"{national.YEARS} years) at {ledger.config.display} ...", err=True)

    def progress(message: str) -> None:
        if sys.stderr.isatty():
            click.echo(f"\r{message}", err=True, nl=False)

    clock, store = national.NationalClock(), app.core.store
    own, store.clock = store.clock, clock  # the events are stamped with the simulated clock
    try:
        counts = national.build(app, clock, ledger.actor, count, progress)
    finally:
        store.clock = own
    applied = catch_up(ledger.engine, app.core)
    if sys.stderr.isatty():
        click.echo("", err=True)
    first = national.councils(1)[0]
    last = national.quarters()[-1]
    with ledger.engine.connect() as conn:
        shown = national.council_rag(conn, first, None, last)["rows"]
    ratings = Counter(row["rating"] for row in shown)
    click.echo(f"perfledger demo --size national: {counts['councils']} councils, {counts['indicators']:,} "
               f"indicators, {counts['returns']:,} returns, {counts['revisions']:,} revisions; "
               f"{applied:,} events")
    click.echo(f"council {first}, {last}: {len(shown)} indicators rated "
               + ", ".join(f"{n} {rating}" for rating, n in sorted(ratings.items())))
    click.echo(f"try: perfledger --db {ledger.config.url} report rag --plan {first} --period {last}")
    click.echo(f"chain digest: {app.audit.digest()}")
