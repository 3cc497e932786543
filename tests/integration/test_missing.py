"""One answer to "which returns are missing": the RAG report, ``return due``, the data-quality
review's completeness and the evidence pack agree, on both backends (issue 18, item 3)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

import pytest

from ledger.app import LedgerApp
from ledger.domain.indicator import ProForma
from ledger.domain.returns import PeriodReturn
from ledger.store.url import parse_store_url
from ledger.values import Frequency, Period, PeriodKind, Polarity, Role, Unit, own_kind, periods_between
from projections import queries
from projections.catchup.engine import make_engine
from projections.catchup.runner import catch_up
from projections.queries.quality import due_rows
from projections.reports import data_quality, evidence
from projections.reports import rag as report_rag
from tests.helpers import Clock, numbered, ret

P = Period.parse
YEAR = P("2008/09")
WASTE = ProForma("Household waste recycled", Unit.PERCENT, Polarity.HIGHER, Frequency.QUARTERLY)
HOMES = ProForma("Net additional homes", Unit.COUNT, Polarity.HIGHER, Frequency.QUARTERLY)
NEET = ProForma("Young people not in education", Unit.PERCENT, Polarity.LOWER, Frequency.MONTHLY,
                reporting_lag=15)
SURVEY = ProForma("Satisfaction with the area", Unit.PERCENT, Polarity.HIGHER, Frequency.ANNUAL)


def at(clock: Clock, year: int, month: int, day: int) -> None:
    clock.now = datetime(year, month, day, 9, 0, tzinfo=UTC)


class MidYear:
    """A ledger started in October 2008, its indicators registered as the year went on."""

    def __init__(self, url: str) -> None:
        self.clock = Clock(datetime(2008, 10, 15, 9, 0, tzinfo=UTC))
        self.app = app = LedgerApp(parse_store_url(url), clock=self.clock)
        self.engine = make_engine(parse_store_url(url))
        app.people.initialise("alice", "alice", Decimal(5))
        app.people.add("alice", "bob", [Role.IMPROVEMENT_MANAGER], None)
        # NI 192 on 15 October: Q1 (due 30 July) came before it; Q2 (due 30 October) did not.
        app.indicators.register("alice", "NI 192", WASTE)
        # NI 117 the same day: September's return (lag 15) is due on 15 October, the day itself.
        app.indicators.register("alice", "NI 117", NEET)
        app.indicators.register("alice", "LPI 1", replace(WASTE, title="Streets cleaned"))
        app.indicators.register("alice", "LPI 2", SURVEY)
        at(self.clock, 2008, 11, 20)
        app.returns.submit("bob", ret("NI 192", "2008/09-Q2", "40"))  # late: due 30 October
        app.returns.submit("bob", ret("NI 117", "2008-09", "8"))
        at(self.clock, 2009, 1, 20)
        # NI 154 in January: its first expected return is Q3's, due 30 January.
        app.indicators.register("alice", "NI 154", HOMES)
        app.returns.submit("bob", ret("NI 154", "2008/09-Q3", "100"))
        at(self.clock, 2009, 2, 15)
        app.indicators.retire("alice", "LPI 1", "merged into NI 192")  # owed Q2 and Q3, never Q4
        at(self.clock, 2009, 6, 1)
        app.returns.submit("bob", ret("NI 192", "2008/09-Q4", "44"))  # the pack's time is this one

    def close(self) -> None:
        self.engine.dispose()


@pytest.fixture
def ledger(store_url: str) -> Iterator[MidYear]:
    built = MidYear(store_url)
    yield built
    built.close()


def the_four(built: MidYear) -> dict[str, set[tuple[str, str]]]:
    catch_up(built.engine, built.app.core)
    moment = built.clock.now
    with built.engine.connect() as conn:
        position = queries.position_at(conn, moment)
        assert position == queries.head_position(conn)
        live = {i["code"]: i for i in queries.indicators(conn, position)}
        rag: set[tuple[str, str]] = set()
        for kind in (PeriodKind.MONTH, PeriodKind.QUARTER, PeriodKind.YEAR):
            for period in periods_between(kind, YEAR, YEAR):
                for row in report_rag.build(conn, position, moment, period)["rows"]:
                    if row["rating"] == "missing":
                        rag.add((row["indicator"], row["period"]))
        due = {(r["indicator"], r["period"]) for r in due_rows(conn, position, moment)
               if r["status"] == "overdue" and YEAR.contains(P(r["period"]))}
        review = data_quality.build(conn, YEAR, position, moment)
        [completeness] = [d for d in review["dimensions"] if d["dimension"] == "completeness"]
        pack = evidence.build(conn, YEAR, position)
    return {"rag": rag, "due": due,
            "completeness": {(e["indicator"], e["period"]) for e in completeness["exceptions"]},
            "evidence": {(m["indicator"], m["period"]) for m in pack.missing},
            "live": {(code, str(Frequency(i["frequency"]).value)) for code, i in live.items()}}


def rag_can_show(found: set[tuple[str, str]], live: set[tuple[str, str]]) -> set[tuple[str, str]]:
    """The missing returns a RAG report has a row for: an indicator in force, one of its own periods."""
    kinds = {code: own_kind(Frequency(frequency)) for code, frequency in live}
    return {(code, period) for code, period in found if code in kinds and P(period).kind is kinds[code]}


def test_the_rag_report_return_due_completeness_and_the_evidence_pack_agree(ledger: MidYear) -> None:
    found = the_four(ledger)
    expected = {
        ("NI 192", "2008/09-Q3"), ("NI 192", "2008/09"),  # Q2 came late, Q4 too; Q1 was never expected
        *(("NI 117", f"{m}") for m in ("2008-10", "2008-11", "2008-12", "2009-01", "2009-02", "2009-03")),
        ("NI 117", "2008/09"),
        ("NI 154", "2008/09-Q4"), ("NI 154", "2008/09"),  # Q3 came on time; Q1 and Q2 were never expected
        ("LPI 1", "2008/09-Q2"), ("LPI 1", "2008/09-Q3"),  # retired in February: nothing due after
        ("LPI 2", "2008/09"),
    }
    assert found["evidence"] == expected
    assert found["completeness"] == expected
    assert found["due"] == expected
    assert found["rag"] == rag_can_show(expected, found["live"])


def test_a_return_received_late_leaves_every_list_of_missing_returns(ledger: MidYear) -> None:
    app, clock = ledger.app, ledger.clock
    at(clock, 2009, 6, 2)
    app.returns.submit("bob", ret("NI 117", "2008-10", "9"))
    found = the_four(ledger)
    assert ("NI 117", "2008-10") not in found["evidence"]
    assert found["evidence"] == found["completeness"] == found["due"]
    assert found["rag"] == rag_can_show(found["evidence"], found["live"])


def late_sets(built: MidYear) -> dict[str, Any]:
    catch_up(built.engine, built.app.core)
    moment = built.clock.now
    with built.engine.connect() as conn:
        position = queries.head_position(conn)
        review = data_quality.build(conn, YEAR, position, moment)
        [timeliness] = [d for d in review["dimensions"] if d["dimension"] == "timeliness"]
        pack = evidence.build(conn, YEAR, position)
        rag: set[tuple[str, str]] = set()
        for kind in (PeriodKind.MONTH, PeriodKind.QUARTER):
            for period in periods_between(kind, YEAR, YEAR):
                rag |= {(r["indicator"], r["period"]) for r in report_rag.build(conn, position, moment, period)
                        ["rows"] if "late" in r["data_quality"]}
    return {"timeliness": {(e["indicator"], e["period"]) for e in timeliness["exceptions"]
                           if e["exception"].startswith("late:")},
            "history": {(e["indicator"], e["period"]) for e in timeliness["exceptions"]
                        if e["exception"].startswith("imported as history")},
            "pack history": {(r["indicator"], r["period"]) for r in pack.returns
                             if r["version"] == 1 and r["history"] is not None and r["on_time"] is None},
            "evidence": {(r["indicator"], r["period"]) for r in pack.returns
                         if r["version"] == 1 and r["on_time"] is False},
            "rag": rag}


def test_the_late_returns_agree_too(ledger: MidYear) -> None:
    found = late_sets(ledger)
    assert found["timeliness"] == found["evidence"] == found["rag"] == {
        ("NI 192", "2008/09-Q2"), ("NI 192", "2008/09-Q4"), ("NI 117", "2008-09")}


def test_history_back_filled_later_is_held_never_late_and_leaves_the_missing_unchanged(ledger: MidYear) -> None:
    missing_before = the_four(ledger)["evidence"]
    rows = [ret("NI 192", "2008/09-Q1", "35"), ret("NI 154", "2008/09-Q2", "90")]  # never expected
    result = ledger.app.imports.returns("alice", lambda: numbered(rows), history=date(2008, 12, 1))
    assert (result.new, result.written) == (2, True)
    found = late_sets(ledger)
    assert found["timeliness"] == found["evidence"] == found["rag"] == {
        ("NI 192", "2008/09-Q2"), ("NI 192", "2008/09-Q4"), ("NI 117", "2008-09")}
    assert found["history"] == found["pack history"] == {("NI 192", "2008/09-Q1"), ("NI 154", "2008/09-Q2")}
    assert the_four(ledger)["evidence"] == missing_before
    held = ledger.app.core.load_returns([PeriodReturn.create_id("NI 192", P("2008/09-Q1"))])
    assert [r.history for r in held.values()] == [date(2008, 12, 1)]


def test_the_same_rows_imported_without_history_are_late(ledger: MidYear) -> None:
    rows = [ret("NI 192", "2008/09-Q1", "35")]
    ledger.app.imports.returns("alice", lambda: numbered(rows))
    assert ("NI 192", "2008/09-Q1") in late_sets(ledger)["timeliness"]
