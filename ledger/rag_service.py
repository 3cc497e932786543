"""Use cases: targets, rating rules, closed periods, assessed outlooks and milestones."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from ledger.domain.assessment import Milestone, Outlook, milestone_id
from ledger.domain.calendar import Calendar
from ledger.domain.targets import Target, TargetSeries, check_target
from ledger.errors import Invalid, NotFound, Refused
from ledger.ladder_service import Ladders
from ledger.values import Frequency, Period, PeriodKind, describe_target_periods, targets_accepted


class Rating(Ladders):
    def calendar(self) -> Calendar:
        return self.load(Calendar) or Calendar()

    def check_open(self, calendar: Calendar, code: str, period: Period, what: str) -> None:
        if calendar.is_closed(period):
            raise Refused(
                f"{period} is closed: {what} of {code} for it is a retrospective adjustment "
                "(use perfledger adjust request)",
                control="closed-period",
            )

    def set_target(self, actor: str, code: str, period: Period, target: Target, consent: str | None,
                   reason: str) -> None:
        def command() -> None:
            self.authorise(actor, "target set")
            indicator = self.indicator(code)
            pf = indicator.pro_forma
            if indicator.retired:
                raise Invalid(f"{code} was retired: it takes no targets")
            if pf.tracker:
                raise Invalid(f"{code} is a tracker: trackers have no targets and no RAG (000 §3.5)")
            if not targets_accepted(pf.frequency, period):
                raise Invalid(f"{period} is not a target period for {code}: "
                              + describe_target_periods(pf.frequency))
            problems = check_target(target, pf.polarity)
            if problems:
                raise Invalid(f"{code} {period}: " + "; ".join(problems))
            calendar = self.calendar()
            if calendar.is_closed(period):
                raise Refused(f"{period} is closed: the targets of a closed period cannot change",
                              control="closed-period")
            series = self.load(TargetSeries, code) or TargetSeries(indicator=code)
            series.set(period, target, consent, reason, actor)
            self.save(series)

        self.run(command)
        self.after_change([code])

    def change_rag_default(self, actor: str, tolerance: Decimal, from_period: Period | None,
                           reason: str) -> None:
        def command() -> None:
            self.authorise(actor, "rag default")
            settings = self.settings()
            settings.change_default(tolerance, from_period, reason, actor)
            self.save(settings)

        self.run(command)

    def close_period(self, actor: str, period: Period, note: str | None) -> None:
        def command() -> None:
            self.authorise(actor, "period close")
            calendar = self.calendar()
            calendar.close(period, note, actor)
            self.save(calendar)

        self.run(command)

    def assess(self, actor: str, code: str, year: Period, outlook: str, note: str) -> None:
        if year.kind is not PeriodKind.YEAR:
            raise Invalid(f"{year} is not a financial year: assess the year, e.g. 2008/09")

        def command() -> None:
            self.authorise(actor, "assess")
            indicator = self.indicator(code)
            self.check_designation(actor, "assess", code)
            if indicator.pro_forma.tracker:
                raise Invalid(f"{code} is a tracker: it has no target to assess")
            record = self.load(Outlook, code) or Outlook(indicator=code)
            record.assess(year, outlook, note, actor)
            self.save(record)

        self.run(command)

    def add_milestone(self, actor: str, code: str, title: str, due: date) -> str:
        if not title.strip():
            raise Invalid("a milestone needs --title")

        def command() -> str:
            self.authorise(actor, "milestone")
            indicator = self.indicator(code)
            self.check_designation(actor, "milestone", code)
            if indicator.pro_forma.frequency is not Frequency.ANNUAL:
                raise Invalid(f"{code} is {indicator.pro_forma.frequency.value}: milestones are the "
                              "in-year evidence of annual indicators (000 §4.4)")
            key = milestone_id(code, title, due)
            if self.exists(Milestone, key):
                raise Invalid(f"{code} already has this milestone ({key})")
            self.save(Milestone(milestone_id=key, indicator=code, title=title.strip(), due=due,
                                actor=actor))
            return key

        return self.run(command)

    def milestone_progress(self, actor: str, key: str, status: str, note: str) -> None:
        def command() -> None:
            self.authorise(actor, "milestone")
            milestone = self.load(Milestone, key)
            if milestone is None:
                raise NotFound(f"unknown milestone {key!r}: see perfledger milestone list")
            self.check_designation(actor, "milestone", milestone.indicator)
            milestone.progress(status, note, actor)
            self.save(milestone)

        self.run(command)
