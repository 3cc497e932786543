"""The ladder in force, and each indicator's escalation cases (003 §3, 000 §4.16).

``Escalations`` holds every case of one indicator, so every decision about it (the
ladder's or a person's) is serialised by that one stream: two deciders acting at once
conflict on its version, and the retry finds the decision already made. ``CaseIndex``
maps a case id to its indicator; its id derives from the case id, so recording the same
case twice is an IntegrityError.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from ledger.domain.base import stable_id
from ledger.errors import Invalid
from ledger.hints import option
from ledger.values import Period
from ledger.vocabulary import LADDER_ACTS as LADDER_ACTS
from policies.ladder import Ladder, from_dict


class LadderInForce(Aggregate):
    TOPIC = "perfledger/Ladder"
    class_version = 1

    class Created(Aggregate.Created):
        TOPIC = "perfledger/Ladder.Created"

    @staticmethod
    def create_id(*_: Any) -> UUID:
        return stable_id("ladder")

    @event("Opened", topic="perfledger/Ladder.Opened")
    def __init__(self, actor: str | None = None) -> None:
        self.config: dict[str, Any] | None = None

    @property
    def ladder(self) -> Ladder | None:
        return from_dict(self.config) if self.config else None

    def adopt(self, ladder: Ladder, source: str, actor: str) -> None:
        current = self.ladder
        if current is not None and current.as_dict() == ladder.as_dict():
            raise Invalid(f"the {ladder.label} ladder is already in force: nothing to do")
        if current is not None and current.label == ladder.label:
            raise Invalid(f"a different {ladder.label} ladder is in force: give the new one another "
                          "version (version = N in the file)")
        self._adopted(label=ladder.label, config=ladder.as_dict(), source=source, actor=actor)

    @event("Adopted", topic="perfledger/Ladder.Adopted")
    def _adopted(self, label: str, config: dict[str, Any], source: str, actor: str) -> None:
        self.config = config


@dataclass
class Case:
    case_id: str
    stage: int
    due: date | None
    responded: bool = False
    closed: bool = False


# What the ladder writes by itself, on the authority of whoever adopted it (the events' actor),
# when someone else's change sets it off: on a signed ledger these carry that writer's signature.


class Escalations(Aggregate):
    TOPIC = "perfledger/Escalations"
    class_version = 1

    class Created(Aggregate.Created):
        TOPIC = "perfledger/Escalations.Created"

    @staticmethod
    def create_id(indicator: str) -> UUID:
        return stable_id("escalations", indicator)

    @event("Opened", topic="perfledger/Escalations.Opened")
    def __init__(self, indicator: str, actor: str | None = None) -> None:
        self.indicator = indicator
        self.cases: dict[str, Case] = {}
        self.open_case: str | None = None
        self.reviewed_through: Period | None = None

    @property
    def current(self) -> Case | None:
        return self.cases[self.open_case] if self.open_case else None

    def case(self, case_id: str) -> Case:
        return self.cases[case_id]

    # --- events ------------------------------------------------------------------------
    @event("CaseOpened", topic="perfledger/Escalations.CaseOpened")
    def open(self, case: str, stage: int, review: Period | None, trigger: str, due: date | None,
             ladder: str, requires: str, responder: str, actor: str) -> None:
        self.cases[case] = Case(case, stage, due)
        self.open_case = case
        if review is not None:
            self.reviewed_through = review

    @event("StageReached", topic="perfledger/Escalations.StageReached")
    def reach(self, case: str, stage: int, review: Period | None, trigger: str, due: date | None,
              ladder: str, requires: str, responder: str, actor: str) -> None:
        found = self.cases[case]
        found.stage, found.due, found.responded = stage, due, False
        if review is not None:
            self.reviewed_through = review

    def respond(self, case: str, note: str, plan: str | None, actor: str, actions: list[str] | None = None
                ) -> None:
        found = self.cases[case]
        if found.closed:
            raise Invalid(f"escalation {case} is closed: there is nothing to respond to")
        if not note.strip():
            raise Invalid(f"a response needs {option('note')}")
        self._responded(case=case, stage=found.stage, note=note.strip(), plan=plan, actor=actor,
                        actions=actions or None)

    @event("Responded", topic="perfledger/Escalations.Responded")
    def _responded(self, case: str, stage: int, note: str, plan: str | None, actor: str,
                   actions: list[str] | None = None) -> None:  # actions: absent from older events
        self.cases[case].responded = True

    @event("CaseClosed", topic="perfledger/Escalations.CaseClosed")
    def close(self, case: str, review: Period | None, note: str, actor: str) -> None:
        self.cases[case].closed = True
        self.open_case = None
        if review is not None:
            self.reviewed_through = review


class CaseIndex(Aggregate):
    """Case id -> indicator; created once per case (a second creation conflicts)."""

    TOPIC = "perfledger/EscalationCase"
    class_version = 1

    class Created(Aggregate.Created):
        TOPIC = "perfledger/EscalationCase.Created"

    @staticmethod
    def create_id(case: str) -> UUID:
        return stable_id("escalation-case", case)

    @event("Recorded", topic="perfledger/EscalationCase.Recorded")
    def __init__(self, case: str, indicator: str, actor: str) -> None:
        self.case = case
        self.indicator = indicator


def case_id(*parts: str) -> str:
    """A short id that the same trigger always gives (``E-`` and 8 hex digits)."""
    return "E-" + stable_id("escalation", *parts).hex[:8]
