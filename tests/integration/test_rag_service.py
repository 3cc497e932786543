"""Targets, rating rules and the RAG report as at a ledger time, on both backends.

Recording times come from a controllable clock, so "as at" can fall between two events.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import pytest

from ledger.app import LedgerApp
from ledger.errors import Invalid, Refused
from ledger.store.url import parse_store_url
from ledger.values import Period, Polarity, Target
from projections import queries
from projections.catchup.engine import make_engine
from projections.catchup.runner import catch_up
from projections.reports.rag import build
from tests.helpers import HOMES, Clock, ret, setup_partnership

Q1 = Period.parse("2008/09-Q1")
Q2 = Period.parse("2008/09-Q2")
YEAR = Period.parse("2008/09")


class Timed:
    def __init__(self, store_url: str, start: datetime) -> None:
        self.clock = Clock(start)
        self.app = LedgerApp(parse_store_url(store_url), clock=self.clock)
        self.app.people.initialise("alice", "alice", Decimal(5))
        self.engine = make_engine(parse_store_url(store_url))
        setup_partnership(self.app)

    def tick(self) -> datetime:
        """Move the clock a day on; the returned moment is after everything so far."""
        moment = self.clock.now
        self.clock.advance(days=1)
        return moment

    def report(self, when: datetime, period: Period | None = None) -> dict[str, Any]:
        catch_up(self.engine, self.app.core)
        with self.engine.connect() as conn:
            position = queries.position_at(conn, when)
            return build(conn, position, when, period)

    def row(self, when: datetime, code: str, period: Period | None = None) -> dict[str, Any]:
        rows: dict[str, dict[str, Any]] = {r["indicator"]: r for r in self.report(when, period)["rows"]}
        return rows[code]

    def target(self, code: str, period: Period, value: str, **settings: Any) -> None:
        self.app.targets.set("alice", code, period, replace(Target(Decimal(value)), **settings), None,
                            "agreed in the LAA")


@pytest.fixture
def timed(store_url: str) -> Iterator[Timed]:
    ledger = Timed(store_url, datetime(2008, 11, 1, 9, 0, tzinfo=UTC))
    yield ledger
    ledger.engine.dispose()
    ledger.app.close()


@pytest.fixture
def early(store_url: str) -> Iterator[Timed]:
    """A ledger whose clock starts inside 2008/09-Q2, before the Q1 returns fall due."""
    ledger = Timed(store_url, datetime(2008, 7, 1, 9, 0, tzinfo=UTC))
    yield ledger
    ledger.engine.dispose()
    ledger.app.close()


def test_as_at_before_a_target_change_shows_the_old_target_and_rating(timed: Timed) -> None:
    timed.app.returns.submit("bob", ret("NI 192", "2008/09-Q1", "50"))
    timed.target("NI 192", Q1, "52")
    timed.clock.advance(days=1)
    before = timed.tick()
    timed.app.targets.set("alice", "NI 192", Q1, Target(Decimal("60")), None, "stretch agreed")
    after = timed.tick()
    old = timed.row(before, "NI 192", Q1)
    new = timed.row(after, "NI 192", Q1)
    assert (old["target"], old["rating"]) == ("52", "amber")  # missed by 2, within 5% of 52
    assert (new["target"], new["rating"]) == ("60", "red")
    assert timed.row(before, "NI 192", Q1) == old  # the past does not move


def test_a_rule_change_applies_from_its_period_and_never_re_rates_history(timed: Timed) -> None:
    timed.app.returns.submit("bob", ret("NI 192", "2008/09-Q1", "50"))
    timed.app.returns.submit("bob", ret("NI 192", "2008/09-Q2", "50"))
    timed.target("NI 192", Q1, "52")
    timed.target("NI 192", Q2, "52")
    timed.clock.advance(days=1)
    before = timed.tick()
    timed.app.targets.rag_default("alice", Decimal(2), Q2, "tighter amber band from Q2")
    after = timed.tick()
    assert timed.row(before, "NI 192", Q1)["rating"] == "amber"
    assert timed.row(before, "NI 192", Q2)["rating"] == "amber"
    assert timed.row(after, "NI 192", Q1)["rating"] == "amber"  # before the rule's from-period
    assert timed.row(after, "NI 192", Q2)["rating"] == "red"  # 2% of 52 is 1.04; missed by 2
    assert timed.row(before, "NI 192", Q2)["rating"] == "amber"  # as at before, still amber


def test_tolerance_precedence_target_then_indicator_then_ledger(timed: Timed) -> None:
    timed.app.returns.submit("bob", ret("NI 192", "2008/09-Q1", "50"))
    timed.app.returns.submit("bob", ret("NI 192", "2008/09-Q2", "50"))
    timed.target("NI 192", Q1, "52", tolerance=Decimal(1))
    timed.target("NI 192", Q2, "52")
    timed.app.indicators.revise("alice", "NI 192", {"tolerance": Decimal(1)}, "narrower band")
    now = timed.tick()
    assert timed.row(now, "NI 192", Q1)["rating"] == "red"
    assert timed.row(now, "NI 192", Q2)["rating"] == "red"  # indicator's 1% beats the ledger's 5%
    timed.app.targets.set("alice", "NI 192", Q2, Target(Decimal("52"), tolerance=Decimal(10)), None,
                         "wider band for Q2")
    later = timed.tick()
    assert timed.row(later, "NI 192", Q2)["rating"] == "amber"  # the target's own beats both


def test_a_monitoring_level_decides_amber_and_red(timed: Timed) -> None:
    timed.app.returns.submit("bob", ret("NI 192", "2008/09-Q1", "45"))
    timed.target("NI 192", Q1, "52", monitoring_level=Decimal("44"))
    now = timed.tick()
    assert timed.row(now, "NI 192", Q1)["rating"] == "amber"  # 45 is 13% short, but above 44
    timed.app.returns.submit("bob", ret("NI 192", "2008/09-Q1", "43", reason="late data"))
    later = timed.tick()
    assert timed.row(later, "NI 192", Q1)["rating"] == "red"


def test_a_level_measure_inherits_a_year_target_but_a_count_does_not(timed: Timed) -> None:
    timed.app.returns.submit("bob", ret("NI 192", "2008/09-Q1", "55"))
    timed.app.returns.submit("bob", ret("NI 154", "2008/09-Q1", "100"))
    timed.target("NI 192", YEAR, "52")
    timed.target("NI 154", YEAR, "400")
    now = timed.tick()
    percent = timed.row(now, "NI 192", Q1)
    count = timed.row(now, "NI 154", Q1)
    assert (percent["period"], percent["target"], percent["rating"]) == ("2008/09-Q1", "52", "green")
    assert (count["period"], count["target"], count["rating"]) == ("2008/09-Q1", None, "none")


def test_a_due_but_absent_return_is_missing_and_a_not_yet_due_one_none(early: Timed) -> None:
    early.target("NI 192", Q1, "52")
    not_due = early.tick()  # 1 July 2008: Q1 returns are due by 30 July
    early.clock.now = datetime(2008, 8, 15, 9, 0, tzinfo=UTC)
    early.app.returns.submit("bob", ret("NI 154", "2008/09-Q1", "100"))  # something recorded later
    due = early.tick()
    assert early.row(not_due, "NI 192", Q1)["rating"] == "none"
    row = early.row(due, "NI 192", Q1)
    assert (row["actual"], row["target"], row["rating"]) == (None, "52", "missing")


def test_a_tracker_rates_none_and_takes_no_target(timed: Timed) -> None:
    timed.app.indicators.register("alice", "LPI 9", replace(HOMES, title="Empty homes", tracker=True))
    before = timed.app.audit.digest()
    with pytest.raises(Invalid, match="is a tracker"):
        timed.app.targets.set("alice", "LPI 9", Q1, Target(Decimal(5)), None, "x")
    assert timed.app.audit.digest() == before
    timed.app.returns.submit("bob", ret("LPI 9", "2008/09-Q1", "40"))
    now = timed.tick()
    row = timed.row(now, "LPI 9", Q1)
    assert (row["actual"], row["target"], row["rating"]) == ("40", None, "none")


def test_direction_of_travel_and_against_a_year_earlier(timed: Timed) -> None:
    timed.app.returns.submit("bob", ret("NI 192", "2007/08-Q2", "60"))
    timed.app.returns.submit("bob", ret("NI 192", "2008/09-Q1", "50"))
    timed.app.returns.submit("bob", ret("NI 192", "2008/09-Q2", "55"))
    timed.app.returns.submit("bob", ret("NI 117", "2008-08", "8"))
    timed.app.returns.submit("bob", ret("NI 117", "2008-09", "8"))
    timed.app.indicators.register("alice", "LPI 7", replace(HOMES, title="Visits", polarity=Polarity.NONE))
    timed.app.returns.submit("bob", ret("LPI 7", "2008/09-Q1", "10"))
    timed.app.returns.submit("bob", ret("LPI 7", "2008/09-Q2", "7"))
    now = timed.tick()
    rows = {r["indicator"]: r for r in timed.report(now, Q2)["rows"]}
    assert (rows["NI 192"]["direction"], rows["NI 192"]["direction_year"]) == ("improving", "worsening")
    assert (rows["NI 117"]["period"], rows["NI 117"]["direction"]) == ("2008-09", "unchanged")
    assert rows["NI 117"]["direction_year"] is None  # no return for September 2007
    assert rows["LPI 7"]["direction"] == "decreasing"  # no polarity: no judgement


def test_the_assessed_outlook_appears_for_the_year(timed: Timed) -> None:
    timed.app.returns.submit("bob", ret("NI 192", "2008/09-Q2", "50"))
    before = timed.tick()
    timed.app.targets.assess("bob", "NI 192", YEAR, "difficult", "the new contract starts late")
    after = timed.tick()
    assert timed.row(before, "NI 192", Q2)["outlook"] is None
    assert timed.row(after, "NI 192", Q2)["outlook"] == "difficult"
    assert timed.row(after, "NI 154", Q2)["outlook"] is None
    with pytest.raises(Invalid, match="not a financial year"):
        timed.app.targets.assess("bob", "NI 192", Q2, "likely", "x")


def test_the_report_is_the_same_however_often_it_is_built(timed: Timed) -> None:
    timed.app.returns.submit("bob", ret("NI 192", "2008/09-Q2", "50"))
    timed.target("NI 192", Q2, "52")
    now = timed.tick()
    first = timed.report(now)
    timed.app.returns.submit("bob", ret("NI 192", "2008/09-Q2", "53", reason="late data"))
    assert timed.report(now) == first
    assert first["period"] == "2008/09-Q2"  # the last quarter ended by 1 November 2008


class TestTargetRules:
    def test_a_target_changes_only_with_consent_once_agreed(self, timed: Timed) -> None:
        timed.target("NI 192", Q1, "52", agreed_with="GONW")
        before = timed.app.audit.digest()
        with pytest.raises(Refused, match="agreed with GONW"):
            timed.app.targets.set("alice", "NI 192", Q1, Target(Decimal("55")), None, "stretch")
        assert timed.app.audit.digest() == before
        timed.app.targets.set("alice", "NI 192", Q1, Target(Decimal("55"), agreed_with="GONW"),
                             "GONW letter 12/08", "stretch")
        assert timed.app.audit.digest().size == before.size + 1

    def test_closed_periods_take_no_targets_and_no_returns(self, timed: Timed) -> None:
        timed.app.returns.submit("bob", ret("NI 192", "2008/09-Q1", "50"))
        timed.app.targets.close_period("alice", Q1, "reported to the LSP")
        before = timed.app.audit.digest()
        with pytest.raises(Refused, match="is closed"):
            timed.target("NI 192", Q1, "52")
        with pytest.raises(Refused, match="adjust request"):
            timed.app.returns.submit("bob", ret("NI 192", "2008/09-Q1", "51", reason="late"))
        with pytest.raises(Refused, match="adjust request"):
            timed.app.returns.submit("bob", ret("NI 117", "2008-05", "8"))  # a month inside Q1
        with pytest.raises(Invalid, match="already closed"):
            timed.app.targets.close_period("alice", Q1, None)
        with pytest.raises(Invalid, match="already closed, as part of 2008/09-Q1"):
            timed.app.targets.close_period("alice", Period.parse("2008-06"), None)
        assert timed.app.audit.digest() == before
        timed.app.returns.finalise("bob", "NI 192", Q1, "checked after close")
        timed.app.returns.submit("bob", ret("NI 117", "2008-07", "8"))
        timed.target("NI 192", YEAR, "52")  # the year is still open

    def test_closing_a_month_closes_no_quarter(self, timed: Timed) -> None:
        timed.app.targets.close_period("alice", Period.parse("2008-04"), None)
        with pytest.raises(Refused):
            timed.app.returns.submit("bob", ret("NI 117", "2008-04", "8"))
        timed.app.returns.submit("bob", ret("NI 117", "2008-05", "8"))
        timed.app.returns.submit("bob", ret("NI 192", "2008/09-Q1", "50"))
        timed.target("NI 117", Q1, "9")
        timed.app.targets.close_period("alice", Q1, None)
