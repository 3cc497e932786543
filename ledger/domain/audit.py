"""The auditor's own acts (000 §9.3.4): qualifying an indicator's data, and drawing samples.

Both record what the auditor did and change no figure. A qualification is one
aggregate per indicator and financial year (qualifying it twice is refused: the
first reason stands in the trail). A sample is one aggregate per draw; its id
derives from everything the draw depends on (year, size, seed and the position
the population was read at), so the same draw is never recorded twice.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from ledger.domain.base import stable_id


class Qualification(Aggregate):
    TOPIC = "perfledger/Qualification"
    class_version = 1

    class Created(Aggregate.Created):
        TOPIC = "perfledger/Qualification.Created"

    @staticmethod
    def create_id(code: str, year: str) -> UUID:
        return stable_id("qualification", code, str(year))

    @event("Qualified", topic="perfledger/Audit.Qualified")
    def __init__(self, code: str, year: str, reason: str, actor: str) -> None:
        self.code = code
        self.year = year
        self.reason = reason
        self.qualified_by = actor


class Sample(Aggregate):
    TOPIC = "perfledger/Sample"
    class_version = 1

    class Created(Aggregate.Created):
        TOPIC = "perfledger/Sample.Created"

    @staticmethod
    def create_id(sample_id: str) -> UUID:
        return stable_id("sample", sample_id)

    @event("SampleDrawn", topic="perfledger/Audit.SampleDrawn")
    def __init__(
        self,
        sample_id: str,
        year: str,
        size: int,
        seed: str,
        seed_from_digest: bool,
        position: int,
        population: int,
        new: list[str],
        qualified: list[str],
        items: list[dict[str, Any]],
        actor: str,
    ) -> None:
        self.sample_id = sample_id
        self.year = year
        self.size = size
        self.seed = seed
        self.seed_from_digest = seed_from_digest
        self.position = position
        self.population = population
        self.new = new
        self.qualified = qualified
        self.items = items
        self.drawn_by = actor


def sample_id(year: str, size: int, seed: str, position: int) -> str:
    """A short id from everything the draw depends on: the same draw is the same sample."""
    return "S-" + stable_id("sample-key", year, str(size), seed, str(position)).hex[:8]


__all__ = ["Qualification", "Sample", "sample_id"]
