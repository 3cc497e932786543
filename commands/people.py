"""perfledger people: enrol people with roles, revoke roles, list the roster."""

from __future__ import annotations

from datetime import datetime

import click

from commands.support.context import Ledger, done, pass_ledger
from commands.support.output import emit, format_option, render
from commands.support.params import AS_AT, EnumType
from ledger.values import Role
from projections import queries


@click.group()
def people() -> None:
    """The roster: who may act, in which roles."""


@people.command("add")
@click.argument("name")
@click.option("--role", "roles", type=EnumType(Role), multiple=True, required=True,
              help="A role to grant (repeatable).")
@click.option("--organisation", metavar="ORG", help="The person's organisation.")
@pass_ledger
def add(ledger: Ledger, name: str, roles: tuple[Role, ...], organisation: str | None) -> None:
    """Enrol NAME with roles (or grant an enrolled person more roles)."""
    ledger.ready().people.add(ledger.actor, name, list(roles), organisation)
    done(ledger, f"{name}: {', '.join(r.value for r in roles)}")


@people.command("revoke")
@click.argument("name")
@click.option("--role", type=EnumType(Role), required=True)
@click.option("--reason", required=True, metavar="T")
@pass_ledger
def revoke(ledger: Ledger, name: str, role: Role, reason: str) -> None:
    """Revoke one role; it grants nothing from now on."""
    ledger.ready().people.revoke(ledger.actor, name, role, reason)
    done(ledger, f"{name}: {role.value} revoked")


@people.command("list")
@click.option("--as-at", "as_at", type=AS_AT, metavar="WHEN", help="The roster as it stood then.")
@format_option()
@pass_ledger
def list_(ledger: Ledger, as_at: datetime | None, fmt: str) -> None:
    """The roster and each person's current roles."""
    with ledger.read() as conn:
        rows = queries.people(conn, queries.position_at(conn, as_at))
    emit(render(rows, ["name", "organisation", "roles"], fmt))

