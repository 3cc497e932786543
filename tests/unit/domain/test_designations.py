"""Designations: who answers for one indicator, over time; contributors are a list, other roles one holder."""

from __future__ import annotations

import pytest

from ledger.domain.designations import Designations
from ledger.errors import Invalid


def given_designations() -> Designations:
    record = Designations(indicator="NI 192")
    record.collect_events()
    return record


def test_a_first_holder_is_designated_without_a_reason() -> None:
    record = given_designations()
    assert record.designate("improvement-manager", " bob ", None, "alice") is None
    [event] = record.collect_events()
    assert isinstance(event, Designations.Designated)
    assert (event.role, event.name, event.previous, event.actor) == ("improvement-manager", "bob", None, "alice")
    assert record.holders("improvement-manager") == ["bob"]


def test_replacing_a_holder_needs_a_reason_and_names_who_was_replaced() -> None:
    record = given_designations()
    record.designate("improvement-manager", "bob", None, "alice")
    record.collect_events()
    with pytest.raises(Invalid) as missing:
        record.designate("improvement-manager", "carol", None, "alice")
    assert missing.value.options == ["reason"]
    assert record.collect_events() == []
    assert record.designate("improvement-manager", "carol", "bob moved to housing", "alice") == "bob"
    [event] = record.collect_events()
    assert (event.previous, event.reason) == ("bob", "bob moved to housing")
    assert record.holders("improvement-manager") == ["carol"]


def test_contributors_are_added_to_a_list_and_removed_with_a_reason() -> None:
    record = given_designations()
    record.designate("contributor", "Halton BC", None, "alice")
    record.designate("contributor", "Cheshire Police", None, "alice")
    assert record.holders("contributor") == ["Halton BC", "Cheshire Police"]
    record.collect_events()
    with pytest.raises(Invalid, match="removing a contributor needs"):
        record.remove_contributor("Halton BC", " ", "alice")
    with pytest.raises(Invalid, match="not a contributor"):
        record.remove_contributor("Widnes FC", "gone", "alice")
    record.remove_contributor("Halton BC", "left the partnership", "alice")
    [event] = record.collect_events()
    assert isinstance(event, Designations.Removed)
    assert record.holders("contributor") == ["Cheshire Police"]


@pytest.mark.parametrize(("role", "name", "words"), [
    ("chair", "bob", "unknown designation 'chair'"),
    ("director", "  ", "needs 'name'"),
])
def test_an_unknown_role_or_an_empty_name_is_refused(role: str, name: str, words: str) -> None:
    record = given_designations()
    with pytest.raises(Invalid, match=words):
        record.designate(role, name, None, "alice")
    assert record.collect_events() == []


def test_designating_the_holder_again_changes_nothing() -> None:
    record = given_designations()
    record.designate("director", "Dr Ray", None, "alice")
    record.collect_events()
    with pytest.raises(Invalid, match="already designated director"):
        record.designate("director", "Dr Ray", "again", "alice")
    assert record.collect_events() == []
