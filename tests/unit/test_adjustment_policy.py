"""The paperwork an adjustment request needs (000 §9.2.3), as a pure rule."""

from __future__ import annotations

from typing import Any

import pytest

from ledger.hints import options_in, plain
from policies.adjustment import REASONS, request_problems


def problems(reason: str | None = "error-correction", justification: str | None = "why",
             evidence: str | None = "ref", revision: int | None = None,
             definition_revisions: tuple[int, ...] = (), latest: int = 1) -> list[str]:
    """The problems in plain words (each names its option as 'reason', which the CLI words --reason)."""
    return [plain(p) for p in request_problems(reason, justification, evidence, revision,
                                               definition_revisions, latest)]


def test_the_reasons_are_the_fixed_list_of_cli_md() -> None:
    assert REASONS == ("national-source-revision", "definition-change", "category-change",
                       "error-correction", "late-data")


@pytest.mark.parametrize("reason", [r for r in REASONS if r != "definition-change"])
def test_a_request_in_order_has_no_problems(reason: str) -> None:
    assert problems(reason) == []


def test_every_problem_is_reported_not_just_the_first() -> None:
    found = problems(reason="typo", justification="", evidence=" ")
    assert len(found) == 3
    marked = request_problems("typo", "", " ", None, (), 1)
    assert [options_in(p)[0] for p in marked] == ["reason", "justification", "evidence"]
    assert found[0].startswith("'reason' 'typo' is not an adjustment reason")


@pytest.mark.parametrize(
    ("given", "fragment"),
    [
        ({"reason": None}, "'reason' is required"),
        ({"justification": None}, "'justification' is required"),
        ({"evidence": None}, "'evidence' is required"),
        ({"revision": 2, "latest": 2, "definition_revisions": (2,)}, "'revision' is evidence only for a "
                                                                      "definition-change"),
        ({"reason": "definition-change", "evidence": None}, "add 'revision' N"),
        ({"reason": "definition-change", "revision": 3, "latest": 2}, "'revision' 3 does not exist"),
        ({"reason": "definition-change", "revision": 0, "latest": 2}, "'revision' 0 does not exist"),
        ({"reason": "definition-change", "revision": 2, "latest": 3, "definition_revisions": (3,)},
         "'revision' 2 did not change the definition or method; revision(s) that did: 3"),
    ],
)
def test_each_missing_or_wrong_piece_is_named(given: dict[str, Any], fragment: str) -> None:
    assert any(fragment in p for p in problems(**given)), problems(**given)


def test_a_definition_change_is_evidenced_by_the_revision_that_changed_the_definition() -> None:
    assert problems("definition-change", evidence=None, revision=2, definition_revisions=(2,), latest=2) == []
