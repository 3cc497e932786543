"""perfledger audit digest / verify / prove / check-proof / export: the hash chain's evidence."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from commands.support.context import Ledger, pass_ledger
from commands.support.files import check_output, force_option, write_output
from commands.support.output import Forged, Tampered, emit, format_option, render_record
from commands.support.params import Bounded

if TYPE_CHECKING:
    from ledger.app.audit import Digest, Verdict


def parse_digest(text: str | None, option: str = "--digest") -> Digest | None:
    """A digest option, or @FILE naming a file that holds one (e.g. from audit digest --output).

    Malformed is a usage error (exit 2), as audit verify has always done.
    """
    from ledger.app.audit import Digest

    if text is None:
        return None
    if text.startswith("@"):
        lines = read_lines(text[1:], "a digest", option)
        text = lines[0] if lines else ""
    try:
        return Digest.parse(text)
    except ValueError as error:
        raise click.BadParameter(str(error), param_hint=option) from None


def read_lines(name: str, what: str, option: str) -> list[str]:
    """The non-blank lines of a small text file named by an @FILE option (the digest comes first)."""
    try:
        with Path(name).open("rb") as handle:
            raw = handle.read(4096)
        return [line.strip() for line in raw.decode("utf-8").splitlines() if line.strip()]
    except (OSError, UnicodeDecodeError) as error:
        detail = error.strerror if isinstance(error, OSError) and error.strerror else "not text"
        raise click.BadParameter(f"cannot read {what} from {name}: {detail}", param_hint=option) from None


@click.command("digest")
@click.option("--output", type=click.Path(dir_okay=False, path_type=Path), metavar="FILE",
              help="Also write the digest (and signature) to FILE (a new file), for your working papers.")
@force_option
@click.option("--sign", "key", type=click.Path(dir_okay=False, path_type=Path), metavar="KEYFILE",
              help="Sign the digest with this Ed25519 private key (PEM): the signature follows on a "
                   "second line.")
@pass_ledger
def digest(ledger: Ledger, output: Path | None, force: bool, key: Path | None) -> None:
    """Print the digest SIZE:CHAINHEX:ROOTHEX (events, chain head, Merkle root), for publishing."""
    if output is not None:
        check_output(output, ledger, force)
    text = ledger.ready().audit.published_digest(ledger.actor, key)
    if output is not None:
        write_output(output, text, ledger, force=force)
    click.echo(text, nl=False)


@click.command("verify")
@click.option("--digest", "digest_text", metavar="DIGEST",
              help="A digest published earlier (or @FILE holding it): also prove the log still "
                   "extends it. Every event is re-hashed unless --quick is given.")
@click.option("--quick", is_flag=True,
              help="With --digest SIZE:CHAINHEX:ROOTHEX: check the events up to the digest by their "
                   "Merkle root and count them, re-reading only the bodies after it; the output says "
                   "how many bodies were re-read.")
@click.option("--full", is_flag=True, hidden=True,
              help="The default (every event re-hashed); kept for scripts written before --quick.")
@click.option("--export", "export_dir", metavar="DIR", type=click.Path(path_type=Path),
              help="Verify a folder written by audit export instead, with no database.")
@click.option("--signature", metavar="SIG",
              help="With --digest: its signature from audit digest --sign (hex, or @FILE: the last line).")
@click.option("--public-key", "public_key", metavar="PEM", type=click.Path(dir_okay=False, path_type=Path),
              help="With --signature: the signer's Ed25519 public key (PEM).")
@pass_ledger
def verify(ledger: Ledger, digest_text: str | None, quick: bool, full: bool, export_dir: Path | None,
           signature: str | None, public_key: Path | None) -> None:
    """Recompute the hash chain from the stored events; exit 1 naming the first bad position.

    With --export DIR it verifies the copy in DIR and never opens a database (there is no
    roster to check either). With --signature and --public-key, the digest's signature is
    checked first.
    """
    from ledger.app.audit import check_signature, verify_copy

    expected = parse_digest(digest_text)
    if quick and full:
        raise click.UsageError("--quick and --full exclude each other (every event is re-hashed by default)")
    if (signature is None) != (public_key is None) or (signature is not None and expected is None):
        raise click.UsageError("--signature and --public-key go together, with --digest")
    if expected is not None and signature is not None and public_key is not None:
        if signature.startswith("@"):
            lines = read_lines(signature[1:], "a signature", "--signature")
            signature = lines[-1] if lines else ""
        check_signature(expected, signature, public_key)
    if export_dir is not None:
        verdict = verify_copy(export_dir, expected)
        click.echo(_verdict(verdict, expected, "in the export", signed=signature is not None))
        return
    progress = None
    if sys.stderr.isatty():
        def progress(n: int) -> None:
            if n % 50000 == 0:
                click.echo(f"\rverified {n} events", err=True, nl=False)
    verdict = ledger.open().audit.verify_ledger(ledger.actor, expected, quick=quick, progress=progress)
    click.echo(_verdict(verdict, expected, signed=signature is not None))


def _verdict(verdict: Verdict, expected: Digest | None, where: str = "", signed: bool = False) -> str:
    """The verdict in one line; a failed one is ``TAMPERED: ...`` on stderr and exit 1."""
    if not verdict.ok:
        raise (Forged if verdict.forged else Tampered)(str(verdict.problem))
    against = f"; extends {expected}" if expected else ""
    against += " (signature checked)" if signed else ""
    how = ""
    if verdict.resumed_at:
        how = (f" (quick: {verdict.size - verdict.resumed_at} event bodies re-read; the first "
               f"{verdict.resumed_at} checked by the digest's Merkle root and counted, not re-read)")
    place = f" {where}" if where else ""
    return f"ok: {verdict.size} events verified{place}{how}; head {verdict.digest}{against}"


@click.command("prove")
@click.argument("position", type=Bounded(min=1))
@click.option("--digest", "digest_text", metavar="DIGEST",
              help="A digest you hold (or @FILE): prove the event against it, with a consistency "
                   "proof from it to the ledger now.")
@format_option("table", "json")
@click.option("--output", type=click.Path(dir_okay=False, path_type=Path), metavar="FILE",
              help="Write the proof to FILE (a new file) instead of stdout.")
@force_option
@pass_ledger
def prove(ledger: Ledger, position: int, digest_text: str | None, fmt: str, output: Path | None,
          force: bool) -> None:
    """An inclusion proof that the event at POSITION is in the ledger's Merkle tree.

    Its size is logarithmic in the ledger's. Save the JSON form and check it with
    perfledger audit check-proof FILE --digest DIGEST, which needs no database.
    """
    since = parse_digest(digest_text)
    if output is not None:
        check_output(output, ledger, force)
    proof = ledger.ready().audit.proof(ledger.actor, position, since)
    if fmt == "json":
        text = json.dumps(proof.as_json(), indent=2) + "\n"
    else:
        event = proof.event
        record: dict[str, Any] = {
            "position": proof.position,
            "event": f"{event['topic']} ({event['originator_id']} v{event['version']})",
            "recorded_at": event["recorded_at"],
            "leaf": proof.leaf,
            "tree": str(proof.tree),
            "path": "\n".join(proof.path) or "(none: a tree of one event)",
            "path_length": f"{len(proof.path)} hashes",
        }
        if proof.consistency is not None:
            record["consistency_from"] = str(proof.consistency.first)
            record["consistency_to"] = str(proof.consistency.second)
            record["consistency_path"] = "\n".join(proof.consistency.path) or "(none)"
        text = render_record(record, "table")
    if output is None:
        emit(text)
        return
    write_output(output, text, ledger, force=force)
    click.echo(f"wrote the proof for position {position} ({len(proof.path)} hashes) to {output}")


@click.command("check-proof")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--digest", "digest_text", metavar="DIGEST", required=True,
              help="The digest you hold (SIZE:CHAINHEX:ROOTHEX), or @FILE holding it.")
def check_proof_command(file: Path, digest_text: str) -> None:
    """Check a proof from audit prove --format json against a digest you hold; no database needed.

    Exit 0 only if the event in FILE hashes to its leaf, the leaf's path leads to the
    root, and that tree is your digest's or provably extends it; otherwise exit 1.
    """
    from ledger.app.audit import Digest, check_proof_file

    click.echo(check_proof_file(file, parse_digest(digest_text) or Digest(0, "")))


@click.command("export")
@click.option("--output", "output", required=True, metavar="DIR",
              type=click.Path(file_okay=True, path_type=Path),
              help="A new (or empty) folder for events.jsonl, chain.jsonl and digest.txt.")
@pass_ledger
def export(ledger: Ledger, output: Path) -> None:
    """Copy the events and chain rows as JSON lines, with the digest, for verifying offline.

    Verify the copy anywhere with perfledger audit verify --export DIR (no database).
    """
    stamp = ledger.ready().audit.export(ledger.actor, output)
    click.echo(f"exported {stamp.size} events to {output}; digest {stamp}")


COMMANDS = [digest, verify, prove, check_proof_command, export]
