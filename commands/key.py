"""perfledger key: personal Ed25519 signing keys."""

from __future__ import annotations

from pathlib import Path

import click


@click.group()
def key() -> None:
    """Personal signing keys, for a ledger with signed identity."""


@key.command("new")
@click.option("--out", required=True, metavar="FILE", type=click.Path(dir_okay=False, path_type=Path),
              help="The private key's file (written with mode 0600); the public key goes to FILE.pub.")
def new(out: Path) -> None:
    """Make an Ed25519 key pair: FILE (private) and FILE.pub (public); never overwrites.

    Keep FILE to yourself; give FILE.pub to an administrator to enrol (people key NAME
    FILE.pub, or people add NAME --public-key FILE.pub). Needs no ledger.
    """
    from ledger.app.identity import fingerprint, new_key

    public = new_key(out)
    click.echo(f"wrote {out} (private: keep it to yourself) and {out}.pub (public: enrol it); "
               f"fingerprint {fingerprint(public)}", err=True)
