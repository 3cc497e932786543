"""A refused attempt, kept as evidence (issue #6): who tried what, and which control refused it.

Only refusals by a control (permission, designation, separation of duties, a closed
period, a stale request) are recorded; malformed input and usage errors add nothing.
Each refusal is its own one-event aggregate.
"""

from __future__ import annotations

from uuid import UUID

from eventsourcing.domain import Aggregate, event

from ledger.domain.base import stable_id


class Refusal(Aggregate):
    TOPIC = "perfledger/Refusal"
    class_version = 1

    class Created(Aggregate.Created):
        TOPIC = "perfledger/Refusal.Created"

    @staticmethod
    def create_id(key: str) -> UUID:
        return stable_id("refusal", key)

    @event("Recorded", topic="perfledger/Refusal.Recorded")
    def __init__(self, key: str, act: str, arguments: list[str], control: str, message: str,
                 actor: str, indicator: str | None = None, period: str | None = None) -> None:
        self.key = key
        self.indicator = indicator  # what the attempt concerned, where it named one
        self.period = period
        self.act = act
        self.arguments = arguments
        self.control = control
        self.message = message


__all__ = ["Refusal"]
