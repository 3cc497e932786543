"""The ledger itself: created once by ``init``; holds ledger-wide settings."""

from __future__ import annotations

from decimal import Decimal
from typing import Any
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from ledger.domain.base import stable_id


class Ledger(Aggregate):
    TOPIC = "perfledger/Ledger"
    class_version = 1

    class Created(Aggregate.Created):
        TOPIC = "perfledger/Ledger.Created"

    @staticmethod
    def create_id(*_: Any) -> UUID:
        return stable_id("ledger")

    @event("Initialised", topic="perfledger/Ledger.Initialised")
    def __init__(self, actor: str, administrator: str, tolerance: Decimal, demo: bool) -> None:
        self.actor = actor
        self.administrator = administrator
        self.tolerance = tolerance
        self.demo = demo
