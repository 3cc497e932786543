"""Use cases: retrospective adjustments - request, approve (restating every period in one
transaction), reject, withdraw. Four eyes: the requester cannot approve (the aggregate's rule)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from ledger.app.quality import restatement_problems
from ledger.app.usecase import Part, use_case
from ledger.domain.adjustment import PENDING, Adjustment, Item, adjustment_id
from ledger.domain.calendar import Calendar
from ledger.domain.indicator import Indicator
from ledger.domain.returns import PeriodReturn
from ledger.errors import Invalid, NotFound, Problems, Refused
from ledger.hints import command, option
from ledger.values import Period, Status, describe_return_periods, returns_accepted
from policies.adjustment import request_problems
from policies.authorisation import Act
from policies.validation import check_figures


@dataclass(frozen=True)
class Restatement:
    """One period of a request, as the user gave it (``row`` is its CSV row number, if any)."""

    period: Period
    value: Decimal
    numerator: Decimal | None = None
    denominator: Decimal | None = None
    row: int | None = None


@dataclass(frozen=True)
class BadRow:
    """A series row that did not parse: its CSV row number and every problem in it."""

    row: int
    problems: list[str]


class SeriesRejected(Problems):
    def __init__(self, problems: list[str], rows: int) -> None:
        super().__init__(problems, f"{len(problems)} problem(s) in {rows} row(s): nothing was requested; "
                                   "fix the rows above")


class Adjustments(Part):
    @use_case(Act.ADJUST_REQUEST)
    def request(
        self,
        actor: str,
        code: str,
        restatements: Sequence[Restatement | BadRow],
        reason: str | None,
        justification: str | None,
        evidence: str | None,
        revision: int | None,
        *,
        series: bool = False,
    ) -> str:
        """Record a pending request; no figure changes until someone else approves it."""
        indicator = self.core.indicator(code)
        paperwork = request_problems(reason, justification, evidence, revision,
                                     indicator.definition_revisions, indicator.revision)
        if paperwork:
            raise Invalid(f"{code}: " + "; ".join(paperwork))
        items, problems = self._items(indicator, restatements, self.core.calendar())
        if problems:
            if series:
                raise SeriesRejected(problems, len(restatements))
            raise Invalid(f"{code}: " + "; ".join(problems))
        assert reason is not None
        assert justification is not None
        for attempt in range(1, 1000):
            key = adjustment_id(code, items, actor, attempt)
            earlier = self.core.load(Adjustment, key)
            if earlier is None:
                break
            if earlier.status == PENDING:
                raise Invalid(f"the same request is already pending as {key}: "
                              f"see {command('adjust list ' + option('status') + ' pending')}")
        request = Adjustment(
            adjustment_id=key, indicator=code, items=[i.as_event() for i in items], reason=reason,
            justification=justification.strip(), evidence=evidence.strip() if evidence else None,
            revision=revision, actor=actor,
        )
        self.core.save(request)
        return key

    def _items(self, indicator: Indicator, restatements: Sequence[Restatement | BadRow],
               calendar: Calendar) -> tuple[list[Item], list[str]]:
        code, pf = indicator.code, indicator.pro_forma
        items: list[Item] = []
        problems: list[str] = []
        seen: dict[Period, int | None] = {}
        for given in restatements:
            if isinstance(given, BadRow):
                problems.extend(f"row {given.row}, {p}" for p in given.problems)
                continue
            where = f"row {given.row}, " if given.row is not None else ""
            found: list[str] = []
            if not returns_accepted(pf.frequency, given.period):
                found.append(f"period: {given.period} is not a period for {code}: "
                             + describe_return_periods(pf.frequency))
            elif not calendar.is_closed(given.period) and not self._reported(code, given.period):
                fix = command(f"return submit {code!r} {given.period} VALUE " + option("reason") + " TEXT")
                found.append(f"period: {given.period} is not closed and no issued report showed its figure: "
                             f"until then a correction is an ordinary revision ({fix})")
            if given.period in seen:
                found.append(f"period: {given.period} appears twice (first at row {seen[given.period]})")
            seen.setdefault(given.period, given.row)
            found.extend(str(p) for p in check_figures(pf.unit, given.value, given.numerator,
                                                        given.denominator, pf.rate_base))
            current = self.core.load(PeriodReturn, code, given.period)
            if current is not None and (current.value, current.numerator, current.denominator) == (
                    given.value, given.numerator, given.denominator):
                found.append(f"value: {code} {given.period} is already {given.value}: "
                             "the adjustment changes nothing")
            if found:
                problems.extend(where + p for p in found)
                continue
            items.append(Item(
                period=given.period, value=given.value, numerator=given.numerator,
                denominator=given.denominator,
                before=current.value if current else None,
                before_numerator=current.numerator if current else None,
                before_denominator=current.denominator if current else None,
                before_version=current.revision if current else 0,
            ))
        if not restatements:
            problems.append("the series has a header but no rows: nothing to request")
        if not problems:
            problems.extend(restatement_problems(self.core, indicator, {i.period: i.value for i in items}))
        return items, problems

    def _reported(self, code: str, period: Period) -> bool:
        held = self.core.load(PeriodReturn, code, period)
        return held is not None and held.reported_in is not None

    def _request(self, key: str) -> Adjustment:
        found = self.core.load(Adjustment, key)
        if found is None:
            raise NotFound(f"unknown adjustment {key!r}: see {command('adjust list')}")
        return found

    @use_case(Act.ADJUST_DECIDE)
    def approve(self, actor: str, key: str, note: str | None) -> list[Item]:
        """Approve and restate every period in one transaction; refused if any figure moved since."""
        request = self._request(key)
        request.approve(note, actor)
        inconsistent = restatement_problems(self.core, self.core.indicator(request.indicator),
                                            {item.period: item.value for item in request.items})
        if inconsistent:  # the year's other figures moved since the request
            raise Invalid(f"{request.indicator}: approving {key} would leave "
                          + "; ".join(inconsistent) + f": reject {key} and request again")
        changed: list[Any] = []
        for item in request.items:
            current = self.core.load(PeriodReturn, request.indicator, item.period)
            now = current.revision if current else 0
            if now != item.before_version:
                # Read the request again: a decider who raced us may have restated the figure by
                # deciding this very request (then say so, not that the request went stale).
                self._request(key).check_pending("approved")
                figure = current.value if current else "no figure"
                raise Refused(
                    f"{request.indicator} {item.period} changed since {key} was requested "
                    f"(it is now {figure}, revision {now}; the request was against "
                    f"{item.before if item.before is not None else 'no figure'}): reject {key} and "
                    "request again against the current figure",
                    control="stale-request",
                )
            if current is None:
                current = PeriodReturn(
                    indicator=request.indicator, period=item.period, value=item.value,
                    numerator=item.numerator, denominator=item.denominator,
                    status=Status.PROVISIONAL, commentary=request.justification,
                    source=f"adjustment {key}", actor=actor,
                )
            else:
                current.restate(item.value, item.numerator, item.denominator, key, request.reason,
                                request.requested_by, actor)
            changed.append(current)
        self.core.save(*changed, request)
        return request.items

    @use_case(Act.ADJUST_DECIDE)
    def reject(self, actor: str, key: str, note: str) -> None:
        request = self._request(key)
        request.reject(note, actor)
        self.core.save(request)

    @use_case(Act.ADJUST_REQUEST)
    def withdraw(self, actor: str, key: str, note: str | None) -> None:
        request = self._request(key)
        request.withdraw(note, actor)
        self.core.save(request)


__all__ = ["Adjustments", "BadRow", "Restatement", "SeriesRejected"]
