"""The ledger-wide calendar of closed periods (``period close``); there is no reopen."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from ledger.domain.base import stable_id
from ledger.errors import Invalid
from ledger.values import Period


class Calendar(Aggregate):
    TOPIC = "perfledger/Calendar"
    class_version = 1

    class Created(Aggregate.Created):
        TOPIC = "perfledger/Calendar.Created"

    @staticmethod
    def create_id(*_: Any) -> UUID:
        return stable_id("calendar")

    @event("Opened", topic="perfledger/Calendar.Opened")
    def __init__(self, actor: str | None = None) -> None:
        self.closed: list[Period] = []

    def is_closed(self, period: Period) -> bool:
        """Closing P closes P and every finer period inside it."""
        return any(c.contains(period) for c in self.closed)

    def close(self, period: Period, note: str | None, actor: str) -> None:
        if period in self.closed:
            raise Invalid(f"{period} is already closed: there is nothing to do (and no reopen)")
        if self.is_closed(period):
            covering = next(c for c in self.closed if c.contains(period))
            raise Invalid(f"{period} is already closed, as part of {covering}")
        self._closed(period=period, note=note, actor=actor)

    @event("PeriodClosed", topic="perfledger/Calendar.PeriodClosed")
    def _closed(self, period: Period, note: str | None, actor: str) -> None:
        self.closed.append(period)
