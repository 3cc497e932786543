"""perfledger demo: build a realistic sample ledger and print what it holds."""

from __future__ import annotations

import os
import sys
from datetime import UTC, datetime
from pathlib import Path

import click

from commands.context import Ledger
from commands.output import emit, render, shorten
from commands.report_render import as_table
from ledger import demo as sample
from ledger.errors import Invalid
from ledger.values import Period
from projections import queries
from projections.catchup.runner import catch_up, clear
from projections.reports.rag import build as rag_report

DEMO_URL = "sqlite:///perfledger-demo.db"
REPORT_PERIOD = Period.quarter(sample.YEARS[-1], 4)  # the latest quarter the demo holds


def _reset_earlier_demo(ledger: Ledger) -> None:
    """An earlier demo is thrown away whole; anything else is never touched."""
    app = ledger.open(create=True)
    if app.core.is_empty():
        return
    if not (app.core.is_initialised() and app.core.settings().demo):
        raise Invalid(
            f"{ledger.config.display} holds a ledger that is not a demo: perfledger demo never writes "
            "into it; choose another --db"
        )
    ledger.close()
    if ledger.config.path is not None:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{ledger.config.path}{suffix}").unlink(missing_ok=True)
    else:
        from sqlalchemy import text

        engine = ledger.engine
        with engine.begin() as conn:
            for table in ("ledger_events", "perfledger_chain"):
                conn.execute(text(f"DROP TABLE IF EXISTS {table}"))
        clear(engine)
    _use(ledger, ledger.config.url)


def _use(ledger: Ledger, url: str) -> None:
    """Point the command's ledger at ``url`` (nothing has been opened yet)."""
    fresh = Ledger(url, ledger.actor)
    ledger.__dict__.update(fresh.__dict__)


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
    ledger: Ledger = ctx.obj
    root = ctx.find_root()
    if db is not None:
        _use(ledger, db)
    elif root.get_parameter_source("db").name == "DEFAULT" and not os.environ.get("PERFLEDGER_DB"):  # type: ignore[union-attr]
        _use(ledger, DEMO_URL)
    _reset_earlier_demo(ledger)
    app = ledger.open(create=True)
    click.echo(f"building the demo ledger at {ledger.config.display} ...", err=True)
    counts = sample.build(app, ledger.actor)
    catch_up(ledger.engine, app.core)
    with ledger.engine.connect() as conn:
        position = queries.head_position(conn)
        rows = []
        for indicator in queries.indicators(conn, position):
            held = queries.returns(conn, indicator["code"], position)
            latest = held[-1] if held else None
            rows.append({"code": indicator["code"], "title": shorten(indicator["title"], 48),
                         "frequency": indicator["frequency"],
                         "latest": latest["period"] if latest else None,
                         "value": latest["value"] if latest else None,
                         "status": latest["status"] if latest else None})
        report = rag_report(conn, position, datetime.now(UTC), REPORT_PERIOD)
    click.echo(f"\nperfledger demo: {counts['people']} people, {counts['indicators']} indicators, "
               f"{counts['returns']} returns, {counts['revisions']} revisions; {position} events\n")
    emit(render(rows, ["code", "title", "frequency", "latest", "value", "status"], "table"))
    click.echo()
    click.echo(as_table(report, sys.stdout.isatty()), nl=False)
    click.echo(f"\nchain digest: {app.audit.digest()}")
    click.echo(f"try: perfledger --db {ledger.config.url} audit trail --indicator 'NI 192'")


COMMANDS = [demo]
