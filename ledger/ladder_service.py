"""Use cases: the ladder of intervention in force, escalation cases, and running the policy.

``review_ladder`` runs the pure policy (policies/ladder.py) for some indicators and records
what it decides as events attributed to the ladder and its version (actor
``ladder:halton/1``). It reads only aggregates, never a view that may lag; every decision
about an indicator is a new version of its ``Escalations`` stream and a newly opened case
also creates its ``CaseIndex`` (an id derived from the trigger), so two processes deciding
at once conflict and the retry finds the work done: no case is ever recorded twice.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from uuid import uuid4

from ledger.designation_service import Designating
from ledger.domain.escalation import CaseIndex, Escalations, LadderInForce, case_id
from ledger.domain.indicator import Indicator
from ledger.domain.returns import PeriodReturn
from ledger.domain.targets import Target, TargetSeries
from ledger.errors import Busy, Invalid, NotFound, NotInitialised
from ledger.values import LONDON, Period, PeriodKind, Polarity
from policies import ladder as policy
from policies.ladder import Ladder, LadderError, Review


class Ladders(Designating):
    def today(self) -> date:
        """Today, by the ledger's recording clock, in Europe/London."""
        return self.recorder.clock().astimezone(LONDON).date()  # type: ignore[attr-defined,no-any-return]

    def ladder(self) -> Ladder | None:
        found = self.load(LadderInForce)
        return found.ladder if found else None

    def use_ladder(self, actor: str, chosen: Ladder, source: str) -> int:
        """Put CHOSEN in force (an event) and review every indicator under it; returns decisions."""

        def command() -> None:
            self.authorise(actor, "ladder use")
            record = self.load(LadderInForce) or LadderInForce()
            record.adopt(chosen, source, actor)
            self.save(record)

        self.run(command)
        return self.review_ladder(self.indicator_codes())

    def rerun_ladder(self, actor: str, codes: list[str]) -> int:
        """``ladder review``: run the ladder by hand (performance support, administrators)."""
        self.authorise(actor, "ladder use")
        self._in_force()
        for code in codes:
            self.indicator(code)
        return self.review_ladder(codes or self.indicator_codes())

    def indicator_codes(self) -> list[str]:
        """Every registered indicator's code, from the events."""
        decode = self.mapper.to_domain_event
        found: set[str] = set()
        last = 0
        while True:
            page = self.recorder.select_notifications(
                start=last, limit=1000, topics=["perfledger/Indicator.Registered"], inclusive_of_start=False)
            if not page:
                return sorted(found)
            found.update(str(decode(n).code) for n in page)  # type: ignore[attr-defined]
            last = page[-1].id

    # --- reviews -------------------------------------------------------------------------
    def reviews(self, code: str, today: date) -> list[Review]:
        """Every six-monthly review of CODE with a value and a monitoring level, as the ledger
        believes now (the level of the review period's target, else of the half's or year's)."""
        indicator = self.load(Indicator, code)
        series = self.load(TargetSeries, code)
        if indicator is None or series is None or indicator.pro_forma.tracker:
            return []
        pf = indicator.pro_forma
        years = sorted({p.financial_year for p in series.targets}, key=lambda p: p.start)
        found = []
        for year in years:
            for half in year.children(PeriodKind.HALF):
                if half.end > today:
                    continue
                period = policy.review_period(pf.frequency, half)
                if period is None:
                    continue
                target = next((series.targets[p] for p in [period, *period.enclosing()]
                               if p in series.targets), None)
                got = self.load(PeriodReturn, code, period) if target is not None else None
                if got is None or target is None:
                    continue
                judged = _judge(got.value, pf.polarity, target)
                if judged is not None:
                    found.append(Review(half, period, got.value, judged[1], judged[0]))
        return found

    def review_ladder(self, codes: Iterable[str]) -> int:
        """Run the ladder for CODES; record its decisions exactly once. Returns how many."""
        chosen = self.ladder()
        if chosen is None:
            return 0
        total = 0
        for code in sorted(set(codes)):
            total += self.run(lambda code=code: self._review_one(chosen, code))  # type: ignore[misc]
        return total

    def after_change(self, codes: Iterable[str]) -> None:
        """Run the ladder after a command's events are saved. If other writers keep the
        ledger busy past every retry, the command still succeeded: the decisions are made
        at the next run (the next change to these indicators, or ``ladder review``),
        exactly once, so nothing is lost by waiting."""
        try:
            self.review_ladder(codes)
        except Busy:
            return

    def _review_one(self, chosen: Ladder, code: str) -> int:
        today = self.today()
        record = self.load(Escalations, code)
        current = record.current if record else None
        decisions = policy.decide(chosen, self.reviews(code, today), current.stage if current else None,
                                  record.reviewed_through if record else None, today)
        if not decisions:
            return 0
        record = record or Escalations(indicator=code)
        created = []
        for d in decisions:
            if d.kind == policy.CLOSE:  # a case may be above the stages of a newer, shorter ladder
                assert record.open_case is not None
                record.close(case=record.open_case, review=d.review, note=d.trigger, actor=chosen.actor)
                continue
            stage = chosen.stage(d.stage)
            if d.kind == policy.OPEN:
                key = case_id(code, chosen.label, str(d.review), str(d.stage))
                created.append(CaseIndex(case=key, indicator=code, actor=chosen.actor))
                record.open(case=key, stage=d.stage, review=d.review, trigger=d.trigger, due=d.due,
                            ladder=chosen.label, requires=stage.requires, responder=stage.responder,
                            actor=chosen.actor)
            else:
                assert record.open_case is not None
                record.reach(case=record.open_case, stage=d.stage, review=d.review, trigger=d.trigger,
                             due=d.due, ladder=chosen.label, requires=stage.requires,
                             responder=stage.responder, actor=chosen.actor)
        self.save(record, *created)
        return len(decisions)

    def _latest_review(self, code: str, record: Escalations) -> Period | None:
        reviews = self.reviews(code, self.today())
        latest = reviews[-1].half if reviews else None
        through = record.reviewed_through
        if latest is None or (through is not None and through.start >= latest.start):
            return through
        return latest

    # --- people's part ---------------------------------------------------------------------
    def _in_force(self) -> Ladder:
        chosen = self.ladder()
        if chosen is None:
            raise NotInitialised("no ladder of intervention is in force: run perfledger ladder use "
                                 "halton|herefordshire|FILE first")
        return chosen

    def raise_escalation(self, actor: str, code: str, stage: int, note: str) -> str:
        """Performance support opens (or moves) CODE's case at STAGE by hand (003 §3)."""
        if not note.strip():
            raise Invalid("raising an escalation needs --note: the evidence of under-performance")

        def command() -> str:
            self.authorise(actor, "escalation raise")
            chosen = self._in_force()
            try:
                step = chosen.stage(stage)
            except LadderError as error:
                raise Invalid(str(error)) from None
            self.indicator(code)
            record = self.load(Escalations, code) or Escalations(indicator=code)
            through = self._latest_review(code, record)
            trigger = f"raised by hand: {note.strip()}"
            due = policy.add_months(self.today(), step.within_months)
            current = record.current
            if current is not None:
                if current.stage >= stage:
                    raise Invalid(f"{code}'s escalation {current.case_id} is already at stage "
                                  f"{current.stage}: raise only to a higher stage")
                record.reach(case=current.case_id, stage=stage, review=through, trigger=trigger, due=due,
                             ladder=chosen.label, requires=step.requires, responder=step.responder,
                             actor=actor)
                self.save(record)
                return current.case_id
            key = case_id(code, "by-hand", uuid4().hex)
            record.open(case=key, stage=stage, review=through, trigger=trigger, due=due,
                        ladder=chosen.label, requires=step.requires, responder=step.responder, actor=actor)
            self.save(record, CaseIndex(case=key, indicator=code, actor=actor))
            return key

        return self.run(command)

    def _case(self, key: str) -> Escalations:
        index = self.load(CaseIndex, key)
        if index is None:
            raise NotFound(f"unknown escalation {key!r}: see perfledger escalation list")
        record = self.load(Escalations, index.indicator)
        assert record is not None
        return record

    def respond_escalation(self, actor: str, key: str, note: str, plan: str | None) -> None:
        def command() -> None:
            self.authorise(actor, "escalation respond")
            record = self._case(key)
            self.check_designation(actor, "escalation respond", record.indicator)
            case = record.case(key)
            chosen = self.ladder()
            if (not case.closed and chosen is not None and case.stage <= len(chosen.stages)
                    and chosen.stage(case.stage).plan and not (plan and plan.strip())):
                raise Invalid(f"stage {case.stage} of {key} asks for "
                              f"{chosen.stage(case.stage).requires}: give it with --plan REF")
            record.respond(key, note, plan.strip() if plan else None, actor)
            self.save(record)

        self.run(command)

    def close_escalation(self, actor: str, key: str, note: str) -> None:
        if not note.strip():
            raise Invalid("closing an escalation needs --note: why it can close")

        def command() -> None:
            self.authorise(actor, "escalation close")
            record = self._case(key)
            if record.case(key).closed:
                raise Invalid(f"escalation {key} is already closed")
            record.close(case=key, review=self._latest_review(record.indicator, record),
                         note=note.strip(), actor=actor)
            self.save(record)

        self.run(command)


def _judge(value: Decimal, polarity: Polarity, target: Target) -> tuple[bool, str] | None:
    """(missed, the level in words) for one review value; None when the target sets no
    monitoring level (the ladder reviews only against one, 003 §3)."""
    if polarity is Polarity.RANGE:
        low, high = target.monitoring_low, target.monitoring_high
        result = policy.missed(value, polarity, low=low, high=high)
        level = f"monitoring level {low}..{high}"
    else:
        result = policy.missed(value, polarity, target.monitoring_level)
        level = f"monitoring level {target.monitoring_level}"
    return None if result is None else (result, level)
