"""Who answers for one indicator (000 §10.9-10.12): organisations and people, over time.

A contributor is added to the list (and can be removed); every other designation has one
holder, and designating another ends the previous holder's span, with a reason.
"""

from __future__ import annotations

from uuid import UUID

from eventsourcing.domain import Aggregate, event

from ledger.domain.base import stable_id
from ledger.errors import Invalid
from ledger.hints import option
from policies.designation import ROLES


class Designations(Aggregate):
    TOPIC = "perfledger/Designations"
    class_version = 1

    class Created(Aggregate.Created):
        TOPIC = "perfledger/Designations.Created"

    @staticmethod
    def create_id(indicator: str) -> UUID:
        return stable_id("designations", indicator)

    @event("Opened", topic="perfledger/Designations.Opened")
    def __init__(self, indicator: str, actor: str | None = None) -> None:
        self.indicator = indicator
        self.held: dict[str, list[str]] = {}

    def holders(self, role: str) -> list[str]:
        return list(self.held.get(role, []))

    def designate(self, role: str, name: str, reason: str | None, actor: str) -> str | None:
        """Designate ``name``; returns the holder it replaces (None if none)."""
        name = name.strip()
        if role not in ROLES:
            raise Invalid(f"unknown designation {role!r}: use one of {', '.join(ROLES)}")
        if not name:
            raise Invalid(f"a designation needs {option('name')}")
        current = self.held.get(role, [])
        if name in current:
            raise Invalid(f"{name} is already designated {role} for {self.indicator}: nothing to do")
        previous = None if role == "contributor" or not current else current[0]
        if previous is not None and not (reason and reason.strip()):
            raise Invalid(f"{previous} is {role} for {self.indicator}: replacing them needs "
                          f"{option('reason')}")
        self._designated(role=role, name=name, previous=previous,
                         reason=reason.strip() if reason else None, actor=actor)
        return previous

    def remove_contributor(self, name: str, reason: str | None, actor: str) -> None:
        if name not in self.held.get("contributor", []):
            raise Invalid(f"{name} is not a contributor to {self.indicator}: nothing to remove")
        if not (reason and reason.strip()):
            raise Invalid(f"removing a contributor needs {option('reason')}")
        self._removed(role="contributor", name=name, reason=reason.strip(), actor=actor)

    @event("Designated", topic="perfledger/Designations.Designated")
    def _designated(self, role: str, name: str, previous: str | None, reason: str | None,
                    actor: str) -> None:
        if previous is None:
            self.held.setdefault(role, []).append(name)
        else:
            self.held[role] = [name]

    @event("Removed", topic="perfledger/Designations.Removed")
    def _removed(self, role: str, name: str, reason: str, actor: str) -> None:
        self.held[role].remove(name)
