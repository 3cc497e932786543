"""perfledger admin: the database's side of the ledger's controls (PostgreSQL)."""

from __future__ import annotations

import click

from commands.support.context import Ledger, pass_ledger
from policies.authorisation import Act


@click.group()
def admin() -> None:
    """Database set-up that the ledger's controls rest on."""


@admin.command("grants")
@click.option("--print-only", "print_only", is_flag=True,
              help="Print the SQL without running it (for a DBA).")
@pass_ledger
def grants(ledger: Ledger, print_only: bool) -> None:
    """Print and apply the writer role's grants (PostgreSQL; administrators only).

    The role perfledger_writer may SELECT and INSERT the events and the chain, and nothing
    more: UPDATE, DELETE and TRUNCATE on them are refused by the database for every login
    bound to a person (people bind grants it the role). The views belong to the role, so the
    ledger's catch-up in each session can keep them. Run it as the database owner.
    """
    from commands.support.grants import grant_writer_role, view_tables

    app = ledger.authorised(Act.ADMIN_GRANTS)
    ledger.catch_up()  # the views exist before they are given to the role
    statements = app.core.store.writer_grants(view_tables()) if print_only else grant_writer_role(ledger)
    for statement in statements:
        click.echo(f"{statement};")
    if not print_only:
        click.echo(f"applied {len(statements)} statements: the writer role may only add to the events",
                   err=True)
