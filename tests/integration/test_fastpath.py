"""The catch-up's fast path (rows straight from the stored JSON) writes what the general path writes."""

from __future__ import annotations

import json
from collections.abc import Iterator
from decimal import Decimal
from typing import Any
from uuid import UUID

import pytest
from eventsourcing.compressor import ZlibCompressor
from eventsourcing.persistence import JSONTranscoder, Mapper, StoredEvent
from sqlalchemy import select

from ledger.app import LedgerApp
from ledger.app.returns import ReturnInput
from ledger.app.submitted_states import SubmittedStates
from ledger.store.port import LogRow
from ledger.store.url import parse_store_url
from ledger.values import Period, Role, Status, Target
from projections import queries
from projections import schema as t
from projections.catchup import fastpage, fastpath
from projections.catchup.engine import make_engine
from projections.catchup.replay import scratch
from projections.catchup.runner import catch_up, rebuild
from projections.catchup.writer import PageWriter
from projections.projectors.ledger import period_columns
from tests.helpers import numbered, ret, setup_partnership


@pytest.fixture
def ledger(store_url: str) -> Iterator[tuple[LedgerApp, Any]]:
    app = LedgerApp(parse_store_url(store_url))
    app.people.initialise("alice", "alice", Decimal(5))
    engine = make_engine(parse_store_url(store_url))
    yield app, engine
    engine.dispose()
    app.close()


def _varied_returns(app: LedgerApp) -> None:
    """Every shape a Submitted event takes: parts or none, each status, text or none, odd decimals."""
    setup_partnership(app)
    rows = [
        ret("NI 192", "2008/09-Q1", "54.34", "5434", "10000"),
        ret("NI 192", "2008/09-Q2", "0", "0", "7", status=Status.ESTIMATE),
        ret("NI 192", "2008/09", "50.5", status=Status.FINAL),
        ret("NI 154", "2008/09-Q1", "120"),
        ret("NI 154", "2008/09", "1.0E+3", status=Status.FINAL),
        ret("NI 117", "2008-04", "8.50"),
        ReturnInput("NI 117", Period.parse("2008-05"), Decimal("0.000001"), None, None, Status.FINAL,
                    "Commentary, with \"quotes\" and ünïcode", "partner return", None),
        ReturnInput("NI 117", Period.parse("2009-03"), Decimal("9"), None, None, Status.PROVISIONAL,
                    "", None, None),
    ]
    app.imports.returns("bob", lambda: numbered(rows))
    app.returns.submit("bob", ret("NI 192", "2008/09-Q1", "55.10", "5510", "10000", reason="late tonnage"))
    app.returns.finalise("bob", "NI 117", Period.parse("2008-04"), "checked")
    app.returns.submit("bob", ret("NI 154", "2009/10-Q1", "7"))


FAST_TOPICS = {"perfledger/" + name for name in ("Return.Submitted", "Return.Revised", "Return.Finalised",
                                                "Return.Validated", "Return.Warned", "Targets.Opened",
                                                "Targets.TargetSet")}


def _mixed(app: LedgerApp) -> None:
    """The varied returns, then revisions, finalisations, validations and targets interleaved, some
    on returns folded in the same page, some on returns of earlier pages, and an event the fast
    path leaves to the general one (a query) among them."""
    _varied_returns(app)
    app.people.add("alice", "dq", [Role.DATA_QUALITY_OFFICER], None)
    quarters = [f"{y}/{str(y + 1)[2:]}-Q{q}" for y in range(2010, 2013) for q in range(1, 5)]
    app.imports.returns("bob", lambda: numbered([ret("NI 154", p, str(100 + i)) for i, p in enumerate(quarters)]))
    for i, period in enumerate(quarters):
        if i % 3 == 0:
            app.returns.submit("bob", ret("NI 154", period, str(200 + i), reason="recount"))
        if i % 4 == 1:
            app.returns.finalise("bob", "NI 154", Period.parse(period), None if i % 8 else "signed off")
        if i % 2 == 0:
            app.quality.validate("dq", "NI 154", Period.parse(period), "checked" if i % 4 else None)
        if i == 5:
            app.quality.raise_query("dq", "NI 154", Period.parse(period), "source?")
        if i % 5 == 0:
            year = Period.parse(period[:7])
            app.targets.set("alice", "NI 192", year, Target(Decimal(40 + i)), None, "plan")
            app.targets.set("alice", "NI 154", year, Target(Decimal(50 + i), monitoring_level=Decimal(40 + i),
                                                             tolerance=Decimal(2)), None, "with a floor")
        if i == 10:  # a changed target: the page closes the open row, in the page or in the views
            app.targets.set("alice", "NI 192", Period.parse(period[:7]), Target(Decimal(60)), None, "raised")
    app.returns.submit("bob", ret("NI 154", quarters[0], "7", reason="restated at source"))
    app.indicators.revise("alice", "NI 154", {"outlier_threshold": Decimal(20)}, "outliers warn")
    for i in (6, 10):  # a figure that warns, accepted with commentary: Return.Warned after the revision
        app.returns.submit("bob", ReturnInput("NI 154", Period.parse(quarters[i]), Decimal(900 + i), None, None,
                                              Status.PROVISIONAL, "a one-off", None, "recount"))
    app.quality.validate("dq", "NI 154", Period.parse(quarters[6]), None)
    app.returns.finalise("bob", "NI 154", Period.parse(quarters[6]), "after the warning")


def _counting(app: LedgerApp, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The topics of the events decoded the general way from here on."""
    decoded: list[str] = []
    general = app.core.log_entry

    def counting(row: LogRow) -> Any:
        decoded.append(row[4])
        return general(row)

    monkeypatch.setattr(app.core, "log_entry", counting)
    return decoded


@pytest.mark.parametrize("tuples", [True, False], ids=["tuples", "dicts"])
def test_the_fast_path_writes_the_same_views_as_the_general_path(
        ledger: tuple[LedgerApp, Any], monkeypatch: pytest.MonkeyPatch, tuples: bool) -> None:
    """Both forms of the fast path (tuples in column order; dicts, should a view gain a column)."""
    app, engine = ledger
    assert fastpath.TUPLES  # the views' columns are the ones the tuple form writes
    monkeypatch.setattr(fastpath, "TUPLES", tuples)
    _varied_returns(app)
    decoded = _counting(app, monkeypatch)
    assert catch_up(engine, app.core) == app.audit.digest().size
    with engine.connect() as conn:
        fast = queries.dump(conn)
    # The fast path took every Submitted event, the revision and the finalisation, and nothing else.
    assert not FAST_TOPICS & set(decoded)
    assert len(decoded) == app.audit.digest().size - 11
    monkeypatch.setattr(fastpath, "FAST", {})
    decoded.clear()
    assert rebuild(engine, app.core) == app.audit.digest().size
    with engine.connect() as conn:
        slow = queries.dump(conn)
    assert decoded.count("perfledger/Return.Submitted") == 9
    assert slow == fast
    assert len(fast["pl_return_versions"]) == 11


@pytest.mark.parametrize("page", [1, 5, 1000])
def test_a_mixed_ledger_folds_to_the_same_views_fast_and_slow(
        ledger: tuple[LedgerApp, Any], monkeypatch: pytest.MonkeyPatch, page: int) -> None:
    """Revisions, finalisations, validations and targets, on both backends, whatever the page size
    (a change and its return in one page, or pages apart): fast and general give the same tables."""
    app, engine = ledger
    _mixed(app)
    size = app.audit.digest().size
    decoded = _counting(app, monkeypatch)
    assert catch_up(engine, app.core, page=page) == size
    with engine.connect() as conn:
        fast = queries.dump(conn)
    assert not FAST_TOPICS & set(decoded)  # every high-volume event went the fast way
    assert "perfledger/Return.QueryRaised" in decoded
    assert rebuild(engine, app.core) == size  # in bulk: the secondary indexes dropped
    with engine.connect() as conn:
        assert queries.dump(conn) == fast
    monkeypatch.setattr(fastpath, "FAST", {})
    decoded.clear()
    assert catch_up(engine, app.core, page=page) == 0
    assert rebuild(engine, app.core) == size
    with engine.connect() as conn:
        slow = queries.dump(conn)
    assert set(decoded) >= FAST_TOPICS
    assert slow == fast
    assert len(fast["pl_validations"]) == 7
    assert len(fast["pl_targets"]) == 7


def _refold(app: LedgerApp, engine: Any, row: LogRow) -> dict[str, list[tuple[Any, ...]]] | None:
    """The views with the last event's rows folded again from ``row`` (rolled back afterwards);
    None when the general path refuses the row."""
    with engine.connect() as conn, conn.begin():
        conn.execute(t.return_versions.delete())
        conn.execute(t.events.delete().where(t.events.c.position == row[0]))
        writer = PageWriter(conn)
        try:
            fastpath.fold(app.core, [row], writer)
            writer.flush()
        except Exception:  # the general path cannot decode this state
            return None
        finally:
            found = queries.dump(conn)
            conn.rollback()
    return found


def _with_state(row: LogRow, change: Any) -> LogRow:
    state = json.loads(row[5])
    change(state)
    return (row[0], row[1], row[2], row[3], row[4], json.dumps(state).encode())


@pytest.mark.parametrize(("change", "same"), [
    (lambda s: s.update(quality="flagged"), True),  # a field a later version adds
    (lambda s: s.update(class_version=2), True),  # an upcast the general path would do
    (lambda s: s["value"].update(_type_="decimal"), False),  # a type tag the fast path does not know
    (lambda s: s.update(commentary=["not", "text"]), False),
    (lambda s: s.pop("source"), False),
], ids=["extra field", "class version", "other tag", "odd commentary", "missing field"])
def test_a_stored_state_of_another_shape_goes_the_general_way(
        ledger: tuple[LedgerApp, Any], monkeypatch: pytest.MonkeyPatch, change: Any, same: bool) -> None:
    app, engine = ledger
    setup_partnership(app)
    app.returns.submit("bob", ret("NI 192", "2008/09-Q1", "54.34", "5434", "10000"))
    catch_up(engine, app.core)
    with engine.connect() as conn:
        live = queries.dump(conn)
    last = app.core.log_rows(0, 1000)[-1]
    assert _refold(app, engine, last) == live  # the fast path, unchanged
    decoded: list[int] = []
    general = app.core.log_entry

    def counting(row: LogRow) -> Any:
        decoded.append(row[0])
        return general(row)

    monkeypatch.setattr(app.core, "log_entry", counting)
    found = _refold(app, engine, _with_state(last, change))
    assert decoded == [last[0]]  # handed to the general path, which alone decided what to write
    if same:
        assert found == live


def test_an_import_stores_the_bytes_the_library_would_store(ledger: tuple[LedgerApp, Any]) -> None:
    """Submitted events of an import are encoded directly; decoding and re-encoding each gives them back."""
    app, _ = ledger
    states = SubmittedStates(app.core.mapper)
    assert states.enabled
    _varied_returns(app)
    rows = [r for r in app.core.log_rows(0, 1000) if r[4] == "perfledger/Return.Submitted"]
    assert len(rows) == 9
    for row in rows:
        event = app.core.log_entry(row).event
        again = app.core.mapper.to_stored_event(event)
        assert (UUID(str(again.originator_id)).hex, again.originator_version, again.topic, again.state) == (
            row[2], row[3], row[4], row[5])


def test_the_direct_encoding_stays_off_where_it_would_not_match(ledger: tuple[LedgerApp, Any]) -> None:
    app, _ = ledger
    compressed: Mapper[UUID] = Mapper(transcoder=app.core.mapper.transcoder, compressor=ZlibCompressor())
    assert not SubmittedStates(compressed).enabled
    assert not SubmittedStates(Mapper(transcoder=JSONTranscoder())).enabled  # no Period transcoding

    class Drifted(SubmittedStates):  # as if the event had gained a field the encoder does not write
        def stored(self, *args: Any, **kwargs: Any) -> StoredEvent:
            found = super().stored(*args, **kwargs)
            return StoredEvent(found.originator_id, 1, found.topic, found.state[:-1] + b',"flag":null}')

    assert not Drifted(app.core.mapper).enabled


def _fold_into_scratch(app: LedgerApp, live: Any, page: int) -> dict[str, list[tuple[Any, ...]]]:
    """Every event folded page by page into empty views in scratch space; their tables."""
    with scratch(live) as engine:
        deferred = {str(index.name): index for table in t.ALL_VIEWS for index in table.indexes}
        after = 0
        while rows := app.core.log_rows(after, page):
            with engine.connect() as conn, conn.begin():
                writer = PageWriter(conn, deferred)
                fastpath.fold(app.core, rows, writer)
                writer.flush()
            after = rows[-1][0]
        with engine.connect() as conn:
            return queries.dump(conn)


def test_the_demo_ledger_folds_to_the_same_views_fast_and_slow(
        demo: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every kind of event the demo writes (warnings, history, adjustments, queries among the fast
    ones), in pages of 1, 13 and 2,500 events."""
    app, live = LedgerApp(parse_store_url(demo.url)), make_engine(parse_store_url(demo.url))
    try:
        fast = {page: _fold_into_scratch(app, live, page) for page in (1, 13, 2500)}
        monkeypatch.setattr(fastpath, "FAST", {})
        slow = _fold_into_scratch(app, live, 2500)
    finally:
        live.dispose()
        app.close()
    assert len(slow["pl_return_versions"]) > 100
    assert slow["pl_targets"]
    assert slow["pl_validations"]
    for found in fast.values():
        assert found == slow


@pytest.mark.parametrize("taken", [True, False], ids=["written on the way", "still buffered"])
def test_a_row_the_page_holds_open_is_closed_where_it_is(ledger: tuple[LedgerApp, Any], taken: bool) -> None:
    """A row the page added is closed in its list while it is still in the writer's buffer; once the
    writer has taken it (an index built on the way writes the rows so far without a sync), by UPDATE."""
    _, engine = ledger
    with engine.connect() as conn, conn.begin():
        writer = PageWriter(conn)
        page = fastpage.Page(writer, [], [], {})
        label, start, end, kind = period_columns("2008-04")
        page.add(fastpage.RETURNS, [
            "NI 999", label, 1, start, end, kind, "1", None, None, "provisional", None, None, "bob", None,
            "submitted", None, "2008-05-01T00:00:00+00:00", "2008-05-01T00:00:00+00:00", 5, None, None, 5, None])
        if taken:
            writer.flush()  # as need_index does
        page.close(fastpage.RETURNS, page.open_row(fastpage.RETURNS, ("NI 999", label)), 9)
        page.sync()
        until = conn.execute(select(t.return_versions.c.until_position).where(
            t.return_versions.c.indicator == "NI 999")).scalar_one()
        conn.rollback()
    assert until == 9
