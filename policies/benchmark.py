"""Benchmarks against a comparator group (issue 16, item 4): quartiles, median, and where a council
stands - its quartile (1 = best) and its rank of n - by the indicator's polarity.

Quartiles are computed by ONE method, the "inclusive" one that Excel's QUARTILE.INC (and LG Inform's
quartile banding) uses: for n values sorted ascending, the p-th quantile sits at position
h = (n - 1) * p (0-based) and is interpolated linearly between the values either side of it:

    q(p) = x[floor(h)] + (h - floor(h)) * (x[floor(h) + 1] - x[floor(h)])

so q(0) is the least value, q(1) the greatest, and the median is q(0.5). Arithmetic is exact
(``Decimal``), never floating point.

A council's quartile counts from the best end: for a higher-is-better indicator a figure at or above
the upper quartile is in quartile 1, at or above the median 2, at or above the lower quartile 3, else
4; for a lower-is-better one the same from the other end (at or below the lower quartile is 1). A
figure exactly on a boundary belongs to the better quartile. Its rank counts the values strictly
better than it, plus one: equal figures share a rank ("1, 2, 2, 4"). An indicator with no polarity
(or a target range, where neither end is better) gets neither a quartile nor a rank.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from ledger.values import Polarity

METHOD = "inclusive (QUARTILE.INC): h = (n - 1) * p, linear interpolation"


@dataclass(frozen=True)
class Summary:
    """The group's distribution: how many values, the lower quartile, the median, the upper quartile."""

    n: int
    q1: Decimal
    median: Decimal
    q3: Decimal


@dataclass(frozen=True)
class Standing:
    """Where one figure stands among the group's values (its own included in the n)."""

    summary: Summary
    quartile: int | None  # 1 = best; None without a polarity
    rank: int | None  # 1 = best; None without a polarity

    @property
    def n(self) -> int:
        return self.summary.n


def quantile(values: Sequence[Decimal], p: Decimal) -> Decimal:
    """The P-quantile (0 <= P <= 1) of VALUES by the inclusive method; VALUES must not be empty."""
    if not values:
        raise ValueError("no values: a quantile needs at least one")
    if not Decimal(0) <= p <= Decimal(1):
        raise ValueError(f"p {p} is outside 0..1")
    ordered = sorted(values)
    h = (len(ordered) - 1) * p
    low = int(h)  # floor: h is never negative
    if h == low:
        return ordered[low]  # on a value: that value, as written
    return _plain(ordered[low] + (h - low) * (ordered[low + 1] - ordered[low]))


def _plain(value: Decimal) -> Decimal:
    """VALUE without trailing zeros after the point (38.500 -> 38.5), never in exponent form."""
    normal = value.normalize()
    return normal.quantize(Decimal(1)) if normal.as_tuple().exponent > 0 else normal  # type: ignore[operator]


def summarise(values: Sequence[Decimal]) -> Summary | None:
    """n, lower quartile, median and upper quartile of VALUES (None for no values)."""
    if not values:
        return None
    return Summary(len(values), quantile(values, Decimal("0.25")), quantile(values, Decimal("0.5")),
                   quantile(values, Decimal("0.75")))


def ranked(polarity: Polarity) -> bool:
    """Whether POLARITY orders figures best to worst (higher or lower is better)."""
    return polarity in (Polarity.HIGHER, Polarity.LOWER)


def quartile_of(figure: Decimal, summary: Summary, polarity: Polarity) -> int | None:
    """FIGURE's quartile against SUMMARY's boundaries, 1 = best (a boundary goes to the better one)."""
    if polarity is Polarity.HIGHER:
        bounds = (summary.q3, summary.median, summary.q1)
        return next((i for i, bound in enumerate(bounds, start=1) if figure >= bound), 4)
    if polarity is Polarity.LOWER:
        bounds = (summary.q1, summary.median, summary.q3)
        return next((i for i, bound in enumerate(bounds, start=1) if figure <= bound), 4)
    return None


def rank_of(figure: Decimal, others: Sequence[Decimal], polarity: Polarity) -> int | None:
    """1 + how many of OTHERS are strictly better than FIGURE (ties share a rank); None unranked."""
    if polarity is Polarity.HIGHER:
        return 1 + sum(1 for v in others if v > figure)
    if polarity is Polarity.LOWER:
        return 1 + sum(1 for v in others if v < figure)
    return None


def place(figure: Decimal, others: Sequence[Decimal], polarity: Polarity) -> Standing:
    """Where FIGURE (the council's) stands among OTHERS (the other areas' values): the quartiles are
    those of OTHERS with FIGURE among them, so n = len(OTHERS) + 1."""
    summary = summarise([*others, figure])
    assert summary is not None
    return Standing(summary, quartile_of(figure, summary, polarity), rank_of(figure, others, polarity))
