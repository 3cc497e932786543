"""perfledger adjust: retrospective adjustments of reported figures (000 §9.2.3).

A request changes no figure. Someone else with the authority approves it (and the
figures are restated in the same transaction) or rejects it; the requester may
withdraw it while it is pending.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING

import click

from commands.support.context import Ledger, done, pass_ledger
from commands.support.output import emit, format_option, render, render_record
from commands.support.params import DECIMAL, PERIOD
from ledger.errors import Invalid, NotFound
from ledger.values import Period
from ledger.vocabulary import ADJUSTMENT_STATUSES as STATUSES
from policies.adjustment import REASONS

if TYPE_CHECKING:
    from ledger.app.adjustments import BadRow, Restatement

LIST_COLUMNS = ["id", "indicator", "periods", "status", "reason", "before", "after", "requested_by",
                "requested_at", "decided_by", "decided_at"]
JSON_COLUMNS = ["id", "indicator", "periods", "status", "reason", "justification", "evidence", "before",
                "after", "requested_by", "requested_at", "decided_by", "decided_at", "note"]


@click.group()
def adjust() -> None:
    """Retrospective adjustments: request, approve, reject, withdraw, list."""


@adjust.command("request")
@click.argument("code")
@click.argument("period", type=PERIOD, required=False)
@click.argument("value", type=DECIMAL, required=False)
@click.option("--numerator", type=DECIMAL, metavar="N")
@click.option("--denominator", type=DECIMAL, metavar="D")
@click.option("--series", type=click.Path(exists=True, dir_okay=False, path_type=Path), metavar="FILE",
              help="Restate many periods in one request (CSV or .xlsx: "
                   "period,value[,numerator,denominator]).")
@click.option("--sheet", metavar="NAME", help="For an .xlsx --series: the sheet to read (default: the "
                                              "first).")
@click.option("--reason", metavar="REASON", help=f"One of: {', '.join(REASONS)}.")
@click.option("--justification", metavar="T", help="Why the reported figure must change.")
@click.option("--evidence", metavar="REF", help="A reference to what supports the change.")
@click.option("--revision", type=int, metavar="N",
              help="For a definition-change: the indicator revision that changed the definition.")
@pass_ledger
def request(ledger: Ledger, code: str, period: Period | None, value: Decimal | None,
            numerator: Decimal | None, denominator: Decimal | None, series: Path | None,
            sheet: str | None, reason: str | None, justification: str | None, evidence: str | None,
            revision: int | None) -> None:
    """Ask to restate CODE's figure for a closed PERIOD (or a whole --series); prints the request id.

    Nothing changes until someone else approves it (perfledger adjust approve ID).
    """
    from commands.support.csvfile import read_series
    from ledger.app.adjustments import Restatement

    if series is not None:
        if period is not None or value is not None or numerator is not None or denominator is not None:
            raise click.UsageError("give either PERIOD VALUE or --series FILE, not both")
        restatements: list[Restatement | BadRow] = read_series(series, sheet)
    elif period is None or value is None:
        raise click.UsageError("give PERIOD VALUE (or --series FILE)")
    else:
        restatements = [Restatement(period, value, numerator, denominator)]
    key = ledger.ready().adjustments.request(ledger.actor, code, restatements, reason, justification,
                                            evidence, revision, series=series is not None)
    click.echo(key)
    what = f"{len(restatements)} periods" if series is not None else f"{period} to {value}"
    done(ledger, f"{key}: requested restating {code} {what}; pending approval by someone else")


@adjust.command("approve")
@click.argument("key", metavar="ID")
@click.option("--note", metavar="T")
@pass_ledger
def approve(ledger: Ledger, key: str, note: str | None) -> None:
    """Approve request ID: its figures are restated now. Never one's own request."""
    items = ledger.ready().adjustments.approve(ledger.actor, key, note)
    restated = ", ".join(f"{i.period} {i.before if i.before is not None else 'none'} -> {i.value}"
                         for i in items)
    done(ledger, f"{key}: approved; restated {restated}")


@adjust.command("reject")
@click.argument("key", metavar="ID")
@click.option("--note", metavar="T", help="Why (required).")
@pass_ledger
def reject(ledger: Ledger, key: str, note: str | None) -> None:
    """Reject request ID, saying why. Never one's own request."""
    if not (note or "").strip():
        raise Invalid("a rejection needs --note: say why, for the requester and the audit trail")
    ledger.ready().adjustments.reject(ledger.actor, key, note or "")
    done(ledger, f"{key}: rejected")


@adjust.command("withdraw")
@click.argument("key", metavar="ID")
@click.option("--note", metavar="T")
@pass_ledger
def withdraw(ledger: Ledger, key: str, note: str | None) -> None:
    """Withdraw your own pending request ID."""
    ledger.ready().adjustments.withdraw(ledger.actor, key, note)
    done(ledger, f"{key}: withdrawn")


@adjust.command("list")
@click.option("--status", type=click.Choice(STATUSES))
@click.option("--indicator", metavar="CODE")
@format_option()
@pass_ledger
def list_(ledger: Ledger, status: str | None, indicator: str | None, fmt: str) -> None:
    """Adjustment requests, oldest first, with their figures before and after."""
    from projections.queries import adjustments as queries

    with ledger.read() as conn:
        rows = queries.adjustments(conn, status, indicator)
    emit(render(rows, JSON_COLUMNS if fmt != "table" else LIST_COLUMNS, fmt))


@adjust.command("show")
@click.argument("key", metavar="ID")
@format_option()
@pass_ledger
def show(ledger: Ledger, key: str, fmt: str) -> None:
    """One request in full: figures, reason, justification, evidence, who requested and decided."""
    from projections.queries import adjustments as queries

    with ledger.read() as conn:
        found = queries.adjustment(conn, key)
    if found is None:
        raise NotFound(f"unknown adjustment {key!r}: see perfledger adjust list")
    emit(render_record(found, fmt))

