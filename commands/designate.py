"""perfledger designate: who answers for each indicator."""

from __future__ import annotations

import click

from commands.support.context import Ledger, done, pass_ledger
from policies.designation import ROLES


@click.command()
@click.argument("code")
@click.option("--as", "role", required=True, metavar="|".join(ROLES), help="The designation.")
@click.option("--name", required=True, metavar="NAME",
              help="An organisation (free name) or a person on the roster.")
@click.option("--reason", metavar="T", help="Why (required when it replaces a holder).")
@click.option("--remove", is_flag=True, help="Remove NAME from the contributors.")
@pass_ledger
def designate(ledger: Ledger, code: str, role: str, name: str, reason: str | None, remove: bool) -> None:
    """Designate NAME as CODE's ROLE: a contributor is added; any other role replaces its holder."""
    previous = ledger.ready().people.designate(ledger.actor, code, role, name, reason, remove=remove)
    if remove:
        done(ledger, f"{code}: {name} is no longer a contributor")
    else:
        done(ledger, f"{code}: {role} {name.strip()}" + (f" (replacing {previous})" if previous else ""))
