"""perfledger query: data-quality queries against returns, raised and resolved."""

from __future__ import annotations

from datetime import datetime

import click

from commands.support.context import Ledger, done, pass_ledger
from commands.support.output import emit, format_option, render
from commands.support.params import AS_AT, PERIOD
from ledger.values import Period
from ledger.vocabulary import QUERY_OUTCOMES as OUTCOMES


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
    from projections import queries
    from projections.queries.quality import QUERY_COLUMNS, query_rows

    with ledger.read() as conn:
        rows = query_rows(conn, queries.position_at(conn, as_at), open_only=open_only)
    emit(render(rows, QUERY_COLUMNS, fmt))
