"""The indicator and its pro forma (DOMAIN.md "Indicators"), revisions numbered from 1."""

from __future__ import annotations

from dataclasses import asdict, dataclass, replace
from decimal import Decimal
from typing import Any
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from ledger.domain.base import stable_id
from ledger.errors import Invalid
from ledger.hints import option
from ledger.values import Frequency, Polarity, Unit
from ledger.vocabulary import DEFAULT_REPORTING_LAG

IMMUTABLE_FIELDS = ("unit", "frequency")


@dataclass(frozen=True)
class ProForma:
    """Everything about an indicator except its code."""

    title: str
    unit: Unit
    polarity: Polarity
    frequency: Frequency
    definition: str | None = None
    method: str | None = None
    source: str | None = None
    decimals: int | None = None
    tracker: bool = False
    cumulative: bool = False
    tolerance: Decimal | None = None
    reporting_lag: int = DEFAULT_REPORTING_LAG
    rate_base: Decimal | None = None
    baseline: Decimal | None = None
    proxy_for: str | None = None
    outlier_threshold: Decimal | None = None  # PCT away from the history's mean that warns (None: no check)
    theme: str | None = None  # the report's grouping (e.g. an LAA block: "Environment")

    def problems(self) -> list[str]:
        """Every way this pro forma breaks the rules, each with its fix."""
        found: list[str] = []
        if not self.title.strip():
            found.append(f"{option('title')} must not be empty")
        if self.unit is Unit.RATE and (self.rate_base is None or self.rate_base <= 0):
            found.append(f"a rate needs {option('rate-base')} N (e.g. 1000 for 'per 1,000')")
        if self.unit is not Unit.RATE and self.rate_base is not None:
            found.append(f"{option('rate-base')} applies only to {option('unit')} rate")
        if self.tolerance is not None and not Decimal(0) <= self.tolerance <= Decimal(100):
            found.append(f"{option('tolerance')} {self.tolerance} is outside 0-100 (a percentage of the "
                         "target)")
        if self.decimals is not None and not 0 <= self.decimals <= 6:
            found.append(f"{option('decimals')} {self.decimals} is outside 0-6")
        if self.unit is Unit.COUNT and self.decimals not in (None, 0):
            found.append(f"a count has no decimal places: drop {option('decimals')} or use "
                         f"{option('unit')} number")
        if self.reporting_lag < 0:
            found.append(f"{option('reporting-lag')} is a number of days, 0 or more")
        if self.proxy_for is not None and self.frequency is Frequency.ANNUAL:
            found.append("a proxy gives in-year evidence: it cannot itself be annual")
        if self.unit is Unit.PERCENT and self.baseline is not None and not 0 <= self.baseline <= 100:
            found.append(f"{option('baseline')} {self.baseline} is outside 0-100 for a percentage")
        if self.outlier_threshold is not None and not Decimal(0) < self.outlier_threshold <= Decimal(1000):
            found.append(f"{option('outlier-threshold')} {self.outlier_threshold} is outside 0-1000 "
                         "(a percentage away from the mean of the indicator's history; above 0)")
        return found

    def as_event_fields(self) -> dict[str, Any]:
        return asdict(self)


class Indicator(Aggregate):
    TOPIC = "perfledger/Indicator"
    class_version = 1

    class Created(Aggregate.Created):
        TOPIC = "perfledger/Indicator.Created"

    @staticmethod
    def create_id(code: str) -> UUID:
        return stable_id("indicator", code)

    @classmethod
    def register(cls, code: str, pro_forma: ProForma, actor: str) -> Indicator:
        problems = pro_forma.problems()
        if problems:
            raise Invalid(f"{code}: " + "; ".join(problems))
        return cls(code=code, actor=actor, **pro_forma.as_event_fields())

    @event("Registered", topic="perfledger/Indicator.Registered")
    def __init__(
        self,
        code: str,
        actor: str,
        title: str,
        unit: Unit,
        polarity: Polarity,
        frequency: Frequency,
        definition: str | None,
        method: str | None,
        source: str | None,
        decimals: int | None,
        tracker: bool,
        cumulative: bool,
        tolerance: Decimal | None,
        reporting_lag: int,
        rate_base: Decimal | None,
        baseline: Decimal | None,
        proxy_for: str | None,
        outlier_threshold: Decimal | None = None,  # absent from events recorded before it existed
        theme: str | None = None,  # likewise
    ) -> None:
        self.code = code
        self.pro_forma = ProForma(
            title, unit, polarity, frequency, definition, method, source, decimals, tracker,
            cumulative, tolerance, reporting_lag, rate_base, baseline, proxy_for, outlier_threshold, theme,
        )
        self.revision = 1
        self.definition_revisions: list[int] = []  # revisions that changed the definition or method
        self.retired = False
        self.retired_reason: str | None = None

    # --- commands ------------------------------------------------------------
    def revise(self, changes: dict[str, Any], reason: str, actor: str) -> None:
        self._check_live()
        if not reason.strip():
            raise Invalid(f"{self.code}: a revision needs {option('reason')}")
        for name in IMMUTABLE_FIELDS:
            if name in changes and changes[name] != getattr(self.pro_forma, name):
                raise Invalid(
                    f"{self.code}: the {name} of an indicator cannot change (its returns would change "
                    "meaning): register a new indicator and retire this one"
                )
        effective = {k: v for k, v in changes.items() if getattr(self.pro_forma, k) != v}
        if not effective:
            raise Invalid(f"{self.code}: the revision changes nothing in the pro forma")
        proposed = replace(self.pro_forma, **effective)
        problems = proposed.problems()
        if problems:
            raise Invalid(f"{self.code}: " + "; ".join(problems))
        self._revised(changes=effective, revision=self.revision + 1, reason=reason.strip(), actor=actor)

    def retire(self, reason: str, actor: str) -> None:
        self._check_live()
        if not reason.strip():
            raise Invalid(f"{self.code}: retirement needs {option('reason')}")
        self._retired(reason=reason.strip(), actor=actor)

    def _check_live(self) -> None:
        if self.retired:
            raise Invalid(f"{self.code} was retired ({self.retired_reason}): it takes no further changes")

    # --- events --------------------------------------------------------------
    @event("Revised", topic="perfledger/Indicator.Revised")
    def _revised(self, changes: dict[str, Any], revision: int, reason: str, actor: str) -> None:
        self.pro_forma = replace(self.pro_forma, **changes)
        self.revision = revision
        if "definition" in changes or "method" in changes:
            self.definition_revisions.append(revision)

    @event("Retired", topic="perfledger/Indicator.Retired")
    def _retired(self, reason: str, actor: str) -> None:
        self.retired = True
        self.retired_reason = reason
