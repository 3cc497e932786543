"""Target profiles (``target profile``): a year's target written onto the indicator's own periods
in one decision, as its definition says.

- A count is additive: the periods' targets add up to the year's total. A discrete count shares the
  total by the weights (whole numbers, the remainders to the largest fractions, so they add up
  exactly); a cumulative count's target for each period is the year to date, ending at the total.
- Every other unit (a percentage, a rate, days, ...) is a level: each period's target is the total
  scaled by its weight against the average weight (an even shape: the total itself); a cumulative
  level's target is the year-to-date average of those.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

SHAPES = ("even",)  # or a file of weights


def _places(total: Decimal) -> Decimal:
    exponent = total.as_tuple().exponent
    digits = max(1, -exponent if isinstance(exponent, int) else 1)
    return Decimal(1).scaleb(-digits)


def _shares(total: Decimal, weights: list[Decimal]) -> list[Decimal]:
    """TOTAL split into whole numbers in proportion to WEIGHTS, adding up to TOTAL exactly."""
    whole = sum(weights, Decimal(0))
    exact = [total * w / whole for w in weights]
    floors = [e.to_integral_value(rounding="ROUND_FLOOR") for e in exact]
    left = int(total - sum(floors, Decimal(0)))
    order = sorted(range(len(exact)), key=lambda i: (-(exact[i] - floors[i]), i))
    for i in order[:left]:
        floors[i] += 1
    return floors


def profile(total: Decimal, weights: list[Decimal], *, additive: bool, cumulative: bool) -> list[Decimal]:
    """Each period's target, in order, for a year whose target is TOTAL, shaped by WEIGHTS."""
    if not weights or any(w < 0 for w in weights) or sum(weights, Decimal(0)) == 0:
        raise ValueError("a shape needs a weight for each period, none negative and not all zero")
    if additive:
        parts = _shares(total, weights)
        if not cumulative:
            return parts
        running, found = Decimal(0), []
        for part in parts:
            running += part
            found.append(running)
        return found
    if len(set(weights)) == 1:
        return [total for _ in weights]
    mean = sum(weights, Decimal(0)) / len(weights)
    places = _places(total)
    levels = [total * w / mean for w in weights]
    if cumulative:
        levels = [sum(levels[: i + 1], Decimal(0)) / (i + 1) for i in range(len(levels))]
    return [level.quantize(places, rounding=ROUND_HALF_UP) for level in levels]
