"""Designations: who answers for one indicator, over time; contributors are a list, other roles one holder."""

from __future__ import annotations

import pytest

from ledger.domain.designations import Designations
from ledger.errors import Invalid
from policies.designation import ROLES


def given_designations() -> Designations:
    record = Designations(indicator="NI 192")
    record.collect_events()
    return record


def test_designations_open_for_one_indicator_with_nobody_designated() -> None:
    record = Designations(indicator="NI 192")
    [event] = record.collect_events()
    assert isinstance(event, Designations.Opened)
    assert all(record.holders(role) == [] for role in ROLES)
    assert record.id == Designations.create_id("NI 192") != Designations.create_id("NI 191")


def test_a_first_holder_is_designated_without_a_reason() -> None:
    record = given_designations()
    assert record.designate("improvement-manager", " bob ", None, "alice") is None
    [event] = record.collect_events()
    assert isinstance(event, Designations.Designated)
    assert (event.role, event.name, event.previous, event.reason, event.actor) == (
        "improvement-manager", "bob", None, None, "alice")
    assert record.holders("improvement-manager") == ["bob"]


def test_roles_are_held_independently() -> None:
    record = given_designations()
    record.designate("director", "Dr Ray", None, "alice")
    record.designate("lead-officer", "Sam", None, "alice")
    assert (record.holders("director"), record.holders("lead-officer")) == (["Dr Ray"], ["Sam"])
    assert record.holders("improvement-manager") == []


def test_replacing_a_holder_needs_a_reason() -> None:
    record = given_designations()
    record.designate("improvement-manager", "bob", None, "alice")
    record.collect_events()
    for reason in (None, "", "  "):
        with pytest.raises(Invalid) as missing:
            record.designate("improvement-manager", "carol", reason, "alice")
        assert missing.value.options == ["reason"]
        assert "bob is improvement-manager for NI 192" in str(missing.value)
    assert record.collect_events() == []
    assert record.holders("improvement-manager") == ["bob"]


def test_a_replacement_ends_the_previous_holder_and_names_them() -> None:
    record = given_designations()
    record.designate("improvement-manager", "bob", None, "alice")
    record.collect_events()
    assert record.designate("improvement-manager", "carol", " bob moved to housing ", "alice") == "bob"
    [event] = record.collect_events()
    assert (event.name, event.previous, event.reason) == ("carol", "bob", "bob moved to housing")
    assert record.holders("improvement-manager") == ["carol"]


def test_contributors_are_added_to_a_list_without_a_reason() -> None:
    record = given_designations()
    assert record.designate("contributor", "Halton BC", None, "alice") is None
    assert record.designate("contributor", "Cheshire Police", None, "alice") is None
    events = record.collect_events()
    assert [e.previous for e in events] == [None, None]
    assert record.holders("contributor") == ["Halton BC", "Cheshire Police"]


def test_a_contributor_is_removed_with_a_reason() -> None:
    record = given_designations()
    record.designate("contributor", "Halton BC", None, "alice")
    record.designate("contributor", "Cheshire Police", None, "alice")
    record.collect_events()
    with pytest.raises(Invalid) as missing:
        record.remove_contributor("Halton BC", " ", "alice")
    assert missing.value.options == ["reason"]
    with pytest.raises(Invalid) as unknown:
        record.remove_contributor("Widnes FC", "gone", "alice")
    assert "Widnes FC is not a contributor to NI 192" in str(unknown.value)
    assert record.collect_events() == []
    record.remove_contributor("Halton BC", " left the partnership ", "alice")
    [event] = record.collect_events()
    assert isinstance(event, Designations.Removed)
    assert (event.role, event.name, event.reason, event.actor) == (
        "contributor", "Halton BC", "left the partnership", "alice")
    assert record.holders("contributor") == ["Cheshire Police"]


def test_an_unknown_role_is_refused_naming_the_choices() -> None:
    record = given_designations()
    with pytest.raises(Invalid) as unknown:
        record.designate("chair", "bob", None, "alice")
    assert "unknown designation 'chair'" in str(unknown.value)
    assert all(role in str(unknown.value) for role in ROLES)
    assert record.collect_events() == []


def test_an_empty_name_is_refused() -> None:
    record = given_designations()
    with pytest.raises(Invalid) as missing:
        record.designate("director", "  ", None, "alice")
    assert missing.value.options == ["name"]
    assert record.collect_events() == []
    assert record.holders("director") == []


@pytest.mark.parametrize("role", ["director", "contributor"])
def test_designating_the_holder_again_is_refused(role: str) -> None:
    record = given_designations()
    record.designate(role, "Dr Ray", None, "alice")
    record.collect_events()
    with pytest.raises(Invalid) as again:
        record.designate(role, " Dr Ray ", "again", "alice")
    assert f"already designated {role}" in str(again.value)
    assert record.collect_events() == []
    assert record.holders(role) == ["Dr Ray"]
