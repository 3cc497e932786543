"""Validation at entry, beyond the unit checks (DOMAIN.md "Returns and data quality").

Pure: figures in, every problem out, each an error (the return is refused) or a
warning (it is recorded with the return). Three rules:

- decimal places: a value may not carry more places than the pro forma gives;
- the outlier warning: a value more than the indicator's ``outlier threshold``
  (a percentage, set on the pro forma; none means no check) away from the mean of
  its own history. The history is the preceding four periods for a discrete
  in-year figure, and the same period of the three preceding years for a
  cumulative (year-to-date) figure or a year. A warning needs commentary: without
  one it is an error;
- year-end consistency of an in-year indicator's year with its in-year returns:
  a cumulative (year-to-date) year equals its last in-year figure, and a
  year-to-date count never falls from one period to the next; a discrete year
  lies within the range its periods allow (for a level, between the lowest and
  the highest; for a count, between the lowest and the sum).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from itertools import pairwise

from ledger.hints import option
from ledger.values import Period, PeriodKind, Unit
from policies.validation import Problem

ERROR, WARNING = "error", "warning"
HISTORY_PERIODS = 4
HISTORY_YEARS = 3


@dataclass(frozen=True)
class Shape:
    """What the rules need of an indicator's pro forma."""

    unit: Unit
    own: PeriodKind  # the kind of the indicator's own periods
    cumulative: bool = False
    decimals: int | None = None
    outlier_threshold: Decimal | None = None


def places(value: Decimal) -> int:
    exponent = value.as_tuple().exponent
    return -exponent if isinstance(exponent, int) and exponent < 0 else 0


def check_decimals(value: Decimal, decimals: int | None) -> list[Problem]:
    if decimals is None or places(value) <= decimals:
        return []
    return [Problem("value", f"{value} has {places(value)} decimal places; the indicator is reported to "
                             f"{decimals}: round it")]


def history_periods(shape: Shape, period: Period) -> list[Period]:
    """The periods whose figures make the history ``period`` is compared with, latest first."""
    if period.kind is PeriodKind.YEAR or shape.cumulative:
        found, current = [], period
        for _ in range(HISTORY_YEARS):
            if current.year <= 1:
                break
            current = current.year_earlier()
            found.append(current)
        return found
    found, current = [], period
    for _ in range(HISTORY_PERIODS):
        if current.year <= 1 and current.index == 1:
            break
        current = current.previous()
        found.append(current)
    return found


def outlier(shape: Shape, period: Period, value: Decimal, history: Mapping[Period, Decimal],
            commentary: str | None) -> list[Problem]:
    """The warning for a value far outside the history (an error without commentary)."""
    threshold = shape.outlier_threshold
    known = [history[p] for p in history_periods(shape, period) if p in history]
    if threshold is None or not known:
        return []
    mean = sum(known, Decimal(0)) / len(known)
    if mean == 0:
        return []
    away = abs(value - mean) / abs(mean) * 100
    if away <= threshold:
        return []
    shown_mean = f"{mean.quantize(Decimal('0.01'), rounding=ROUND_HALF_UP).normalize():f}"
    shown_away = away.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    text = (f"{value} is {shown_away}% away from the mean {shown_mean} of its last {len(known)} "
            f"comparable return(s) (outlier threshold {threshold}%)")
    if commentary and commentary.strip():
        return [Problem("value", text, WARNING)]
    return [Problem("commentary", f"{text}: explain it with {option('commentary')} (in a CSV file, "
                                  "the commentary column) to record it with a warning")]


def year_end(shape: Shape, period: Period, value: Decimal, figures: Mapping[Period, Decimal], *,
             in_file: bool = False, year_in_file: bool = False) -> list[Problem]:
    """Consistency of ``period``'s ``value`` with the other figures of its financial year.

    ``figures`` holds the year's other returns (the year itself and its own periods) as
    they will stand; ``period`` is the year or one of the indicator's own periods. For the
    rows of one file (``in_file``), each problem is named once: a fall on the later row,
    and a year that cannot follow from its periods on the year's row when the year is in
    the file too (``year_in_file``).
    """
    if shape.own is PeriodKind.YEAR:
        return []
    year = period.financial_year
    merged = {**figures, period: value}
    parts = [(p, merged[p]) for p in year.children(shape.own) if p in merged]
    problems: list[Problem] = []
    if shape.cumulative and shape.unit is Unit.COUNT:
        for (earlier, low), (later, high) in pairwise(parts):
            if high < low and (period == later or (period == earlier and not in_file)):
                problems.append(Problem("value", f"the year-to-date count for {later} ({high}) falls below "
                                                 f"{earlier}'s ({low}): a cumulative count cannot fall"))
    total = merged.get(year)
    if total is None or not parts or (year_in_file and period != year):
        return problems
    expected = year.children(shape.own)
    if shape.cumulative:
        last_period, last = parts[-1]
        if last_period == expected[-1] and total != last:
            problems.append(Problem("value", f"the year-to-date figure for {year} ({total}) must equal "
                                             f"{last_period}'s ({last}): the indicator is cumulative"))
        elif last_period != expected[-1] and shape.unit is Unit.COUNT and total < last:
            problems.append(Problem("value", f"the year-to-date count for {year} ({total}) falls below "
                                             f"{last_period}'s ({last}): a cumulative count cannot fall"))
        return problems
    if len(parts) < len(expected):
        return problems
    values = [v for _, v in parts]
    low, high = min(values), (sum(values, Decimal(0)) if shape.unit is Unit.COUNT else max(values))
    if not low <= total <= high:
        what = "the lowest and the sum" if shape.unit is Unit.COUNT else "the lowest and the highest"
        problems.append(Problem("value", f"the figure for {year} ({total}) cannot follow from its "
                                         f"{len(parts)} periods: it must lie between {what} of them "
                                         f"({low}..{high})"))
    return problems


def context_periods(shape: Shape, period: Period) -> list[Period]:
    """Every period whose figure the rules may read for a return of ``period``."""
    wanted = list(history_periods(shape, period)) if shape.outlier_threshold is not None else []
    if shape.own is not PeriodKind.YEAR:
        year = period.financial_year
        wanted += [p for p in [year, *year.children(shape.own)] if p != period]
    return wanted


def errors(problems: Sequence[Problem]) -> list[Problem]:
    return [p for p in problems if p.severity == ERROR]


def warnings(problems: Sequence[Problem]) -> list[Problem]:
    return [p for p in problems if p.severity == WARNING]
