"""Who did it, proven, from the command line: names that cannot be mistaken, personal signing
keys on a signed ledger, and (PostgreSQL) the actor bound to the database login."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from tests.e2e.harness import Perfledger, adjusting_partnership, refused


@pytest.fixture
def pl(clone_of: Callable[[Callable[[str], Perfledger]], Perfledger]) -> Perfledger:
    return clone_of(adjusting_partnership)


@pytest.mark.parametrize(("name", "fragment"), [
    ("bob\u200b", "(U+200B ZERO WIDTH SPACE): type the name without it"),
    ("b\u043eb", "'b\u043eb' could be mistaken for 'bob', who is already on the roster"),
    ("Bob", "'Bob' could be mistaken for 'bob', who is already on the roster"),
])
def test_a_second_bob_who_prints_as_bob_cannot_be_enrolled(pl: Perfledger, name: str, fragment: str) -> None:
    before = pl.digest()
    refused(pl("people", "add", name, "--role", "data-quality-officer"), 1, fragment)
    assert pl.digest() == before  # nothing written


def test_a_name_is_stored_normalised(pl: Perfledger) -> None:
    pl.ok("people", "add", "  Raj   Patel ", "--role", "auditor")
    listed = pl.ok("people", "list", "--format", "csv").stdout
    assert "\nRaj Patel," in listed
    refused(pl("people", "add", "raj patel", "--role", "viewer"), 1, "could be mistaken for 'Raj Patel'")
