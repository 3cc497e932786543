"""perfledger people: enrol people with roles, revoke roles, list the roster."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import click

from commands.support.context import Ledger, done, pass_ledger
from commands.support.output import emit, format_option, render
from commands.support.params import AS_AT, EnumType
from ledger.values import Role


@click.group()
def people() -> None:
    """The roster: who may act, in which roles."""


@people.command("add")
@click.argument("name")
@click.option("--role", "roles", type=EnumType(Role), multiple=True, required=True,
              help="A role to grant (repeatable).")
@click.option("--organisation", metavar="ORG", help="The person's organisation.")
@click.option("--login", metavar="ROLE",
              help="PostgreSQL: bind NAME to this database login (a session of it acts as NAME).")
@click.option("--public-key", "public_key", metavar="FILE.pub",
              type=click.Path(dir_okay=False, path_type=Path),
              help="Enrol NAME's Ed25519 public key (FILE.pub from key new).")
@pass_ledger
def add(ledger: Ledger, name: str, roles: tuple[Role, ...], organisation: str | None, login: str | None,
        public_key: Path | None) -> None:
    """Enrol NAME with roles (or grant an enrolled person more roles)."""
    from ledger.app.identity import fingerprint, public_key_of

    key = public_key_of(public_key) if public_key is not None else None
    ledger.ready().people.add(ledger.actor, name, list(roles), organisation, login=login, public_key=key)
    extra = (f"; login {login}" if login else "") + (f"; key {fingerprint(key)}" if key else "")
    done(ledger, f"{name}: {', '.join(r.value for r in roles)}{extra}")


@people.command("bind")
@click.argument("name")
@click.option("--login", required=True, metavar="ROLE", help="The PostgreSQL login role to bind NAME to.")
@click.option("--reason", required=True, metavar="T")
@pass_ledger
def bind(ledger: Ledger, name: str, login: str, reason: str) -> None:
    """Bind NAME to a database login (PostgreSQL): a session of that login acts as NAME.

    Once anyone is bound, every session must use a bound login, and --actor naming anyone
    else is refused. The login is granted the writer role (INSERT and SELECT only on the
    events and the chain).
    """
    ledger.ready().people.bind(ledger.actor, name, login, reason)
    done(ledger, f"{name}: bound to the login {login}")


@people.command("key")
@click.argument("name")
@click.argument("public_key", metavar="FILE.pub", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--reason", required=True, metavar="T")
@pass_ledger
def key(ledger: Ledger, name: str, public_key: Path, reason: str) -> None:
    """Enrol NAME's Ed25519 public key; a later key replaces it from that position on."""
    from ledger.app.identity import fingerprint, public_key_of

    hexed = public_key_of(public_key)
    ledger.ready().people.enrol_key(ledger.actor, name, hexed, reason)
    done(ledger, f"{name}: key {fingerprint(hexed)} enrolled")


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
    from projections import queries

    with ledger.read() as conn:
        rows = queries.people(conn, queries.position_at(conn, as_at))
    emit(render(rows, ["name", "organisation", "roles"], fmt))

