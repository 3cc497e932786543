"""A retrospective adjustment (000 §9.2.3): requested, then approved, rejected or withdrawn.

One request may restate one period or a whole series (a national source re-basing
it): one request, one decision. The request records, for each period, the figure
it restates and that return's version, so approval can refuse a stale request.
Approval itself is recorded here; the restated figures are recorded on the
returns, in the same transaction (see ``ledger.app.adjustments``).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from ledger.domain.base import stable_id
from ledger.errors import Invalid, Refused
from ledger.hints import option
from ledger.values import Period
from ledger.vocabulary import ADJUSTMENT_STATUSES as STATUSES
from ledger.vocabulary import APPROVED, PENDING, REJECTED, WITHDRAWN


@dataclass(frozen=True)
class Item:
    """One period's restatement: the new figure, and the figure (and version) it replaces."""

    period: Period
    value: Decimal
    numerator: Decimal | None
    denominator: Decimal | None
    before: Decimal | None  # None: no return was ever received (late data)
    before_numerator: Decimal | None
    before_denominator: Decimal | None
    before_version: int  # the return's version when requested; 0 when there was none

    def as_event(self) -> dict[str, Any]:
        return dict(vars(self))

    @classmethod
    def from_event(cls, data: dict[str, Any]) -> Item:
        return cls(**data)


class Adjustment(Aggregate):
    TOPIC = "perfledger/Adjustment"
    class_version = 1

    class Created(Aggregate.Created):
        TOPIC = "perfledger/Adjustment.Created"

    @staticmethod
    def create_id(adjustment_id: str) -> UUID:
        return stable_id("adjustment", adjustment_id)

    @event("Requested", topic="perfledger/Adjustment.Requested")
    def __init__(
        self,
        adjustment_id: str,
        indicator: str,
        items: list[dict[str, Any]],
        reason: str,
        justification: str,
        evidence: str | None,
        revision: int | None,
        actor: str,
    ) -> None:
        self.adjustment_id = adjustment_id
        self.indicator = indicator
        self.items = [Item.from_event(i) for i in items]
        self.reason = reason
        self.justification = justification
        self.evidence = evidence
        self.revision = revision
        self.requested_by = actor
        self.status = PENDING
        self.decided_by: str | None = None

    def check_pending(self, verb: str) -> None:
        """Refuse unless the request is still pending (a decided request needs a new one)."""
        if self.status != PENDING:
            who = f" by {self.decided_by}" if self.decided_by else ""
            raise Invalid(f"adjustment {self.adjustment_id} was already {self.status}{who}: "
                          f"it cannot be {verb} (a new request is needed)")

    def _check_not_requester(self, actor: str, verb: str) -> None:
        if actor == self.requested_by:
            raise Refused(
                f"{actor} requested adjustment {self.adjustment_id} and may not {verb} it: "
                "another data-quality officer or performance support must decide (000 §9.2.3)",
                control="separation-of-duties",
            )

    def approve(self, note: str | None, actor: str) -> None:
        self.check_pending("approved")
        self._check_not_requester(actor, "approve")
        self._approved(note=note, actor=actor)

    def reject(self, note: str, actor: str) -> None:
        self.check_pending("rejected")
        self._check_not_requester(actor, "reject")
        if not note.strip():
            raise Invalid(f"a rejection needs {option('note')}: say why, for the requester and the "
                          "audit trail")
        self._rejected(note=note.strip(), actor=actor)

    def withdraw(self, note: str | None, actor: str) -> None:
        self.check_pending("withdrawn")
        if actor != self.requested_by:
            raise Refused(
                f"{actor} may not withdraw adjustment {self.adjustment_id}: only its requester, "
                f"{self.requested_by}, may withdraw it",
                control="separation-of-duties",
            )
        self._withdrawn(note=note, actor=actor)

    @event("Approved", topic="perfledger/Adjustment.Approved")
    def _approved(self, note: str | None, actor: str) -> None:
        self.status = APPROVED
        self.decided_by = actor

    @event("Rejected", topic="perfledger/Adjustment.Rejected")
    def _rejected(self, note: str, actor: str) -> None:
        self.status = REJECTED
        self.decided_by = actor

    @event("Withdrawn", topic="perfledger/Adjustment.Withdrawn")
    def _withdrawn(self, note: str | None, actor: str) -> None:
        self.status = WITHDRAWN
        self.decided_by = actor


def adjustment_id(indicator: str, items: list[Item], requested_by: str, attempt: int) -> str:
    """A short, stable id from what the request restates, against which figures, and by whom.

    The same request made twice while the first is pending is the same request; after a
    decision, ``attempt`` moves on so an identical request can be made again.
    """
    key = [indicator, requested_by, str(attempt)]
    for item in items:
        key += [str(item.period), str(item.value), str(item.numerator), str(item.denominator),
                str(item.before_version)]
    return "A-" + stable_id("adjustment-key", *key).hex[:8]


__all__ = ["APPROVED", "PENDING", "REJECTED", "STATUSES", "WITHDRAWN", "Adjustment", "Item",
           "adjustment_id"]
