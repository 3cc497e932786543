"""Refusal: a refused attempt kept as evidence - who tried what, and which control refused it."""

from __future__ import annotations

from ledger.domain.refusal import Refusal


def refusal(key: str = "k1") -> Refusal:
    return Refusal(key=key, act="adjust approve", arguments=["A-1"], control="separation-of-duties",
                   message="bob requested adjustment A-1 and may not approve it", actor="bob")


def test_a_refusal_records_who_tried_what_and_which_control_refused() -> None:
    refused = refusal()
    [event] = refused.collect_events()
    assert isinstance(event, Refusal.Recorded)
    assert (event.key, event.act, event.arguments, event.control, event.actor) == (
        "k1", "adjust approve", ["A-1"], "separation-of-duties", "bob")
    assert event.message == "bob requested adjustment A-1 and may not approve it"
    assert (refused.act, refused.arguments, refused.control) == ("adjust approve", ["A-1"], "separation-of-duties")


def test_each_refusal_has_its_own_id_from_its_key() -> None:
    assert refusal("k1").id == refusal("k1").id == Refusal.create_id("k1")
    assert refusal("k1").id != refusal("k2").id
