"""A bulk catch-up on PostgreSQL (a rebuild, a large backlog) writes each page behind the fold of the
next (``runner._apply_behind``): the same views as page by page, each event once, and a page that
fails or that another process applied first leaves the views at a whole page. A rebuild empties the
views by TRUNCATE unless a session holds a lock on one; a page's updates go as one statement."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import Engine, inspect, select
from sqlalchemy import text as sql_text

from ledger.app import LedgerApp
from ledger.store.url import parse_store_url
from projections import queries
from projections import schema as t
from projections.catchup import fastpage, replay, runner, writer
from projections.catchup.engine import make_engine
from projections.catchup.runner import NAME, apply_page, catch_up, rebuild
from tests.helpers import numbered, ret, setup_partnership

PAGE = 4  # so that a small ledger is many pages


@pytest.fixture
def backend() -> str:
    """PostgreSQL only: writes behind the fold, TRUNCATE, keys and updates as arrays (skips, naming the
    variable, without PERFLEDGER_TEST_POSTGRES)."""
    return "postgres"


@pytest.fixture
def mixed(store_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[LedgerApp, Engine]]:
    """A small mixed ledger (submissions, revisions, finalisations, other events) with its views caught up
    page by page (the plain path), in pages of ``PAGE`` for the bulk path."""
    app = LedgerApp(parse_store_url(store_url))
    app.people.initialise("alice", "alice", Decimal(5))
    engine = make_engine(parse_store_url(store_url))
    setup_partnership(app)
    app.imports.returns("bob", lambda: numbered([ret("NI 117", f"2008-{m:02d}", "8.5") for m in range(4, 13)]))
    app.returns.submit("bob", ret("NI 117", "2008-05", "8.7", reason="late data"))
    app.returns.finalise("bob", "NI 117", ret("NI 117", "2008-05", "0").period, "checked")
    app.indicators.revise("alice", "NI 192", {"definition": "WasteDataFlow"}, "DEFRA definition")
    app.returns.submit("bob", ret("NI 117", "2009-01", "9.1"))
    app.returns.submit("bob", ret("NI 117", "2008-06", "8.0", reason="recount"))
    assert catch_up(engine, app.core, page=3) == app.audit.digest().size  # page != PAGE: one page at a time
    monkeypatch.setattr(runner, "REBUILD_PAGE", PAGE)
    yield app, engine
    engine.dispose()
    app.close()


def _dump(engine: Engine) -> dict[str, list[tuple[Any, ...]]]:
    with engine.connect() as conn:
        return queries.dump(conn)


def _position(engine: Engine) -> int:
    with engine.connect() as conn:
        return int(conn.execute(select(t.position.c.position).where(t.position.c.name == NAME)).scalar() or 0)


def test_a_rebuild_with_its_writes_behind_gives_the_views_a_plain_catch_up_gives(
        mixed: tuple[LedgerApp, Engine], monkeypatch: pytest.MonkeyPatch) -> None:
    app, engine = mixed
    live = _dump(engine)
    size = app.audit.digest().size
    calls: list[int] = []
    real = runner._apply_behind

    def spying(*args: Any, **kwargs: Any) -> None:
        calls.append(1)
        real(*args, **kwargs)

    monkeypatch.setattr(runner, "_apply_behind", spying)
    progress: list[int] = []
    assert rebuild(engine, app.core, progress.append) == size
    assert calls == [1]
    assert progress == [min(size, PAGE * (i + 1)) for i in range(-(-size // PAGE))]  # page by page, as landed
    assert _dump(engine) == live
    assert catch_up(engine, app.core) == 0


def test_a_page_another_process_applied_first_is_not_applied_again(
        mixed: tuple[LedgerApp, Engine], monkeypatch: pytest.MonkeyPatch) -> None:
    """Another process applies a page while this one has folded it ahead: this one's page finds the
    position moved, rolls back, and carries on from where the other left the views."""
    app, engine = mixed
    live = _dump(engine)
    size = app.audit.digest().size
    real, begun = runner._begin_page, []

    def racing(conn: Any, seen: int) -> None:
        begun.append(seen)
        if len(begun) == 3:  # the other process applies the page this one is about to apply
            assert apply_page(engine, app.core, PAGE) == PAGE
        real(conn, seen)

    monkeypatch.setattr(runner, "_begin_page", racing)
    assert rebuild(engine, app.core) == size - PAGE  # each event once: the other applied PAGE of them
    assert begun[3] == begun[2] + PAGE  # after the conflict, on from the other's page
    assert _dump(engine) == live
    assert catch_up(engine, app.core) == 0


def test_a_page_that_fails_behind_leaves_whole_pages_and_the_next_catch_up_heals(
        mixed: tuple[LedgerApp, Engine], monkeypatch: pytest.MonkeyPatch) -> None:
    app, engine = mixed
    live = _dump(engine)
    real, writes = writer.write, []

    def failing(conn: Any, batches: Any) -> None:
        writes.append(1)
        if len(writes) == 5:
            raise RuntimeError("the disk is full")
        real(conn, batches)

    monkeypatch.setattr(writer, "write", failing)
    with pytest.raises(RuntimeError, match="the disk is full"):
        rebuild(engine, app.core)
    monkeypatch.setattr(writer, "write", real)
    seen = _position(engine)
    assert 0 < seen < app.audit.digest().size
    assert [row[0] for row in _dump(engine)["pl_events"]] == list(range(1, seen + 1))  # whole pages, no more
    with engine.connect() as conn:
        indexes = {i["name"] for table in t.ALL_VIEWS for i in inspect(conn).get_indexes(table.name)}
    assert {str(i.name) for i in runner._secondary_indexes()} <= indexes  # put back all the same
    catch_up(engine, app.core)
    assert _dump(engine) == live


def test_a_page_that_sets_a_row_twice_leaves_the_last_value(mixed: tuple[LedgerApp, Engine]) -> None:
    """A page's updates of rows already in the views go as one UPDATE a column (PostgreSQL): the last
    value set for a row wins, as it did when they went one by one."""
    _, engine = mixed
    with engine.connect() as conn, conn.begin():
        found = conn.execute(select(t.return_versions.c.indicator, t.return_versions.c.period,
                                    t.return_versions.c.version).limit(2)).all()
        updates = [{"v": value, "k_indicator": row[0], "k_period": row[1], "k_version": row[2]}
                   for value, row in (("first", found[0]), ("second", found[1]), ("last", found[0]))]
        fastpage._update(conn, fastpage.RETURNS, "warnings", updates)
        after = dict(conn.execute(select(t.return_versions.c.period, t.return_versions.c.warnings).where(
            t.return_versions.c.indicator == found[0][0], t.return_versions.c.period.in_(
                [found[0][1], found[1][1]]), t.return_versions.c.version.in_([found[0][2], found[1][2]]))).all())
        conn.rollback()
    assert after == {found[0][1]: "last", found[1][1]: "second"}


def _filenode(engine: Engine) -> int:
    with engine.connect() as conn:
        return int(conn.execute(sql_text("SELECT pg_relation_filenode('pl_events')")).scalar_one())


def test_clearing_the_views_truncates_them_unless_a_session_holds_a_lock_on_one(
        mixed: tuple[LedgerApp, Engine]) -> None:
    """TRUNCATE (a new file for each view) when nobody holds a lock on a view; DELETE, at once and
    without waiting, while a reader does; either way the views are empty and the position gone."""
    app, engine = mixed
    before = _filenode(engine)
    runner.clear(engine)
    assert _filenode(engine) != before
    assert not any(_dump(engine).values())
    catch_up(engine, app.core)
    before = _filenode(engine)
    with engine.connect() as reader, reader.begin():
        assert reader.execute(select(t.events.c.position).limit(1)).first() is not None  # holds ACCESS SHARE
        done = threading.Thread(target=runner.clear, args=(engine,))
        done.start()
        done.join(timeout=30)
        assert not done.is_alive(), "clearing the views waited for a reader"
    assert _filenode(engine) == before  # deleted, not truncated
    assert not any(_dump(engine).values())
    assert _position(engine) == 0


def test_a_replay_snapshot_keeps_its_views_while_a_rebuild_clears_them(mixed: tuple[LedgerApp, Engine]) -> None:
    """TRUNCATE is not MVCC-safe: the replay's snapshot holds ACCESS SHARE on every view, so a rebuild
    that starts meanwhile deletes, and the snapshot still sees every row it saw."""
    app, engine = mixed
    size = app.audit.digest().size
    with replay._snapshot(engine) as conn:
        assert replay._live_position(conn) == size
        runner.clear(engine)
        assert len(queries.dump(conn)["pl_events"]) == size
    assert not any(_dump(engine).values())
