"""Merkle digests, incremental verification, proofs and exports, on both backends, under attack.

The ledger and the plain-SQL tamperer are the adversarial suite's (tests/integration/tampering.py).
Every tamper kind is run three ways: full verification, incremental verification against
an earlier digest (which re-hashes only the events after it), and verification of an export
of the tampered store (no database).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from ledger.errors import Invalid
from ledger.store.chain import Digest, RawEvent
from ledger.store.export import verify_export as verify_copy
from ledger.store.export import write_export
from ledger.store.merkle import EMPTY_ROOT
from ledger.store.proofcheck import BadProof, check_proof
from ledger.store.verify import Verdict
from tests.integration.tampering import Built, N, Tamperer

EARLIER = 6  # the earlier digest the incremental checks start from
AT = 10  # where the tampering happens: after EARLIER


def incremental(built: Built, digest: Digest) -> Verdict:
    app = built.reopen()
    try:
        return app.audit.verify_since(digest)
    finally:
        app.close()


def exported(built: Built, folder: Path, digest: Digest | None = None) -> Verdict:
    app = built.reopen()
    try:
        write_export(app.core.recorder, folder)  # type: ignore[arg-type]
    finally:
        app.close()
    return verify_copy(folder, digest)


# --- the honest ledger ---------------------------------------------------------------------
def test_digests_carry_the_merkle_root_and_every_earlier_digest_verifies_incrementally(built: Built):
    assert built.digest.root is not None
    assert Digest.parse(str(built.digest)) == built.digest
    full = built.verify()
    assert full.ok
    assert full.digest == built.digest
    for size, earlier in built.digests.items():
        verdict = incremental(built, earlier)
        assert verdict.ok, (size, verdict)
        assert verdict.digest == built.digest
        assert verdict.resumed_at == size
        assert built.verify(earlier).ok


def test_export_of_an_honest_ledger_verifies_offline(built: Built, tmp_path: Path):
    verdict = exported(built, tmp_path / "copy", built.digests[EARLIER])
    assert verdict.ok, verdict
    assert verdict.digest == built.digest
    assert (tmp_path / "copy" / "digest.txt").read_text().strip() == str(built.digest)
    assert len((tmp_path / "copy" / "events.jsonl").read_text().splitlines()) == N


def test_every_proof_of_the_honest_ledger_checks(built: Built):
    app = built.reopen()
    try:
        for position in range(1, N + 1):
            document = json.loads(json.dumps(app.audit.prove(position).as_json()))
            assert "ok:" in check_proof(document, built.digest)
            assert len(document["path"]) <= (N - 1).bit_length()
            for size, earlier in built.digests.items():
                since = json.loads(json.dumps(app.audit.prove(position, earlier).as_json()))
                assert "ok:" in check_proof(since, earlier), (position, size)
                with pytest.raises(BadProof):
                    check_proof(since, Digest(earlier.size, earlier.chain, EMPTY_ROOT.hex()))
        with pytest.raises(Invalid, match="outside"):
            app.audit.prove(N + 1)
        with pytest.raises(Invalid, match="truncated"):
            app.audit.prove(1, Digest(N + 1, built.digest.chain, built.digest.root))
    finally:
        app.close()


# --- every tamper kind, three ways ------------------------------------------------------------
def modify(db: Tamperer) -> None:
    event = db.event_at(AT)
    db.set_state(event.notification_id, event.state.replace(b"1", b"2", 1) + b" ")


def delete_event(db: Tamperer) -> None:
    db.sql("DELETE FROM {E} WHERE {N} = ?", (db.row(AT).notification_id,))


def delete_row(db: Tamperer) -> None:
    db.sql("DELETE FROM {C} WHERE position = ?", (AT,))


def insert(db: Tamperer) -> None:
    before = db.row(AT - 1).notification_id
    template = db.event_at(AT)
    db.sql("UPDATE {E} SET {N} = {N} + 1000 WHERE {N} > ?", (before,))
    db.sql("UPDATE {E} SET {N} = {N} - 999 WHERE {N} > ?", (before + 999,))
    forged = RawEvent(0, "ab" * 16, 1, template.topic, template.state)
    db.insert_event(forged, nid=before + 1)


def reorder(db: Tamperer) -> None:
    a, b = db.row(AT).notification_id, db.row(AT + 2).notification_id
    db.sql("UPDATE {E} SET {N} = ? WHERE {N} = ?", (-1, a))
    db.sql("UPDATE {E} SET {N} = ? WHERE {N} = ?", (a, b))
    db.sql("UPDATE {E} SET {N} = ? WHERE {N} = ?", (b, -1))


def leaf_changed(db: Tamperer) -> None:
    db.sql("UPDATE {C} SET leaf = ? WHERE position = ?", ("0" * 64, AT))


TAMPERS: dict[str, Callable[[Tamperer], None]] = {
    "modified": modify, "event-deleted": delete_event, "chain-row-deleted": delete_row,
    "inserted": insert, "reordered": reorder, "leaf-changed": leaf_changed,
}


@pytest.mark.parametrize("kind", list(TAMPERS))
def test_every_tamper_after_the_digest_is_found_all_three_ways(
    built: Built, db: Tamperer, tmp_path: Path, kind: str
):
    TAMPERS[kind](db)
    full = built.verify()
    assert not full.ok
    assert full.position == AT, full
    since = incremental(built, built.digests[EARLIER])
    assert not since.ok, f"incremental verification missed {kind}"
    assert since.position == AT, since
    copy = exported(built, tmp_path / "copy")
    assert not copy.ok, f"export verification missed {kind}"
    assert copy.position == AT, copy


@pytest.mark.parametrize("kind", ["leaf-changed", "chain-row-deleted", "rewritten"])
def test_tampering_the_stored_leaves_before_the_digest_breaks_its_root(
    built: Built, db: Tamperer, tmp_path: Path, kind: str
):
    position = 3
    if kind == "leaf-changed":
        db.sql("UPDATE {C} SET leaf = ? WHERE position = ?", ("0" * 64, position))
    elif kind == "chain-row-deleted":
        db.sql("DELETE FROM {C} WHERE position = ?", (position,))
    else:
        event = db.event_at(position)
        db.set_state(event.notification_id, event.state + b" ")
        db.rechain_from(position)
    verdict = incremental(built, built.digests[EARLIER])
    assert not verdict.ok, kind
    assert verdict.position in (position, EARLIER), verdict
    assert not built.verify(built.digests[EARLIER]).ok
    assert not exported(built, tmp_path / "copy", built.digests[EARLIER]).ok
    app = built.reopen()
    try:
        if kind != "chain-row-deleted":
            with pytest.raises(Invalid, match="no longer extends"):
                app.audit.prove(position, built.digests[EARLIER])
            document = app.audit.prove(N).as_json()
            with pytest.raises(BadProof):
                check_proof(document, built.digests[EARLIER])
    finally:
        app.close()


@pytest.mark.parametrize("k", [1, 3])
def test_truncation_is_found_against_the_digest(built: Built, db: Tamperer, tmp_path: Path, k: int):
    for row in db.rows()[N - k :]:
        db.sql("DELETE FROM {C} WHERE position = ?", (row.position,))
        db.sql("DELETE FROM {E} WHERE {N} = ?", (row.notification_id,))
    assert built.verify().ok  # internally consistent, as the adversarial suite documents
    verdict = incremental(built, built.digest)
    assert not verdict.ok
    assert "truncated" in (verdict.problem or "")
    copy = exported(built, tmp_path / "copy", built.digest)
    assert not copy.ok
    assert "truncated" in (copy.problem or "")


def test_limit_an_event_body_altered_before_the_digest_is_found_only_by_full_verification(
    built: Built, db: Tamperer
):
    """Incremental verification trusts the events up to the digest by their stored leaves."""
    event = db.event_at(3)
    db.set_state(event.notification_id, event.state + b" ")
    assert incremental(built, built.digests[EARLIER]).ok
    full = built.verify(built.digests[EARLIER])
    assert not full.ok
    assert full.position == 3


@pytest.mark.parametrize("kind", list(TAMPERS))
def test_every_tamper_before_the_digest_is_found_by_verify_digest(built: Built, db: Tamperer, kind: str):
    """The threat model's tampering, at a position the digest covers: ``audit verify --digest D``
    (every body re-hashed, every position counted) finds each kind."""
    digest = built.digest  # the head: it covers AT
    TAMPERS[kind](db)
    verdict = built.verify(digest)
    assert not verdict.ok, f"verify --digest missed {kind}"
    assert verdict.position == AT, verdict


@pytest.mark.parametrize("kind", ["event-deleted", "inserted"])
def test_the_quick_check_counts_events_deleted_or_inserted_before_the_digest(
        built: Built, db: Tamperer, kind: str):
    """The quick check re-reads no body up to the digest, but a stored event deleted or inserted
    there, with the chain rows left alone, is still found: it counts them."""
    TAMPERS[kind](db)
    verdict = incremental(built, built.digest)
    assert not verdict.ok, f"the quick check missed {kind}"
