"""The return of one indicator for one period: value, parts, status, and its revisions."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any
from uuid import UUID

from eventsourcing.domain import Aggregate, event
from eventsourcing.utils import get_topic

from ledger.domain.base import stable_id
from ledger.errors import Invalid, Refused
from ledger.hints import command, option
from ledger.values import Period, Status


class PeriodReturn(Aggregate):
    TOPIC = "perfledger/Return"
    class_version = 1

    class Created(Aggregate.Created):
        TOPIC = "perfledger/Return.Created"

    @staticmethod
    def create_id(indicator: str, period: Any) -> UUID:
        return stable_id("return", indicator, str(period))

    @event("Submitted", topic="perfledger/Return.Submitted")
    def __init__(
        self,
        indicator: str,
        period: Period,
        value: Decimal,
        numerator: Decimal | None,
        denominator: Decimal | None,
        status: Status,
        commentary: str | None,
        source: str | None,
        actor: str,
    ) -> None:
        self.indicator = indicator
        self.period = period
        self.value = value
        self.numerator = numerator
        self.denominator = denominator
        self.status = status
        self.commentary = commentary
        self.source = source
        self.revision = 1
        self.figure_by = {actor}  # who gave a figure (submitted or revised): never its validator
        self.validated_revision: int | None = None
        self.warnings: list[str] = []
        self.queries: dict[str, str] = {}  # query id -> "open" | "resolved"
        self.query_notes: dict[str, str] = {}  # query id -> what is in doubt
        self.reported_in: str | None = None  # the SHA-256 of the first issued report that showed it
        self.history: date | None = None  # imported as history: the date of the record it came from

    @classmethod
    def submitted(cls, indicator: str, period: Period, value: Decimal, numerator: Decimal | None,
                  denominator: Decimal | None, status: Status, commentary: str | None,
                  source: str | None, actor: str) -> Any:
        """The Submitted event of a NEW return, without materialising the aggregate.

        For bulk import: the same event ``PeriodReturn(...)`` would record, at a third of
        the cost. The caller must know that no return exists yet for the period.
        """
        event_class: Any = cls.Submitted  # type: ignore[attr-defined]
        return event_class(
            originator_id=cls.create_id(indicator, period), originator_version=1,
            timestamp=event_class.create_timestamp(), originator_topic=get_topic(cls),
            indicator=indicator, period=period, value=value, numerator=numerator,
            denominator=denominator, status=status, commentary=commentary, source=source,
            actor=actor,
        )

    @classmethod
    def warned_new(cls, indicator: str, period: Period, warnings: list[str], commentary: str | None,
                   actor: str) -> Any:
        """The Warned event that follows ``submitted`` (version 2) for a NEW return (bulk import)."""
        event_class: Any = cls.Warned  # type: ignore[attr-defined]
        return event_class(
            originator_id=cls.create_id(indicator, period), originator_version=2,
            timestamp=event_class.create_timestamp(), warnings=warnings, commentary=commentary,
            actor=actor, revision=1,
        )

    @classmethod
    def history_new(cls, indicator: str, period: Period, source_date: date, actor: str, version: int) -> Any:
        """The RecordedAsHistory event that follows a NEW return's Submitted (and Warned) event in
        a history import: the figure was back-filled from a record dated ``source_date``."""
        event_class: Any = cls.RecordedAsHistory  # type: ignore[attr-defined]
        return event_class(
            originator_id=cls.create_id(indicator, period), originator_version=version,
            timestamp=event_class.create_timestamp(), source_date=source_date, actor=actor,
        )

    @event("RecordedAsHistory", topic="perfledger/Return.RecordedAsHistory")
    def _recorded_as_history(self, source_date: date, actor: str) -> None:
        self.history = source_date

    # --- data quality ----------------------------------------------------------
    def open_queries(self) -> list[str]:
        return [q for q, status in self.queries.items() if status == "open"]

    def warn(self, warnings: list[str], actor: str) -> None:
        """Record the warnings validation gave the current figure (accepted with commentary)."""
        if warnings:
            self._warned(warnings=warnings, commentary=self.commentary, actor=actor, revision=self.revision)

    def validate(self, note: str | None, actor: str) -> None:
        label = f"{self.indicator} {self.period}"
        if actor in self.figure_by:
            raise Refused(f"{actor} gave a figure for {label} and may not validate it: validation is "
                          "independent; another data-quality officer must validate it (000 §9.2.3)",
                          control="separation-of-duties")
        if self.validated_revision == self.revision:
            raise Invalid(f"{label} is already validated at revision {self.revision}")
        self._validated(note=note, actor=actor, revision=self.revision)

    def raise_query(self, query_id: str, note: str, actor: str) -> None:
        if not note.strip():
            raise Invalid(f"a query needs {option('note')} saying what is in doubt")
        same = " ".join(note.split()).casefold()
        for other in self.open_queries():
            if " ".join(self.query_notes.get(other, "").split()).casefold() == same:
                raise Invalid(f"query {other} already asks this of {self.indicator} {self.period} and is "
                              f"open: see {command('query list')}")
        self._query_raised(query_id=query_id, note=note.strip(), actor=actor)

    def resolve_query(self, query_id: str, outcome: str, note: str, actor: str) -> None:
        if self.queries.get(query_id) != "open":
            raise Invalid(f"query {query_id} is already resolved: see {command('query list')}")
        if not note.strip():
            raise Invalid(f"resolving a query needs {option('note')} saying what was found")
        self._query_resolved(query_id=query_id, outcome=outcome, note=note.strip(), actor=actor)

    @event("Validated", topic="perfledger/Return.Validated")
    def _validated(self, note: str | None, actor: str, revision: int) -> None:
        self.validated_revision = revision

    @event("Warned", topic="perfledger/Return.Warned")
    def _warned(self, warnings: list[str], commentary: str | None, actor: str, revision: int) -> None:
        self.warnings = list(warnings)

    @event("QueryRaised", topic="perfledger/Return.QueryRaised")
    def _query_raised(self, query_id: str, note: str, actor: str) -> None:
        self.queries[query_id] = "open"
        self.query_notes[query_id] = note

    @event("QueryResolved", topic="perfledger/Return.QueryResolved")
    def _query_resolved(self, query_id: str, outcome: str, note: str, actor: str) -> None:
        self.queries[query_id] = "resolved"

    # --- reporting ---------------------------------------------------------------
    def reported(self, report: str, kind: str, actor: str) -> bool:
        """Mark the figure as reported by an issued report (once: the first report decides).
        From then on a change to the figure is a retrospective adjustment."""
        if self.reported_in is not None:
            return False
        self._reported(report=report, kind=kind, revision=self.revision, actor=actor)
        return True

    def check_unreported(self, value: Decimal, numerator: Decimal | None,
                         denominator: Decimal | None) -> None:
        """Refuse (control "reported-figure") an ordinary change of a figure an issued report showed."""
        if self.reported_in is not None and (value, numerator, denominator) != (
                self.value, self.numerator, self.denominator):
            raise Refused(self.reported_problem(), control="reported-figure")

    def reported_problem(self) -> str:
        return (f"{self.indicator} {self.period} ({self.value}) appeared in an issued report "
                f"(SHA-256 {(self.reported_in or '')[:12]}...): a change to it is a retrospective "
                f"adjustment (use {command('adjust request')})")

    @event("Reported", topic="perfledger/Return.Reported")
    def _reported(self, report: str, kind: str, revision: int, actor: str) -> None:
        self.reported_in = report

    # --- figures -----------------------------------------------------------------
    def revise(
        self,
        value: Decimal,
        numerator: Decimal | None,
        denominator: Decimal | None,
        status: Status,
        commentary: str | None,
        source: str | None,
        reason: str | None,
        actor: str,
    ) -> None:
        label = f"{self.indicator} {self.period}"
        self.check_unreported(value, numerator, denominator)
        if not reason or not reason.strip():
            raise Invalid(
                f"{label} already has a return ({self.value}): a revision needs {option('reason')} "
                "(in a CSV file, a reason column)"
            )
        if (value, numerator, denominator, status, commentary, source) == (
            self.value, self.numerator, self.denominator, self.status, self.commentary, self.source,
        ):
            raise Invalid(f"{label}: the revision changes nothing")
        self._revised(
            value=value, numerator=numerator, denominator=denominator, status=status,
            commentary=commentary, source=source, reason=reason.strip(), actor=actor,
            revision=self.revision + 1,
        )

    def finalise(self, note: str | None, actor: str) -> None:
        if self.status is Status.FINAL:
            raise Invalid(f"{self.indicator} {self.period} is already final")
        self._finalised(note=note, actor=actor)

    def restate(self, value: Decimal, numerator: Decimal | None, denominator: Decimal | None,
                adjustment: str, reason: str, requested_by: str, actor: str) -> None:
        """A retrospective adjustment, approved: the figure changes; status and commentary stay."""
        self._restated(value=value, numerator=numerator, denominator=denominator, adjustment=adjustment,
                       reason=reason, requested_by=requested_by, actor=actor, revision=self.revision + 1)

    @event("Restated", topic="perfledger/Return.Restated")
    def _restated(self, value: Decimal, numerator: Decimal | None, denominator: Decimal | None,
                  adjustment: str, reason: str, requested_by: str, actor: str, revision: int) -> None:
        self.value = value
        self.numerator = numerator
        self.denominator = denominator
        self.revision = revision
        self.warnings = []
        self.figure_by.add(requested_by)

    @event("Revised", topic="perfledger/Return.Revised")
    def _revised(
        self,
        value: Decimal,
        numerator: Decimal | None,
        denominator: Decimal | None,
        status: Status,
        commentary: str | None,
        source: str | None,
        reason: str,
        actor: str,
        revision: int,
    ) -> None:
        self.value = value
        self.numerator = numerator
        self.denominator = denominator
        self.status = status
        self.commentary = commentary
        self.source = source
        self.revision = revision
        self.warnings = []
        self.figure_by.add(actor)

    @event("Finalised", topic="perfledger/Return.Finalised")
    def _finalised(self, note: str | None, actor: str) -> None:
        self.status = Status.FINAL
