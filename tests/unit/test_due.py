"""The one rule of what is due, missing and late (policies/due.py; docs/rating-rules.md)."""

from __future__ import annotations

from datetime import date

from ledger.values import Frequency, Period
from policies.due import DUE, OVERDUE, Reporter, due_date, expected, is_late, is_missing, missing, owed

P = Period.parse
WASTE = Reporter("NI 192", Frequency.QUARTERLY, 30, registered=date(2008, 10, 15))


def test_the_due_date_is_the_period_end_plus_the_lag() -> None:
    assert due_date(P("2008/09-Q1"), 30) == date(2008, 7, 30)
    assert due_date(P("2008-09"), 15) == date(2008, 10, 15)


def test_a_return_is_expected_from_the_day_of_registration_to_the_day_of_retirement() -> None:
    assert not expected(WASTE, P("2008/09-Q1"))  # due 30 July, before 15 October
    assert expected(WASTE, P("2008/09-Q2"))  # due 30 October
    on_the_day = Reporter("NI 117", Frequency.MONTHLY, 15, registered=date(2008, 10, 15))
    assert expected(on_the_day, P("2008-09"))  # due 15 October, the day it was registered
    assert not expected(on_the_day, P("2008-08"))
    retired = Reporter("LPI 1", Frequency.QUARTERLY, 30, date(2008, 4, 1), retired=date(2009, 1, 30))
    assert expected(retired, P("2008/09-Q2"))
    assert not expected(retired, P("2008/09-Q3"))  # due 30 January, the day it was retired
    assert expected(Reporter("X", Frequency.QUARTERLY, 30, None), P("2001/02-Q1"))  # no registration known


def test_owed_is_due_then_overdue_and_missing_only_once_the_due_day_has_ended() -> None:
    q2 = P("2008/09-Q2")
    assert [o.status for o in owed([WASTE], [P("2008/09")], date(2008, 9, 30), set())] == []  # not ended
    assert [(str(o.period), o.status) for o in owed([WASTE], [P("2008/09")], date(2008, 10, 1), set())] == [
        ("2008/09-Q2", DUE)]
    assert [o.status for o in owed([WASTE], [P("2008/09")], date(2008, 10, 30), set())] == [DUE]
    assert [o.status for o in owed([WASTE], [P("2008/09")], date(2008, 10, 31), set())] == [OVERDUE]
    assert is_missing(WASTE, q2, date(2008, 10, 31), held=False)
    assert not is_missing(WASTE, q2, date(2008, 10, 31), held=True)
    assert not is_missing(WASTE, q2, date(2008, 10, 30), held=False)


def test_missing_counts_the_outturn_of_an_in_year_indicator() -> None:
    found = missing([WASTE], P("2008/09"), date(2009, 6, 1), {("NI 192", "2008/09-Q3")})
    assert [(str(m.period), m.due) for m in found] == [
        ("2008/09-Q2", date(2008, 10, 30)), ("2008/09-Q4", date(2009, 4, 30)), ("2008/09", date(2009, 4, 30))]
    annual = Reporter("LPI 2", Frequency.ANNUAL, 30, date(2008, 4, 1))
    assert [str(m.period) for m in missing([annual], P("2008/09"), date(2009, 6, 1), set())] == ["2008/09"]


def test_late_is_after_the_due_day_and_never_for_history() -> None:
    q1 = P("2008/09-Q1")
    assert not is_late(q1, 30, date(2008, 7, 30), history=False)
    assert is_late(q1, 30, date(2008, 7, 31), history=False)
    assert not is_late(q1, 30, date(2025, 1, 1), history=True)
