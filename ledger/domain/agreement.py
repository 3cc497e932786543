"""Agreements (000 §3.3-3.4, §4.1, §4.11; 003 §3): an LAA, or any agreement, holds its indicator
set, its span of years, each indicator's annual trajectory and stretch target, and the body that
agreed it. A target under an agreement changes only by a proposal that a member of that body,
other than the proposer, approves (four eyes, as for adjustments); the annual refresh is recorded
with its reasons."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from eventsourcing.domain import Aggregate, event

from ledger.domain.base import stable_id
from ledger.errors import Invalid, Refused
from ledger.hints import command, option
from ledger.values import Period, PeriodKind


def proposal_id(agreement: str, indicator: str, year: Period, values: str, proposer: str,
                attempt: int) -> str:
    """``TP-`` and eight hex digits, from what is proposed and by whom; after a decision ``attempt``
    moves on, so the same proposal can be made again."""
    return "TP-" + stable_id("target-proposal", agreement, indicator, str(year), values, proposer,
                             str(attempt)).hex[:8]


class Agreement(Aggregate):
    TOPIC = "perfledger/Agreement"
    class_version = 1

    class Created(Aggregate.Created):
        TOPIC = "perfledger/Agreement.Created"

    @staticmethod
    def create_id(code: str) -> Any:
        return stable_id("agreement", code)

    @event("Added", topic="perfledger/Agreement.Added")
    def __init__(self, code: str, title: str, body: str, members: list[str], start: Period, until: Period,
                 plan: str | None, indicators: list[str], actor: str) -> None:
        self.code = code
        self.title = title
        self.body = body
        self.members = list(members)
        self.start = start
        self.until = until
        self.plan = plan
        self.indicators = list(indicators)
        self.targets: dict[tuple[str, Period], tuple[Decimal, Decimal | None]] = {}
        self.refreshed: list[Period] = []

    def years(self) -> list[Period]:
        return _years(self.start, self.until)

    def covers(self, indicator: str, period: Period, *, additive: bool) -> bool:
        """Is INDICATOR's target for PERIOD held by this agreement? It holds each year's target; of an
        additive indicator (a count) the in-year targets are the lead's profile of it, of a level
        (a percentage, a rate, ...) they are held too, as they would override the year's for the
        quarter they rate."""
        return (indicator in self.indicators and self.start.start <= period.start
                and period.end <= self.until.end and (period.kind is PeriodKind.YEAR or not additive))

    def check_year(self, year: Period) -> None:
        if year.kind is not PeriodKind.YEAR:
            raise Invalid(f"{year} is not a financial year: an agreement's trajectory is by year, "
                          "e.g. 2025/26")
        if not (self.start.start <= year.start and year.end <= self.until.end):
            raise Invalid(f"{year} is outside {self.code} ({self.start} to {self.until})")

    def check_member(self, actor: str, proposer: str) -> None:
        if actor == proposer:
            raise Refused(f"{actor} proposed this target change and cannot also approve it: a member of "
                          f"{self.body} other than the proposer approves it", control="separation")
        if actor not in self.members:
            raise Refused(f"{actor} is not a member of {self.body}, which agreed {self.code}: its members "
                          f"are {', '.join(self.members)}", control="agreement")

    def refresh(self, year: Period, reason: str, add: list[str], drop: list[str], actor: str) -> None:
        self.check_year(year)
        if not reason.strip():
            raise Invalid(f"the refresh of {self.code} needs {option('reason')}: what changed and why")
        if year in self.refreshed:
            raise Invalid(f"{self.code} was already refreshed for {year}: see "
                          f"{command('agreement show ' + self.code)}")
        present = [code for code in add if code in self.indicators]
        if present:
            raise Invalid(f"{', '.join(present)} already in {self.code}")
        absent = [code for code in drop if code not in self.indicators]
        if absent:
            raise Invalid(f"{', '.join(absent)} not in {self.code}: nothing to drop")
        self._refreshed(year=year, reason=reason.strip(), added=list(dict.fromkeys(add)),
                        dropped=list(dict.fromkeys(drop)), actor=actor)

    @event("Refreshed", topic="perfledger/Agreement.Refreshed")
    def _refreshed(self, year: Period, reason: str, added: list[str], dropped: list[str], actor: str) -> None:
        self.refreshed.append(year)
        self.indicators = [c for c in self.indicators if c not in dropped] + added

    @event("TargetAgreed", topic="perfledger/Agreement.TargetAgreed")
    def agree(self, indicator: str, year: Period, trajectory: Decimal, stretch: Decimal | None, proposal: str,
              proposed_by: str, actor: str) -> None:
        self.targets[(indicator, year)] = (trajectory, stretch)


def _years(start: Period, until: Period) -> list[Period]:
    year = start.financial_year
    found = []
    while year.start <= until.end:
        found.append(year)
        year = year.next()
    return found


class TargetProposal(Aggregate):
    """A proposed change to a target an agreement holds: approved by a member of the agreeing body
    other than the proposer, or rejected."""

    TOPIC = "perfledger/TargetProposal"
    class_version = 1

    class Created(Aggregate.Created):
        TOPIC = "perfledger/TargetProposal.Created"

    @staticmethod
    def create_id(key: str) -> Any:
        return stable_id("target-proposal-id", key)

    @event("Proposed", topic="perfledger/TargetProposal.Proposed")
    def __init__(self, key: str, agreement: str, indicator: str, year: Period, trajectory: Decimal,
                 stretch: Decimal | None, previous: str | None, reason: str, actor: str) -> None:
        self.key = key
        self.agreement = agreement
        self.indicator = indicator
        self.year = year
        self.trajectory = trajectory
        self.stretch = stretch
        self.proposer = actor
        self.status = "proposed"

    @property
    def target(self) -> Decimal:
        """The target the indicator is rated against: the stretch target where there is one."""
        return self.stretch if self.stretch is not None else self.trajectory

    def _check_pending(self) -> None:
        if self.status != "proposed":
            raise Invalid(f"{self.key} was already {self.status}: see "
                          f"{command('agreement show ' + self.agreement)}")

    def approve(self, note: str, actor: str) -> None:
        self._check_pending()
        self._approved(note=note.strip(), actor=actor)

    def reject(self, reason: str, actor: str) -> None:
        self._check_pending()
        if not reason.strip():
            raise Invalid(f"rejecting {self.key} needs {option('reason')}")
        self._rejected(reason=reason.strip(), actor=actor)

    @event("Approved", topic="perfledger/TargetProposal.Approved")
    def _approved(self, note: str, actor: str) -> None:
        self.status = "approved"

    @event("Rejected", topic="perfledger/TargetProposal.Rejected")
    def _rejected(self, reason: str, actor: str) -> None:
        self.status = "rejected"
