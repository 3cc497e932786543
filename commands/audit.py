"""perfledger audit: the trail of who changed what and why; the chain digest and its verification."""

from __future__ import annotations

import sys
from datetime import datetime
from pathlib import Path

import click

from commands import audit_evidence, audit_proofs, audit_replay, audit_sample, signing
from commands.audit_proofs import parse_digest, read_lines, write_new
from commands.context import Ledger, pass_ledger
from commands.output import emit, format_option, render
from commands.params import AS_AT, PERIOD, SINCE
from ledger.errors import Invalid
from ledger.store.chain import Digest
from ledger.store.export import ExportError, verify_export
from ledger.store.verify import Verdict
from ledger.values import Period
from policies.authorisation import Act
from projections import queries

TRAIL_COLUMNS = ["position", "recorded_at", "actor", "event", "indicator", "period", "reason",
                 "before", "after", "detail"]
TRAIL_FIELDS = [*TRAIL_COLUMNS, "adjustment", "requested_by", "decided_by"]  # csv and json


@click.group()
def audit() -> None:
    """History and tamper evidence."""


@audit.command("trail")
@click.option("--indicator", metavar="CODE")
@click.option("--period", type=PERIOD)
@click.option("--actor", "who", metavar="NAME", help="Only what NAME did.")
@click.option("--since", type=SINCE, metavar="WHEN")
@click.option("--until", type=AS_AT, metavar="WHEN")
@format_option()
@pass_ledger
def trail(ledger: Ledger, indicator: str | None, period: Period | None, who: str | None,
          since: datetime | None, until: datetime | None, fmt: str) -> None:
    """Every recorded event, in position order, with who, why, and before/after values."""
    with ledger.read() as conn:
        rows = list(queries.trail(conn, indicator=indicator, period=str(period) if period else None,
                                  actor=who, since=since, until=until))
    emit(render(rows, TRAIL_COLUMNS if fmt == "table" else TRAIL_FIELDS, fmt))


@audit.command("digest")
@click.option("--output", type=click.Path(dir_okay=False, path_type=Path), metavar="FILE",
              help="Also write the digest (and signature) to FILE (a new file), for your working papers.")
@click.option("--sign", "key", type=click.Path(dir_okay=False, path_type=Path), metavar="KEYFILE",
              help="Sign the digest with this Ed25519 private key (PEM): the signature follows on a "
                   "second line.")
@pass_ledger
def digest(ledger: Ledger, output: Path | None, key: Path | None) -> None:
    """Print the digest SIZE:CHAINHEX:ROOTHEX (events, chain head, Merkle root), for publishing."""
    app = ledger.ready()
    app.core.authorise(ledger.actor, Act.READ)
    stamp = app.audit.digest()
    text = f"{stamp}\n" + (f"{signing.sign(stamp, key)}\n" if key is not None else "")
    if output is not None:
        write_new(output, text)
    click.echo(text, nl=False)


@audit.command("verify")
@click.option("--digest", "digest_text", metavar="DIGEST",
              help="A digest published earlier (or @FILE holding it): also prove the log still "
                   "extends it. With a Merkle root, only the events after it are re-hashed (see --full).")
@click.option("--full", is_flag=True,
              help="With --digest: re-hash every event, not only those after the digest.")
@click.option("--export", "export_dir", metavar="DIR", type=click.Path(path_type=Path),
              help="Verify a folder written by audit export instead, with no database.")
@click.option("--signature", metavar="SIG",
              help="With --digest: its signature from audit digest --sign (hex, or @FILE: the last line).")
@click.option("--public-key", "public_key", metavar="PEM", type=click.Path(dir_okay=False, path_type=Path),
              help="With --signature: the signer's Ed25519 public key (PEM).")
@pass_ledger
def verify(ledger: Ledger, digest_text: str | None, full: bool, export_dir: Path | None,
           signature: str | None, public_key: Path | None) -> None:
    """Recompute the hash chain from the stored events; exit 1 naming the first bad position.

    With --export DIR it verifies the copy in DIR and never opens a database (there is no
    roster to check either). With --signature and --public-key, the digest's signature is
    checked first.
    """
    expected = parse_digest(digest_text)
    if (signature is None) != (public_key is None) or (signature is not None and expected is None):
        raise click.UsageError("--signature and --public-key go together, with --digest")
    if expected is not None and signature is not None and public_key is not None:
        if signature.startswith("@"):
            lines = read_lines(signature[1:], "a signature", "--signature")
            signature = lines[-1] if lines else ""
        signing.check(expected, signature, public_key)
    if export_dir is not None:
        try:
            verdict = verify_export(export_dir, expected)
        except ExportError as error:
            raise Invalid(str(error)) from None
        _report(verdict, expected, "in the export", signature is not None)
        return
    app = ledger.open()
    progress = None
    if sys.stderr.isatty():
        def progress(n: int) -> None:
            if n % 50000 == 0:
                click.echo(f"\rverified {n} events", err=True, nl=False)
    # The chain is checked from the raw rows before anything is decoded: a tampered event
    # may not even decode, and tamper found must be reported whoever asks.
    if expected is not None and expected.root is not None and not full:
        verdict = app.audit.verify_since(expected, progress)
    else:
        verdict = app.audit.verify(expected, progress)
    if not verdict.ok:
        _report(verdict, expected)
    app.core.settings()
    app.core.authorise(ledger.actor, Act.READ)
    _report(verdict, expected, signed=signature is not None)


def _report(verdict: Verdict, expected: Digest | None, where: str = "", signed: bool = False) -> None:
    if not verdict.ok:
        click.echo(f"TAMPERED: {verdict.problem}", err=True)
        sys.exit(1)
    against = f"; extends {expected}" if expected else ""
    against += " (signature checked)" if signed else ""
    how = ""
    if verdict.resumed_at:
        how = (f" ({verdict.size - verdict.resumed_at} re-hashed; the first {verdict.resumed_at} "
               "by the digest's Merkle root)")
    place = f" {where}" if where else ""
    click.echo(f"ok: {verdict.size} events verified{place}{how}; head {verdict.digest}{against}")


for _command in [*audit_proofs.COMMANDS, *audit_replay.COMMANDS, *audit_sample.COMMANDS]:
    audit.add_command(_command)
audit.add_command(audit_evidence.evidence_pack)

COMMANDS = [audit]
