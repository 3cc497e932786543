"""Replay verification, on both backends: a clean ledger replays ok; each kind of tampering is found."""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import Connection, Engine, delete, insert, select, text, update

from ledger.app import LedgerApp
from ledger.app.adjustments import Restatement
from ledger.store.url import parse_store_url
from ledger.values import Period, Role, Target
from projections import queries
from projections import schema as t
from projections.catchup.engine import make_engine
from projections.catchup.replay import ReplayResult, verify_views
from projections.catchup.runner import catch_up
from tests.helpers import Clock, ret, setup_partnership

Q = [Period.parse(f"2008/09-Q{n}") for n in (1, 2, 3, 4)]
YEAR = Period.parse("2008/09")


@dataclass
class Built:
    app: LedgerApp
    engine: Engine

    def replay(self) -> ReplayResult:
        return verify_views(self.app.core, self.engine)

    def tamper(self, change: Callable[[Connection], object]) -> None:
        with self.engine.connect() as conn, conn.begin():
            change(conn)


def build(url: str) -> Built:
    """A few returns, a revision, a target, a closed year and an approved adjustment."""
    clock = Clock(datetime(2009, 5, 1, 9, 0, tzinfo=UTC))
    app = LedgerApp(parse_store_url(url), clock=clock)
    app.people.initialise("alice", "alice", Decimal(5))
    setup_partnership(app)
    app.people.add("alice", "carol", [Role.DATA_QUALITY_OFFICER], "Policy and Performance")
    for period, value in zip(Q, ("36.40", "38.10", "39.00", "40.20"), strict=True):
        app.returns.submit("bob", ret("NI 192", str(period), value))
        clock.advance(hours=1)
    app.returns.submit("bob", ret("NI 192", str(Q[1]), "38.30", reason="late tonnage"))
    app.targets.set("alice", "NI 192", YEAR, Target(Decimal("40")), None, "agreed with the LSP board")
    app.targets.close_period("alice", YEAR, "2008/09 reported to the LSP board")
    clock.advance(days=1)
    key = app.adjustments.request("bob", "NI 192", [Restatement(Q[0], Decimal("36.80"))], "error-correction",
                                 "Tonnage double counted at the depot", "WasteDataFlow Q1 v2", None)
    clock.advance(days=1)
    app.adjustments.approve("carol", key, "checked against WDF")
    engine = make_engine(parse_store_url(url))
    catch_up(engine, app.core)
    return Built(app, engine)


@pytest.fixture
def built(store_url: str) -> Iterator[Built]:
    ledger = build(store_url)
    yield ledger
    ledger.engine.dispose()
    ledger.app.close()


def test_a_clean_ledger_replays_ok_and_its_views_are_unchanged(built: Built) -> None:
    with built.engine.connect() as conn:
        before = queries.dump(conn)
    result = built.replay()
    assert result.ok, [d.describe() for table in result.tables for d in table.shown]
    head = built.app.audit.digest().size
    assert (result.position, result.head, result.replayed) == (head, head, head)
    assert result.views == len(t.ALL_VIEWS) == len(result.tables)
    with built.engine.connect() as conn:
        assert queries.dump(conn) == before
        assert {len(before[v.name]) > 0 for v in (t.return_versions, t.targets, t.closed_periods,
                                                   t.adjustments, t.adjustment_items)} == {True}


def test_no_scratch_space_is_left_behind(built: Built, tmp_path: Path,
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    scratch_folder = tmp_path / "scratch"
    scratch_folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch_folder))

    def scratch() -> set[str]:
        if built.engine.dialect.name == "sqlite":
            return {p.name for p in scratch_folder.iterdir()}
        with built.engine.connect() as conn:
            rows = conn.execute(text("SELECT nspname FROM pg_namespace WHERE nspname LIKE 'pl_replay_%'"))
            return {row[0] for row in rows}

    before = scratch()
    assert built.replay().ok
    assert scratch() == before


def changed_value(conn: Connection) -> object:
    table = t.return_versions
    return conn.execute(update(table).where(table.c.indicator == "NI 192", table.c.period == str(Q[1]),
                                            table.c.version == 1).values(value="99.99"))


def deleted_event(conn: Connection) -> object:
    return conn.execute(delete(t.events).where(t.events.c.position == 5))


def extra_target(conn: Connection) -> object:
    row = dict(conn.execute(select(t.targets)).mappings().one())
    row.update(period=str(Q[3]), period_start="2009-01-01", period_end="2009-03-31", value="45")
    return conn.execute(insert(t.targets).values(**row))


def adjustment_status(conn: Connection) -> object:
    return conn.execute(update(t.adjustments).values(status="rejected"))


@pytest.mark.parametrize(("tamper", "table", "fragment"), [
    (changed_value, "pl_return_versions", "value: live '99.99', replay '38.10'"),
    (deleted_event, "pl_events", "(position=5): missing from the live view"),
    (extra_target, "pl_targets", "only in the live view"),
    (adjustment_status, "pl_adjustments", "status: live 'rejected', replay 'approved'"),
], ids=["update-return-value", "delete-event", "insert-target", "update-adjustment-status"])
def test_a_tampered_view_is_found(built: Built, tamper: Callable[[Connection], object], table: str,
                                  fragment: str) -> None:
    built.tamper(tamper)
    result = built.replay()
    assert not result.ok
    assert [r.table for r in result.differing] == [table]
    assert result.differences == 1
    shown = result.differing[0].shown[0].describe()
    assert shown.startswith(table), shown
    assert fragment in shown, shown


@pytest.mark.parametrize("delta", [-3, 2], ids=["position-set-back", "position-set-ahead"])
def test_a_wrong_position_is_found(built: Built, delta: int) -> None:
    head = built.app.audit.digest().size
    built.tamper(lambda conn: conn.execute(
        update(t.position).where(t.position.c.name == "views").values(position=head + delta)))
    result = built.replay()
    assert not result.ok
    assert "pl_position" in [r.table for r in result.differing]
    assert result.position == head + delta
    assert result.head == head
    if delta < 0:
        # The views hold events the position says they do not: the catch-up fails, the rows beyond
        # the position are reported as not following from the events replayed.
        assert result.warning is not None
        events = next(r for r in result.differing if r.table == "pl_events")
        assert events.count == 3
        assert events.shown[0].kind == "only-live"


def test_every_difference_is_counted_but_only_the_first_are_kept(built: Built) -> None:
    built.tamper(lambda conn: conn.execute(update(t.events).values(actor="mallory")))
    result = verify_views(built.app.core, built.engine, cap=2)
    events = result.differing[0]
    assert (events.table, events.count, len(events.shown)) == ("pl_events", built.app.audit.digest().size, 2)


def test_text_in_an_integer_key_is_a_difference_not_a_crash(built: Built) -> None:
    if built.engine.dialect.name != "sqlite":
        pytest.skip("only SQLite stores text in an integer column")
    built.tamper(lambda conn: conn.execute(text(
        "UPDATE pl_return_versions SET version = 'one' WHERE period = '2008/09-Q3'")))
    result = built.replay()
    returns = result.differing[0]
    assert (returns.table, returns.count) == ("pl_return_versions", 2)
    assert {d.kind for d in returns.shown} == {"only-live", "only-replay"}
