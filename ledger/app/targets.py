"""Use cases: targets, the ledger-wide rating rule, closed periods, assessed outlooks and milestones."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal

from ledger.app.agreed import covering, refuse_unagreed
from ledger.app.core import Core
from ledger.app.usecase import Part, use_case
from ledger.domain.assessment import Milestone, Outlook, milestone_id
from ledger.domain.calendar import Calendar
from ledger.domain.indicator import ProForma
from ledger.domain.targets import TargetSeries, check_target
from ledger.errors import Invalid, NotFound, Refused
from ledger.hints import command, option
from ledger.values import (
    Frequency,
    Period,
    PeriodKind,
    Target,
    Unit,
    describe_target_periods,
    own_kind,
    targets_accepted,
)
from policies.authorisation import Act
from policies.profile import profile as profile_values
from policies.validation import check_figures


def check_open(calendar: Calendar, code: str, period: Period, what: str) -> None:
    """Refuse (control "closed-period") WHAT of CODE for a closed PERIOD: that is an adjustment."""
    if calendar.is_closed(period):
        raise Refused(
            f"{period} is closed: {what} of {code} for it is a retrospective adjustment "
            f"(use {command('adjust request')})",
            control="closed-period",
        )


def carried_over(target: Target, current: Target | None) -> Target:
    """A changed target keeps what the change does not name: its monitoring level (which keeps
    the indicator on the ladder) and its own tolerance, as it keeps whom it was agreed with."""
    if current is None:
        return target
    if target.monitoring_level is None and target.monitoring_low is None and target.monitoring_high is None:
        target = replace(target, monitoring_level=current.monitoring_level,
                         monitoring_low=current.monitoring_low, monitoring_high=current.monitoring_high)
    if target.tolerance is None:
        target = replace(target, tolerance=current.tolerance)
    return target


def reaches_closed(calendar: Calendar, start: Period | None) -> Period | None:
    """The first closed period a rating rule covering the periods from START (all, when None)
    would re-rate: a closed period some part of which starts on or after START."""
    for closed in sorted(calendar.closed, key=lambda c: c.sort_key):
        if start is None or closed.end >= start.start:
            return closed
    return None


def first_open_quarter(calendar: Calendar) -> Period:
    """The first quarter that starts after every closed period."""
    last = max(c.end for c in calendar.closed)
    return Period.containing(PeriodKind.QUARTER, last + timedelta(days=1))


def settable(core: Core, code: str) -> ProForma:
    """CODE's pro forma, once it is known to take targets (not retired, not a tracker)."""
    indicator = core.indicator(code)
    if indicator.retired:
        raise Invalid(f"{code} was retired: it takes no targets")
    if indicator.pro_forma.tracker:
        raise Invalid(f"{code} is a tracker: trackers have no targets and no RAG (000 §3.5)")
    return indicator.pro_forma


def checked(code: str, pf: ProForma, series: TargetSeries, calendar: Calendar, period: Period,
            target: Target) -> Target:
    """TARGET as it would be set for CODE's PERIOD (what it does not name carried over), checked
    against the indicator's rules (its frequency, polarity and unit) and the calendar."""
    if not targets_accepted(pf.frequency, period):
        raise Invalid(f"{period} is not a target period for {code}: "
                      + describe_target_periods(pf.frequency))
    target = carried_over(target, series.targets.get(period))
    problems = check_target(target, pf.polarity)
    for name in ("value", "low", "high", "monitoring_level", "monitoring_low", "monitoring_high"):
        figure = getattr(target, name)  # a target is a figure of the indicator's unit, as a return is
        if figure is not None:
            problems.extend(f"{name.replace('_', ' ')}: {p.message}"
                            for p in check_figures(pf.unit, figure, rate_base=pf.rate_base))
    if problems:
        raise Invalid(f"{code} {period}: " + "; ".join(problems))
    if calendar.is_closed(period):
        raise Refused(f"{period} is closed: the targets of a closed period cannot change",
                      control="closed-period")
    return target


def prepared(core: Core, actor: str, code: str, period: Period,
             target: Target) -> tuple[TargetSeries, Target]:
    """CODE's target series and TARGET as it would be set for PERIOD, checked (``checked``)."""
    pf = settable(core, code)
    series = core.load(TargetSeries, code) or TargetSeries(indicator=code, actor=actor)
    return series, checked(code, pf, series, core.calendar(), period, target)


class Targets(Part):
    @use_case(Act.TARGET_SET)
    def set(self, actor: str, code: str, period: Period, target: Target, consent: str | None,
            reason: str) -> None:
        series, target = prepared(self.core, actor, code, period, target)
        refuse_unagreed(self.core, code, period, "changing")
        series.set(period, target, consent, reason, actor)
        self.core.save(series)

    @use_case(Act.TARGET_SET)
    def profile(self, actor: str, code: str, year: Period, total: Decimal, weights: list[Decimal] | None,
                shape: str, reason: str) -> list[tuple[Period, Decimal]]:
        """Write YEAR's target TOTAL onto CODE's own periods (and the year), shaped by WEIGHTS (None:
        even), as one decision: every period's target in one transaction. Returns what was set."""
        if year.kind is not PeriodKind.YEAR:
            raise Invalid(f"{year} is not a financial year: a profile spreads a year's target, e.g. 2025/26")
        if not reason.strip():
            raise Invalid(f"a target profile needs {option('reason')}")
        pf = settable(self.core, code)
        kind = own_kind(pf.frequency)
        if kind is PeriodKind.YEAR:
            raise Invalid(f"{code} is annual: its one target a year is set with {command('target set')}")
        periods = year.children(kind)
        weights = weights or [Decimal(1)] * len(periods)
        if len(weights) != len(periods):
            raise Invalid(f"the shape gives {len(weights)} weights; {code} has {len(periods)} "
                          f"{kind.value}s in {year}: give one weight per period")
        try:
            values = profile_values(total, weights, additive=pf.unit is Unit.COUNT, cumulative=pf.cumulative)
        except ValueError as error:
            raise Invalid(f"{option('shape')}: {error}") from None
        agreement = covering(self.core, code, year)
        consent = None
        if agreement is not None:
            agreed = agreement.targets.get((code, year))
            held = None if agreed is None else (agreed[1] if agreed[1] is not None else agreed[0])
            if held != total:
                raise Refused(f"{code}'s {year} target is held by {agreement.code} "
                              f"({held or 'none agreed yet'}): a profile may phase the agreed total, not "
                              f"change it - propose a change with "
                              f"{command('agreement propose ' + agreement.code)}", control="agreement")
            consent = f"profile of the target agreed under {agreement.code}"
        planned = [(period, value) for period, value in zip(periods, values, strict=True)]
        if pf.unit is Unit.COUNT or agreement is None:
            planned.append((year, total))
        series = self.core.load(TargetSeries, code) or TargetSeries(indicator=code, actor=actor)
        calendar = self.core.calendar()
        said = f"profile of {year} ({total}, {shape}): {reason.strip()}"
        changed = []
        for period, value in planned:
            goal = checked(code, pf, series, calendar, period, Target(value))
            current = series.targets.get(period)
            if current is not None and current.agreed_with and goal.agreed_with is None:
                goal = replace(goal, agreed_with=current.agreed_with)
            if current == goal:
                continue
            series.set(period, goal, consent, said, actor)
            changed.append((period, value))
        if not changed:
            raise Invalid(f"{code} {year} already has exactly this profile")
        self.core.save(series)
        return changed

    @use_case(Act.RAG_DEFAULT)
    def rag_default(self, actor: str, tolerance: Decimal, from_period: Period | None, reason: str) -> None:
        settings = self.core.settings()
        calendar = self.core.calendar()
        closed = reaches_closed(calendar, from_period)
        if closed is not None:
            rule = f"{option('from')} {from_period}" if from_period else "a rule for all periods"
            raise Refused(f"{rule} would re-rate {closed}, which is closed: a rating rule may not reach "
                          f"back into a reported period; start it in an open one ({option('from')} "
                          f"{first_open_quarter(calendar)})", control="closed-period")
        settings.change_default(tolerance, from_period, reason, actor)
        self.core.save(settings)

    @use_case(Act.PERIOD_CLOSE)
    def close_period(self, actor: str, period: Period, note: str | None) -> None:
        calendar = self.core.calendar(actor)
        calendar.close(period, note, actor)
        self.core.save(calendar)

    @use_case(Act.ASSESS)
    def assess(self, actor: str, code: str, year: Period, outlook: str, note: str) -> None:
        if year.kind is not PeriodKind.YEAR:
            raise Invalid(f"{year} is not a financial year: assess the year, e.g. 2008/09")
        indicator = self.core.indicator(code)
        self.core.check_designation(actor, Act.ASSESS, code)
        if indicator.pro_forma.tracker:
            raise Invalid(f"{code} is a tracker: it has no target to assess")
        record = self.core.load(Outlook, code) or Outlook(indicator=code, actor=actor)
        record.assess(year, outlook, note, actor)
        self.core.save(record)

    @use_case(Act.MILESTONE)
    def add_milestone(self, actor: str, code: str, title: str, due: date) -> str:
        if not title.strip():
            raise Invalid(f"a milestone needs {option('title')}")
        indicator = self.core.indicator(code)
        self.core.check_designation(actor, Act.MILESTONE, code)
        if indicator.pro_forma.frequency is not Frequency.ANNUAL:
            raise Invalid(f"{code} is {indicator.pro_forma.frequency.value}: milestones are the "
                          "in-year evidence of annual indicators (000 §4.4)")
        key = milestone_id(code, title, due)
        if self.core.exists(Milestone, key):
            raise Invalid(f"{code} already has this milestone ({key})")
        self.core.save(Milestone(milestone_id=key, indicator=code, title=title.strip(), due=due, actor=actor))
        return key

    @use_case(Act.MILESTONE)
    def milestone_progress(self, actor: str, key: str, status: str, note: str) -> None:
        milestone = self.core.load(Milestone, key)
        if milestone is None:
            raise NotFound(f"unknown milestone {key!r}: see {command('milestone list')}")
        self.core.check_designation(actor, Act.MILESTONE, milestone.indicator)
        milestone.progress(status, note, actor)
        self.core.save(milestone)
