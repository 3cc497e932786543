"""Ledger: created once by init, with its administrator and the ledger-wide rating rules."""

from __future__ import annotations

from decimal import Decimal

import pytest

from ledger.domain.ledger_settings import Ledger
from ledger.errors import Invalid
from ledger.values import Period

Q1 = Period.parse("2008/09-Q1")
Q3 = Period.parse("2008/09-Q3")


def given_ledger() -> Ledger:
    ledger = Ledger(actor="alice", administrator="alice", tolerance=Decimal(5), demo=False)
    ledger.collect_events()
    return ledger


def test_the_ledger_starts_with_its_administrator_and_default_tolerance() -> None:
    ledger = Ledger(actor="root", administrator="alice", tolerance=Decimal(5), demo=True)
    [event] = ledger.collect_events()
    assert isinstance(event, Ledger.Initialised)
    assert (event.actor, event.administrator, event.tolerance, event.demo) == ("root", "alice", Decimal(5), True)
    assert (ledger.administrator, ledger.tolerance, ledger.demo) == ("alice", Decimal(5), True)
    assert ledger.rules == [(None, Decimal(5))]


def test_there_is_one_ledger() -> None:
    assert given_ledger().id == Ledger.create_id() == Ledger.create_id("anything")


def test_a_rating_rule_change_is_kept_beside_the_earlier_ones() -> None:
    ledger = given_ledger()
    ledger.change_default(Decimal(10), Q1, " Cabinet asked for a wider band ", "alice")
    ledger.change_default(Decimal(0), Q3, "no band from Q3", "alice")
    first, second = ledger.collect_events()
    assert isinstance(first, Ledger.RagDefaultChanged)
    assert (first.tolerance, first.from_period, first.reason, first.actor) == (
        Decimal(10), Q1, "Cabinet asked for a wider band", "alice")
    assert (second.tolerance, second.from_period) == (Decimal(0), Q3)
    assert ledger.rules == [(None, Decimal(5)), (Q1, Decimal(10)), (Q3, Decimal(0))]


@pytest.mark.parametrize("tolerance", [Decimal(0), Decimal(100), Decimal("12.5")])
def test_a_tolerance_from_0_to_100_is_accepted(tolerance: Decimal) -> None:
    ledger = given_ledger()
    ledger.change_default(tolerance, None, "policy", "alice")
    assert ledger.rules[-1] == (None, tolerance)


@pytest.mark.parametrize("tolerance", [Decimal(101), Decimal("-0.1")])
def test_a_tolerance_outside_0_100_is_refused(tolerance: Decimal) -> None:
    ledger = given_ledger()
    with pytest.raises(Invalid) as refused:
        ledger.change_default(tolerance, None, "x", "alice")
    assert refused.value.options == ["tolerance"]
    assert "outside 0-100" in str(refused.value)
    assert ledger.collect_events() == []
    assert ledger.rules == [(None, Decimal(5))]


@pytest.mark.parametrize("reason", ["", "   "])
def test_a_rating_rule_change_needs_a_reason(reason: str) -> None:
    ledger = given_ledger()
    with pytest.raises(Invalid) as refused:
        ledger.change_default(Decimal(10), Q1, reason, "alice")
    assert refused.value.options == ["reason"]
    assert ledger.collect_events() == []
    assert ledger.rules == [(None, Decimal(5))]
