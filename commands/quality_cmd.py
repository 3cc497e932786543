"""perfledger return validate / return due, and perfledger query: the data-quality officer's controls."""

from __future__ import annotations

from datetime import UTC, datetime

import click

from commands.context import Ledger, done, pass_ledger
from commands.output import emit, format_option, render
from commands.params import AS_AT, PERIOD
from commands.returns_cmd import return_
from ledger.app.quality import OUTCOMES
from ledger.values import Period
from projections import queries
from projections.queries.designations import indicators_of
from projections.queries.quality import DUE_COLUMNS, QUERY_COLUMNS, due_rows, query_rows


@return_.command("validate")
@click.argument("code")
@click.argument("period", type=PERIOD)
@click.option("--note", metavar="T", help="How it was validated (the documented check, 000 §9.2.3).")
@pass_ledger
def validate(ledger: Ledger, code: str, period: Period, note: str | None) -> None:
    """Record the documented validation of CODE's return for PERIOD: by whom, how and when.

    Never by a person who gave the figure (submitted or revised it). A later change of
    the figure needs a new validation.
    """
    revision = ledger.ready().quality.validate(ledger.actor, code, period, note)
    done(ledger, f"{code} {period}: validated (revision {revision})")


@return_.command("due")
@click.option("--as-at", "as_at", type=AS_AT, metavar="WHEN",
              help="As at the end of that day (default: now).")
@click.option("--mine", is_flag=True, help="Only the indicators you are the improvement manager for.")
@format_option()
@pass_ledger
def due(ledger: Ledger, as_at: datetime | None, mine: bool, fmt: str) -> None:
    """Returns due and overdue: the periods of this financial year and the last that have
    ended with no return, with each indicator's designated improvement manager. A return is
    due REPORTING-LAG days after its period ends. --mine: only the indicators the acting
    person was designated improvement manager for at that time."""
    moment = as_at or datetime.now(UTC)
    with ledger.read() as conn:
        position = queries.position_at(conn, moment)
        only = indicators_of(conn, ledger.actor, position) if mine else None
        rows = due_rows(conn, position, moment, only)
        if only == set():
            click.echo(f"note: {ledger.actor} is not the designated improvement manager of any indicator "
                       "at that time (see perfledger indicator show CODE)", err=True)
    emit(render(rows, DUE_COLUMNS, fmt))


@click.group()
def query() -> None:
    """Data-quality queries against returns: raised, resolved with an outcome, listed."""


@query.command("raise")
@click.argument("code")
@click.argument("period", type=PERIOD)
@click.option("--note", required=True, metavar="T", help="What is in doubt.")
@pass_ledger
def raise_(ledger: Ledger, code: str, period: Period, note: str) -> None:
    """Raise a query against CODE's return for PERIOD; prints its id. The return cannot be
    final while the query is open."""
    key = ledger.ready().quality.raise_query(ledger.actor, code, period, note)
    click.echo(key)
    done(ledger, f"{key}: raised against {code} {period}")


@query.command("resolve")
@click.argument("query_id", metavar="ID")
@click.option("--outcome", required=True, type=click.Choice(OUTCOMES),
              help="upheld: the figure was wrong; not-upheld: it stands.")
@click.option("--note", required=True, metavar="T", help="What was found.")
@pass_ledger
def resolve(ledger: Ledger, query_id: str, outcome: str, note: str) -> None:
    """Resolve query ID with its outcome."""
    code, period = ledger.ready().quality.resolve_query(ledger.actor, query_id, outcome, note)
    done(ledger, f"{query_id}: {outcome} ({code} {period})")


@query.command("list")
@click.option("--open", "open_only", is_flag=True, help="Only the open queries.")
@click.option("--as-at", "as_at", type=AS_AT, metavar="WHEN")
@format_option()
@pass_ledger
def list_(ledger: Ledger, open_only: bool, as_at: datetime | None, fmt: str) -> None:
    """Queries, oldest first, with their status and outcome."""
    with ledger.read() as conn:
        rows = query_rows(conn, queries.position_at(conn, as_at), open_only=open_only)
    emit(render(rows, QUERY_COLUMNS, fmt))


COMMANDS = [query]
