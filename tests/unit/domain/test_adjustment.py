"""Adjustment: requested, then decided once - and never by the person who requested it (four eyes)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from ledger.domain.adjustment import APPROVED, PENDING, REJECTED, WITHDRAWN, Adjustment, Item, adjustment_id
from ledger.errors import Invalid, Refused
from ledger.values import Period

Q1 = Period.parse("2008/09-Q1")
ITEM = Item(period=Q1, value=Decimal("36.80"), numerator=None, denominator=None, before=Decimal("36.40"),
            before_numerator=None, before_denominator=None, before_version=1)


def given_request(by: str = "bob") -> Adjustment:
    request = Adjustment(adjustment_id="A-1", indicator="NI 192", items=[ITEM.as_event()],
                         reason="error-correction", justification="double counted", evidence="WDF v2",
                         revision=None, actor=by)
    request.collect_events()
    return request


def test_a_request_records_what_it_restates_and_against_which_figure() -> None:
    request = Adjustment(adjustment_id="A-1", indicator="NI 192", items=[ITEM.as_event()],
                         reason="error-correction", justification="double counted", evidence="WDF v2",
                         revision=None, actor="bob")
    [event] = request.collect_events()
    assert isinstance(event, Adjustment.Requested)
    assert (event.indicator, event.reason, event.actor) == ("NI 192", "error-correction", "bob")
    assert request.items == [ITEM]
    assert (request.status, request.requested_by, request.decided_by) == (PENDING, "bob", None)


def test_someone_else_approves() -> None:
    request = given_request()
    request.approve("checked against the WDF return", "carol")
    [event] = request.collect_events()
    assert isinstance(event, Adjustment.Approved)
    assert (request.status, request.decided_by) == (APPROVED, "carol")


@pytest.mark.parametrize("decide", [lambda r: r.approve(None, "bob"), lambda r: r.reject("no", "bob")])
def test_the_requester_may_not_decide_their_own_request(decide) -> None:  # type: ignore[no-untyped-def]
    request = given_request(by="bob")
    with pytest.raises(Refused) as refused:
        decide(request)
    assert refused.value.control == "separation-of-duties"
    assert "bob requested adjustment A-1" in str(refused.value)
    assert request.collect_events() == []
    assert request.status == PENDING


def test_a_rejection_needs_a_note_and_keeps_it() -> None:
    request = given_request()
    with pytest.raises(Invalid) as missing:
        request.reject("  ", "carol")
    assert missing.value.options == ["note"]
    assert request.collect_events() == []
    request.reject(" the figure was right ", "carol")
    [event] = request.collect_events()
    assert (event.note, request.status, request.decided_by) == ("the figure was right", REJECTED, "carol")


def test_a_decided_request_cannot_be_decided_again() -> None:
    request = given_request()
    request.approve(None, "carol")
    request.collect_events()
    for again in (lambda: request.approve(None, "dan"), lambda: request.reject("x", "dan"),
                  lambda: request.withdraw(None, "bob")):
        with pytest.raises(Invalid, match="was already approved by carol"):
            again()
    assert request.collect_events() == []


def test_only_the_requester_withdraws() -> None:
    request = given_request(by="bob")
    with pytest.raises(Refused) as refused:
        request.withdraw(None, "carol")
    assert refused.value.control == "separation-of-duties"
    request.withdraw("no longer needed", "bob")
    [event] = request.collect_events()
    assert isinstance(event, Adjustment.Withdrawn)
    assert request.status == WITHDRAWN


def test_the_id_is_stable_for_the_same_request_and_moves_on_after_a_decision() -> None:
    first = adjustment_id("NI 192", [ITEM], "bob", 1)
    assert first == adjustment_id("NI 192", [ITEM], "bob", 1)
    assert first.startswith("A-")
    assert first != adjustment_id("NI 192", [ITEM], "bob", 2)
    assert first != adjustment_id("NI 192", [ITEM], "pat", 1)
    assert Adjustment.create_id(first) == Adjustment.create_id(first)
    assert Adjustment.create_id(first) != Adjustment.create_id("A-other")
