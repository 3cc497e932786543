"""Validation, queries, warnings and timeliness through the application service, on both backends."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import pytest

from ledger.app import LedgerApp
from ledger.app.imports import ImportRejected
from ledger.domain.indicator import ProForma
from ledger.domain.returns import PeriodReturn
from ledger.errors import Invalid, NotFound, Refused
from ledger.store.url import parse_store_url
from ledger.values import Frequency, Period, Polarity, Role, Status, Unit
from projections import queries
from projections import schema as t
from projections.catchup.engine import make_engine
from projections.catchup.runner import catch_up, rebuild
from projections.queries.quality import due_rows, query_rows
from projections.reports import data_quality, evidence
from projections.reports import rag as report_rag
from tests.helpers import Clock, numbered, ret

P = Period.parse
WASTE = ProForma("Household waste recycled and composted", Unit.PERCENT, Polarity.HIGHER, Frequency.QUARTERLY,
                 cumulative=True, decimals=2, outlier_threshold=Decimal(25), reporting_lag=30)
HOMES = ProForma("Net additional homes provided", Unit.COUNT, Polarity.HIGHER, Frequency.QUARTERLY)


class Partnership:
    def __init__(self, url: str) -> None:
        self.clock = Clock(datetime(2008, 7, 10, 9, 0, tzinfo=UTC))
        self.app = LedgerApp(parse_store_url(url), clock=self.clock)
        self.engine = make_engine(parse_store_url(url))
        app = self.app
        app.people.initialise("alice", "alice", Decimal(5))
        app.people.add("alice", "bob", [Role.IMPROVEMENT_MANAGER], "Waste Services")
        app.people.add("alice", "carol", [Role.DATA_QUALITY_OFFICER], None)
        app.people.add("alice", "dev", [Role.DATA_QUALITY_OFFICER, Role.IMPROVEMENT_MANAGER], None)
        app.indicators.register("alice", "NI 192", WASTE)
        app.indicators.register("alice", "NI 154", HOMES)

    def view(self) -> Any:
        catch_up(self.engine, self.app.core)
        return self.engine.connect()

    def rag(self, period: str) -> dict[str, Any]:
        with self.view() as conn:
            moment = self.clock.now
            data = report_rag.build(conn, queries.position_at(conn, moment), moment, P(period))
        return {r["indicator"]: r for r in data["rows"]}


@pytest.fixture
def ps(store_url: str):  # type: ignore[no-untyped-def]
    p = Partnership(store_url)
    yield p
    p.engine.dispose()
    p.app.close()


def test_validation_is_recorded_with_who_and_which_figure_and_lapses_with_a_revision(ps: Partnership) -> None:
    app = ps.app
    app.returns.submit("bob", ret("NI 192", "2008/09-Q1", "20.10"))
    assert app.quality.validate("carol", "NI 192", P("2008/09-Q1"), "Checked against WasteDataFlow") == 1
    assert ps.rag("2008/09-Q1")["NI 192"]["data_quality"] == ["validated"]
    with pytest.raises(Invalid, match="already validated at revision 1"):
        app.quality.validate("carol", "NI 192", P("2008/09-Q1"), None)
    app.returns.submit("bob", ret("NI 192", "2008/09-Q1", "20.40", reason="late tonnage"))
    assert ps.rag("2008/09-Q1")["NI 192"]["data_quality"] == []
    assert app.quality.validate("carol", "NI 192", P("2008/09-Q1"), None) == 2
    with ps.view() as conn:
        rows = conn.execute(t.validations.select().order_by(t.validations.c.position)).mappings().all()
    assert [(r["actor"], r["revision"], r["note"]) for r in rows] == [
        ("carol", 1, "Checked against WasteDataFlow"), ("carol", 2, None)]


def test_nobody_validates_a_figure_they_gave_whatever_their_roles(ps: Partnership) -> None:
    app = ps.app
    app.returns.submit("dev", ret("NI 154", "2008/09-Q1", "120"))
    app.returns.submit("bob", ret("NI 192", "2008/09-Q1", "20.10"))
    app.returns.submit("dev", ret("NI 192", "2008/09-Q1", "20.30", reason="recount"))
    size = app.audit.digest().size
    for code in ("NI 154", "NI 192"):
        with pytest.raises(Refused, match="validation is independent") as caught:
            app.quality.validate("dev", code, P("2008/09-Q1"), None)
        assert caught.value.control == "separation-of-duties"
    with pytest.raises(Refused, match="may not validate returns") as caught:
        app.quality.validate("bob", "NI 154", P("2008/09-Q1"), None)
    assert caught.value.control == "permission"
    assert app.audit.digest().size == size
    app.quality.validate("carol", "NI 154", P("2008/09-Q1"), None)


def test_an_open_query_blocks_final_by_every_route_until_resolved(ps: Partnership) -> None:
    app = ps.app
    app.returns.submit("bob", ret("NI 154", "2008/09-Q1", "120"))
    key = app.quality.raise_query("carol", "NI 154", P("2008/09-Q1"), "NHBC shows 112 completions")
    size = app.audit.digest().size
    with pytest.raises(Refused, match="open data-quality query") as caught:
        app.returns.finalise("bob", "NI 154", P("2008/09-Q1"), None)
    assert caught.value.control == "open-query"
    with pytest.raises(Refused, match="open data-quality query"):
        app.returns.submit("bob", ret("NI 154", "2008/09-Q1", "112", reason="NHBC", status=Status.FINAL))
    with pytest.raises(ImportRejected) as rejected:
        app.imports.returns("bob", lambda: numbered([ret("NI 154", "2008/09-Q1", "112", reason="x",
                                                        status=Status.FINAL)]))
    assert rejected.value.problems == ["row 2, status: NI 154 2008/09-Q1 has an open data-quality query: it "
                                       "cannot be final until the query is resolved"]
    assert app.audit.digest().size == size
    app.returns.submit("bob", ret("NI 154", "2008/09-Q1", "112", reason="NHBC completions"))
    with ps.view() as conn:
        [listed] = query_rows(conn, queries.head_position(conn), open_only=True)
    assert (listed["id"], listed["status"], listed["raised_by"]) == (key, "open", "carol")
    assert ps.rag("2008/09-Q1")["NI 154"]["data_quality"] == ["queried"]
    assert app.quality.resolve_query("carol", key, "upheld", "Corrected to 112") == ("NI 154", P("2008/09-Q1"))
    with pytest.raises(Invalid, match=f"query {key} is already resolved"):
        app.quality.resolve_query("carol", key, "not-upheld", "again")
    app.returns.finalise("bob", "NI 154", P("2008/09-Q1"), None)
    with ps.view() as conn:
        position = queries.head_position(conn)
        assert query_rows(conn, position, open_only=True) == []
        [done] = query_rows(conn, position)
    assert (done["status"], done["outcome"], done["resolved_by"]) == ("resolved", "upheld", "carol")
    assert ps.rag("2008/09-Q1")["NI 154"]["data_quality"] == []


def test_queries_need_a_return_and_a_known_id(ps: Partnership) -> None:
    app = ps.app
    size = app.audit.digest().size
    with pytest.raises(NotFound, match="NI 154 has no return for 2008/09-Q1"):
        app.quality.raise_query("carol", "NI 154", P("2008/09-Q1"), "where is it?")
    with pytest.raises(NotFound, match="no query 'Q-00000000'"):
        app.quality.resolve_query("carol", "Q-00000000", "upheld", "x")
    with pytest.raises(NotFound, match="unknown indicator"):
        app.quality.raise_query("carol", "NI 999", P("2008/09-Q1"), "x")
    assert app.audit.digest().size == size


def test_two_queries_on_one_return_get_distinct_ids(ps: Partnership) -> None:
    app = ps.app
    app.returns.submit("bob", ret("NI 154", "2008/09-Q1", "120"))
    first = app.quality.raise_query("carol", "NI 154", P("2008/09-Q1"), "one")
    second = app.quality.raise_query("dev", "NI 154", P("2008/09-Q1"), "two")
    assert first != second
    app.quality.resolve_query("carol", second, "not-upheld", "stands")
    with pytest.raises(Refused):
        app.returns.finalise("bob", "NI 154", P("2008/09-Q1"), None)


def test_an_outlier_needs_commentary_and_is_recorded_as_a_warning(ps: Partnership) -> None:
    app = ps.app
    app.returns.submit("bob", ret("NI 192", "2007/08-Q2", "30.00"))
    ps.clock.now = datetime(2008, 10, 10, 9, 0, tzinfo=UTC)  # 2008/09-Q2 has ended; its return is due
    size = app.audit.digest().size
    with pytest.raises(Invalid, match="explain it with 'commentary'"):
        app.returns.submit("bob", ret("NI 192", "2008/09-Q2", "45.00"))
    assert app.audit.digest().size == size
    item = ret("NI 192", "2008/09-Q2", "45.00")
    app.returns.submit("bob", item.__class__(**{**item.__dict__, "commentary": "Kerbside food waste from May"}))
    assert ps.rag("2008/09-Q2")["NI 192"]["data_quality"] == ["warned"]
    with ps.view() as conn:
        trail = list(queries.trail(conn, indicator="NI 192", period="2008/09-Q2"))
    assert [r["event"] for r in trail] == ["Return.Submitted", "Return.Warned"]
    assert "45.00 is 50.0% away from the mean 30 of its last 1 comparable return(s)" in trail[1]["detail"]
    assert trail[1]["reason"] == "Kerbside food waste from May"


def test_a_file_whose_year_contradicts_its_quarters_is_refused_whole(ps: Partnership) -> None:
    app = ps.app
    ps.clock.now = datetime(2009, 4, 10, 9, 0, tzinfo=UTC)  # the year 2008/09 has ended
    size = app.audit.digest().size
    rows = [ret("NI 154", "2008/09", "900"), ret("NI 154", "2008/09-Q1", "100"),
            ret("NI 154", "2008/09-Q2", "200"), ret("NI 154", "2008/09-Q3", "150"),
            ret("NI 154", "2008/09-Q4", "250")]
    with pytest.raises(ImportRejected) as rejected:
        app.imports.returns("bob", lambda: numbered(rows))
    assert rejected.value.problems == [
        "row 2, value: the figure for 2008/09 (900) cannot follow from its 4 periods: it must lie between the "
        "lowest and the sum of them (100..700)"]
    assert app.audit.digest().size == size
    app.imports.returns("bob", lambda: numbered([ret("NI 154", "2008/09", "700"), *rows[1:]]))
    with pytest.raises(Invalid, match="cannot follow from its 4 periods"):
        app.returns.submit("bob", ret("NI 154", "2008/09-Q4", "10", reason="recount"))


def test_a_file_quarter_contradicting_the_ledgers_year_is_caught(ps: Partnership) -> None:
    app = ps.app
    ps.clock.now = datetime(2009, 4, 10, 9, 0, tzinfo=UTC)  # the year 2008/09 has ended
    for period, value in (("2008/09-Q1", "20.10"), ("2008/09-Q2", "38.20"), ("2008/09-Q3", "36.90"),
                          ("2008/09", "37.45")):
        app.returns.submit("bob", ret("NI 192", period, value))
    with pytest.raises(ImportRejected) as rejected:
        app.imports.returns("bob", lambda: numbered([ret("NI 154", "2008/09-Q1", "10"),
                                                    ret("NI 192", "2008/09-Q4", "37.50")]))
    assert rejected.value.problems == [
        "row 3, value: the year-to-date figure for 2008/09 (37.45) must equal 2008/09-Q4's (37.50): the "
        "indicator is cumulative"]


def test_an_import_reads_the_figures_it_needs_in_batches_and_records_its_warnings(ps: Partnership) -> None:
    app = ps.app
    ps.clock.now = datetime(2009, 4, 10, 9, 0, tzinfo=UTC)  # the year 2008/09 has ended
    years = [f"{y}/{(y + 1) % 100:02d}" for y in range(1990, 2008)]
    app.imports.returns("bob", lambda: numbered([ret("NI 192", f"{y}-Q{q}", "30.00")
                                                for y in years for q in (1, 2, 3, 4)]))
    calls: list[int] = []
    fetch = app.core.recorder.events_of  # type: ignore[attr-defined]

    def counted(ids: list[Any]) -> Any:
        calls.append(len(ids))
        return fetch(ids)

    app.core.recorder.events_of = counted  # type: ignore[attr-defined]
    rows = [ret("NI 192", f"2008/09-Q{q}", "30.00") for q in (1, 2, 3)]
    noted = ret("NI 192", "2008/09-Q4", "45.00")
    rows.append(noted.__class__(**{**noted.__dict__, "commentary": "New contract"}))
    app.imports.returns("bob", lambda: numbered(rows))
    assert calls == [1, 17]  # the file's one indicator in one read, then every figure its checks need in one
    with ps.view() as conn:
        trail = list(queries.trail(conn, indicator="NI 192", period="2008/09-Q4"))
    assert [r["event"] for r in trail] == ["Return.Submitted", "Return.Warned"]


def test_timeliness_is_fixed_by_the_ledgers_recording_time(ps: Partnership) -> None:
    app, clock = ps.app, ps.clock
    clock.now = datetime(2008, 7, 20, 9, 0, tzinfo=UTC)
    app.returns.submit("bob", ret("NI 154", "2008/09-Q1", "120"))  # due 30 July: on time
    clock.now = datetime(2008, 11, 20, 9, 0, tzinfo=UTC)
    app.returns.submit("bob", ret("NI 192", "2008/09-Q2", "38.20"))  # due 30 October: late
    rag = ps.rag("2008/09-Q2")
    assert rag["NI 192"]["data_quality"] == ["late"]
    with ps.view() as conn:
        position = queries.position_at(conn, clock.now)
        listed = due_rows(conn, position, clock.now)
        before = due_rows(conn, position, datetime(2008, 10, 15, tzinfo=UTC))
    assert [(r["indicator"], r["period"], r["status"], r["due"]) for r in listed] == [
        ("NI 192", "2008/09-Q1", "overdue", "2008-07-30"),
        ("NI 154", "2008/09-Q2", "overdue", "2008-10-30"),
    ]
    assert listed[0]["days_overdue"] == 113
    assert ("NI 154", "2008/09-Q2", "due") in [(r["indicator"], r["period"], r["status"]) for r in before]


def test_the_data_quality_review_names_each_exception_and_its_events(ps: Partnership) -> None:
    app, clock = ps.app, ps.clock
    clock.now = datetime(2008, 7, 20, 9, 0, tzinfo=UTC)
    app.returns.submit("bob", ret("NI 154", "2008/09-Q1", "120"))
    app.quality.validate("carol", "NI 154", P("2008/09-Q1"), "NHBC")
    clock.now = datetime(2008, 11, 20, 9, 0, tzinfo=UTC)
    app.returns.submit("bob", ret("NI 154", "2008/09-Q2", "130"))
    key = app.quality.raise_query("carol", "NI 154", P("2008/09-Q2"), "Double count?")
    app.quality.resolve_query("carol", key, "upheld", "Ten homes counted twice")
    app.returns.submit("bob", ret("NI 154", "2008/09-Q2", "120", reason="double count"))
    moment = datetime(2009, 6, 1, tzinfo=UTC)
    with ps.view() as conn:
        review = data_quality.build(conn, P("2008/09"), queries.position_at(conn, moment), moment)
        events = {r["position"]: r["event"] for r in conn.execute(t.events.select()).mappings()}
        with pytest.raises(Invalid, match="no ledger data for 2007/08"):
            data_quality.build(conn, P("2007/08"), queries.head_position(conn), moment)
    dims = {d["dimension"]: d for d in review["dimensions"]}
    assert list(dims) == ["accuracy", "validity", "reliability", "timeliness", "relevance", "completeness"]
    measures = {(d, m["measure"]): m["value"] for d, s in dims.items() for m in s["measures"]}
    assert measures[("accuracy", "queries upheld")] == 1
    assert measures[("validity", "returns validated (their current figure)")] == 1
    assert measures[("reliability", "revisions before the period closed")] == 1
    assert measures[("timeliness", "returns received late")] == 1
    assert measures[("relevance", "indicators with no return for the year")] == 1
    [upheld] = dims["accuracy"]["exceptions"]
    assert [events[p] for p in upheld["positions"]] == ["Return.QueryRaised", "Return.QueryResolved"]
    [late] = dims["timeliness"]["exceptions"]
    assert (late["period"], [events[p] for p in late["positions"]]) == ("2008/09-Q2", ["Return.Submitted"])
    [revised] = dims["reliability"]["exceptions"]
    assert [events[p] for p in revised["positions"]] == ["Return.Revised"]
    assert [e["indicator"] for e in dims["relevance"]["exceptions"]] == ["NI 192"]
    missing = [(e["indicator"], e["period"]) for e in dims["completeness"]["exceptions"]]
    assert ("NI 154", "2008/09-Q3") in missing
    assert ("NI 192", "2008/09-Q1") in missing
    with ps.view() as conn:
        pack = evidence.build(conn, P("2008/09"), queries.head_position(conn))
    assert {(s["measure"], s["value"]) for s in pack.summary} >= {("returns validated", 1)}


def test_the_quality_views_rebuild_identically(ps: Partnership) -> None:
    app = ps.app
    app.returns.submit("bob", ret("NI 154", "2008/09-Q1", "120"))
    app.quality.validate("carol", "NI 154", P("2008/09-Q1"), None)
    key = app.quality.raise_query("carol", "NI 154", P("2008/09-Q1"), "x")
    app.quality.resolve_query("carol", key, "not-upheld", "fine")
    app.returns.submit("bob", ret("NI 192", "2007/08-Q1", "10.00"))
    item = ret("NI 192", "2008/09-Q1", "20.00")
    app.returns.submit("bob", item.__class__(**{**item.__dict__, "commentary": "new round"}))
    catch_up(ps.engine, app.core)
    with ps.engine.connect() as conn:
        live = queries.dump(conn)
    rebuild(ps.engine, app.core)
    with ps.engine.connect() as conn:
        assert queries.dump(conn) == live
    assert live["pl_queries"]
    assert live["pl_validations"]


def test_a_query_and_a_finalise_racing_serialise_on_the_return(ps: Partnership) -> None:
    """Two writers holding the same return: the second save conflicts, and its retry sees the query."""
    from eventsourcing.persistence import IntegrityError

    from ledger.domain.query import QueryRef, query_id
    from ledger.domain.returns import PeriodReturn

    app = ps.app
    app.returns.submit("bob", ret("NI 154", "2008/09-Q1", "120"))
    finaliser = app.core.load(PeriodReturn, "NI 154", P("2008/09-Q1"))
    querier = app.core.load(PeriodReturn, "NI 154", P("2008/09-Q1"))
    assert finaliser is not None
    assert querier is not None
    key = query_id("NI 154", P("2008/09-Q1"), 1)
    querier.raise_query(key, "Double count?", "carol")
    app.core.save(querier, QueryRef(query_id=key, indicator="NI 154", period=P("2008/09-Q1"), actor="carol"))
    finaliser.finalise(None, "bob")
    with pytest.raises(IntegrityError):
        app.core.save(finaliser)
    with pytest.raises(Refused, match="open data-quality query"):
        app.returns.finalise("bob", "NI 154", P("2008/09-Q1"), None)


def test_the_review_lists_a_year_its_restated_quarter_contradicts(ps: Partnership) -> None:
    """A ledger made before restatements were checked against their year (the demo restated NI 192's
    Q4 alone): the review names the contradiction and the positions of both figures."""
    app = ps.app
    ps.clock.now = datetime(2009, 4, 10, 9, 0, tzinfo=UTC)
    for period, value in (("2008/09-Q1", "20.10"), ("2008/09-Q2", "38.20"), ("2008/09-Q3", "36.90"),
                          ("2008/09-Q4", "43.57"), ("2008/09", "43.57")):
        app.returns.submit("bob", ret("NI 192", period, value))
    moment = ps.clock.advance(days=1)
    with ps.view() as conn:
        review = data_quality.build(conn, P("2008/09"), queries.position_at(conn, moment), moment)
    validity = next(d for d in review["dimensions"] if d["dimension"] == "validity")
    assert {"measure": "figures inconsistent with their year", "value": 0} in validity["measures"]
    quarter = app.core.load_returns([PeriodReturn.create_id("NI 192", P("2008/09-Q4"))])
    [q4] = quarter.values()
    q4.restate(Decimal("43.07"), None, None, "A-0", "error-correction", "tom", "helen")  # as an old build did
    app.core.save(q4)
    moment = ps.clock.advance(days=1)
    with ps.view() as conn:
        review = data_quality.build(conn, P("2008/09"), queries.position_at(conn, moment), moment)
    validity = next(d for d in review["dimensions"] if d["dimension"] == "validity")
    assert {"measure": "figures inconsistent with their year", "value": 1} in validity["measures"]
    [found] = [e for e in validity["exceptions"] if e["exception"].startswith("inconsistent: ")]
    assert (found["indicator"], found["period"]) == ("NI 192", "2008/09")
    assert found["exception"] == ("inconsistent: the year-to-date figure for 2008/09 (43.57) must equal "
                                  "2008/09-Q4's (43.07): the indicator is cumulative")
    assert found["positions"][-1] == ps.app.audit.digest().size  # the restatement is among the figures read
    assert len(found["positions"]) == 5
