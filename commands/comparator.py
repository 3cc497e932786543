"""perfledger comparator group: the groups of areas whose published figures a council compares itself
with (a CIPFA nearest-neighbour group, say); each change of membership is a version, readable as at
any date."""

from __future__ import annotations

from datetime import datetime

import click

from commands.support.context import Ledger, done, pass_ledger
from commands.support.output import emit, format_option, render, render_record
from commands.support.params import AS_AT
from ledger.errors import NotFound

LIST_COLUMNS = ["name", "areas", "own", "membership", "since"]
HISTORY_COLUMNS = ["membership", "since", "actor", "areas", "own", "reason"]
AREAS_HELP = "The areas, comma-separated, spelt as the benchmark files spell them."


def _areas(text: str) -> list[str]:
    return text.split(",")


@click.group()
def comparator() -> None:
    """Comparator groups for benchmarking (000 §3.6, §9.2.3): comparable areas, such as a council's
    CIPFA nearest neighbours."""


@comparator.group("group")
def group() -> None:
    """Define, change and read comparator groups."""


@group.command("add")
@click.argument("name")
@click.option("--areas", required=True, metavar="A,B,...", help=AREAS_HELP)
@click.option("--own", metavar="AREA", help="This ledger's own council among the areas (added to them if "
                                           "not listed), e.g. Halton: benchmark show ranks it.")
@click.option("--reason", metavar="T", help="Why this group (e.g. the model and year it comes from).")
@pass_ledger
def add(ledger: Ledger, name: str, areas: str, own: str | None, reason: str | None) -> None:
    """Define comparator group NAME."""
    count = ledger.ready().benchmarks.define(ledger.actor, name, _areas(areas), own, reason)
    done(ledger, f"comparator group {name.strip()} defined with {count} areas")


@group.command("change")
@click.argument("name")
@click.option("--areas", required=True, metavar="A,B,...", help=AREAS_HELP + " The whole new membership.")
@click.option("--own", metavar="AREA", help="This council's area (default: as before).")
@click.option("--reason", required=True, metavar="T")
@pass_ledger
def change(ledger: Ledger, name: str, areas: str, own: str | None, reason: str) -> None:
    """Change NAME's membership: a new version; the earlier one stays readable as at its time, and
    values already imported stay as published."""
    membership = ledger.ready().benchmarks.change(ledger.actor, name, _areas(areas), own, reason)
    done(ledger, f"comparator group {name}: membership {membership} recorded")


@group.command("list")
@click.option("--as-at", "as_at", type=AS_AT, metavar="WHEN", help="The groups as they stood then.")
@format_option()
@pass_ledger
def list_(ledger: Ledger, as_at: datetime | None, fmt: str) -> None:
    """The comparator groups and their areas."""
    from projections import queries
    from projections.queries import benchmarks as benchmark_queries

    with ledger.read() as conn:
        rows = benchmark_queries.groups(conn, queries.position_at(conn, as_at))
    shown = [{**r, "areas": "; ".join(r["areas"])} for r in rows] if fmt != "json" else rows
    emit(render(shown, LIST_COLUMNS, fmt, title="groups"))


@group.command("show")
@click.argument("name")
@click.option("--as-at", "as_at", type=AS_AT, metavar="WHEN", help="The group as it stood then.")
@format_option("table", "json")
@pass_ledger
def show(ledger: Ledger, name: str, as_at: datetime | None, fmt: str) -> None:
    """Group NAME as it stood (default: now), with every membership it has had."""
    from projections import queries
    from projections.queries import benchmarks as benchmark_queries

    with ledger.read() as conn:
        found = benchmark_queries.group(conn, name, queries.position_at(conn, as_at))
    if found is None:
        raise NotFound(f"unknown comparator group {name!r}" + (" as at that time" if as_at else "")
                       + ": see perfledger comparator group list")
    if fmt == "json":
        emit(render_record(found, fmt))
        return
    history = found.pop("history")
    emit(render_record({**found, "areas": "; ".join(found["areas"])}, fmt))
    emit("\nMemberships:\n")
    emit(render([{**h, "areas": "; ".join(h["areas"])} for h in history], HISTORY_COLUMNS, fmt,
                title="memberships"))
