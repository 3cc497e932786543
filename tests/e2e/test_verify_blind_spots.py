"""audit verify --digest has no blind spot: deleting or inserting stored events (chain rows left
alone) and plain UPDATEs of a value, actor or recorded time are found, with or without --quick;
projections rebuild and audit replay refuse to build views from a chain that fails."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator

import pytest

from ledger.store.chain import RawEvent
from tests.e2e.harness import Perfledger
from tests.integration.tampering import Tamperer, events_table


def build_pl(store_url: str) -> Perfledger:
    p = Perfledger(store_url)
    p.ok("init", "--admin", "alice")
    p.ok("people", "add", "bob", "--role", "improvement-manager")
    p.ok("indicator", "register", "NI 192", "--title", "Household waste recycled", "--unit", "percent",
         "--polarity", "higher", "--frequency", "quarterly", "--decimals", "2")
    for quarter in (1, 2, 3):
        p.ok("return", "submit", "NI 192", f"2008/09-Q{quarter}", f"5{quarter}.5", actor="bob")
    return p


@pytest.fixture
def pl(clone_of: Callable[[Callable[[str], Perfledger]], Perfledger]) -> Perfledger:
    return clone_of(build_pl)


@pytest.fixture
def db(pl: Perfledger) -> Iterator[Tamperer]:
    tamperer = Tamperer(pl.url, events_table(pl.url))
    yield tamperer
    tamperer.close()


def tampered(pl: Perfledger, *args: str) -> str:
    """The one TAMPERED: line of a verification that must fail."""
    result = pl(*args)
    assert result.exit_code == 1, (result.stdout, result.stderr)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("TAMPERED: "), result.stderr
    assert "Traceback" not in result.output
    return lines[0]


def both_checks(pl: Perfledger, digest: str) -> list[str]:
    return [tampered(pl, "audit", "verify", "--digest", digest),
            tampered(pl, "audit", "verify", "--digest", digest, "--quick")]


def test_deleting_the_last_stored_event_is_found_with_or_without_quick(pl: Perfledger, db: Tamperer) -> None:
    digest = pl.digest()
    size = int(digest.split(":")[0])
    db.sql("DELETE FROM {E} WHERE {N} = ?", (db.row(size).notification_id,))
    for line in both_checks(pl, digest):
        assert f"position {size}: the chain row's event is missing (deleted" in line


@pytest.mark.parametrize("position", [1, 4])
def test_deleting_any_stored_event_is_found_with_or_without_quick(pl: Perfledger, db: Tamperer,
                                                                   position: int) -> None:
    digest = pl.digest()
    db.sql("DELETE FROM {E} WHERE {N} = ?", (db.row(position).notification_id,))
    for line in both_checks(pl, digest):
        assert f"position {position}:" in line


def test_an_event_inserted_without_its_chain_row_is_found_with_or_without_quick(pl: Perfledger,
                                                                               db: Tamperer) -> None:
    digest = pl.digest()
    copy = db.event_at(6)
    db.sql("DELETE FROM {E} WHERE {N} = ?", (copy.notification_id,))
    db.insert_event(copy)  # the same bytes at a new id: the chain row names an id that is gone
    db.insert_event(RawEvent(0, copy.originator_id, copy.originator_version + 50, copy.topic, copy.state))
    full, quick = both_checks(pl, digest)
    assert "position 6:" in full
    assert "missing" in quick or "inserted" in quick


def test_an_extra_event_after_the_last_is_found_by_the_quick_check(pl: Perfledger, db: Tamperer) -> None:
    digest = pl.digest()
    last = db.event_at(int(digest.split(":")[0]))
    db.insert_event(RawEvent(0, last.originator_id, last.originator_version + 1, last.topic, last.state))
    full, quick = both_checks(pl, digest)
    assert "has no chain row" in full
    assert "has no chain row" in quick


@pytest.mark.parametrize("edit", ["value", "actor", "recorded_at"])
def test_a_plain_update_is_found_by_the_default_check(pl: Perfledger, db: Tamperer, edit: str) -> None:
    digest = pl.digest()
    position = 6  # bob's return for Q1 (events 1-5: setup)
    row = db.row(position)
    if edit == "recorded_at":
        later = row.recorded_at[:20] + "999999" + row.recorded_at[26:]  # same second, later microsecond
        assert later != row.recorded_at
        db.sql("UPDATE {C} SET recorded_at = ? WHERE position = ?", (later, position))
    else:
        state = db.event(row.notification_id).state
        old, new = (b"51.5", b"99.5") if edit == "value" else (b'"bob"', b'"eve"')
        assert old in state
        db.set_state(row.notification_id, state.replace(old, new))
    line = tampered(pl, "audit", "verify", "--digest", digest)
    assert f"position {position}:" in line
    quick = pl("audit", "verify", "--digest", digest, "--quick")
    # the quick check says plainly that it did not re-read the bodies up to the digest
    if quick.exit_code == 0:
        assert f"quick: 0 event bodies re-read; the first {digest.split(':')[0]}" in quick.stdout


def test_the_quick_check_says_how_many_bodies_it_re_read(pl: Perfledger) -> None:
    digest = pl.digest()
    pl.ok("return", "submit", "NI 192", "2008/09-Q4", "54.5", actor="bob")
    out = pl.ok("audit", "verify", "--digest", digest, "--quick").stdout
    size = int(digest.split(":")[0])
    assert out.startswith(f"ok: {size + 1} events verified (quick: 1 event bodies re-read; the first {size} "
                          "checked by the digest's Merkle root and counted, not re-read)")
    full = pl.ok("audit", "verify", "--digest", digest).stdout
    assert full.startswith(f"ok: {size + 1} events verified; head {size + 1}:")


def test_quick_needs_a_digest_with_its_root(pl: Perfledger) -> None:
    digest = pl.digest()
    result = pl("audit", "verify", "--quick")
    assert result.exit_code == 1
    assert "--quick needs --digest" in result.stderr
    result = pl("audit", "verify", "--digest", ":".join(digest.split(":")[:2]), "--quick")
    assert result.exit_code == 1
    assert "with the Merkle root" in result.stderr


@pytest.mark.parametrize("command", [("projections", "rebuild"), ("audit", "replay")])
def test_views_are_not_built_from_a_tampered_chain(pl: Perfledger, db: Tamperer,
                                                   command: tuple[str, str]) -> None:
    row = db.row(6)
    db.set_state(row.notification_id, db.event(row.notification_id).state.replace(b"51.5", b"99.5"))
    result = pl(*command)
    assert result.exit_code == 1, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, lines
    assert "refused: the chain fails verification (position 6:" in lines[0], lines
    if command[0] == "projections":  # the views still hold the figure as it was recorded
        rows = json.loads(pl.ok("audit", "trail", "--format", "json").stdout)
        assert "99.5" not in json.dumps(rows)
