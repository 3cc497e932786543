"""The views: rebuilt from the events, identical to live; bitemporal as-at answers."""

from __future__ import annotations

import multiprocessing
from decimal import Decimal

import pytest

from ledger.app import LedgerApp
from ledger.store.url import parse_store_url
from projections import queries
from projections.catchup.engine import make_engine
from projections.catchup.runner import catch_up, rebuild
from tests.helpers import Clock, numbered, ret, setup_partnership


@pytest.fixture
def timed(store_url: str):  # type: ignore[no-untyped-def]
    clock = Clock()
    app = LedgerApp(parse_store_url(store_url), clock=clock)
    app.people.initialise("alice", "alice", Decimal(5))
    engine = make_engine(parse_store_url(store_url))
    yield app, engine, clock
    engine.dispose()
    app.close()


def test_rebuild_from_zero_gives_identical_tables(timed) -> None:  # type: ignore[no-untyped-def]
    app, engine, _ = timed
    setup_partnership(app)
    app.imports.returns("bob", lambda: numbered([ret("NI 117", f"2008-{m:02d}", "8.5") for m in range(4, 13)]))
    app.returns.submit("bob", ret("NI 117", "2008-05", "8.7", reason="late data"))
    app.returns.finalise("bob", "NI 117", ret("NI 117", "2008-05", "0").period, "checked")
    app.indicators.revise("alice", "NI 192", {"definition": "WasteDataFlow"}, "DEFRA definition")
    app.indicators.retire("alice", "NI 154", "replaced")
    from ledger.values import Role

    app.people.revoke("alice", "bob", Role.IMPROVEMENT_MANAGER, "left")
    catch_up(engine, app.core)
    with engine.connect() as conn:
        live = queries.dump(conn)
    assert rebuild(engine, app.core) == app.audit.digest().size
    with engine.connect() as conn:
        rebuilt = queries.dump(conn)
    assert rebuilt == live
    assert len(live["pl_events"]) == app.audit.digest().size


def test_catch_up_applies_each_event_exactly_once(timed) -> None:  # type: ignore[no-untyped-def]
    app, engine, _ = timed
    setup_partnership(app)
    assert catch_up(engine, app.core) == app.audit.digest().size
    assert catch_up(engine, app.core) == 0
    app.returns.submit("bob", ret("NI 192", "2008/09-Q1", "50"))
    assert catch_up(engine, app.core) == 1


def test_a_revision_is_a_new_version_and_the_old_one_stays_answerable(timed) -> None:  # type: ignore[no-untyped-def]
    app, engine, clock = timed
    setup_partnership(app)
    app.returns.submit("bob", ret("NI 192", "2008/09-Q1", "54.34", "5434", "10000"))
    first = clock.advance(days=1)
    clock.advance(days=1)
    app.returns.submit("bob", ret("NI 192", "2008/09-Q1", "55.10", "5510", "10000", reason="late tonnage"))
    catch_up(engine, app.core)
    with engine.connect() as conn:
        then = queries.returns(conn, "NI 192", queries.position_at(conn, first))
        now = queries.returns(conn, "NI 192", queries.position_at(conn, None))
        trail = [r for r in queries.trail(conn, indicator="NI 192") if r["event"] == "Return.Revised"]
    assert [(r["value"], r["version"]) for r in then] == [("54.34", 1)]
    assert [(r["value"], r["version"], r["reason"]) for r in now] == [("55.10", 2, "late tonnage")]
    assert trail[0]["before"] == "54.34 (5434/10000)"
    assert trail[0]["after"] == "55.10 (5510/10000)"
    assert trail[0]["reason"] == "late tonnage"
    assert trail[0]["actor"] == "bob"


def test_indicators_as_at_show_the_definition_then_in_force(timed) -> None:  # type: ignore[no-untyped-def]
    app, engine, clock = timed
    setup_partnership(app)
    before = clock.advance(hours=1)
    clock.advance(hours=1)
    app.indicators.revise("alice", "NI 192", {"definition": "DEFRA WasteDataFlow Q100"}, "new guidance")
    clock.advance(hours=1)
    app.indicators.retire("alice", "NI 154", "replaced")
    catch_up(engine, app.core)
    with engine.connect() as conn:
        old = queries.indicator(conn, "NI 192", queries.position_at(conn, before))
        new = queries.indicator(conn, "NI 192", queries.position_at(conn, None))
        codes_then = [r["code"] for r in queries.indicators(conn, queries.position_at(conn, before))]
        codes_now = [r["code"] for r in queries.indicators(conn, queries.position_at(conn, None))]
    assert old is not None
    assert new is not None
    assert (old["revision"], old["definition"]) == (1, None)
    assert (new["revision"], new["definition"]) == (2, "DEFRA WasteDataFlow Q100")
    assert "NI 154" in codes_then
    assert "NI 154" not in codes_now


def test_the_roster_as_at_a_date(timed) -> None:  # type: ignore[no-untyped-def]
    from ledger.values import Role

    app, engine, clock = timed
    setup_partnership(app)
    before = clock.advance(hours=1)
    clock.advance(hours=1)
    app.people.revoke("alice", "bob", Role.IMPROVEMENT_MANAGER, "left")
    catch_up(engine, app.core)
    with engine.connect() as conn:
        then = {p["name"]: p["roles"] for p in queries.people(conn, queries.position_at(conn, before))}
        now = {p["name"]: p["roles"] for p in queries.people(conn, queries.position_at(conn, None))}
    assert then["bob"] == ["improvement-manager"]
    assert now["bob"] == []


def test_a_time_before_the_ledger_existed_is_position_zero(timed) -> None:  # type: ignore[no-untyped-def]
    from datetime import UTC, datetime

    app, engine, _ = timed
    catch_up(engine, app.core)
    with engine.connect() as conn:
        assert queries.position_at(conn, datetime(2000, 1, 1, tzinfo=UTC)) == 0


def _catch_up_in_child(url: str, barrier: object, results: object) -> None:
    app = LedgerApp(parse_store_url(url))
    engine = make_engine(parse_store_url(url))
    barrier.wait(timeout=30)  # type: ignore[attr-defined]
    try:
        results.put(catch_up(engine, app.core))  # type: ignore[attr-defined]
    finally:
        engine.dispose()
        app.close()


def test_two_processes_catching_up_together_apply_each_event_once(store_url: str) -> None:
    app = LedgerApp(parse_store_url(store_url))
    app.people.initialise("alice", "alice", Decimal(5))
    setup_partnership(app)
    rows = [ret("NI 117", f"{y}-{m:02d}", "8") for y in range(2009, 2020) for m in range(1, 13)]
    app.imports.returns("bob", lambda: numbered(rows))
    size = app.audit.digest().size
    context = multiprocessing.get_context("spawn")
    barrier = context.Barrier(2)
    results = context.Queue()
    children = [context.Process(target=_catch_up_in_child, args=(store_url, barrier, results))
                for _ in range(2)]
    for child in children:
        child.start()
    applied = [results.get(timeout=60) for _ in children]
    for child in children:
        child.join(timeout=60)
        assert child.exitcode == 0
    assert sum(applied) == size
    engine = make_engine(parse_store_url(store_url))
    with engine.connect() as conn:
        assert len(queries.dump(conn)["pl_events"]) == size
        assert queries.count_returns(conn, size) == len(rows)
    engine.dispose()
    app.close()


def test_a_rebuild_has_the_subject_index_whenever_a_projector_looks_a_subject_up(  # type: ignore[no-untyped-def]
        timed, monkeypatch: pytest.MonkeyPatch) -> None:
    """A rebuild drops the secondary indexes, but without (originator_id, version) each revision
    replayed would scan the events view; it is built when first needed, the rest at the end."""
    from sqlalchemy import inspect

    from projections.catchup import runner
    from projections.projectors import ledger as projectors

    app, engine, _ = timed
    setup_partnership(app)
    app.returns.submit("bob", ret("NI 192", "2008/09-Q1", "50"))
    app.returns.submit("bob", ret("NI 192", "2008/09-Q1", "51", reason="late data"))
    app.indicators.revise("alice", "NI 192", {"definition": "WasteDataFlow"}, "DEFRA definition")

    def names(conn) -> set[str]:  # type: ignore[no-untyped-def]
        return {i["name"] for table in ("pl_events", "pl_return_versions")
                for i in inspect(conn).get_indexes(table)}

    seen: list[set[str]] = []
    real = projectors.subject

    def looking(w, entry):  # type: ignore[no-untyped-def]
        found = real(w, entry)
        seen.append(names(w.conn))
        return found

    monkeypatch.setattr(projectors, "subject", looking)
    runner.rebuild(engine, app.core)
    with engine.connect() as conn:
        after = names(conn)
    # The indicator's revision (the return's goes the fast way: its submission, in the same page,
    # told the page its subject).
    assert seen == [{"ix_events_originator"}]
    assert after == {"ix_events_originator", "ix_events_recorded", "ix_pl_events_indicator",
                     "ix_return_versions_period"}


def test_a_large_backlog_is_caught_up_in_bulk_to_the_same_views(  # type: ignore[no-untyped-def]
        timed, monkeypatch: pytest.MonkeyPatch) -> None:
    """Past ``BULK`` new events (more than the views hold) the catch-up drops the secondary
    indexes for the pages and builds them at the end: the rows and the position are the same."""
    from sqlalchemy import inspect

    from projections.catchup import runner

    app, engine, _ = timed
    setup_partnership(app)
    catch_up(engine, app.core)
    app.imports.returns("bob", lambda: numbered([ret("NI 117", f"2008-{m:02d}", "8.5") for m in range(4, 13)]))
    app.returns.submit("bob", ret("NI 117", "2008-05", "8.7", reason="late data"))
    app.returns.finalise("bob", "NI 117", ret("NI 117", "2008-05", "0").period, "checked")
    monkeypatch.setattr(runner, "BULK", 5)
    dropped: list[set[str]] = []
    real = runner.fold

    def looking(*args, **kwargs):  # type: ignore[no-untyped-def]
        with engine.connect() as conn:
            dropped.append({i["name"] for i in inspect(conn).get_indexes("pl_return_versions")})
        return real(*args, **kwargs)

    monkeypatch.setattr(runner, "fold", looking)  # each page, as it is folded
    assert catch_up(engine, app.core) == 11
    assert dropped[0] == set()  # in bulk
    assert catch_up(engine, app.core) == 0  # each event exactly once
    with engine.connect() as conn:
        bulk = queries.dump(conn)
        indexes = {i["name"] for i in inspect(conn).get_indexes("pl_return_versions")}
    monkeypatch.setattr(runner, "BULK", 10**9)
    assert rebuild(engine, app.core) == app.audit.digest().size
    with engine.connect() as conn:
        assert queries.dump(conn) == bulk
    assert indexes == {"ix_return_versions_period"}
    assert len(bulk["pl_return_versions"]) == 11
