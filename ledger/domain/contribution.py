"""A contributing organisation's part in an indicator (000 §10.10): its own contribution target
and its returns, reported to the lead, who sees them beside the total. One aggregate per
(indicator, organisation); every value kept."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from eventsourcing.domain import Aggregate, event

from ledger.domain.base import stable_id
from ledger.errors import Invalid
from ledger.hints import option
from ledger.values import Period


class Contribution(Aggregate):
    TOPIC = "perfledger/Contribution"
    class_version = 1

    class Created(Aggregate.Created):
        TOPIC = "perfledger/Contribution.Created"

    @staticmethod
    def create_id(indicator: str, organisation: str) -> Any:
        return stable_id("contribution", indicator, organisation)

    @event("Opened", topic="perfledger/Contribution.Opened")
    def __init__(self, indicator: str, organisation: str, actor: str) -> None:
        self.indicator = indicator
        self.organisation = organisation
        self.targets: dict[Period, Decimal] = {}
        self.returns: dict[Period, Decimal] = {}

    def set_target(self, period: Period, value: Decimal, reason: str, actor: str) -> None:
        if not reason.strip():
            raise Invalid(f"a contribution target needs {option('reason')}: what was agreed with the lead")
        if self.targets.get(period) == value:
            raise Invalid(
                f"{self.organisation}'s {period} contribution target to {self.indicator} is already {value}"
            )
        previous = self.targets.get(period)
        self._target_set(
            indicator=self.indicator,
            organisation=self.organisation,
            period=period,
            value=value,
            previous=None if previous is None else str(previous),
            reason=reason.strip(),
            actor=actor,
        )

    def report(self, period: Period, value: Decimal, commentary: str | None, actor: str) -> None:
        if self.returns.get(period) == value:
            raise Invalid(f"{self.organisation} already reported {value} for {self.indicator} {period}")
        previous = self.returns.get(period)
        self._returned(
            indicator=self.indicator,
            organisation=self.organisation,
            period=period,
            value=value,
            previous=None if previous is None else str(previous),
            commentary=commentary.strip() if commentary and commentary.strip() else None,
            actor=actor,
        )

    @event("TargetSet", topic="perfledger/Contribution.TargetSet")
    def _target_set(
        self,
        indicator: str,
        organisation: str,
        period: Period,
        value: Decimal,
        previous: str | None,
        reason: str,
        actor: str,
    ) -> None:
        self.targets[period] = value

    @event("Returned", topic="perfledger/Contribution.Returned")
    def _returned(
        self,
        indicator: str,
        organisation: str,
        period: Period,
        value: Decimal,
        previous: str | None,
        commentary: str | None,
        actor: str,
    ) -> None:
        self.returns[period] = value
