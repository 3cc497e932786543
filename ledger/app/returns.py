"""Use cases: returns one at a time - submit (a second submission revises), finalise."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from ledger.app.quality import check_final, quality_problems
from ledger.app.targets import check_open
from ledger.app.usecase import Part, use_case
from ledger.domain.indicator import Indicator
from ledger.domain.returns import PeriodReturn
from ledger.errors import Invalid, NotFound
from ledger.values import Period, Status, describe_return_periods, returns_accepted
from policies.authorisation import Act
from policies.quality import check_decimals, errors, warnings
from policies.validation import check_figures


@dataclass(frozen=True)
class ReturnInput:
    indicator: str
    period: Period
    value: Decimal
    numerator: Decimal | None = None
    denominator: Decimal | None = None
    status: Status | None = None  # None: provisional when new; unchanged when revising
    commentary: str | None = None  # None: unchanged when revising
    source: str | None = None
    reason: str | None = None


def check_return(item: ReturnInput, indicator: Indicator, today: date) -> list[str]:
    """Every reason this return cannot be accepted, each naming its field.

    `today` is the ledger's date: a period that has not ended by then has no figure to report yet."""
    pf = indicator.pro_forma
    problems: list[str] = []
    if indicator.retired:
        problems.append(f"indicator: {item.indicator} was retired: it takes no returns")
    if item.period.end >= today:
        problems.append(f"period: {item.period} has not ended (it ends on {item.period.end:%-d %B %Y}): "
                        f"its return can be submitted from {item.period.end + timedelta(days=1):%-d %B %Y}")
    if not returns_accepted(pf.frequency, item.period):
        problems.append(f"period: {item.period} is not a period for {item.indicator}: "
                        + describe_return_periods(pf.frequency))
    problems.extend(str(p) for p in check_figures(pf.unit, item.value, item.numerator, item.denominator,
                                                  pf.rate_base))
    problems.extend(str(p) for p in check_decimals(item.value, pf.decimals))
    return problems


def new_return(item: ReturnInput, actor: str) -> PeriodReturn:
    return PeriodReturn(
        indicator=item.indicator, period=item.period, value=item.value,
        numerator=item.numerator, denominator=item.denominator,
        status=item.status or Status.PROVISIONAL, commentary=item.commentary,
        source=item.source, actor=actor,
    )


def revise(existing: PeriodReturn, item: ReturnInput, actor: str) -> None:
    """A revision restates the figure; status, commentary and source carry forward
    unless given (the numerator and denominator go with the value)."""
    existing.revise(
        item.value, item.numerator, item.denominator, item.status or existing.status,
        item.commentary if item.commentary is not None else existing.commentary,
        item.source if item.source is not None else existing.source, item.reason, actor,
    )


class Returns(Part):
    @use_case(Act.RETURN_SUBMIT)
    def submit(self, actor: str, item: ReturnInput) -> str:
        """Record a return; a second one for the same period is a revision. Returns 'new'/'revised'."""
        core = self.core
        indicator = core.indicator(item.indicator)
        core.check_designation(actor, Act.RETURN_SUBMIT, item.indicator)
        problems = check_return(item, indicator, core.today())
        if problems:
            raise Invalid(f"{item.indicator} {item.period}: " + "; ".join(problems))
        check_open(core.calendar(), item.indicator, item.period, "a return")
        existing = core.load(PeriodReturn, item.indicator, item.period)
        commentary = item.commentary if item.commentary is not None or existing is None \
            else existing.commentary
        found = quality_problems(core, indicator, item.period, item.value, commentary)
        if errors(found):
            raise Invalid(f"{item.indicator} {item.period}: " + "; ".join(str(p) for p in errors(found)))
        if existing is None:
            aggregate, outcome = new_return(item, actor), "new"
        else:
            check_final(existing, item.status)
            revise(existing, item, actor)
            aggregate, outcome = existing, "revised"
        aggregate.warn([p.message for p in warnings(found)], actor)
        core.save(aggregate)
        return outcome

    @use_case(Act.RETURN_FINALISE)
    def finalise(self, actor: str, code: str, period: Period, note: str | None) -> None:
        self.core.indicator(code)
        self.core.check_designation(actor, Act.RETURN_FINALISE, code)
        found = self.core.load(PeriodReturn, code, period)
        if found is None:
            raise NotFound(f"{code} has no return for {period}: submit one first")
        if found.status is not Status.FINAL:
            check_final(found, Status.FINAL)
        found.finalise(note, actor)
        self.core.save(found)

    def warnings_of(self, code: str, period: Period) -> list[str]:
        """The validation warnings recorded with the current figure of a return."""
        found = self.core.load(PeriodReturn, code, period)
        return list(found.warnings) if found is not None else []


__all__ = ["ReturnInput", "Returns", "check_return", "new_return", "revise"]
