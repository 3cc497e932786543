"""The lead's own judgement of the year (assessed RAG, 003 §2), and in-year milestones."""

from __future__ import annotations

from datetime import date
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from ledger.domain.base import stable_id
from ledger.errors import Invalid
from ledger.hints import option
from ledger.values import Period
from ledger.vocabulary import MILESTONE_STATUSES, OUTLOOKS


class Outlook(Aggregate):
    """One indicator's assessed outlooks, year by year."""

    TOPIC = "perfledger/Outlook"
    class_version = 1

    class Created(Aggregate.Created):
        TOPIC = "perfledger/Outlook.Created"

    @staticmethod
    def create_id(indicator: str) -> UUID:
        return stable_id("outlook", indicator)

    @event("Opened", topic="perfledger/Outlook.Opened")
    def __init__(self, indicator: str, actor: str | None = None) -> None:
        self.indicator = indicator
        self.years: dict[Period, str] = {}

    def assess(self, year: Period, outlook: str, note: str, actor: str) -> None:
        if outlook not in OUTLOOKS:
            raise Invalid(f"unknown outlook {outlook!r}: use one of {', '.join(OUTLOOKS)}")
        if not note.strip():
            raise Invalid(f"an assessment needs {option('note')}: why the year's target is (or is "
                          "not) likely")
        self._assessed(year=year, outlook=outlook, note=note.strip(), actor=actor)

    @event("Assessed", topic="perfledger/Outlook.Assessed")
    def _assessed(self, year: Period, outlook: str, note: str, actor: str) -> None:
        self.years[year] = outlook


class Milestone(Aggregate):
    TOPIC = "perfledger/Milestone"
    class_version = 1

    class Created(Aggregate.Created):
        TOPIC = "perfledger/Milestone.Created"

    @staticmethod
    def create_id(milestone_id: str) -> UUID:
        return stable_id("milestone", milestone_id)

    @event("Added", topic="perfledger/Milestone.Added")
    def __init__(self, milestone_id: str, indicator: str, title: str, due: date, actor: str) -> None:
        self.milestone_id = milestone_id
        self.indicator = indicator
        self.title = title
        self.due = due
        self.status = "on-track"

    def progress(self, status: str, note: str, actor: str) -> None:
        if status not in MILESTONE_STATUSES:
            raise Invalid(f"unknown status {status!r}: use one of {', '.join(MILESTONE_STATUSES)}")
        if not note.strip():
            raise Invalid(f"progress needs {option('note')}")
        self._progressed(status=status, note=note.strip(), actor=actor)

    @event("Progressed", topic="perfledger/Milestone.Progressed")
    def _progressed(self, status: str, note: str, actor: str) -> None:
        self.status = status


def milestone_id(indicator: str, title: str, due: date) -> str:
    """A short, stable id: the same milestone added twice is the same milestone."""
    return "M-" + stable_id("milestone-key", indicator, title.strip().lower(), due.isoformat()).hex[:8]


__all__ = ["MILESTONE_STATUSES", "OUTLOOKS", "Milestone", "Outlook", "milestone_id"]
