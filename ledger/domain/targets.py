"""Targets: per indicator per period, with monitoring level, tolerance and who agreed them.

One aggregate per indicator holds its whole target series, so every change keeps the
old value (the events) and a change to an agreed target can be checked for consent.
"""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal
from typing import Any
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from ledger.domain.base import stable_id
from ledger.errors import Invalid, Refused
from ledger.hints import option
from ledger.values import Period, Polarity, Target


def check_target(target: Target, polarity: Polarity) -> list[str]:
    """Every way a target breaks the rules for its indicator's polarity."""
    problems: list[str] = []
    if polarity is Polarity.RANGE and not target.is_range:
        problems.append("a range indicator takes a target LOW..HIGH (e.g. -1..1)")
    if polarity is not Polarity.RANGE and target.is_range:
        problems.append(f"LOW..HIGH targets are for range indicators; this one is {polarity.value}")
    if target.is_range and target.low is not None and target.high is not None and target.low > target.high:
        problems.append(f"the range {target.low}..{target.high} is upside down: write LOW..HIGH")
    if target.tolerance is not None and not Decimal(0) <= target.tolerance <= Decimal(100):
        problems.append(f"{option('tolerance')} {target.tolerance} is outside 0-100 (a percentage of the "
                        "target)")
    if target.is_range and target.monitoring_level is not None:
        problems.append("a range target takes a monitoring level LOW..HIGH containing it, not one value")
    if not target.is_range and target.monitoring_low is not None:
        problems.append("a monitoring level LOW..HIGH is for range targets: give one value")
    ml = target.monitoring_level
    if ml is not None and target.value is not None:
        if polarity is Polarity.HIGHER and ml > target.value:
            problems.append(f"{option('monitoring-level')} {ml} is above the target {target.value}: for a "
                            "higher-is-better indicator it must be at or below it")
        if polarity is Polarity.LOWER and ml < target.value:
            problems.append(f"{option('monitoring-level')} {ml} is below the target {target.value}: for a "
                            "lower-is-better indicator it must be at or above it")
    if target.monitoring_low is not None and target.is_range:
        assert target.low is not None
        assert target.high is not None
        assert target.monitoring_high is not None
        if target.monitoring_low > target.low or target.monitoring_high < target.high:
            problems.append("a range's monitoring level LOW..HIGH must contain the target range")
    if polarity is Polarity.NONE:
        problems.append("an indicator with no polarity cannot be rated: give it a polarity first")
    return problems


class TargetSeries(Aggregate):
    TOPIC = "perfledger/Targets"
    class_version = 1

    class Created(Aggregate.Created):
        TOPIC = "perfledger/Targets.Created"

    @staticmethod
    def create_id(indicator: str) -> UUID:
        return stable_id("targets", indicator)

    @event("Opened", topic="perfledger/Targets.Opened")
    def __init__(self, indicator: str, actor: str | None = None) -> None:
        self.indicator = indicator  # actor: who caused the opening (None in events before it was kept)
        self.targets: dict[Period, Target] = {}

    def set(self, period: Period, target: Target, consent: str | None, reason: str, actor: str) -> None:
        if not reason.strip():
            raise Invalid(f"a target change needs {option('reason')}")
        current = self.targets.get(period)
        if current is not None and current.agreed_with and target.agreed_with is None:
            # A changed agreed target stays agreed with the same body (unless another is named).
            target = replace(target, agreed_with=current.agreed_with)
        if current is not None and current == target:
            raise Invalid(f"{self.indicator} {period} already has exactly this target")
        if current is not None and current.agreed_with and not (consent and consent.strip()):
            raise Refused(
                f"the {period} target of {self.indicator} was agreed with {current.agreed_with}: "
                f"changing it needs their consent ({option('consent')} REF)",
                control="agreed-target",
            )
        values: dict[str, Any] = {k: getattr(target, k) for k in Target.__dataclass_fields__}
        self._set(period=period, consent=consent, reason=reason.strip(), actor=actor,
                  previous=current.text() if current else None, **values)

    @event("TargetSet", topic="perfledger/Targets.TargetSet")
    def _set(
        self,
        period: Period,
        value: Decimal | None,
        low: Decimal | None,
        high: Decimal | None,
        monitoring_level: Decimal | None,
        monitoring_low: Decimal | None,
        monitoring_high: Decimal | None,
        tolerance: Decimal | None,
        agreed_with: str | None,
        consent: str | None,
        previous: str | None,
        reason: str,
        actor: str,
    ) -> None:
        self.targets[period] = Target(value, low, high, monitoring_level, monitoring_low,
                                      monitoring_high, tolerance, agreed_with)
