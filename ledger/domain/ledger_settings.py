"""The ledger itself: created once by ``init``; holds ledger-wide settings."""

from __future__ import annotations

from decimal import Decimal
from typing import Any
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from ledger.domain.base import stable_id
from ledger.errors import Invalid
from ledger.hints import option
from ledger.values import Period

CLAIMED = "claimed"  # the actor is whoever --actor names (unless logins are bound)
SIGNED = "signed"  # a person with an enrolled key signs every write
IDENTITY_CHANGED = "perfledger/Ledger.IdentityChanged"


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
        self.rules: list[tuple[Period | None, Decimal]] = [(None, tolerance)]
        self.identity = CLAIMED

    def require_signatures(self, reason: str, actor: str) -> None:
        """From here on, every write by a person with an enrolled key must carry their signature."""
        if self.identity == SIGNED:
            raise Invalid("this ledger already requires signed identity: nothing to change")
        if not reason.strip():
            raise Invalid(f"changing the ledger's identity mode needs {option('reason')}")
        self._identity_changed(mode=SIGNED, reason=reason.strip(), actor=actor)

    @event("IdentityChanged", topic=IDENTITY_CHANGED)
    def _identity_changed(self, mode: str, reason: str, actor: str) -> None:
        self.identity = mode

    def change_default(self, tolerance: Decimal, from_period: Period | None, reason: str,
                       actor: str) -> None:
        """The ledger-wide amber band, from a period on (default: all periods)."""
        if not Decimal(0) <= tolerance <= Decimal(100):
            raise Invalid(f"{option('tolerance')} {tolerance} is outside 0-100 (a percentage of the target)")
        if not reason.strip():
            raise Invalid(f"a change to the rating rules needs {option('reason')}")
        self._default_changed(tolerance=tolerance, from_period=from_period, reason=reason.strip(),
                              actor=actor)

    @event("RagDefaultChanged", topic="perfledger/Ledger.RagDefaultChanged")
    def _default_changed(self, tolerance: Decimal, from_period: Period | None, reason: str,
                         actor: str) -> None:
        self.rules.append((from_period, tolerance))
