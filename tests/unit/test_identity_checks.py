"""The verifier's identity checks (ledger/store/identity.py), event by event: signatures against
the key enrolled at that position, the marks of a signed batch, and logins bound to people."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from ledger.errors import Invalid
from ledger.store.chain import GENESIS, ChainRow, RawEvent, Seal, link
from ledger.store.identity import Broken, Forged, Signatures
from ledger.store.signing import Signer, seal_batch

LADDER = "perfledger/Escalations.CaseOpened"
ALICE, BOB = Signer(Ed25519PrivateKey.generate()), Signer(Ed25519PrivateKey.generate())


def event(topic: str, **fields: object) -> RawEvent:
    return RawEvent(0, "ab" * 16, 1, topic, json.dumps(fields).encode())


def enrol(name: str, signer: Signer) -> RawEvent:
    return event("perfledger/Roster.KeyEnrolled", name=name, public_key=signer.public_hex, actor="alice")


SIGNED = event("perfledger/Ledger.IdentityChanged", mode="signed", actor="alice")


class Log:
    """Events appended as batches, each sealed (or not) as a writer would."""

    def __init__(self) -> None:
        self.rows: list[tuple[ChainRow, RawEvent]] = []
        self.seals: dict[tuple[str, str], Seal] = {}  # what the store's seals table keeps

    def write(self, *events: RawEvent, by: tuple[Signer, str] | None = None, login: str = "") -> None:
        head = self.rows[-1][0] if self.rows else None
        numbered = [replace(e, notification_id=len(self.rows) + i + 1) for i, e in enumerate(events)]
        rows = link(head.position if head else 0, bytes.fromhex(head.chain) if head else GENESIS,
                    "2009-01-05T09:00:00.000000+00:00", numbered, login)
        if by is not None:
            signer, name = by
            rows, self.seals[name, signer.public_hex] = seal_batch(rows, signer, name,
                                                                   self.seals.get((name, signer.public_hex)))
        self.rows += list(zip(rows, numbered, strict=True))

    def check(self, reactions: tuple[str, ...] = ()) -> None:
        checker = Signatures(reactions=reactions)
        for row, raw in self.rows:
            checker.see(row, raw, bytes.fromhex(row.leaf))
        checker.finish(len(self.rows))


def signed_ledger() -> Log:
    log = Log()
    log.write(enrol("alice", ALICE), enrol("bob", BOB))
    log.write(SIGNED, by=(ALICE, "alice"))
    return log


def test_writes_signed_by_their_actors_pass() -> None:
    log = signed_ledger()
    log.write(event("perfledger/Return.Submitted", actor="bob"), event("perfledger/Return.Warned", actor="bob"),
              by=(BOB, "bob"))
    log.check()


def test_an_unsigned_write_by_a_keyed_person_is_forged() -> None:
    log = signed_ledger()
    log.write(event("perfledger/Return.Submitted", actor="bob"))
    with pytest.raises(Forged, match="position 4: the event by bob is not signed, but bob's key was enrolled "
                                     "at position 2"):
        log.check()


def test_a_write_signed_with_another_keyed_persons_key_is_forged() -> None:
    log = signed_ledger()
    log.write(event("perfledger/Return.Submitted", actor="bob"), by=(ALICE, "alice"))
    with pytest.raises(Forged, match="position 4: the event by bob is signed with alice's key, not bob's"):
        log.check()


def test_a_signature_that_names_the_wrong_signer_does_not_verify() -> None:
    log = signed_ledger()
    log.write(event("perfledger/Return.Submitted", actor="bob"), by=(ALICE, "bob"))
    with pytest.raises(Forged, match="does not match bob's key enrolled at position 2"):
        log.check()


def test_the_ladders_acts_may_carry_whoever_set_them_off() -> None:
    log = signed_ledger()
    log.write(event(LADDER, actor="alice"), by=(BOB, "bob"))
    log.check(reactions=(LADDER,))
    with pytest.raises(Forged):
        log.check()  # not a ladder act: alice's event under bob's signature


def test_before_signed_identity_unsigned_writes_pass_and_signatures_are_still_checked() -> None:
    log = Log()
    log.write(enrol("bob", BOB))
    log.write(event("perfledger/Return.Submitted", actor="bob"))
    log.check()
    log.write(event("perfledger/Return.Submitted", actor="bob"), by=(ALICE, "bob"))
    with pytest.raises(Forged, match="does not match bob's key"):
        log.check()


def test_a_later_key_replaces_the_earlier_from_its_position_on() -> None:
    log = signed_ledger()
    log.write(event("perfledger/Return.Submitted", actor="bob"), by=(BOB, "bob"))
    new = Signer(Ed25519PrivateKey.generate())
    log.write(enrol("bob", new), by=(ALICE, "alice"))
    log.write(event("perfledger/Return.Submitted", actor="bob"), by=(new, "bob"))
    log.check()
    log.write(event("perfledger/Return.Submitted", actor="bob"), by=(BOB, "bob"))
    with pytest.raises(Forged, match=r"position 7: .* does not match bob's key enrolled at position 5"):
        log.check()


@pytest.mark.parametrize(("mark", "error"), [("", Forged), ("@9", Broken), ("@2", Broken),
                                             ("3:00:bob", Broken)])
def test_a_batch_whose_marks_were_rearranged_is_found(mark: str, error: type[Exception]) -> None:
    log = signed_ledger()
    log.write(event("perfledger/Return.Submitted", actor="bob"), event("perfledger/Return.Warned", actor="bob"),
              by=(BOB, "bob"))
    row, raw = log.rows[3]
    log.rows[3] = (replace(row, signature=mark), raw)  # the batch's first row: its mark removed or changed
    with pytest.raises(error):
        log.check()


def test_a_bound_login_writes_only_as_its_person() -> None:
    log = Log()
    log.write(event("perfledger/Roster.LoginBound", name="alice", login="alice_login", actor="root"),
              login="postgres")
    log.write(event("perfledger/Roster.PersonEnrolled", name="dora", actor="alice"), login="alice_login")
    log.check()
    log.write(event("perfledger/Adjustment.Approved", actor="dora"), login="alice_login")
    with pytest.raises(Forged, match="position 3: the event by dora was written by the login alice_login, "
                                     "which is alice's"):
        log.check()


def test_an_unbound_login_may_not_write_once_logins_are_bound() -> None:
    log = Log()
    log.write(event("perfledger/Roster.LoginBound", name="alice", login="alice_login", actor="root"),
              login="postgres")
    log.write(event("perfledger/Roster.PersonEnrolled", name="eve", actor="alice"), login="postgres")
    with pytest.raises(Forged, match="written by the login postgres, which is bound to no one"):
        log.check()


def test_an_earlier_batch_altered_is_found_by_the_writers_last_signature() -> None:
    """Only the last signature of each writer's chain is checked, and it seals every batch before."""
    log = signed_ledger()
    for value in ("36.4", "37.1", "38.0"):
        log.write(event("perfledger/Return.Submitted", actor="bob", value=value), by=(BOB, "bob"))
    log.check()
    row, raw = log.rows[3]  # bob's first batch: its event and leaf rewritten, its marks left alone
    forged = replace(raw, state=raw.state.replace(b"36.4", b"99.9"))
    (relinked,) = link(row.position - 1, bytes.fromhex(log.rows[2][0].chain), row.recorded_at, [forged])
    log.rows[3] = (replace(relinked, signature=row.signature), forged)
    with pytest.raises(Forged, match=r"does not match bob's key enrolled at position 2 .* up to position 6"):
        log.check()


def test_a_writer_will_not_chain_onto_a_seal_it_did_not_sign() -> None:
    """Someone slips a batch in bob's name into his chain (and the seals table): bob's next write
    refuses to vouch for it, and writes nothing."""
    log = signed_ledger()
    log.write(event("perfledger/Return.Submitted", actor="bob"), by=(BOB, "bob"))
    mallory = Signer(Ed25519PrivateKey.generate())
    previous = log.seals["bob", BOB.public_hex]
    log.seals["bob", BOB.public_hex] = Seal(previous.position + 1, previous.link, mallory.sign(b"\0" * 32))
    with pytest.raises(Invalid, match="bob's last signed write, ending at position 5, does not carry bob's "
                                      "signature"):
        log.write(event("perfledger/Return.Submitted", actor="bob"), by=(BOB, "bob"))
