"""Use cases: the ladder of intervention in force, escalation cases, and running the policy.

The ladder runs as a reaction: ``ledger/app/__init__.py`` subscribes ``Intervention.react``
to the events that change a review (a return submitted, revised or restated, a target set,
an indicator revised); no use case calls it.

``review_ladder`` runs the pure policy (policies/ladder.py) for some indicators and records
what it decides as events attributed to the ladder and its version (actor
``ladder:halton/1``). It reads only aggregates, never a view that may lag; every decision
about an indicator is a new version of its ``Escalations`` stream and a newly opened case
also creates its ``CaseIndex`` (an id derived from the trigger), so two processes deciding
at once conflict and the retry finds the work done: no case is ever recorded twice.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from uuid import uuid4

from ledger.app.usecase import Part, use_case
from ledger.domain.action import Action
from ledger.domain.escalation import CaseIndex, Escalations, LadderInForce, case_id
from ledger.domain.indicator import Indicator
from ledger.domain.returns import PeriodReturn
from ledger.domain.targets import TargetSeries
from ledger.errors import Busy, Invalid, NotFound, NotInitialised
from ledger.hints import command, option
from ledger.values import Period, PeriodKind, Polarity, Target
from policies import ladder as policy
from policies.authorisation import Act
from policies.ladder import Ladder, LadderError, Review


class Intervention(Part):
    """The ladder of intervention in force, its decisions, and the escalation cases."""

    def ladder(self) -> Ladder | None:
        found = self.core.load(LadderInForce)
        return found.ladder if found else None

    def use_ladder(self, actor: str, chosen: Ladder, source: str) -> int:
        """Put CHOSEN in force (an event) and review every indicator under it; returns decisions."""
        self._adopt(actor, chosen, source)
        return self.review_ladder(self.core.indicator_codes())

    @use_case(Act.LADDER_USE)
    def _adopt(self, actor: str, chosen: Ladder, source: str) -> None:
        record = self.core.load(LadderInForce) or LadderInForce(actor=actor)
        record.adopt(chosen, source, actor)
        self.core.save(record)

    @use_case(Act.LADDER_USE, retry=False)
    def rerun_ladder(self, actor: str, codes: list[str]) -> int:
        """``ladder review``: run the ladder by hand (performance support, administrators)."""
        self._in_force()
        for code in codes:
            self.core.indicator(code)
        return self.review_ladder(codes or self.core.indicator_codes())

    # --- reviews -------------------------------------------------------------------------
    def reviews(self, code: str, today: date) -> list[Review]:
        """Every six-monthly review of CODE with a value and a monitoring level, as the ledger
        believes now (the level of the review period's target, else of the half's or year's)."""
        indicator = self.core.load(Indicator, code)
        series = self.core.load(TargetSeries, code)
        if indicator is None or series is None or indicator.pro_forma.tracker or indicator.retired:
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
                got = self.core.load(PeriodReturn, code, period) if target is not None else None
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
            total += self.core.run(functools.partial(self._review_one, chosen, code))
        return total

    def react(self, codes: Iterable[str]) -> None:
        """The reaction: run the ladder after a use case saved events that change a review.
        If other writers keep the ledger busy past every retry, the use case still
        succeeded: the decisions are made at the next run (the next change to these
        indicators, or ``ladder review``), exactly once, so nothing is lost by waiting."""
        try:
            self.review_ladder(codes)
        except Busy:
            return

    def _review_one(self, chosen: Ladder, code: str) -> int:
        today = self.core.today()
        record = self.core.load(Escalations, code)
        current = record.current if record else None
        decisions = policy.decide(chosen, self.reviews(code, today), current.stage if current else None,
                                  record.reviewed_through if record else None, today)
        if not decisions:
            return 0
        record = record or Escalations(indicator=code, actor=chosen.actor)
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
        self.core.save(record, *created)
        return len(decisions)

    def _latest_review(self, code: str, record: Escalations) -> Period | None:
        reviews = self.reviews(code, self.core.today())
        latest = reviews[-1].half if reviews else None
        through = record.reviewed_through
        if latest is None or (through is not None and through.start >= latest.start):
            return through
        return latest

    # --- people's part ---------------------------------------------------------------------
    def _in_force(self) -> Ladder:
        chosen = self.ladder()
        if chosen is None:
            raise NotInitialised(f"no ladder of intervention is in force: run "
                                 f"{command('ladder use halton|herefordshire|FILE')} first")
        return chosen

    @use_case(Act.ESCALATION_RAISE)
    def raise_escalation(self, actor: str, code: str, stage: int, note: str) -> str:
        """Performance support opens (or moves) CODE's case at STAGE by hand (003 §3)."""
        if not note.strip():
            raise Invalid(f"raising an escalation needs {option('note')}: the evidence of under-performance")
        chosen = self._in_force()
        try:
            step = chosen.stage(stage)
        except LadderError as error:
            raise Invalid(str(error)) from None
        indicator = self.core.indicator(code)
        if indicator.retired:
            raise Invalid(f"{code} was retired ({indicator.retired_reason}): it takes no escalation")
        if indicator.pro_forma.tracker:
            rated = f"{command('indicator revise')} {code} {option('no-tracker')}"
            raise Invalid(f"{code} is a tracker: it has no target or rating, so nothing to escalate "
                          f"(make it rated first: {rated})")
        record = self.core.load(Escalations, code) or Escalations(indicator=code, actor=actor)
        through = self._latest_review(code, record)
        trigger = f"raised by hand: {note.strip()}"
        due = policy.add_months(self.core.today(), step.within_months)
        current = record.current
        if current is not None:
            if current.stage >= stage:
                raise Invalid(f"{code}'s escalation {current.case_id} is already at stage "
                              f"{current.stage}: raise only to a higher stage")
            record.reach(case=current.case_id, stage=stage, review=through, trigger=trigger, due=due,
                         ladder=chosen.label, requires=step.requires, responder=step.responder, actor=actor)
            self.core.save(record)
            return current.case_id
        key = case_id(code, "by-hand", uuid4().hex)
        record.open(case=key, stage=stage, review=through, trigger=trigger, due=due,
                    ladder=chosen.label, requires=step.requires, responder=step.responder, actor=actor)
        self.core.save(record, CaseIndex(case=key, indicator=code, actor=actor))
        return key

    def _case(self, key: str) -> Escalations:
        index = self.core.load(CaseIndex, key)
        if index is None:
            raise NotFound(f"unknown escalation {key!r}: see {command('escalation list')}")
        record = self.core.load(Escalations, index.indicator)
        assert record is not None
        return record

    @use_case(Act.ESCALATION_RESPOND)
    def respond(self, actor: str, key: str, note: str, plan: str | None, actions: list[str] | None = None
                ) -> None:
        record = self._case(key)
        for named in actions or []:
            if not self.core.exists(Action, named):
                raise NotFound(f"unknown action {named!r}: add it first ({command('action add')})")
        self.core.check_designation(actor, Act.ESCALATION_RESPOND, record.indicator)
        case = record.case(key)
        chosen = self.ladder()
        if (not case.closed and chosen is not None and case.stage <= len(chosen.stages)
                and chosen.stage(case.stage).plan and not (plan and plan.strip())):
            raise Invalid(f"stage {case.stage} of {key} asks for "
                          f"{chosen.stage(case.stage).requires}: give it with {option('plan')} REF")
        record.respond(key, note, plan.strip() if plan else None, actor, list(dict.fromkeys(actions or [])))
        self.core.save(record)

    @use_case(Act.ESCALATION_CLOSE)
    def close(self, actor: str, key: str, note: str) -> None:
        if not note.strip():
            raise Invalid(f"closing an escalation needs {option('note')}: why it can close")
        record = self._case(key)
        if record.case(key).closed:
            raise Invalid(f"escalation {key} is already closed")
        record.close(case=key, review=self._latest_review(record.indicator, record),
                     note=note.strip(), actor=actor)
        self.core.save(record)


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
