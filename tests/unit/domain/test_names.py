"""Names that cannot be mistaken: normalised, nothing hidden, nothing confusable with the roster."""

from __future__ import annotations

import re

import pytest

from ledger.domain.names import mistaken_for, person_name
from ledger.domain.roster import Roster
from ledger.errors import Invalid
from ledger.values import Role


@pytest.mark.parametrize(("typed", "stored"), [
    ("  bob ", "bob"),
    ("Raj  Patel", "Raj Patel"),
    ("\uff42\uff4f\uff42", "bob"),  # full-width letters: NFKC makes them plain
    ("Ann\u00a0Jones", "Ann Jones"),  # a no-break space is a space
])
def test_names_are_normalised(typed: str, stored: str) -> None:
    assert person_name(typed) == stored


@pytest.mark.parametrize(("typed", "code"), [
    ("bob\u200b", "U+200B"),  # zero-width space
    ("b\u200dob", "U+200D"),  # zero-width joiner
    ("bob\u202e", "U+202E"),  # right-to-left override
    ("bo\tb", "U+0009"),
    ("bob\x00", "U+0000"),
])
def test_hidden_characters_are_refused_naming_the_character(typed: str, code: str) -> None:
    with pytest.raises(Invalid, match=re.escape(code)):
        person_name(typed)


@pytest.mark.parametrize("typed", ["Bob", "BOB", "b\u043eb", "b0b", "\u0184ob"])
def test_a_name_that_reads_like_one_on_the_roster_is_named(typed: str) -> None:
    assert mistaken_for(typed, ["alice", "bob"]) == "bob"


@pytest.mark.parametrize("typed", ["bobby", "rob", "dora", "bob"])
def test_distinct_names_and_the_same_name_are_not_confusable(typed: str) -> None:
    assert mistaken_for(typed, ["alice", "bob"]) in (None, "bob" if typed == "bob" else None)
    assert mistaken_for("bob", ["bob"]) is None  # the same person, not a second one


def roster() -> Roster:
    r = Roster(actor="alice")
    r.add("alice", [Role.ADMINISTRATOR], None, "alice")
    r.add("bob", [Role.IMPROVEMENT_MANAGER], None, "alice")
    return r


def test_the_roster_refuses_a_second_bob_that_prints_as_bob() -> None:
    r = roster()
    with pytest.raises(Invalid, match=re.escape("(U+200B ZERO WIDTH SPACE)")):
        r.add("bob\u200b", [Role.DATA_QUALITY_OFFICER], None, "alice")
    with pytest.raises(Invalid, match="could be mistaken for 'bob'"):
        r.add("b\u043eb", [Role.DATA_QUALITY_OFFICER], None, "alice")
    with pytest.raises(Invalid, match="could be mistaken for 'bob'"):
        r.add("Bob", [Role.DATA_QUALITY_OFFICER], None, "alice")
    assert sorted(r.people) == ["alice", "bob"]


def test_adding_a_role_to_the_same_person_by_a_normalised_spelling_still_works() -> None:
    r = roster()
    r.add(" bob ", [Role.DATA_QUALITY_OFFICER], None, "alice")
    assert r.roles_of("bob") == {Role.IMPROVEMENT_MANAGER, Role.DATA_QUALITY_OFFICER}
