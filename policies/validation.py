"""Plausibility of a figure at entry (DOMAIN.md "Returns and data quality").

Pure: values in, every problem out (not just the first), each with its fix.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from ledger.hints import option
from ledger.values import Unit

RATIO_UNITS = (Unit.PERCENT, Unit.RATE, Unit.RATIO)


@dataclass(frozen=True)
class Problem:
    field: str
    message: str
    severity: str = "error"

    def __str__(self) -> str:
        return f"{self.field}: {self.message}"


def _places(value: Decimal) -> int:
    exponent = value.as_tuple().exponent
    return -exponent if isinstance(exponent, int) and exponent < 0 else 0


def check_figures(
    unit: Unit,
    value: Decimal,
    numerator: Decimal | None = None,
    denominator: Decimal | None = None,
    rate_base: Decimal | None = None,
) -> list[Problem]:
    """Check one value (and its numerator and denominator) against its unit."""
    problems: list[Problem] = []
    if unit is Unit.PERCENT and not Decimal(0) <= value <= Decimal(100):
        problems.append(Problem("value", f"{value} is not a percentage: it must lie within 0-100"))
    if unit is Unit.COUNT and (value < 0 or value != value.to_integral_value()):
        problems.append(Problem("value", f"{value} is not a count: use a whole number, 0 or more"))
    if unit in (Unit.RATE, Unit.RATIO, Unit.DAYS) and value < 0:
        problems.append(Problem("value", f"{value} cannot be negative for a {unit.value}"))
    if (numerator is None) != (denominator is None):
        problems.append(Problem("numerator",
                                f"give both {option('numerator')} and {option('denominator')}, or neither"))
        return problems
    if numerator is None or denominator is None:
        return problems
    if unit not in RATIO_UNITS:
        problems.append(
            Problem("numerator", f"a {unit.value} has no numerator or denominator: drop them")
        )
        return problems
    if numerator < 0:
        problems.append(Problem("numerator", f"{numerator} cannot be negative"))
    if denominator <= 0:
        problems.append(Problem("denominator", f"{denominator} must be greater than 0"))
        return problems
    if unit in (Unit.PERCENT, Unit.RATE) and numerator > denominator:
        problems.append(
            Problem("numerator", f"{numerator} is above its denominator {denominator}: check both")
        )
    scale = {Unit.PERCENT: Decimal(100), Unit.RATE: rate_base or Decimal(1)}.get(unit, Decimal(1))
    computed = numerator * scale / denominator
    quantum = Decimal(1).scaleb(-_places(value))
    if computed.quantize(quantum, rounding=ROUND_HALF_UP) != value:
        shown = computed.quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP).normalize()
        problems.append(
            Problem(
                "value",
                f"{value} does not match {numerator}/{denominator}"
                f"{'' if scale == 1 else f' x {scale}'} = {shown}: correct the value or its parts",
            )
        )
    return problems
