"""perfledger indicator: register, revise and retire indicators; show and list them."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any, TypeVar

import click

from commands.support.context import Ledger, done, pass_ledger
from commands.support.output import emit, format_option, render, render_record
from commands.support.params import AS_AT, DECIMAL, Bounded, EnumType
from ledger.errors import NotFound
from ledger.values import Frequency, Polarity, Unit
from ledger.vocabulary import DEFAULT_REPORTING_LAG

F = TypeVar("F", bound=Callable[..., Any])
LIST_COLUMNS = ["code", "title", "unit", "polarity", "frequency", "revision", "retired"]


def pro_forma_options(required: bool) -> Callable[[F], F]:
    def decorate(fn: F) -> F:
        options = [
            click.option("--title", required=required, metavar="T"),
            click.option("--unit", type=EnumType(Unit), required=required),
            click.option("--polarity", type=EnumType(Polarity), required=required),
            click.option("--frequency", type=EnumType(Frequency), required=required),
            click.option("--definition", metavar="T"),
            click.option("--method", metavar="T", help="Method of calculation."),
            click.option("--source", metavar="T", help="Data source (national or local)."),
            click.option("--decimals", type=Bounded(0, 6), metavar="N"),
            click.option("--tracker/--no-tracker", default=None, help="Long-term, no targets, no RAG."),
            click.option("--cumulative/--discrete", default=None, help="Year-to-date values."),
            click.option("--tolerance", type=DECIMAL, metavar="PCT"),
            click.option("--reporting-lag", type=Bounded(0, 3650), metavar="DAYS",
                         help=f"Days after a period ends that its return is due (default "
                              f"{DEFAULT_REPORTING_LAG})."),
            click.option("--rate-base", type=DECIMAL, metavar="N", help="For rates: per N."),
            click.option("--baseline", type=DECIMAL, metavar="V"),
            click.option("--proxy-for", metavar="CODE", help="The annual indicator this stands in for."),
            click.option("--theme", metavar="T", help="The theme it is reported under (e.g. Environment)."),
            click.option("--outlier-threshold", type=DECIMAL, metavar="PCT",
                         help="Warn when a return lies more than PCT% from the mean of the indicator's "
                              "history (the warning needs commentary); default: no check."),
        ]
        for option in reversed(options):
            fn = option(fn)
        return fn

    return decorate


@click.group()
def indicator() -> None:
    """Indicators and their pro formas."""


@indicator.command("register")
@click.argument("code")
@pro_forma_options(required=True)
@pass_ledger
def register(ledger: Ledger, /, code: str, **options: Any) -> None:
    """Register CODE with its full pro forma (revision 1)."""
    from ledger.domain.indicator import ProForma

    options["tracker"] = bool(options["tracker"])
    options["cumulative"] = bool(options["cumulative"])
    if options["reporting_lag"] is None:
        options["reporting_lag"] = DEFAULT_REPORTING_LAG
    ledger.ready().indicators.register(ledger.actor, code, ProForma(**options))
    done(ledger, f"registered {code} (revision 1)")


@indicator.command("revise")
@click.argument("code")
@pro_forma_options(required=False)
@click.option("--reason", required=True, metavar="T")
@pass_ledger
def revise(ledger: Ledger, /, code: str, reason: str, **options: Any) -> None:
    """Change CODE's pro forma; the revision number goes up by one."""
    changes = {k: v for k, v in options.items() if v is not None}
    revision = ledger.ready().indicators.revise(ledger.actor, code, changes, reason)
    done(ledger, f"revised {code} (revision {revision})")


@indicator.command("retire")
@click.argument("code")
@click.option("--reason", required=True, metavar="T")
@pass_ledger
def retire(ledger: Ledger, code: str, reason: str) -> None:
    """Retire CODE: it takes no further returns."""
    ledger.ready().indicators.retire(ledger.actor, code, reason)
    done(ledger, f"retired {code}")


@indicator.command("show")
@click.argument("code")
@click.option("--as-at", "as_at", type=AS_AT, metavar="WHEN")
@format_option()
@pass_ledger
def show(ledger: Ledger, code: str, as_at: datetime | None, fmt: str) -> None:
    """CODE's pro forma as it stood (default: now), with its revision history."""
    from projections import queries
    from projections.queries.designations import designations

    with ledger.read() as conn:
        position = queries.position_at(conn, as_at)
        row = queries.indicator(conn, code, position)
        if row is None:
            raise NotFound(f"unknown indicator {code!r}" + (" as at that time" if as_at else "")
                           + ": see perfledger indicator list")
        history = queries.indicator_history(conn, code, position)
        held = designations(conn, code, position)
    record: dict[str, Any] = {k: v for k, v in row.items() if k not in ("until_position",)}
    record["as_at_position"] = position
    record["revisions"] = [
        {"revision": h["revision"], "position": h["from_position"], "recorded_at": h["recorded_at"],
         "actor": h["actor"], "reason": h["reason"], "retired": h["retired"]}
        for h in history
    ]
    record["designations"] = held
    if fmt == "json":
        emit(render_record(record, fmt))
        return
    flat = {k: v for k, v in record.items() if k not in ("revisions", "designations")}
    emit(render_record(flat, fmt))
    if fmt == "table":
        emit("\n" + render(record["revisions"], ["revision", "position", "recorded_at", "actor",
                                                 "reason", "retired"], fmt))
        emit("\nDesignations:\n" + render(held, ["role", "name", "since_position", "since", "reason",
                                                  "designated_by"], fmt))


@indicator.command("list")
@click.option("--as-at", "as_at", type=AS_AT, metavar="WHEN")
@click.option("--all", "include_retired", is_flag=True, help="Include retired indicators.")
@format_option()
@pass_ledger
def list_(ledger: Ledger, as_at: datetime | None, include_retired: bool, fmt: str) -> None:
    """Indicators in force (as at WHEN)."""
    from projections import queries

    with ledger.read() as conn:
        rows = queries.indicators(conn, queries.position_at(conn, as_at), include_retired)
    emit(render(rows, LIST_COLUMNS, fmt))

