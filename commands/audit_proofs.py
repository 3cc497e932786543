"""perfledger audit prove / check-proof / export: Merkle proofs and the offline copy of the log."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click

from commands.context import Ledger, pass_ledger
from commands.output import emit, format_option, render_record
from ledger.errors import Invalid
from ledger.store.chain import Digest
from ledger.store.export import ExportError, write_export
from ledger.store.proofcheck import BadProof, check_proof
from ledger.store.proofs import ProofError
from policies.authorisation import Act

MAX_PROOF_BYTES = 1024 * 1024


def parse_digest(text: str | None, option: str = "--digest") -> Digest | None:
    """A digest option, or @FILE naming a file that holds one (e.g. from audit digest --output).

    Malformed is a usage error (exit 2), as audit verify has always done.
    """
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


def write_new(path: Path, text: str) -> None:
    """Write a file for the working papers; never overwrite one."""
    try:
        with path.open("x", encoding="utf-8") as handle:
            handle.write(text)
    except FileExistsError:
        raise Invalid(f"{path} exists: give a new --output (working papers are never overwritten)") from None
    except OSError as error:
        raise Invalid(f"cannot write {path}: {error.strerror or error}") from None


@click.command("prove")
@click.argument("position", type=click.IntRange(min=1))
@click.option("--digest", "digest_text", metavar="DIGEST",
              help="A digest you hold (or @FILE): prove the event against it, with a consistency "
                   "proof from it to the ledger now.")
@format_option("table", "json")
@click.option("--output", type=click.Path(dir_okay=False, path_type=Path), metavar="FILE",
              help="Write the proof to FILE (a new file) instead of stdout.")
@pass_ledger
def prove(ledger: Ledger, position: int, digest_text: str | None, fmt: str, output: Path | None) -> None:
    """An inclusion proof that the event at POSITION is in the ledger's Merkle tree.

    Its size is logarithmic in the ledger's. Save the JSON form and check it with
    perfledger audit check-proof FILE --digest DIGEST, which needs no database.
    """
    since = parse_digest(digest_text)
    app = ledger.ready()
    app.core.authorise(ledger.actor, Act.READ)
    proof = app.audit.prove(position, since)
    document = proof.as_json()
    if fmt == "json":
        text = json.dumps(document, indent=2) + "\n"
        if output is None:
            emit(text)
        else:
            write_new(output, text)
            click.echo(f"wrote the proof for position {position} ({len(proof.path)} hashes) to {output}")
        return
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
    if output is None:
        emit(render_record(record, "table"))
    else:
        write_new(output, render_record(record, "table"))
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
    trusted = parse_digest(digest_text) or Digest(0, "")
    if trusted.root is None:
        raise Invalid("the digest has no Merkle root: give SIZE:CHAINHEX:ROOTHEX as printed by audit digest")
    try:
        with file.open("rb") as handle:
            raw = handle.read(MAX_PROOF_BYTES + 1)
    except OSError as error:
        raise Invalid(f"cannot read {file}: {error.strerror or error}") from None
    if len(raw) > MAX_PROOF_BYTES:
        raise Invalid(f"proof rejected: {file} is larger than any proof")
    try:
        document = json.loads(raw.decode("utf-8"))
        message = check_proof(document, trusted)
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise Invalid(f"proof rejected: {file} is not JSON as printed by audit prove --format json") from None
    except RecursionError:
        raise Invalid(f"proof rejected: {file} is nested too deeply") from None
    except BadProof as error:
        raise Invalid(f"proof rejected: {error}") from None
    click.echo(message)


@click.command("export")
@click.option("--output", "output", required=True, metavar="DIR",
              type=click.Path(file_okay=True, path_type=Path),
              help="A new (or empty) folder for events.jsonl, chain.jsonl and digest.txt.")
@pass_ledger
def export(ledger: Ledger, output: Path) -> None:
    """Copy the events and chain rows as JSON lines, with the digest, for verifying offline.

    Verify the copy anywhere with perfledger audit verify --export DIR (no database).
    """
    app = ledger.ready()
    app.core.authorise(ledger.actor, Act.READ)
    try:
        stamp = write_export(app.core.recorder, output)  # type: ignore[arg-type]
    except (ExportError, ProofError) as error:
        raise Invalid(str(error)) from None
    click.echo(f"exported {stamp.size} events to {output}; digest {stamp}")


COMMANDS = [prove, check_proof_command, export]
