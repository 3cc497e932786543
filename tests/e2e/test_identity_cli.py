"""Who did it, proven, from the command line: names that cannot be mistaken, personal signing
keys on a signed ledger, and (PostgreSQL) the actor bound to the database login."""

from __future__ import annotations

import json
import stat
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import pytest
from click.testing import Result

from commands.cli import cli
from ledger.store.chain import RawEvent, link
from tests.e2e.harness import EVIDENCE, Perfledger, adjusting_partnership, refused
from tests.integration.tampering import Tamperer, events_table


@pytest.fixture
def pl(clone_of: Callable[[Callable[[str], Perfledger]], Perfledger]) -> Perfledger:
    return clone_of(adjusting_partnership)


@pytest.mark.parametrize(("name", "fragment"), [
    ("bob\u200b", "(U+200B ZERO WIDTH SPACE): type the name without it"),
    ("b\u043eb", "'b\u043eb' could be mistaken for 'bob', who is already on the roster"),
    ("Bob", "'Bob' could be mistaken for 'bob', who is already on the roster"),
])
def test_a_second_bob_who_prints_as_bob_cannot_be_enrolled(pl: Perfledger, name: str, fragment: str) -> None:
    before = pl.digest()
    refused(pl("people", "add", name, "--role", "data-quality-officer"), 1, fragment)
    assert pl.digest() == before  # nothing written


def test_a_name_is_stored_normalised(pl: Perfledger) -> None:
    pl.ok("people", "add", "  Raj   Patel ", "--role", "auditor")
    listed = pl.ok("people", "list", "--format", "csv").stdout
    assert "\nRaj Patel," in listed
    refused(pl("people", "add", "raj patel", "--role", "viewer"), 1, "could be mistaken for 'Raj Patel'")


# --- personal signing keys -----------------------------------------------------------------
class Signed:
    """A ledger with signed identity: alice (administrator), bob (improvement manager), dora and
    dan (data-quality officers) with keys; carol (data-quality officer) without one."""

    def __init__(self, url: str, keys: Path) -> None:
        self.pl = Perfledger(url)
        self.keys = keys
        for name in ("alice", "bob", "dora", "dan"):
            self.pl.ok("key", "new", "--out", str(keys / f"{name}.key"))
        self.pl.ok("init", "--admin", "alice", "--identity", "signed", "--public-key", self.pub("alice"))
        for name, role in (("bob", "improvement-manager"), ("dora", "data-quality-officer"),
                           ("dan", "data-quality-officer")):
            self.ok("alice", "people", "add", name, "--role", role, "--public-key", self.pub(name))
        self.ok("alice", "people", "add", "carol", "--role", "data-quality-officer")
        self.ok("alice", "indicator", "register", "NI 192", "--title", "Household waste recycled", "--unit",
                "percent", "--polarity", "higher", "--frequency", "quarterly")
        self.ok("bob", "return", "submit", "NI 192", "2008/09-Q1", "36.40")
        self.ok("alice", "period", "close", "2008/09-Q1")
        self.request = self.ok("bob", "adjust", "request", "NI 192", "2008/09-Q1", "36.90",
                               *EVIDENCE).stdout.strip()

    def key(self, name: str) -> str:
        return str(self.keys / f"{name}.key")

    def pub(self, name: str) -> str:
        return str(self.keys / f"{name}.key.pub")

    def __call__(self, actor: str, *args: str, key: str | None = None) -> Result:
        return self.pl.runner.invoke(cli, ["--db", self.pl.url, "--actor", actor,
                                           *(["--key", key] if key else []), *args])

    def ok(self, actor: str, *args: str) -> Result:
        result = self(actor, *args, key=self.key(actor) if (self.keys / f"{actor}.key").exists() else None)
        assert result.exit_code == 0, result.stderr
        return result


@pytest.fixture
def signed(store_url: str, tmp_path: Path) -> Signed:
    return Signed(store_url, tmp_path)


def test_key_new_writes_a_private_file_only_its_owner_reads_and_never_overwrites(tmp_path: Path) -> None:
    pl = Perfledger(f"sqlite:///{tmp_path / 'none.db'}")
    out = tmp_path / "mine.key"
    result = pl.ok("key", "new", "--out", str(out))
    assert "fingerprint" in result.stderr
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    assert (tmp_path / "mine.key.pub").read_text().startswith("-----BEGIN PUBLIC KEY-----")
    before = out.read_bytes()
    refused(pl("key", "new", "--out", str(out)), 1, "already exists: a key file is never overwritten")
    assert out.read_bytes() == before
    assert not (tmp_path / "none.db").exists()  # no ledger was needed, or made


def test_approving_without_a_key_or_with_someone_elses_is_refused_and_nothing_written(signed: Signed) -> None:
    before = signed.pl.digest()
    refused(signed("dora", "adjust", "approve", signed.request), 1,
            "dora has an enrolled signing key and this ledger requires signed identity: give --key FILE")
    refused(signed("dora", "adjust", "approve", signed.request, key=signed.key("dan")), 1,
            "is not dora's enrolled key")
    refused(signed("dora", "adjust", "approve", signed.request, key=signed.key("bob")), 1,
            "is not dora's enrolled key")
    assert signed.pl.digest() == before  # not even a refusal: it would be a write in dora's name
    signed.ok("dora", "adjust", "approve", signed.request)
    out = signed.pl.ok("audit", "verify").stdout
    assert out.startswith("ok: ")


def test_a_person_without_a_key_still_writes_unsigned(signed: Signed) -> None:
    request = signed.ok("bob", "adjust", "request", "NI 192", "2008/09-Q1", "37.00", *EVIDENCE).stdout.strip()
    signed.ok("carol", "adjust", "reject", request, "--note", "not evidenced")
    assert signed.pl.ok("audit", "verify").stdout.startswith("ok: ")


@pytest.mark.parametrize("forged_actor", ["dan", "carol"])
def test_an_actor_edited_in_the_file_with_its_hashes_recomputed_is_forged(signed: Signed, forged_actor: str) -> None:
    signed.ok("dora", "adjust", "approve", signed.request)
    trail = json.loads(signed.pl.ok("audit", "trail", "--format", "json").stdout)
    approval = next(r for r in trail if r["event"] == "Adjustment.Approved")
    db = Tamperer(signed.pl.url, events_table(signed.pl.url))
    try:
        row = db.row(approval["position"])
        state = db.event(row.notification_id).state
        assert b'"actor":"dora"' in state
        db.set_state(row.notification_id, state.replace(b'"actor":"dora"', f'"actor":"{forged_actor}"'.encode()))
        db.rechain_from(approval["position"])  # leaf and chain recomputed to match
    finally:
        db.close()
    result = signed.pl("audit", "verify")
    assert result.exit_code == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    if forged_actor == "dan":  # a keyed person named inside a batch dora signed
        assert lines[0] == (f"FORGED: position {approval['position']}: the event by dan is signed with dora's "
                            "key, not dan's"), lines
    else:  # carol has no key: dora's signature, which seals the altered leaf, no longer matches
        assert lines[0].startswith("FORGED: position "), lines
        assert "does not match dora's key enrolled at position" in lines[0], lines


def test_an_unsigned_event_appended_in_a_colleagues_name_is_forged(signed: Signed) -> None:
    db = Tamperer(signed.pl.url, events_table(signed.pl.url))
    try:
        size = db.count_rows()
        last = db.event_at(size)
        forged = RawEvent(0, last.originator_id, last.originator_version + 1, "perfledger/Adjustment.Approved",
                          b'{"timestamp":{"_type_":"datetime_iso","_data_":"2009-01-05T09:00:00+00:00"},'
                          b'"actor":"dora"}')
        nid = db.insert_event(forged)
        head = db.row(size)
        (row,) = link(size, bytes.fromhex(head.chain), head.recorded_at, [replace(forged, notification_id=nid)],
                      head.login)
        db.insert_row(row)
    finally:
        db.close()
    result = signed.pl("audit", "verify")
    assert result.exit_code == 1
    assert result.stderr.startswith(f"FORGED: position {size + 1}: the event by dora is not signed"), \
        result.stderr


def test_the_quick_check_checks_the_signatures_after_the_digest(signed: Signed) -> None:
    digest = signed.pl.digest()
    signed.ok("dora", "adjust", "approve", signed.request)
    db = Tamperer(signed.pl.url, events_table(signed.pl.url))
    try:
        size = db.count_rows()
        db.sql("UPDATE {C} SET signature = '' WHERE position > ?", (int(digest.split(":")[0]),))
    finally:
        db.close()
    result = signed.pl("audit", "verify", "--digest", digest, "--quick")
    assert result.exit_code == 1
    assert result.stderr.startswith("FORGED: position "), result.stderr
    assert "the event by dora is not signed" in result.stderr
    assert size > int(digest.split(":")[0])


def test_a_later_key_replaces_the_earlier_from_its_position_on(signed: Signed) -> None:
    signed.pl.ok("key", "new", "--out", str(signed.keys / "dora2.key"))
    signed.ok("alice", "people", "key", "dora", str(signed.keys / "dora2.key.pub"), "--reason", "laptop lost")
    refused(signed("dora", "adjust", "approve", signed.request, key=signed.key("dora")), 1,
            "is not dora's enrolled key")
    result = signed("dora", "adjust", "approve", signed.request, key=str(signed.keys / "dora2.key"))
    assert result.exit_code == 0, result.stderr
    assert signed.pl.ok("audit", "verify").stdout.startswith("ok: ")
    trail = signed.pl.ok("audit", "trail", "--format", "json").stdout
    assert "dora: signing key" in trail


def test_an_existing_ledger_turns_signed_identity_on(adjusting: Perfledger, tmp_path: Path) -> None:
    pl = adjusting
    pl.ok("key", "new", "--out", str(tmp_path / "dan.key"))
    pl.ok("people", "key", "dan", str(tmp_path / "dan.key.pub"), "--reason", "signed identity")
    refused(pl("ledger", "identity", "signed", "--reason", "audit finding", actor="bob"), 1,
            "bob may not change how the ledger proves who acts")
    refused(pl("ledger", "identity", "signed"), 2, "Missing option '--reason'")
    pl.ok("ledger", "identity", "signed", "--reason", "audit finding 2026/7")
    request = pl.ok("adjust", "request", "NI 192", "2008/09-Q1", "36.90", *EVIDENCE, actor="bob").stdout.strip()
    refused(pl("adjust", "approve", request, actor="dan"), 1, "give --key FILE")
    result = pl.runner.invoke(cli, ["--db", pl.url, "--actor", "dan", "--key", str(tmp_path / "dan.key"),
                                    "adjust", "approve", request])
    assert result.exit_code == 0, result.stderr
    assert pl.ok("audit", "verify").stdout.startswith("ok: ")


@pytest.fixture
def adjusting(clone_of: Callable[[Callable[[str], Perfledger]], Perfledger]) -> Perfledger:
    return clone_of(adjusting_partnership)


def test_an_import_by_a_keyed_person_is_signed_or_refused_whole(signed: Signed, tmp_path: Path) -> None:
    rows = tmp_path / "returns.csv"
    rows.write_text("indicator,period,value\nNI 192,2008/09-Q2,38.10\nNI 192,2008/09-Q3,39.00\n")
    before = signed.pl.digest()
    refused(signed("bob", "return", "import", str(rows)), 1, "bob has an enrolled signing key")
    assert signed.pl.digest() == before
    result = signed("bob", "return", "import", str(rows), key=signed.key("bob"))
    assert result.exit_code == 0, result.stderr
    assert signed.pl.ok("audit", "verify").stdout.startswith("ok: ")


def test_a_key_file_that_is_not_a_private_key_is_one_line(signed: Signed) -> None:
    refused(signed("bob", "people", "list", key=signed.pub("bob")), 1, "is not an unencrypted PEM private key")
    refused(signed("bob", "people", "list", key=str(signed.keys / "missing.key")), 1, "cannot read the private key")
    refused(signed("alice", "people", "key", "bob", signed.key("bob"), "--reason", "x", key=signed.key("alice")),
            1, "is not a PEM public key")
