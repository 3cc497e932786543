"""Ladders of intervention (003 §3, 000 §4.16) as configuration, and the pure policy.

A ladder is a list of stages; each stage has a trigger, who must respond, by when (months
after the stage is reached), what is required, and whether the response must name a plan.

Triggers, evaluated at six-monthly reviews against the monitoring level:
- ``missed``: the review misses the monitoring level;
- ``missed-consecutive`` (with ``reviews = N``): the last N consecutive halves all missed;
- ``missed-again``: a review after the previous stage was reached misses again (the
  under-performance continues despite the response asked for at that stage).

``decide`` is pure: no clock, no I/O. The caller passes the reviews (in order), the open
case's stage (or None), the last review already decided, and today's date.
"""

from __future__ import annotations

import tomllib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from ledger.values import Frequency, Period, PeriodKind, Polarity

TRIGGERS = ("missed", "missed-consecutive", "missed-again")
OPEN, ADVANCE, CLOSE = "open", "advance", "close"


class LadderError(ValueError):
    """A ladder definition that cannot be used; the message says what to fix."""


@dataclass(frozen=True)
class Stage:
    number: int
    title: str
    trigger: str
    responder: str
    reports_to: str
    within_months: int
    requires: str
    plan: bool = False
    reviews: int = 1  # for missed-consecutive

    def describe_trigger(self) -> str:
        if self.trigger == "missed":
            return "a six-monthly review misses the monitoring level"
        if self.trigger == "missed-consecutive":
            return f"{self.reviews} consecutive six-monthly reviews miss the monitoring level"
        return "performance is still below at the next review despite the response"


@dataclass(frozen=True)
class Ladder:
    name: str
    version: int
    title: str
    stages: tuple[Stage, ...]

    @property
    def label(self) -> str:
        """``halton/1``: the ladder and its version, as decisions are attributed."""
        return f"{self.name}/{self.version}"

    @property
    def actor(self) -> str:
        return f"ladder:{self.label}"

    def stage(self, number: int) -> Stage:
        if not 1 <= number <= len(self.stages):
            raise LadderError(f"stage {number} is beyond the {self.name} ladder's stages "
                              f"(1-{len(self.stages)})")
        return self.stages[number - 1]

    def as_dict(self) -> dict[str, Any]:
        return {"name": self.name, "version": self.version, "title": self.title,
                "stages": [{"title": s.title, "trigger": s.trigger, "responder": s.responder,
                            "reports_to": s.reports_to, "within_months": s.within_months,
                            "requires": s.requires, "plan": s.plan, "reviews": s.reviews}
                           for s in self.stages]}


def from_dict(data: dict[str, Any], where: str = "the ladder") -> Ladder:
    """A ladder from its configuration (a parsed TOML file or a stored event); refuses gaps."""
    name = data.get("name")
    if not isinstance(name, str) or not name.strip():
        raise LadderError(f"{where}: give the ladder a name (name = \"...\")")
    version = data.get("version", 1)
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise LadderError(f"{where}: version must be a whole number, 1 or more")
    raw = data.get("stages") or data.get("stage")
    if not isinstance(raw, list) or not raw:
        raise LadderError(f"{where}: a ladder needs at least one [[stage]]")
    stages = []
    for number, item in enumerate(raw, start=1):
        if not isinstance(item, dict):
            raise LadderError(f"{where}: stage {number} must be a table ([[stage]])")
        stages.append(_stage(number, item, where))
    return Ladder(name.strip(), version, str(data.get("title") or name).strip(), tuple(stages))


def _stage(number: int, item: dict[str, Any], where: str) -> Stage:
    trigger = item.get("trigger")
    if not trigger:
        raise LadderError(f"{where}: stage {number} has no trigger (one of {', '.join(TRIGGERS)})")
    if trigger not in TRIGGERS:
        raise LadderError(f"{where}: stage {number} has an unknown trigger {trigger!r} "
                          f"(use one of {', '.join(TRIGGERS)})")
    if number == 1 and trigger == "missed-again":
        raise LadderError(f"{where}: stage 1 cannot be triggered by missed-again (there is no "
                          "earlier stage): use missed or missed-consecutive")
    months = item.get("within_months")
    if months is None:
        raise LadderError(f"{where}: stage {number} has no deadline (within_months = N)")
    if not isinstance(months, int) or isinstance(months, bool) or not 0 < months <= 24:
        raise LadderError(f"{where}: stage {number}: within_months must be a whole number of "
                          "months, 1-24")
    reviews = item.get("reviews", 2 if trigger == "missed-consecutive" else 1)
    if not isinstance(reviews, int) or isinstance(reviews, bool) or reviews < 1:
        raise LadderError(f"{where}: stage {number}: reviews must be a whole number, 1 or more")
    responder = item.get("responder")
    if not isinstance(responder, str) or not responder.strip():
        raise LadderError(f"{where}: stage {number} needs a responder (who must respond)")
    return Stage(number, str(item.get("title") or f"stage {number}"), trigger, responder.strip(),
                 str(item.get("reports_to") or ""), months, str(item.get("requires") or "a report"),
                 bool(item.get("plan", False)), reviews)


def parse_toml(text: str, where: str) -> Ladder:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise LadderError(f"{where} is not valid TOML ({error})") from None
    return from_dict(data, where)


HALTON = Ladder("halton", 1, "Halton's ladder of intervention (003 §3)", (
    Stage(1, "lead partner acts", "missed", "lead-organisation", "the thematic partnership (SSP)", 3,
          "a progress report"),
    Stage(2, "partnership plan", "missed-consecutive", "lead-officer", "the PSG", 3,
          "a plan agreed with the agencies", plan=True, reviews=2),
    Stage(3, "revised plan", "missed-again", "improvement-manager", "the PSG", 3,
          "a revised plan agreed with the PSG's nominee", plan=True),
))

HEREFORDSHIRE = Ladder("herefordshire", 1, "Herefordshire's steps (000 §4.16)", (
    Stage(1, "improvement manager pursues", "missed", "improvement-manager",
          "Partnership/Performance Support", 1, "an urgent report back"),
    Stage(2, "remedial action plan", "missed-again", "operational-manager",
          "Partnership/Performance Support", 3, "a plan of remedial action", plan=True),
    Stage(3, "referral to the Deputy Chief Executive", "missed-again", "deputy-chief-executive",
          "the Deputy Chief Executive", 1, "the Deputy Chief Executive's decision"),
))

SHIPPED = {ladder.name: ladder for ladder in (HALTON, HEREFORDSHIRE)}


# --- reviews -----------------------------------------------------------------------------
@dataclass(frozen=True)
class Review:
    """One six-monthly review: the value read for a half and whether it missed the level."""

    half: Period
    period: Period
    value: Decimal
    level: str
    missed: bool


def review_period(frequency: Frequency, half: Period) -> Period | None:
    """The indicator's own period a review of ``half`` reads (CLI.md "Six-monthly reviews")."""
    if frequency is Frequency.MONTHLY:
        return Period.containing(PeriodKind.MONTH, half.end)
    if frequency is Frequency.QUARTERLY:
        return Period.containing(PeriodKind.QUARTER, half.end)
    if frequency is Frequency.HALF_YEARLY:
        return half
    if half == half.financial_year.children(PeriodKind.HALF)[1]:
        return half.financial_year
    return None


def missed(value: Decimal, polarity: Polarity, level: Decimal | None = None,
           low: Decimal | None = None, high: Decimal | None = None) -> bool | None:
    """Whether ``value`` misses the level (None when it cannot be judged)."""
    if polarity is Polarity.RANGE:
        if low is None or high is None:
            return None
        return not low <= value <= high
    if level is None or polarity is Polarity.NONE:
        return None
    return value < level if polarity is Polarity.HIGHER else value > level


# --- the decision --------------------------------------------------------------------------
@dataclass(frozen=True)
class Decision:
    kind: str  # open | advance | close
    review: Period
    stage: int  # the stage reached (for close: the stage it was at)
    trigger: str
    due: date | None


def add_months(day: date, months: int) -> date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    days = [31, 29 if year % 4 == 0 and (year % 100 != 0 or year % 400 == 0) else 28, 31, 30, 31,
            30, 31, 31, 30, 31, 30, 31][month - 1]
    return date(year, month, min(day.day, days))


def _consecutive(reviews: Sequence[Review], index: int) -> int:
    count = 0
    while index >= 0 and reviews[index].missed:
        if count and reviews[index].half.next() != reviews[index + 1].half:
            break
        count += 1
        index -= 1
    return count


def _fires(stage: Stage, reviews: Sequence[Review], index: int, after_stage: bool) -> bool:
    if not reviews[index].missed:
        return False
    if stage.trigger == "missed":
        return True
    if stage.trigger == "missed-consecutive":
        return _consecutive(reviews, index) >= stage.reviews
    return after_stage


def _why(stage: Stage, review: Review) -> str:
    return (f"{stage.describe_trigger()}: {review.half} read {review.period} = {review.value} "
            f"against {review.level}")


def decide(ladder: Ladder, reviews: Sequence[Review], open_stage: int | None,
           reviewed_through: Period | None, today: date) -> list[Decision]:
    """What the ladder decides at each review not yet decided, in order.

    - no case open and stage 1's trigger fires: open stage 1;
    - a case open and the review misses: advance one stage when the next stage's trigger
      fires (at the top stage it stays);
    - a case open and the review meets the level: close (performance recovered).
    A review at or before ``reviewed_through`` was decided already and is never revisited:
    a later restatement does not rewrite past decisions.
    """
    ordered = sorted(reviews, key=lambda r: r.half.start)
    decisions: list[Decision] = []
    stage = open_stage
    for index, review in enumerate(ordered):
        if reviewed_through is not None and review.half.start <= reviewed_through.start:
            continue
        if stage is None:
            first = ladder.stages[0]
            if _fires(first, ordered, index, after_stage=False):
                stage = 1
                decisions.append(Decision(OPEN, review.half, 1, _why(first, review),
                                          add_months(today, first.within_months)))
            continue
        if not review.missed:
            decisions.append(Decision(CLOSE, review.half, stage,
                                      f"performance recovered: {review.half} read {review.period} = "
                                      f"{review.value}, meeting {review.level}", None))
            stage = None
            continue
        if stage < len(ladder.stages):
            following = ladder.stages[stage]
            if _fires(following, ordered, index, after_stage=True):
                stage += 1
                decisions.append(Decision(ADVANCE, review.half, stage, _why(following, review),
                                          add_months(today, following.within_months)))
    return decisions


def status(closed: bool, responded: bool, due: date | None, today: date) -> str:
    """open | responded | overdue | closed: overdue is derived from the deadline and the date."""
    if closed:
        return "closed"
    if responded:
        return "responded"
    if due is not None and today > due:
        return "overdue"
    return "open"
