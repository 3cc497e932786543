"""audit digest / verify --digest / prove / check-proof / export / verify --export from the command line."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.e2e.harness import Perfledger, refused


def build_pl(store_url: str) -> Perfledger:
    p = Perfledger(store_url)
    p.ok("init", "--admin", "alice")
    p.ok("people", "add", "vic", "--role", "viewer")
    p.ok("indicator", "register", "NI 192", "--title", "Household waste recycled", "--unit", "percent",
         "--polarity", "higher", "--frequency", "quarterly", "--decimals", "2")
    return p


@pytest.fixture
def pl(clone_of: Callable[[Callable[[str], Perfledger]], Perfledger]) -> Perfledger:
    return clone_of(build_pl)


def submit(pl: Perfledger, quarter: int) -> None:
    pl.ok("return", "submit", "NI 192", f"2008/09-Q{quarter}", f"5{quarter}.5")


def test_digest_has_a_root_and_the_old_form_is_still_accepted(pl: Perfledger) -> None:
    digest = pl.digest()
    size, chain, root = digest.split(":")
    assert int(size) == 5
    assert len(chain) == len(root) == 64
    submit(pl, 1)
    incremental = pl.ok("audit", "verify", "--digest", digest, "--quick", actor="vic").stdout
    assert incremental.startswith(
        "ok: 6 events verified (quick: 1 event bodies re-read; the first 5 checked by the digest's "
        "Merkle root and counted, not re-read)")
    assert incremental.strip().endswith(f"; extends {digest}")
    full = pl.ok("audit", "verify", "--digest", digest).stdout
    assert full.startswith("ok: 6 events verified; head 6:")
    assert pl.ok("audit", "verify", "--digest", digest, "--full").stdout == full  # the old flag still works
    old = pl.ok("audit", "verify", "--digest", f"{size}:{chain}").stdout
    assert old.strip().endswith(f"; extends {size}:{chain}")


@pytest.mark.parametrize("text", ["5", "5:zz", "5:" + "a" * 64 + ":" + "b" * 63, "x:" + "a" * 64])
def test_malformed_digest_is_a_usage_error_everywhere(pl: Perfledger, tmp_path: Path, text: str) -> None:
    proof = tmp_path / "proof.json"
    proof.write_text("{}")
    for args in (["audit", "verify", "--digest", text], ["audit", "prove", "1", "--digest", text],
                 ["audit", "check-proof", str(proof), "--digest", text],
                 ["audit", "verify", "--export", str(tmp_path), "--digest", text]):
        refused(pl(*args), 2, "malformed digest")


def test_a_proof_checks_offline_and_every_alteration_is_rejected(pl: Perfledger, tmp_path: Path) -> None:
    earlier = pl.digest()
    submit(pl, 1)
    submit(pl, 2)
    now = pl.digest()
    table = pl.ok("audit", "prove", "3", actor="vic").stdout
    assert "path_length" in table
    assert now in table
    proof = tmp_path / "proof.json"
    proof.write_text(pl.ok("audit", "prove", "6", "--digest", earlier, "--format", "json").stdout)
    checked = pl.runner.invoke(pl_cli(), ["audit", "check-proof", str(proof), "--digest", earlier])
    assert checked.exit_code == 0, checked.stderr
    assert checked.stdout.startswith(
        "ok: the event at position 6 is in the ledger of 7 events, which extends")
    document = json.loads(proof.read_text())

    def rejected(doc: object, fragment: str = "proof rejected") -> None:
        bad = tmp_path / "bad.json"
        bad.write_text(json.dumps(doc))
        refused(pl.runner.invoke(pl_cli(), ["audit", "check-proof", str(bad), "--digest", earlier]), 1,
                fragment)

    flipped = "0" if document["path"][0][0] != "0" else "1"
    alterations: list[tuple[str, object]] = [
        ("path", [flipped + document["path"][0][1:], *document["path"][1:]]),
        ("path", [*document["path"], document["root"]]),
        ("path", document["path"][:-1]),
        ("path", ["xyz"]),
        ("path", "not a list"),
        ("path", [document["root"]] * 65),
        ("position", 5),
        ("position", 99),
        ("position", -1),
        ("position", True),
        ("tree_size", 8),
        ("leaf", "ab" * 32),
        ("leaf", "ab"),
        ("root", "ab" * 32),
        ("format", "something-else"),
        ("consistency", None),
        ("consistency", {"from": now, "to": now, "path": []}),
    ]
    for key, value in alterations:
        rejected({**document, key: value})
    event = document["event"]
    rejected({**document, "event": {**event, "state": event["state"][:-4] + "AAAA"}}, "altered")
    rejected({**document, "event": {**event, "recorded_at": "2001-01-01T00:00:00.000000+00:00"}})
    rejected({k: v for k, v in document.items() if k != "root"})
    rejected([document])
    bad = tmp_path / "garbage.json"
    bad.write_bytes(b"\xff\xfe not json")
    check = ["audit", "check-proof", str(bad), "--digest"]
    refused(pl.runner.invoke(pl_cli(), [*check, earlier]), 1, "not JSON")
    refused(pl.runner.invoke(pl_cli(), [*check, earlier.rsplit(":", 1)[0]]), 1, "no Merkle root")
    refused(pl("audit", "prove", "99"), 1, "outside")
    refused(pl("audit", "prove", "0"), 1, "POSITION 0 is less than 1")


def pl_cli():  # type: ignore[no-untyped-def]
    from commands.cli import cli

    return cli


def test_export_verifies_offline_and_refuses_a_used_folder(pl: Perfledger, tmp_path: Path) -> None:
    earlier = pl.digest()
    submit(pl, 1)
    out = tmp_path / "copy"
    exported = pl.ok("audit", "export", "--output", str(out), actor="vic").stdout
    assert exported.startswith(f"exported 6 events to {out}; digest 6:")
    assert sorted(p.name for p in out.iterdir()) == ["chain.jsonl", "digest.txt", "events.jsonl"]
    refused(pl("audit", "export", "--output", str(out)), 1, "not an empty folder")
    runner = pl.runner
    ok = runner.invoke(pl_cli(), ["--db", "sqlite:///nowhere/none.db", "audit", "verify",
                                  "--export", str(out), "--digest", earlier])
    assert ok.exit_code == 0, ok.stderr
    assert ok.stdout.startswith("ok: 6 events verified in the export; head 6:")
    refused(runner.invoke(pl_cli(), ["audit", "verify", "--export", str(tmp_path / "nothing")]), 1,
            "not a folder")


def _tamper_lines(folder: Path, name: str, edit) -> None:  # type: ignore[no-untyped-def]
    path = folder / name
    lines = path.read_text().splitlines()
    path.write_text("".join(line + "\n" for line in edit(lines)))


def _state_modified(lines: list[str]) -> list[str]:
    record = json.loads(lines[3])
    record["topic"] = record["topic"] + "x"
    return [*lines[:3], json.dumps(record), *lines[4:]]


EDITS = {
    "modified": ("events.jsonl", _state_modified),
    "deleted": ("events.jsonl", lambda lines: lines[:3] + lines[4:]),
    "inserted": ("events.jsonl", lambda lines: [*lines[:3], lines[2], *lines[3:]]),
    "reordered": ("chain.jsonl", lambda lines: [*lines[:2], lines[3], lines[2], *lines[4:]]),
    "truncated": ("chain.jsonl", lambda lines: lines[:-1]),
    "both-truncated": ("both", lambda lines: lines[:-1]),
    "not-json": ("events.jsonl", lambda lines: [*lines[:2], "{not json", *lines[3:]]),
    "wrong-type": ("chain.jsonl", lambda lines: [
        *lines[:2], lines[2].replace('"position": 3', '"position": "3"'), *lines[3:]]),
}


@pytest.mark.parametrize("kind", list(EDITS))
def test_every_tampered_export_line_is_found(pl: Perfledger, tmp_path: Path, kind: str) -> None:
    earlier = pl.digest()
    submit(pl, 1)
    out = tmp_path / "copy"
    pl.ok("audit", "export", "--output", str(out))
    name, edit = EDITS[kind]
    for target in (["events.jsonl", "chain.jsonl"] if name == "both" else [name]):
        _tamper_lines(out, target, edit)
    if kind == "both-truncated":  # the attacker also rewrites digest.txt: only your digest catches it
        (out / "digest.txt").write_text(earlier + "\n")
        assert pl.runner.invoke(pl_cli(), ["audit", "verify", "--export", str(out)]).exit_code == 0
        result = pl.runner.invoke(pl_cli(), ["audit", "verify", "--export", str(out),
                                             "--digest", pl.digest()])
    else:
        result = pl.runner.invoke(pl_cli(), ["audit", "verify", "--export", str(out)])
    assert result.exit_code == 1, (kind, result.stdout)
    assert result.stderr.startswith("TAMPERED: ")
    assert len(result.stderr.strip().splitlines()) == 1
    assert "Traceback" not in result.output


def test_digest_and_proof_files_for_the_working_papers(pl: Perfledger, tmp_path: Path) -> None:
    papers = tmp_path / "digest.txt"
    printed = pl.ok("audit", "digest", "--output", str(papers), actor="vic").stdout.strip()
    assert papers.read_text().strip() == printed
    refused(pl("audit", "digest", "--output", str(papers)), 1, "exists: give --force to replace it")
    assert papers.read_text().strip() == printed
    submit(pl, 1)
    assert pl.ok("audit", "verify", "--digest", f"@{papers}").stdout.strip().endswith(f"extends {printed}")
    proof = tmp_path / "proof.json"
    written = pl.ok("audit", "prove", "2", "--digest", f"@{papers}", "--format", "json",
                    "--output", str(proof))
    assert written.stdout.startswith("wrote the proof for position 2 (")
    checked = pl.runner.invoke(pl_cli(), ["audit", "check-proof", str(proof), "--digest", f"@{papers}"])
    assert checked.exit_code == 0, checked.stderr
    refused(pl("audit", "prove", "2", "--format", "json", "--output", str(proof)), 1, "exists: give --force")
    refused(pl("audit", "verify", "--digest", f"@{tmp_path / 'missing.txt'}"), 2, "cannot read a digest")
    refused(pl("audit", "verify", "--digest", f"@{proof}"), 2, "malformed digest")


def test_a_signed_digest_is_attributed_and_a_forged_one_refused(pl: Perfledger, tmp_path: Path) -> None:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    def keypair(name: str) -> tuple[Path, Path]:
        key = Ed25519PrivateKey.generate()
        private, public = tmp_path / f"{name}.pem", tmp_path / f"{name}.pub.pem"
        private.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                              serialization.NoEncryption()))
        public.write_bytes(key.public_key().public_bytes(serialization.Encoding.PEM,
                                                         serialization.PublicFormat.SubjectPublicKeyInfo))
        return private, public

    private, public = keypair("audit")
    _, other = keypair("other")
    papers = tmp_path / "signed.txt"
    signed = pl.ok("audit", "digest", "--sign", str(private), "--output", str(papers))
    digest, signature = signed.stdout.split()
    assert len(signature) == 128
    assert papers.read_text().split() == [digest, signature]
    ok = pl.ok("audit", "verify", "--digest", digest, "--signature", signature, "--public-key", str(public))
    assert ok.stdout.strip().endswith("(signature checked)")
    pl.ok("audit", "verify", "--digest", f"@{papers}", "--signature", f"@{papers}",
          "--public-key", str(public))
    submit(pl, 1)
    later = pl.digest()
    refused(pl("audit", "verify", "--digest", later, "--signature", signature, "--public-key", str(public)),
            1, "does not match")
    refused(pl("audit", "verify", "--digest", digest, "--signature", signature, "--public-key", str(other)),
            1, "does not match")
    refused(pl("audit", "verify", "--digest", digest, "--signature", "ab" * 10, "--public-key", str(public)),
            1, "128 hex digits")
    refused(pl("audit", "verify", "--digest", digest, "--signature", signature, "--public-key", str(papers)),
            1, "not a PEM public key")
    refused(pl("audit", "verify", "--digest", digest, "--signature", signature), 2, "go together")
    refused(pl("audit", "digest", "--sign", str(public)), 1, "not an unencrypted PEM private key")
