"""Calendar: closing a reported period makes later changes to it retrospective; there is no reopen."""

from __future__ import annotations

import pytest

from ledger.domain.calendar import Calendar
from ledger.errors import Invalid
from ledger.values import Period

P = Period.parse


def given_calendar() -> Calendar:
    calendar = Calendar()
    calendar.collect_events()
    return calendar


def test_a_new_calendar_has_nothing_closed() -> None:
    calendar = Calendar()
    [event] = calendar.collect_events()
    assert isinstance(event, Calendar.Opened)
    assert not calendar.is_closed(P("2008/09"))
    assert not calendar.is_closed(P("2008-04"))


def test_closing_a_year_closes_its_halves_quarters_and_months_and_nothing_else() -> None:
    calendar = given_calendar()
    calendar.close(P("2008/09"), "reported to the LSP board", "pat")
    [event] = calendar.collect_events()
    assert isinstance(event, Calendar.PeriodClosed)
    assert (event.period, event.note, event.actor) == (P("2008/09"), "reported to the LSP board", "pat")
    for inside in ("2008/09", "2008/09-H2", "2008/09-Q1", "2008/09-Q4", "2008-04", "2009-03"):
        assert calendar.is_closed(P(inside)), inside
    assert not calendar.is_closed(P("2009/10-Q1"))
    assert not calendar.is_closed(P("2009-04"))
    assert not calendar.is_closed(P("2008-03"))  # March 2008 is in 2007/08


def test_closing_a_quarter_closes_its_months_and_leaves_its_year_open() -> None:
    calendar = given_calendar()
    calendar.close(P("2008/09-Q1"), None, "pat")
    assert calendar.is_closed(P("2008-05"))
    assert not calendar.is_closed(P("2008-07"))
    assert not calendar.is_closed(P("2008/09-H1"))
    assert not calendar.is_closed(P("2008/09"))


def test_a_year_whose_quarter_is_closed_can_still_be_closed() -> None:
    calendar = given_calendar()
    calendar.close(P("2008/09-Q1"), None, "pat")
    calendar.close(P("2008/09"), "year end", "pat")
    assert [type(e).__name__ for e in calendar.collect_events()] == ["PeriodClosed", "PeriodClosed"]
    assert calendar.is_closed(P("2008/09-Q3"))


def test_closing_a_closed_period_again_is_refused_and_records_nothing() -> None:
    calendar = given_calendar()
    calendar.close(P("2008/09-Q2"), None, "pat")
    calendar.collect_events()
    with pytest.raises(Invalid) as refused:
        calendar.close(P("2008/09-Q2"), "again", "pat")
    assert "already closed" in str(refused.value)
    assert "no reopen" in str(refused.value)
    assert calendar.collect_events() == []
    assert calendar.closed == [P("2008/09-Q2")]


def test_a_period_inside_a_closed_one_is_refused_naming_the_closed_period() -> None:
    calendar = given_calendar()
    calendar.close(P("2008/09"), None, "pat")
    calendar.collect_events()
    for part in ("2008/09-H1", "2008/09-Q2", "2008-11"):
        with pytest.raises(Invalid) as refused:
            calendar.close(P(part), None, "pat")
        assert f"{part} is already closed, as part of 2008/09" in str(refused.value)
    assert calendar.collect_events() == []
    assert calendar.closed == [P("2008/09")]


def test_there_is_one_calendar() -> None:
    assert Calendar().id == Calendar.create_id() == Calendar.create_id("anything")
