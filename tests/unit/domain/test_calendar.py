"""Calendar: closing a reported period makes later changes to it retrospective."""

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


def test_closing_a_year_closes_every_period_inside_it_and_nothing_else() -> None:
    calendar = given_calendar()
    calendar.close(P("2008/09"), "reported to the LSP board", "pat")
    [event] = calendar.collect_events()
    assert isinstance(event, Calendar.PeriodClosed)
    assert (event.period, event.note, event.actor) == (P("2008/09"), "reported to the LSP board", "pat")
    for inside in ("2008/09", "2008/09-H2", "2008/09-Q3", "2009-03"):
        assert calendar.is_closed(P(inside)), inside
    assert not calendar.is_closed(P("2009/10-Q1"))
    assert not calendar.is_closed(P("2008-03"))  # March 2008 is in 2007/08


def test_closing_a_quarter_leaves_its_year_open() -> None:
    calendar = given_calendar()
    calendar.close(P("2008/09-Q1"), None, "pat")
    assert calendar.is_closed(P("2008-05"))
    assert not calendar.is_closed(P("2008/09"))


def test_a_period_closes_once_and_a_closed_one_cannot_be_closed_again_as_a_part() -> None:
    calendar = given_calendar()
    calendar.close(P("2008/09"), None, "pat")
    calendar.collect_events()
    with pytest.raises(Invalid, match="already closed: there is nothing to do"):
        calendar.close(P("2008/09"), None, "pat")
    with pytest.raises(Invalid, match="already closed, as part of 2008/09"):
        calendar.close(P("2008/09-Q2"), None, "pat")
    assert calendar.collect_events() == []


def test_there_is_one_calendar() -> None:
    assert Calendar.create_id() == Calendar.create_id("anything")
