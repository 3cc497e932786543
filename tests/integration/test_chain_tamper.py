"""The verifier under attack: tamper with the stored rows in plain SQL, then verify.

Every test builds a small ledger through the application service, closes it,
edits the database behind its back on a separate connection, opens a NEW
``LedgerApp`` on the same URL and checks that ``verify()`` (and, where it
matters, ``verify(digest)``) names the exact first bad position.

Threat model, stated by the tests themselves: an attacker with write access
to the database can recompute the whole chain.  Without a digest published
outside the database such a rewrite (or a correctly chained append) is NOT
detectable; against an earlier digest a rewrite of history is, and so is
truncation.  A chain-head digest (``SIZE:CHAIN``) can say *that* the first
SIZE events changed, not *which* one: the verifier reports position SIZE.
"""

from __future__ import annotations

import uuid
from decimal import Decimal

import pytest

from ledger.app.returns import ReturnInput
from ledger.domain.returns import PeriodReturn
from ledger.store.chain import GENESIS, Digest, RawEvent, link
from ledger.store.verify import Verdict
from ledger.values import Period
from tests.integration.tampering import COUNT_PF, Built, N, Tamperer


def assert_bad(verdict: Verdict, position: int, *words: str) -> None:
    assert verdict.ok is False, f"tampering at position {position} went undetected: {verdict}"
    assert verdict.position == position, f"expected first bad position {position}: {verdict}"
    assert verdict.problem is not None
    assert verdict.problem.startswith(f"position {position}:"), verdict.problem
    for word in words:
        assert word in verdict.problem, f"{word!r} not in {verdict.problem!r}"


def assert_prefix(verdict: Verdict, built: Built, good: int) -> None:
    """A failed verdict reports the verified prefix: its size and its chain head."""
    assert verdict.size == good
    expected = built.digests.get(good)
    if expected is not None:
        assert verdict.head == expected.chain


# --- the honest ledger -------------------------------------------------------------------
def test_untampered_ledger_verifies_with_size_equal_to_event_count(built: Built, db: Tamperer):
    assert built.size == N
    assert db.count_events() == N
    assert db.count_rows() == N
    assert [r.position for r in db.rows()] == list(range(1, N + 1))
    verdict = built.verify()
    assert verdict.ok is True, verdict
    assert verdict.size == N
    assert verdict.problem is None
    assert verdict.position is None
    assert verdict.digest == built.digest
    assert built.verify(built.digest).ok is True
    for size, earlier in built.digests.items():
        assert built.verify(earlier).ok is True, f"digest at {size} rejected"
    recorded = [r.recorded_at for r in db.rows()]
    assert recorded == sorted(recorded)


def test_earlier_digest_still_verifies_after_more_events_are_appended(built: Built):
    app = built.reopen()
    try:
        for month in range(10, 13):
            app.returns.submit("bob", ReturnInput("NI 156", Period.month(2008, month), Decimal(1)))
        app.indicators.register("alice", "NI 3", COUNT_PF)
        later = app.audit.digest()
    finally:
        app.close()
    assert later.size == N + 4
    verdict = built.verify(built.digest)
    assert verdict.ok is True, verdict
    assert verdict.size == N + 4
    assert verdict.digest == later
    assert built.verify(built.digests[4]).ok is True
    assert built.verify(later).ok is True


def test_digest_with_the_right_size_but_another_chain_fails_at_that_size(built: Built):
    forged = Digest(9, "ab" * 32)
    assert_bad(built.verify(forged), 9, "digest")
    # a digest longer than the log: the log was truncated
    assert_bad(built.verify(Digest(N + 5, built.digest.chain)), N + 1, "truncated")
    # the empty prefix: only the genesis hash is a valid digest of it
    assert built.verify(Digest(0, GENESIS.hex())).ok is True
    empty = built.verify(Digest(0, "ab" * 32))
    assert empty.ok is False
    assert empty.position == 0


# --- modification ------------------------------------------------------------------------
@pytest.mark.parametrize("position", [1, 8, N])
def test_one_byte_of_an_event_state_modified(built: Built, db: Tamperer, position: int):
    event = db.event_at(position)
    state = bytearray(event.state)
    index = state.find(b"1") if b"1" in state else len(state) // 2
    state[index] ^= 0x01
    db.set_state(event.notification_id, bytes(state))
    verdict = built.verify()
    assert_bad(verdict, position, "modified")
    assert_prefix(verdict, built, position - 1)
    assert_bad(built.verify(built.digest), position, "modified")


def test_event_topic_changed(built: Built, db: Tamperer):
    event = db.event_at(6)
    assert event.topic == "perfledger/Indicator.Registered"
    db.sql("UPDATE {E} SET topic = ? WHERE {N} = ?",
           ("perfledger/Indicator.Retired", event.notification_id))
    assert_bad(built.verify(), 6, "modified")


def test_event_originator_version_changed(built: Built, db: Tamperer):
    event = db.event_at(4)  # the roster's third event
    assert event.originator_version == 3
    db.sql("UPDATE {E} SET originator_version = 99 WHERE {N} = ?", (event.notification_id,))
    verdict = built.verify()
    assert_bad(verdict, 4, "modified")
    assert_prefix(verdict, built, 3)


def test_event_moved_to_another_aggregate(built: Built, db: Tamperer):
    event = db.event_at(9)
    db.sql("UPDATE {E} SET originator_id = ? WHERE {N} = ?",
           (db.oid(uuid.uuid4()), event.notification_id))
    assert_bad(built.verify(), 9, "modified")


def test_event_state_emptied(built: Built, db: Tamperer):
    event = db.event_at(10)
    db.set_state(event.notification_id, b"")
    assert_bad(built.verify(), 10)


def test_chain_row_leaf_changed(built: Built, db: Tamperer):
    db.sql("UPDATE {C} SET leaf = ? WHERE position = 7", ("0" * 64,))
    assert_bad(built.verify(), 7, "leaf")


def test_chain_row_chain_hash_changed(built: Built, db: Tamperer):
    db.sql("UPDATE {C} SET chain = ? WHERE position = 7", ("f" * 64,))
    verdict = built.verify()
    assert_bad(verdict, 7, "chain hash")
    assert_prefix(verdict, built, 6)


# --- deletion ----------------------------------------------------------------------------
@pytest.mark.parametrize("position", [1, 5, N])
def test_event_row_deleted(built: Built, db: Tamperer, position: int):
    nid = db.row(position).notification_id
    db.sql("DELETE FROM {E} WHERE {N} = ?", (nid,))
    verdict = built.verify()
    assert_bad(verdict, position)
    assert_prefix(verdict, built, position - 1)


@pytest.mark.parametrize("position", [1, 4])
def test_chain_row_deleted(built: Built, db: Tamperer, position: int):
    db.sql("DELETE FROM {C} WHERE position = ?", (position,))
    assert_bad(built.verify(), position, "chain row missing")


def test_last_chain_row_deleted(built: Built, db: Tamperer):
    db.sql("DELETE FROM {C} WHERE position = ?", (N,))
    assert_bad(built.verify(), N, "no chain row")


def test_event_and_its_chain_row_deleted_from_the_middle(built: Built, db: Tamperer):
    nid = db.row(8).notification_id
    db.sql("DELETE FROM {E} WHERE {N} = ?", (nid,))
    db.sql("DELETE FROM {C} WHERE position = 8")
    assert_bad(built.verify(), 8, "chain row missing")


# --- insertion ---------------------------------------------------------------------------
def forged_return(db: Tamperer) -> RawEvent:
    """A plausible forged event: a copy of a return, under a fresh aggregate id."""
    template = db.event_at(12)
    assert template.topic == "perfledger/Return.Submitted"
    return RawEvent(0, uuid.uuid4().hex, 1, template.topic, template.state.replace(b"109", b"901"))


def test_forged_event_inserted_without_a_chain_row(built: Built, db: Tamperer):
    db.insert_event(forged_return(db))
    verdict = built.verify()
    assert_bad(verdict, N + 1, "no chain row")
    assert_prefix(verdict, built, N)
    assert_bad(built.verify(built.digest), N + 1)


def test_forged_event_inserted_in_the_middle(built: Built, db: Tamperer):
    """Make room after position 7 (renumber the later events) and slot a forged event in."""
    nid7 = db.row(7).notification_id
    template = db.event_at(8)
    db.sql("UPDATE {E} SET {N} = {N} + 1000 WHERE {N} > ?", (nid7,))
    db.sql("UPDATE {E} SET {N} = {N} - 999 WHERE {N} > ?", (nid7 + 999,))
    forged = RawEvent(0, uuid.uuid4().hex, 1, template.topic, template.state)
    db.insert_event(forged, nid=nid7 + 1)
    assert db.count_events() == N + 1
    verdict = built.verify()
    assert_bad(verdict, 8)
    assert_prefix(verdict, built, 7)


def test_forged_event_with_a_forged_chain_row_that_does_not_link(built: Built, db: Tamperer):
    forged = forged_return(db)
    nid = db.insert_event(forged)
    head = db.row(N)
    # the attacker starts a fresh chain instead of extending the real head
    (row,) = link(N, GENESIS, head.recorded_at, [RawEvent(nid, *_fields(forged))])
    db.insert_row(row)
    assert_bad(built.verify(), N + 1, "chain hash")


def _fields(event: RawEvent) -> tuple[str, int, str, bytes]:
    return event.originator_id, event.originator_version, event.topic, event.state


def test_forged_event_correctly_chained_at_the_end_is_not_detectable(built: Built, db: Tamperer):
    """Documented limit: an append with a correct chain row is indistinguishable from a real one.

    Neither ``verify()`` nor ``verify(old_digest)`` can catch it: the old digest covers only the
    prefix, which is untouched. Only a digest published after the real head (or a count of
    events held outside the database) would expose it.
    """
    forged = forged_return(db)
    nid = db.insert_event(forged)
    head = db.row(N)
    rows = link(N, bytes.fromhex(head.chain), head.recorded_at, [RawEvent(nid, *_fields(forged))])
    db.insert_row(rows[0])
    verdict = built.verify()
    assert verdict.ok is True, verdict
    assert verdict.size == N + 1
    against_old = built.verify(built.digest)
    assert against_old.ok is True, against_old
    assert against_old.size == N + 1
    # the forged event is now part of the ledger as far as the application can tell
    app = built.reopen()
    try:
        now = app.core.head()
        assert now is not None
        assert now.position == N + 1
        assert len(app.core.read_log(0)) == N + 1
    finally:
        app.close()


def test_rewritten_history_with_a_recomputed_chain(built: Built, db: Tamperer):
    """Documented limit plus what a digest buys.

    An attacker changes the value of the return at position 9 and recomputes every leaf and
    link from there on.
    ``verify()`` cannot tell (nothing inside the database is left to contradict it). A digest
    taken before the rewrite catches it: a digest taken AT the rewritten position names exactly
    that position; a later digest names its own size (one chain hash cannot say which of the
    SIZE events changed); a digest taken before the rewritten position still passes.
    """
    rewritten = 9  # NI 156 2008-06, value 106
    event = db.event_at(rewritten)
    assert event.topic == "perfledger/Return.Submitted"
    assert b"106" in event.state
    db.set_state(event.notification_id, event.state.replace(b"106", b"601"))
    assert_bad(built.verify(), rewritten, "modified")  # before the attacker fixes the chain
    db.rechain_from(rewritten)

    verdict = built.verify()
    assert verdict.ok is True, f"a recomputed chain verifies without a digest: {verdict}"
    assert verdict.size == N
    assert verdict.head != built.digest.chain

    assert_bad(built.verify(built.digests[rewritten]), rewritten, "digest")
    assert_bad(built.verify(built.digest), N, "history rewritten")
    for size, earlier in built.digests.items():
        if size < rewritten:
            assert built.verify(earlier).ok is True, f"the untouched prefix {size} was rejected"
        else:
            assert_bad(built.verify(earlier), size, "digest")


# --- reordering --------------------------------------------------------------------------
def test_states_of_two_events_swapped(built: Built, db: Tamperer):
    first, second = db.event_at(7), db.event_at(11)
    assert first.state != second.state
    db.set_state(first.notification_id, second.state)
    db.set_state(second.notification_id, first.state)
    verdict = built.verify()
    assert_bad(verdict, 7, "modified")
    assert_prefix(verdict, built, 6)


def test_two_event_rows_swapped(built: Built, db: Tamperer):
    """Reorder: events #6 and #9 exchange their notification ids (i.e. their place in the log)."""
    a, b = db.row(6).notification_id, db.row(9).notification_id
    db.sql("UPDATE {E} SET {N} = ? WHERE {N} = ?", (-1, a))
    db.sql("UPDATE {E} SET {N} = ? WHERE {N} = ?", (a, b))
    db.sql("UPDATE {E} SET {N} = ? WHERE {N} = ?", (b, -1))
    assert db.event(a).topic == "perfledger/Return.Submitted"
    assert_bad(built.verify(), 6, "modified")


def test_two_chain_rows_swapped(built: Built, db: Tamperer):
    """Reorder the chain instead: rows 3 and 5 point at each other's events."""
    a, b = db.row(3).notification_id, db.row(5).notification_id
    db.sql("UPDATE {C} SET notification_id = ? WHERE position = 3", (-1,))
    db.sql("UPDATE {C} SET notification_id = ? WHERE position = 5", (a,))
    db.sql("UPDATE {C} SET notification_id = ? WHERE position = 3", (b,))
    assert_bad(built.verify(), 3, "reordered")


# --- recorded time -----------------------------------------------------------------------
def test_chain_row_recorded_at_changed_but_still_in_order(built: Built, db: Tamperer):
    before, row, after = db.row(9), db.row(10), db.row(11)
    assert before.recorded_at < row.recorded_at < after.recorded_at
    moved = before.recorded_at  # still non-decreasing, still well formed
    assert len(moved) == len(row.recorded_at)
    db.sql("UPDATE {C} SET recorded_at = ? WHERE position = 10", (moved,))
    verdict = built.verify()
    assert_bad(verdict, 10, "modified")
    assert_prefix(verdict, built, 9)


def test_recorded_at_goes_backwards(built: Built, db: Tamperer):
    db.sql("UPDATE {C} SET recorded_at = ? WHERE position = 12",
           ("2001-01-01T00:00:00.000000+00:00",))
    verdict = built.verify()
    assert_bad(verdict, 12, "backwards")
    assert_prefix(verdict, built, 11)


def test_recorded_at_goes_backwards_even_with_a_recomputed_chain(built: Built, db: Tamperer):
    db.sql("UPDATE {C} SET recorded_at = ? WHERE position = 12",
           ("2001-01-01T00:00:00.000000+00:00",))
    db.rechain_from(12)
    assert_bad(built.verify(), 12, "backwards")


@pytest.mark.parametrize("text", ["yesterday", "2009-01-05T09:00:09.000000", "", "2009-01-05"])
def test_recorded_at_malformed(built: Built, db: Tamperer, text: str):
    db.sql("UPDATE {C} SET recorded_at = ? WHERE position = 5", (text,))
    assert_bad(built.verify(), 5, "malformed")


# --- truncation --------------------------------------------------------------------------
@pytest.mark.parametrize("k", [1, 3])
def test_truncated_tail_passes_alone_but_not_against_the_old_digest(
    built: Built, db: Tamperer, k: int
):
    doomed = [r for r in db.rows() if r.position > N - k]
    for row in doomed:
        db.sql("DELETE FROM {C} WHERE position = ?", (row.position,))
        db.sql("DELETE FROM {E} WHERE {N} = ?", (row.notification_id,))
    verdict = built.verify()
    assert verdict.ok is True, f"a truncated log is internally consistent: {verdict}"
    assert verdict.size == N - k
    assert verdict.digest == built.digests[N - k]
    against_old = built.verify(built.digest)
    assert_bad(against_old, N - k + 1, "truncated")
    assert against_old.size == N - k


def test_everything_deleted_fails_against_the_old_digest(built: Built, db: Tamperer):
    db.sql("DELETE FROM {C}")
    db.sql("DELETE FROM {E}")
    assert built.verify().ok is True
    assert built.verify().size == 0
    assert_bad(built.verify(built.digest), 1, "truncated")


# --- the digest itself -------------------------------------------------------------------
@pytest.mark.parametrize(
    "text",
    [
        "",
        "15",
        ":" + "a" * 64,
        "15:",
        "15:" + "a" * 63,
        "15:" + "a" * 65,
        "15:" + "g" * 64,
        "-1:" + "a" * 64,
        "x:" + "a" * 64,
        "1.5:" + "a" * 64,
        "15:" + "a" * 64 + ":",
        "15:" + "a" * 64 + ":" + "b" * 63,
        "15:" + "a" * 64 + ":" + "b" * 64 + ":" + "c" * 64,
        "15 " + "a" * 64,
        "15:" + "a" * 62 + " a",
    ],
)
def test_malformed_digest_is_refused(text: str):
    with pytest.raises(ValueError, match="malformed digest"):
        Digest.parse(text)


@pytest.mark.parametrize("text", ["\u00b2:" + "a" * 64, "1\u00b9:" + "a" * 64])
def test_digest_with_non_ascii_digits_is_refused(text: str):
    # str.isdigit() accepts superscripts, so int() is what refuses them (with its own message)
    with pytest.raises(ValueError):  # noqa: PT011 - any ValueError: the CLI turns it into exit 2
        Digest.parse(text)


def test_digest_round_trips():
    digest = Digest(15, "ab" * 32)
    assert Digest.parse(str(digest)) == digest
    assert Digest.parse("  15:" + "AB" * 32 + "\n") == digest


# --- type confusion and aliasing (SQLite stores whatever it is given) ---------------------
def _sqlite_only(built: Built) -> None:
    if built.backend != "sqlite":
        pytest.skip("PostgreSQL's column types (uuid, bigint, bytea) rule this tampering out")


RAW_EVENTS_BUG = (
    "ledger/store/sqlite.py raw_events() converts the cells with int()/bytes() outside the "
    "verifier's error handling"
)
CHAIN_ROW_BUG = (
    "ledger/store/sqlite.py _chain_row() passes cells through untyped; ledger/store/verify.py "
    "_valid_time() catches only ValueError and compare_digest(..., row.leaf/chain.lower()) "
    "fails on bytes"
)


def _verify_or_fail(built: Built, digest: Digest | None = None, where: str = "") -> Verdict:
    try:
        return built.verify(digest)
    except Exception as exc:  # the verifier must name a position, never crash
        pytest.fail(
            f"BUG: verify() raised {type(exc).__name__}: {exc} instead of reporting the "
            f"tampered position: {where}"
        )


@pytest.mark.parametrize(
    ("column", "expression"),
    [
        ("state", "CAST(state AS TEXT)"),
        ("originator_version", "'three'"),
        ("originator_version", "NULL"),
    ],
    ids=["state-as-text", "version-as-text", "version-null"],
)
def test_event_cell_of_the_wrong_type_is_reported_not_raised(
    built: Built, db: Tamperer, column: str, expression: str
):
    _sqlite_only(built)
    nid = db.row(8).notification_id
    db.sql(f"UPDATE {{E}} SET {column} = {expression} WHERE {{N}} = ?", (nid,))
    verdict = _verify_or_fail(built, where=RAW_EVENTS_BUG)
    assert_bad(verdict, 8)


@pytest.mark.parametrize(
    ("column", "value"),
    [
        ("recorded_at", 1231146000),  # TEXT affinity turns these into text: reported
        ("leaf", 7),
        ("recorded_at", b"2009-01-05T09:00:09.000000+00:00"),  # a blob stays a blob
        ("leaf", b"\x00" * 32),
        ("chain", b"\x00" * 32),
    ],
    ids=["recorded_at-int", "leaf-int", "recorded_at-blob", "leaf-blob", "chain-blob"],
)
def test_chain_cell_of_the_wrong_type_is_reported_not_raised(
    built: Built, db: Tamperer, column: str, value: object
):
    _sqlite_only(built)
    db.sql(f"UPDATE {{C}} SET {column} = ? WHERE position = 8", (value,))
    verdict = _verify_or_fail(built, where=CHAIN_ROW_BUG)
    assert_bad(verdict, 8)


@pytest.mark.parametrize("alias", ["upper", "dashed"])
def test_originator_id_rewritten_to_an_alias_is_detected(built: Built, db: Tamperer, alias: str):
    """SQLite stores the originator id as text and the library looks events up by that exact text.

    Rewriting it as upper case, or with dashes, names the same UUID, so the chain's
    ``normalise_originator_id`` hashes it identically, but the event vanishes from its
    aggregate: the return for 2008-06 is no longer found, and submitting it again writes a
    second version-1 event for the same aggregate. Verification must catch the rewrite.
    """
    _sqlite_only(built)
    position = 9  # NI 156 2008-06, submitted once
    event = db.event_at(position)
    stored = event.originator_id
    text = stored.upper() if alias == "upper" else str(uuid.UUID(stored))
    db.sql("UPDATE {E} SET originator_id = ? WHERE {N} = ?", (text, event.notification_id))

    app = built.reopen()
    try:
        hidden = app.core.load(PeriodReturn, "NI 156", Period.month(2008, 6)) is None
    finally:
        app.close()
    assert hidden, "precondition: the aliased event is invisible to its aggregate"

    verdict = _verify_or_fail(built, built.digest)
    assert verdict.ok is False, (
        f"BUG: the originator id of event {position} was rewritten from {stored!r} to {text!r} "
        f"(hiding the return from its aggregate) yet verify(digest) says {verdict}: "
        "ledger/store/chain.py canonical() hashes normalise_originator_id(...) instead of the "
        "stored text, and ledger/store/sqlite.py raw_events() accepts any spelling of the UUID"
    )
    assert verdict.position == position, verdict
