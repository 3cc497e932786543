"""The role table as data: every act has a description, and refusals read as English."""

from __future__ import annotations

import pytest

from ledger.values import Role
from policies import authorisation
from policies.authorisation import DESCRIPTIONS, GRANTS, Act


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
        (Act.PEOPLE, "enrol people or revoke roles"),
        (Act.INDICATOR_REGISTER, "register indicators"),
        (Act.RETURN_SUBMIT, "submit returns"),
        (Act.RETURN_FINALISE, "finalise returns"),
        (Act.PROJECTIONS_REBUILD, "rebuild the views"),
    ],
)
def test_acts_in_words(act: Act, words: str) -> None:
    assert authorisation.action(act) == words


def test_needs_says_the_role_or_one_of_the_roles() -> None:
    assert authorisation.needs(Act.PEOPLE) == "the role administrator"
    assert authorisation.needs(Act.RETURN_SUBMIT) == (
        "one of the roles administrator, improvement-manager, performance-support"
    )


def test_projections_rebuild_is_for_administrators_only() -> None:
    assert GRANTS[Act.PROJECTIONS_REBUILD] == frozenset({Role.ADMINISTRATOR})
    assert authorisation.may({Role.ADMINISTRATOR}, Act.PROJECTIONS_REBUILD)
    for role in set(Role) - {Role.ADMINISTRATOR}:
        assert not authorisation.may({role}, Act.PROJECTIONS_REBUILD), role


def test_every_act_is_in_the_role_table() -> None:
    assert set(GRANTS) == set(Act)
