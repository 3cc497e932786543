"""The role table as data: every act has a description, and refusals read as English."""

from __future__ import annotations

import pytest

from ledger.values import Role
from policies import authorisation
from policies.authorisation import DESCRIPTIONS, GRANTS


def test_every_act_has_a_description() -> None:
    assert set(DESCRIPTIONS) == set(GRANTS)
    for act, text in DESCRIPTIONS.items():
        assert text, act
        assert text == text.strip(), act
        assert not text.endswith("."), act
        assert text[0].islower(), act  # it follows "bob may not ..."


@pytest.mark.parametrize(
    ("act", "words"),
    [
        ("people", "enrol people or revoke roles"),
        ("indicator register", "register indicators"),
        ("return submit", "submit returns"),
        ("return finalise", "finalise returns"),
        ("projections rebuild", "rebuild the views"),
    ],
)
def test_acts_in_words(act: str, words: str) -> None:
    assert authorisation.action(act) == words


def test_needs_says_the_role_or_one_of_the_roles() -> None:
    assert authorisation.needs("people") == "the role administrator"
    assert authorisation.needs("return submit") == (
        "one of the roles administrator, improvement-manager, performance-support"
    )


def test_projections_rebuild_is_for_administrators_only() -> None:
    assert GRANTS["projections rebuild"] == frozenset({Role.ADMINISTRATOR})
    assert authorisation.may({Role.ADMINISTRATOR}, "projections rebuild")
    for role in set(Role) - {Role.ADMINISTRATOR}:
        assert not authorisation.may({role}, "projections rebuild"), role
