"""An action in a plan (000 §3.7, §4.8, §4.16; 003 §2): SMART, with a lead, a deadline and progress,
for an indicator, a risk or an escalation case."""

from __future__ import annotations

from datetime import date
from typing import Any

from eventsourcing.domain import Aggregate, event

from ledger.domain.base import stable_id
from ledger.errors import Invalid
from ledger.hints import command, option

FOR_KINDS = ("indicator", "risk", "case")


def action_id(kind: str, target: str, title: str) -> str:
    """``AP-`` and eight hex digits, from what the action is for and its title (one per title)."""
    return "AP-" + stable_id("action", kind, target, " ".join(title.split()).casefold()).hex[:8]


class Action(Aggregate):
    TOPIC = "perfledger/Action"
    class_version = 1

    class Created(Aggregate.Created):
        TOPIC = "perfledger/Action.Created"

    @staticmethod
    def create_id(key: str) -> Any:
        return stable_id("action-id", key)

    @event("Added", topic="perfledger/Action.Added")
    def __init__(
        self,
        key: str,
        kind: str,
        target: str,
        indicator: str | None,
        title: str,
        lead: str,
        due: date,
        actor: str,
    ) -> None:
        self.key = key
        self.kind = kind
        self.target = target
        self.indicator = indicator  # the indicator it serves, where there is one (for the trail)
        self.title = title
        self.lead = lead
        self.due = due
        self.percent = 0
        self.completed = False

    def progress(self, percent: int, note: str, actor: str) -> None:
        self._check_open()
        if not 0 <= percent <= 100:
            raise Invalid(f"{option('percent')} {percent} is outside 0-100")
        if not note.strip():
            raise Invalid(f"progress on {self.key} needs {option('note')}: what was done")
        if percent == 100:
            raise Invalid(
                f"{self.key} at 100% is complete: use {command('action complete ' + self.key)} "
                f"{option('note')} T"
            )
        self._progressed(percent=percent, note=note.strip(), actor=actor)

    def complete(self, note: str, actor: str) -> None:
        self._check_open()
        if not note.strip():
            raise Invalid(f"completing {self.key} needs {option('note')}: what was achieved")
        self._completed(note=note.strip(), actor=actor)

    def _check_open(self) -> None:
        if self.completed:
            raise Invalid(f"{self.key} is complete: it takes no further progress")

    @event("Progressed", topic="perfledger/Action.Progressed")
    def _progressed(self, percent: int, note: str, actor: str) -> None:
        self.percent = percent

    @event("Completed", topic="perfledger/Action.Completed")
    def _completed(self, note: str, actor: str) -> None:
        self.percent = 100
        self.completed = True
