"""perfledger init: create the ledger and its first administrator."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import click

from commands.support.context import Ledger, done, pass_ledger
from commands.support.params import DECIMAL
from ledger.errors import Invalid


@click.command()
@click.option("--admin", metavar="NAME", help="The first administrator (default: the acting user).")
@click.option("--tolerance", type=DECIMAL, default="5", show_default=True, metavar="PCT",
              help="Ledger-wide amber band, a percentage of the target.")
@click.option("--login", metavar="ROLE",
              help="PostgreSQL: bind the administrator to this database login; from then on every "
                   "session acts as the person its login is bound to.")
@click.option("--identity", type=click.Choice(["claimed", "signed"]), default="claimed", show_default=True,
              help="signed: every write by a person with an enrolled key must be signed (--key).")
@click.option("--public-key", "public_key", metavar="FILE.pub",
              type=click.Path(dir_okay=False, path_type=Path),
              help="The administrator's Ed25519 public key (FILE.pub from key new).")
@pass_ledger
def init(ledger: Ledger, admin: str | None, tolerance: Decimal, login: str | None, identity: str,
         public_key: Path | None) -> None:
    """Create the ledger (idempotent); NAME becomes its administrator.

    On PostgreSQL it also sets up the writer role (see admin grants) where the session may.
    """
    from commands.support.grants import grant_writer_role
    from ledger.app.identity import fingerprint, public_key_of

    key = public_key_of(public_key) if public_key is not None else None
    app = ledger.open(create=True)
    administrator = admin or ledger.actor
    if app.people.initialise(ledger.actor, administrator, tolerance, login=login, public_key=key,
                             signed=identity == "signed"):
        if ledger.config.backend == "postgres":
            ledger.catch_up()  # the views exist before the writer role is given them
            try:
                grant_writer_role(ledger)
            except Invalid as error:  # the ledger is initialised: admin grants finishes the set-up
                if login is not None:
                    click.echo(f"warning: {error}", err=True)
        extra = (f"; login {login}" if login else "") + (f"; key {fingerprint(key)}" if key else "")
        extra += "; identity signed" if identity == "signed" else ""
        done(ledger, f"initialised ledger at {ledger.config.display}; administrator: {administrator}{extra}")
    else:
        click.echo(f"ledger at {ledger.config.display} is already initialised: nothing changed", err=True)

