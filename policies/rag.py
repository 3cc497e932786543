"""Rating and direction of travel (DOMAIN.md "RAG"; 000 §4.14, 003 §2). Pure.

``rate`` compares the value as recorded (never rounded) with the target:
met -> green; otherwise, with a monitoring level, amber between it and the target and red
beyond; otherwise amber when missed by no more than the tolerance, a percentage of the
target (10 means within 10% of it), red beyond. A target of 0 has no tolerance band.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from ledger.values import Period, Polarity, Target

GREEN, AMBER, RED, NONE, MISSING = "green", "amber", "red", "none", "missing"


def _within(actual: Decimal, bound: Decimal, tolerance: Decimal, below: bool) -> bool:
    """Missed ``bound`` by no more than ``tolerance`` percent of it (no band around 0)."""
    if bound == 0:
        return False
    band = abs(bound) * tolerance / Decimal(100)
    return bound - actual <= band if below else actual - bound <= band


def rate(actual: Decimal, goal: Target, polarity: Polarity, tolerance: Decimal) -> str:
    """green, amber or red for one value (``none`` when the goal cannot rate it)."""
    if polarity is Polarity.RANGE:
        return _rate_range(actual, goal, tolerance)
    target = goal.value
    if target is None or polarity is Polarity.NONE:
        return NONE
    higher = polarity is Polarity.HIGHER
    if (actual >= target) if higher else (actual <= target):
        return GREEN
    level = goal.monitoring_level
    if level is not None:
        return AMBER if ((actual >= level) if higher else (actual <= level)) else RED
    return AMBER if _within(actual, target, tolerance, below=higher) else RED


def _rate_range(actual: Decimal, goal: Target, tolerance: Decimal) -> str:
    low, high = goal.low, goal.high
    if low is None or high is None:
        return NONE
    if low <= actual <= high:
        return GREEN
    if goal.monitoring_low is not None and goal.monitoring_high is not None:
        return AMBER if goal.monitoring_low <= actual <= goal.monitoring_high else RED
    if actual < low:
        return AMBER if _within(actual, low, tolerance, below=True) else RED
    return AMBER if _within(actual, high, tolerance, below=False) else RED


def default_tolerance(rules: Sequence[tuple[Period | None, Decimal]], period: Period) -> Decimal:
    """The ledger's amber band for ``period``: the latest rule that covers it.

    ``rules`` are in the order they were recorded; a rule covers the periods starting on
    or after its ``from`` period (all periods when ``from`` is None).
    """
    found = Decimal(5)
    for start, tolerance in rules:
        if start is None or start.start <= period.start:
            found = tolerance
    return found


def tolerance_for(target: Decimal | None, indicator: Decimal | None, ledger: Decimal) -> Decimal:
    """Precedence: the target's own, then the indicator's, then the ledger default."""
    if target is not None:
        return target
    if indicator is not None:
        return indicator
    return ledger


def direction(current: Decimal | None, previous: Decimal | None, polarity: Polarity,
              goal: Target | None = None) -> str | None:
    """improving / worsening / unchanged where polarity is known, else increasing / decreasing."""
    if current is None or previous is None:
        return None
    if current == previous:
        return "unchanged"
    if polarity is Polarity.HIGHER:
        return "improving" if current > previous else "worsening"
    if polarity is Polarity.LOWER:
        return "improving" if current < previous else "worsening"
    if polarity is Polarity.RANGE and goal is not None and goal.low is not None and goal.high is not None:
        now, before = _distance(current, goal), _distance(previous, goal)
        if now != before:
            return "improving" if now < before else "worsening"
    return "increasing" if current > previous else "decreasing"


def _distance(value: Decimal, goal: Target) -> Decimal:
    assert goal.low is not None
    assert goal.high is not None
    if value < goal.low:
        return goal.low - value
    if value > goal.high:
        return value - goal.high
    return Decimal(0)
