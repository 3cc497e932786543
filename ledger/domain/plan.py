"""Plans and their priorities (001 R6-R7; 000 §3.1-3.3): the golden thread from the Community
Strategy and the LAA down to service plans, each priority with its basket of indicators.

A plan is added once (its kind, parent and span); a priority belongs to one plan and links
indicators into its basket and out of it again, each change an event, so the basket is readable
as at any date."""

from __future__ import annotations

from typing import Any

from eventsourcing.domain import Aggregate, event

from ledger.domain.base import stable_id
from ledger.errors import Invalid
from ledger.hints import command, option
from ledger.values import Period
from ledger.vocabulary import PLAN_KINDS


class Plan(Aggregate):
    TOPIC = "perfledger/Plan"
    class_version = 1

    class Created(Aggregate.Created):
        TOPIC = "perfledger/Plan.Created"

    @staticmethod
    def create_id(code: str) -> Any:
        return stable_id("plan", code)

    @event("Added", topic="perfledger/Plan.Added")
    def __init__(self, code: str, title: str, kind: str, parent: str | None, start: Period, until: Period,
                 actor: str) -> None:
        self.code = code
        self.title = title
        self.kind = kind
        self.parent = parent
        self.start = start
        self.until = until


def check_plan(code: str, title: str, kind: str, start: Period, until: Period) -> None:
    """A plan's own rules, before anything is looked up."""
    if not code.strip():
        raise Invalid("a plan needs a CODE, e.g. 'CP 2024'")
    if not title.strip():
        raise Invalid(f"a plan needs {option('title')}")
    if kind not in PLAN_KINDS:
        raise Invalid(f"{option('kind')} {kind!r} is not one of {', '.join(PLAN_KINDS)}")
    if until.end < start.start:
        raise Invalid(f"{option('until')} {until} is before {option('from')} {start}: a plan runs from its "
                      "first period to its last")


class Priority(Aggregate):
    TOPIC = "perfledger/Priority"
    class_version = 1

    class Created(Aggregate.Created):
        TOPIC = "perfledger/Priority.Created"

    @staticmethod
    def create_id(code: str) -> Any:
        return stable_id("priority", code)

    @event("Added", topic="perfledger/Priority.Added")
    def __init__(self, code: str, plan: str, title: str, theme: str | None, actor: str) -> None:
        self.code = code
        self.plan = plan
        self.title = title
        self.theme = theme
        self.basket: list[str] = []

    def link(self, indicators: list[str], actor: str) -> list[str]:
        """Add INDICATORS to the basket; returns those that were not in it already."""
        new = [code for code in dict.fromkeys(indicators) if code not in self.basket]
        if not new:
            raise Invalid(f"{', '.join(indicators)} already in the basket of {self.code}: see "
                          f"{command('priority list')}")
        self._linked(indicators=new, actor=actor)
        return new

    def unlink(self, indicators: list[str], reason: str, actor: str) -> None:
        absent = [code for code in indicators if code not in self.basket]
        if absent:
            raise Invalid(f"{', '.join(absent)} not in the basket of {self.code}: nothing to unlink")
        if not reason.strip():
            raise Invalid(f"taking indicators out of {self.code}'s basket needs {option('reason')}")
        self._unlinked(indicators=list(dict.fromkeys(indicators)), reason=reason.strip(), actor=actor)

    @event("Linked", topic="perfledger/Priority.Linked")
    def _linked(self, indicators: list[str], actor: str) -> None:
        self.basket.extend(indicators)

    @event("Unlinked", topic="perfledger/Priority.Unlinked")
    def _unlinked(self, indicators: list[str], reason: str, actor: str) -> None:
        self.basket = [code for code in self.basket if code not in indicators]
