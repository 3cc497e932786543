"""Deterministic ids are uuid5 over the natural key: stored ids must never change."""

from __future__ import annotations

from uuid import uuid5

import pytest

from ledger.domain.base import NAMESPACE, stable_id
from ledger.domain.returns import PeriodReturn
from ledger.values import Period


@pytest.mark.parametrize("parts", [("roster",), ("return", "NI 192", "2008/09-Q1"), ("indicator", "ÄÖ ü 7"),
                                   ("targets", ""), ("return", "a/b", "2008-04")])
def test_a_stable_id_is_uuid5_of_the_joined_key(parts: tuple[str, ...]) -> None:
    assert stable_id(*parts) == uuid5(NAMESPACE, "/".join(parts))


def test_a_return_keeps_the_id_it_was_stored_under() -> None:
    found = PeriodReturn.create_id("NI 192", Period.parse("2008/09-Q1"))
    assert found.hex == "ec49d6123ec656bab091564fdbabbfc6"
