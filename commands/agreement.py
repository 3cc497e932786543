"""perfledger agreement: agreements such as an LAA - indicators, span, trajectories and stretch targets,
agreed by a body; changes to their targets proposed and approved by a member other than the proposer."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

import click

from commands.support.context import Ledger, done, pass_ledger
from commands.support.output import emit, format_option, render, render_record
from commands.support.params import AS_AT, DECIMAL, PERIOD
from ledger.errors import NotFound
from ledger.values import Period

COLUMNS = ["code", "title", "body", "start", "until", "plan", "indicators", "pending"]
TARGET_COLUMNS = [
    "indicator",
    "year",
    "trajectory",
    "stretch",
    "proposal",
    "proposed_by",
    "approved_by",
    "approved_at",
]
PROPOSAL_COLUMNS = [
    "id",
    "indicator",
    "year",
    "trajectory",
    "stretch",
    "previous",
    "status",
    "reason",
    "proposed_by",
    "decided_by",
    "note",
]
REFRESH_COLUMNS = ["year", "reason", "added", "dropped", "actor", "recorded_at"]


@click.group()
def agreement() -> None:
    """Agreements (000 §3.3-3.4, §4.11): an LAA's indicators, span, annual trajectories and stretch
    targets, agreed by a body. A target an agreement holds changes only by a proposal that a member of
    that body, other than the proposer, approves; target set refuses it."""


@agreement.command("add")
@click.argument("code")
@click.option("--title", required=True, metavar="T")
@click.option(
    "--body", required=True, metavar="NAME", help="Who agreed it, e.g. 'Performance Support Group'."
)
@click.option(
    "--member",
    "members",
    required=True,
    multiple=True,
    metavar="NAME",
    help="A member of the body who may approve its target changes (repeat for more).",
)
@click.option("--from", "start", required=True, type=PERIOD, metavar="YEAR", help="e.g. 2024/25")
@click.option("--until", required=True, type=PERIOD, metavar="YEAR", help="e.g. 2026/27")
@click.option("--plan", metavar="PLAN", help="The plan it belongs to (e.g. the LAA plan).")
@click.option("--indicator", "indicators", multiple=True, metavar="CODE", help="An indicator in it (repeat).")
@pass_ledger
def add(
    ledger: Ledger,
    code: str,
    title: str,
    body: str,
    members: tuple[str, ...],
    start: Period,
    until: Period,
    plan: str | None,
    indicators: tuple[str, ...],
) -> None:
    """Record agreement CODE."""
    ledger.ready().agreements.add(
        ledger.actor, code, title, body, list(members), start, until, plan, list(indicators)
    )
    done(
        ledger,
        f"agreement {code} recorded ({start} to {until}, {len(indicators)} indicators, agreed by {body})",
    )


@agreement.command("propose")
@click.argument("code")
@click.option("--indicator", required=True, metavar="CODE")
@click.option("--year", required=True, type=PERIOD, metavar="YEAR")
@click.option(
    "--trajectory", required=True, type=DECIMAL, metavar="N", help="The year's point on the trajectory."
)
@click.option(
    "--stretch", type=DECIMAL, metavar="N", help="A stretch target beyond it (rated against, if given)."
)
@click.option("--reason", required=True, metavar="T")
@pass_ledger
def propose(
    ledger: Ledger,
    code: str,
    indicator: str,
    year: Period,
    trajectory: Decimal,
    stretch: Decimal | None,
    reason: str,
) -> None:
    """Propose INDICATOR's target for YEAR under agreement CODE; prints the proposal's id."""
    key, new = ledger.ready().agreements.propose(
        ledger.actor, code, indicator, year, trajectory, stretch, reason
    )
    click.echo(key)
    done(
        ledger,
        f"{key}: proposed {indicator} {year} under {code}; a member of the agreeing body other than "
        f"you approves it (perfledger agreement approve {key})"
        if new
        else f"{key}: already proposed, awaiting a decision",
    )


@agreement.command("approve")
@click.argument("key", metavar="ID")
@click.option("--note", default="", metavar="T")
@pass_ledger
def approve(ledger: Ledger, key: str, note: str) -> None:
    """Approve proposal ID: the agreement holds it and the indicator's year target is set (one act)."""
    found = ledger.ready().agreements.approve(ledger.actor, key, note)
    done(
        ledger,
        f"{key} approved: {found.indicator} {found.year} target {found.target} under {found.agreement}",
    )


@agreement.command("reject")
@click.argument("key", metavar="ID")
@click.option("--reason", required=True, metavar="T")
@pass_ledger
def reject(ledger: Ledger, key: str, reason: str) -> None:
    """Reject proposal ID; the target stays as it was."""
    found = ledger.ready().agreements.reject(ledger.actor, key, reason)
    done(ledger, f"{key} rejected: {found.indicator} {found.year} keeps its target")


@agreement.command("refresh")
@click.argument("code")
@click.option("--year", required=True, type=PERIOD, metavar="YEAR")
@click.option("--reason", required=True, metavar="T")
@click.option("--add", "added", multiple=True, metavar="CODE", help="An indicator joining it (repeat).")
@click.option("--drop", "dropped", multiple=True, metavar="CODE", help="An indicator leaving it (repeat).")
@pass_ledger
def refresh(
    ledger: Ledger, code: str, year: Period, reason: str, added: tuple[str, ...], dropped: tuple[str, ...]
) -> None:
    """Record agreement CODE's annual refresh for YEAR, with its reasons (and indicators in and out)."""
    ledger.ready().agreements.refresh(ledger.actor, code, year, reason, list(added), list(dropped))
    done(ledger, f"agreement {code} refreshed for {year}")


@agreement.command("list")
@click.option("--as-at", "as_at", type=AS_AT, metavar="WHEN")
@format_option()
@pass_ledger
def list_(ledger: Ledger, as_at: datetime | None, fmt: str) -> None:
    """The agreements (as at WHEN), with their proposals awaiting a decision."""
    from projections import queries
    from projections.queries import plans as plan_queries

    with ledger.read() as conn:
        position = queries.position_at(conn, as_at)
        pending = [
            p["agreement"] for p in plan_queries.proposals(conn, position) if p["status"] == "proposed"
        ]
        rows = [
            {
                **a,
                "indicators": ";".join(a["indicators"]) if fmt != "json" else a["indicators"],
                "pending": pending.count(a["code"]),
            }
            for a in plan_queries.agreements(conn, position)
        ]
    emit(render(rows, COLUMNS, fmt))


@agreement.command("show")
@click.argument("code")
@click.option("--as-at", "as_at", type=AS_AT, metavar="WHEN")
@format_option()
@pass_ledger
def show(ledger: Ledger, code: str, as_at: datetime | None, fmt: str) -> None:
    """Agreement CODE (as at WHEN): its agreed trajectories and stretch targets, every proposal and
    decision, and its refreshes."""
    from projections import queries
    from projections.queries import plans as plan_queries

    with ledger.read() as conn:
        position = queries.position_at(conn, as_at)
        found = next((a for a in plan_queries.agreements(conn, position) if a["code"] == code), None)
        if found is None:
            raise NotFound(
                f"unknown agreement {code!r}"
                + (" as at that time" if as_at else "")
                + ": see perfledger agreement list"
            )
        targets = sorted(
            (r for r in plan_queries.agreed(conn, position).values() if r["agreement"] == code),
            key=lambda r: (queries.natural_key(r["indicator"]), r["year"]),
        )
        proposals = plan_queries.proposals(conn, position, code)
        refreshes = plan_queries.refreshes(conn, position, code)
    record = {
        k: found[k]
        for k in ("code", "title", "body", "members", "start", "until", "plan", "actor", "recorded_at")
    }
    if fmt == "json":
        emit(
            render_record(
                {
                    **record,
                    "indicators": found["indicators"],
                    "targets": targets,
                    "proposals": proposals,
                    "refreshes": refreshes,
                },
                fmt,
            )
        )
        return
    emit(render_record({**record, "indicators": ";".join(found["indicators"])}, fmt))
    for title, rows, columns in (
        ("Agreed targets", targets, TARGET_COLUMNS),
        ("Proposals", proposals, PROPOSAL_COLUMNS),
        ("Refreshes", refreshes, REFRESH_COLUMNS),
    ):
        if fmt == "table":
            emit(f"\n{title}:\n")
        emit(render(rows, columns, fmt, title=title.lower()))
