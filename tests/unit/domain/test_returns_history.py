"""A return imported as history: the RecordedAsHistory event, and returns from before it existed."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from ledger.domain.returns import PeriodReturn
from ledger.values import Period, Status

Q1 = Period.parse("2007/08-Q4")


def test_a_return_is_not_history_unless_an_event_says_so() -> None:
    submitted: Any = PeriodReturn.submitted("NI 192", Q1, Decimal("35.1"), None, None, Status.FINAL, None,
                                            None, "bob")
    aggregate = submitted.mutate(None)
    assert aggregate.history is None  # as every return recorded before the event existed
    marked: Any = PeriodReturn.history_new("NI 192", Q1, date(2008, 6, 30), "bob", version=2)
    aggregate = marked.mutate(aggregate)
    assert (aggregate.history, aggregate.version, aggregate.value) == (date(2008, 6, 30), 2, Decimal("35.1"))
    assert type(marked).__name__ == "RecordedAsHistory"
