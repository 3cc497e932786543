"""Quartiles by the inclusive method (Excel's QUARTILE.INC), worked by hand; a council's quartile and
rank with ties and both polarities; no quartile without a polarity."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from ledger.values import Polarity
from policies.benchmark import place, quantile, quartile_of, rank_of, summarise

HI, LO, RANGE, NONE = Polarity.HIGHER, Polarity.LOWER, Polarity.RANGE, Polarity.NONE


def ds(*values: str) -> list[D]:
    return [D(v) for v in values]


def test_eight_values_interpolate_between_neighbours() -> None:
    # 1..8: h = 7p; q1 at h = 1.75: 2 + 0.75 x (3 - 2) = 2.75; median at 3.5: 4.5; q3 at 5.25: 6.25
    # (Excel: QUARTILE.INC({1,2,3,4,5,6,7,8}, 1) = 2.75, 2 -> 4.5, 3 -> 6.25)
    summary = summarise(ds("8", "3", "1", "7", "2", "6", "5", "4"))  # order does not matter
    assert summary is not None
    assert (summary.n, summary.q1, summary.median, summary.q3) == (8, D("2.75"), D("4.5"), D("6.25"))


def test_five_values_fall_on_values() -> None:
    # n = 5: h = 4p lands on whole positions: q1 = x[1], median = x[2], q3 = x[3]
    summary = summarise(ds("40.1", "28.7", "45.3", "33.0", "50.2"))
    assert summary is not None
    assert (summary.q1, summary.median, summary.q3) == (D("33.0"), D("40.1"), D("45.3"))


def test_exact_decimals_and_the_extremes() -> None:
    values = ds("0.1", "0.2", "0.4")
    assert quantile(values, D("0.25")) == D("0.15")  # h = 0.5: halfway from 0.1 to 0.2, exactly
    assert quantile(values, D(0)) == D("0.1")
    assert quantile(values, D(1)) == D("0.4")
    one = summarise(ds("7"))
    assert one is not None
    assert (one.n, one.q1, one.median, one.q3) == (1, D(7), D(7), D(7))
    assert summarise([]) is None
    with pytest.raises(ValueError, match="no values"):
        quantile([], D("0.5"))


@pytest.mark.parametrize(
    ("figure", "polarity", "quartile"),
    [
        ("6.25", HI, 1),  # on the upper quartile: the better quartile
        ("6.24", HI, 2),
        ("4.5", HI, 2),  # on the median
        ("4.49", HI, 3),
        ("2.75", HI, 3),
        ("2.74", HI, 4),
        ("2.75", LO, 1),  # lower is better: on the lower quartile is the best quartile
        ("2.76", LO, 2),
        ("4.5", LO, 2),
        ("6.25", LO, 3),
        ("6.26", LO, 4),
        ("9", NONE, None),
        ("9", RANGE, None),
    ],
)
def test_quartile_counts_from_the_best_end(figure: str, polarity: Polarity, quartile: int | None) -> None:
    summary = summarise(ds("1", "2", "3", "4", "5", "6", "7", "8"))
    assert summary is not None
    assert quartile_of(D(figure), summary, polarity) == quartile


def test_ties_share_a_rank() -> None:
    others = ds("50", "45", "45", "30")
    assert rank_of(D("45"), others, HI) == 2  # only 50 is better; the two 45s do not count
    assert rank_of(D("60"), others, HI) == 1
    assert rank_of(D("20"), others, HI) == 5
    assert rank_of(D("45"), others, LO) == 2  # only 30 is better
    assert rank_of(D("30"), others, LO) == 1
    assert rank_of(D("45"), others, NONE) is None


def test_place_puts_the_council_among_the_others() -> None:
    # Halton-like: a recycling rate of 40.0 among 5 neighbours (higher is better)
    standing = place(D("40.0"), ds("38.0", "44.0", "47.5", "35.2", "41.0"), HI)
    # all six sorted: 35.2 38.0 40.0 41.0 44.0 47.5; h = 5p
    # q1 at 1.25: 38.0 + 0.25 x 2.0 = 38.5; median at 2.5: 40.5; q3 at 3.75: 41.0 + 0.75 x 3.0 = 43.25
    assert (standing.n, standing.summary.q1, standing.summary.median, standing.summary.q3) == (
        6, D("38.5"), D("40.5"), D("43.25"))
    assert (standing.quartile, standing.rank) == (3, 4)  # below the median, above q1; 3 areas better
    lower = place(D("40.0"), ds("38.0", "44.0", "47.5", "35.2", "41.0"), LO)
    assert (lower.quartile, lower.rank) == (2, 3)  # lower is better: 35.2 and 38.0 beat it
    none = place(D("40.0"), ds("38.0"), NONE)
    assert (none.quartile, none.rank, none.n) == (None, None, 2)
