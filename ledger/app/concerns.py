"""What a command naming a record by its id concerns: the indicator and period behind the id, so
that a refused `adjust approve ID` or `query resolve ID` is found in that indicator's trail."""

from __future__ import annotations

from typing import Any

from ledger.app.core import Core
from ledger.domain.adjustment import Adjustment
from ledger.domain.assessment import Milestone
from ledger.domain.escalation import CaseIndex
from ledger.domain.query import QueryRef

# the name of a command's id argument -> the aggregate it names
BY_ID: dict[str, type[Any]] = {
    "key": Adjustment, "query_id": QueryRef, "case": CaseIndex, "milestone_id": Milestone,
}


def concerned(core: Core, argument: str, key: str) -> tuple[str | None, str | None]:
    """(indicator, period) of the record named KEY by a command's ARGUMENT; (None, None) if unknown.
    An adjustment's period is given when it restates one period (a series names several)."""
    kind = BY_ID.get(argument)
    found = core.load(kind, key) if kind is not None else None
    if found is None:
        return None, None
    period = getattr(found, "period", None)
    if isinstance(found, Adjustment) and len(found.items) == 1:
        period = found.items[0].period
    return found.indicator, (str(period) if period is not None else None)
