"""Adjustment: requested, then decided once - and never by the person who requested it (four eyes)."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

import pytest

from ledger.domain.adjustment import APPROVED, PENDING, REJECTED, WITHDRAWN, Adjustment, Item, adjustment_id
from ledger.errors import Invalid, Refused
from ledger.values import Period

Q1 = Period.parse("2008/09-Q1")
Q2 = Period.parse("2008/09-Q2")
ITEM = Item(period=Q1, value=Decimal("36.80"), numerator=None, denominator=None, before=Decimal("36.40"),
            before_numerator=None, before_denominator=None, before_version=1)
LATE = Item(period=Q2, value=Decimal("37.10"), numerator=Decimal(371), denominator=Decimal(1000), before=None,
            before_numerator=None, before_denominator=None, before_version=0)

Decision = Callable[[Adjustment], None]


def request(by: str = "bob", items: list[Item] | None = None) -> Adjustment:
    return Adjustment(adjustment_id="A-1", indicator="NI 192", items=[i.as_event() for i in items or [ITEM]],
                      reason="error-correction", justification="double counted", evidence="WDF v2",
                      revision=None, actor=by)


def given_request(by: str = "bob") -> Adjustment:
    pending = request(by)
    pending.collect_events()
    return pending


def approve_by_carol(adjustment: Adjustment) -> None:
    adjustment.approve("checked", "carol")


def reject_by_carol(adjustment: Adjustment) -> None:
    adjustment.reject("the figure was right", "carol")


def withdraw_by_bob(adjustment: Adjustment) -> None:
    adjustment.withdraw("not needed", "bob")


class TestRequest:
    def test_a_request_records_what_it_restates_against_which_figure_and_who_asked(self) -> None:
        adjustment = request(by="bob")
        [event] = adjustment.collect_events()
        assert isinstance(event, Adjustment.Requested)
        assert (event.adjustment_id, event.indicator, event.reason, event.justification, event.evidence,
                event.actor) == ("A-1", "NI 192", "error-correction", "double counted", "WDF v2", "bob")
        assert adjustment.items == [ITEM]
        assert (adjustment.status, adjustment.requested_by, adjustment.decided_by) == (PENDING, "bob", None)

    def test_one_request_restates_a_whole_series_including_a_period_never_returned(self) -> None:
        adjustment = request(items=[ITEM, LATE])
        [event] = adjustment.collect_events()
        assert [item["period"] for item in event.items] == [Q1, Q2]
        assert adjustment.items == [ITEM, LATE]
        assert (adjustment.items[1].before, adjustment.items[1].before_version) == (None, 0)

    def test_an_item_survives_its_round_trip_through_an_event(self) -> None:
        assert Item.from_event(LATE.as_event()) == LATE


class TestDecision:
    def test_another_officer_approves_and_the_decision_names_them(self) -> None:
        adjustment = given_request(by="bob")
        adjustment.approve("checked against the WDF return", "carol")
        [event] = adjustment.collect_events()
        assert isinstance(event, Adjustment.Approved)
        assert (event.note, event.actor) == ("checked against the WDF return", "carol")
        assert (adjustment.status, adjustment.decided_by) == (APPROVED, "carol")

    def test_another_officer_rejects_with_a_note_which_is_kept_trimmed(self) -> None:
        adjustment = given_request(by="bob")
        adjustment.reject(" the figure was right ", "carol")
        [event] = adjustment.collect_events()
        assert isinstance(event, Adjustment.Rejected)
        assert (event.note, event.actor) == ("the figure was right", "carol")
        assert (adjustment.status, adjustment.decided_by) == (REJECTED, "carol")

    def test_a_requester_cannot_approve_their_own_adjustment(self) -> None:
        adjustment = given_request(by="bob")
        with pytest.raises(Refused) as refused:
            adjustment.approve("looks fine to me", "bob")
        assert refused.value.control == "separation-of-duties"
        assert "bob requested adjustment A-1 and may not approve it" in str(refused.value)
        assert adjustment.collect_events() == []
        assert (adjustment.status, adjustment.decided_by) == (PENDING, None)
        adjustment.approve(None, "carol")  # the request still awaits someone else
        assert adjustment.status == APPROVED

    def test_a_requester_cannot_reject_their_own_adjustment(self) -> None:
        adjustment = given_request(by="bob")
        with pytest.raises(Refused) as refused:
            adjustment.reject("changed my mind", "bob")
        assert refused.value.control == "separation-of-duties"
        assert "may not reject it" in str(refused.value)
        assert adjustment.collect_events() == []
        assert adjustment.status == PENDING

    @pytest.mark.parametrize("note", ["", "   "])
    def test_a_rejection_needs_a_note(self, note: str) -> None:
        adjustment = given_request()
        with pytest.raises(Invalid) as missing:
            adjustment.reject(note, "carol")
        assert missing.value.options == ["note"]
        assert adjustment.collect_events() == []
        assert adjustment.status == PENDING

    @pytest.mark.parametrize(("first", "status", "by"), [
        (approve_by_carol, APPROVED, "carol"),
        (reject_by_carol, REJECTED, "carol"),
        (withdraw_by_bob, WITHDRAWN, "bob"),
    ])
    @pytest.mark.parametrize("again", [approve_by_carol, reject_by_carol, withdraw_by_bob,
                                       lambda a: a.approve(None, "dan")])
    def test_a_decided_request_cannot_be_decided_again(
            self, first: Decision, status: str, by: str, again: Decision) -> None:
        adjustment = given_request(by="bob")
        first(adjustment)
        adjustment.collect_events()
        with pytest.raises(Invalid) as decided:
            again(adjustment)
        assert f"was already {status} by {by}" in str(decided.value)
        assert "a new request is needed" in str(decided.value)
        assert adjustment.collect_events() == []
        assert (adjustment.status, adjustment.decided_by) == (status, by)


class TestWithdrawal:
    def test_the_requester_withdraws_their_own_request(self) -> None:
        adjustment = given_request(by="bob")
        adjustment.withdraw("no longer needed", "bob")
        [event] = adjustment.collect_events()
        assert isinstance(event, Adjustment.Withdrawn)
        assert (event.note, event.actor) == ("no longer needed", "bob")
        assert (adjustment.status, adjustment.decided_by) == (WITHDRAWN, "bob")

    def test_nobody_else_may_withdraw_it(self) -> None:
        adjustment = given_request(by="bob")
        with pytest.raises(Refused) as refused:
            adjustment.withdraw(None, "carol")
        assert refused.value.control == "separation-of-duties"
        assert "only its requester, bob, may withdraw it" in str(refused.value)
        assert adjustment.collect_events() == []
        assert adjustment.status == PENDING


class TestIds:
    def test_the_same_request_has_the_same_id_and_a_new_attempt_another(self) -> None:
        first = adjustment_id("NI 192", [ITEM], "bob", 1)
        assert first == adjustment_id("NI 192", [ITEM], "bob", 1)
        assert first.startswith("A-")
        assert len(first) == len("A-") + 8
        others = {
            adjustment_id("NI 192", [ITEM], "bob", 2),  # after a decision
            adjustment_id("NI 192", [ITEM], "pat", 1),  # another requester
            adjustment_id("NI 191", [ITEM], "bob", 1),  # another indicator
            adjustment_id("NI 192", [ITEM, LATE], "bob", 1),  # more periods
            adjustment_id("NI 192", [Item(**{**vars(ITEM), "value": Decimal(37)})], "bob", 1),
            adjustment_id("NI 192", [Item(**{**vars(ITEM), "before_version": 2})], "bob", 1),  # staler base
        }
        assert first not in others
        assert len(others) == 6

    def test_the_aggregate_id_follows_the_adjustment_id(self) -> None:
        assert request().id == Adjustment.create_id("A-1")
        assert Adjustment.create_id("A-1") == Adjustment.create_id("A-1")
        assert Adjustment.create_id("A-1") != Adjustment.create_id("A-2")
