"""Target profiles (policies/profile.py): a year's target onto its periods, by the indicator's definition."""

from __future__ import annotations

from decimal import Decimal

import pytest

from policies.profile import profile

D = Decimal


def test_a_count_adds_up_to_the_total_with_the_remainder_to_the_largest_fractions() -> None:
    assert profile(D(550), [D(1)] * 4, additive=True, cumulative=False) == [D(138), D(138), D(137), D(137)]
    assert profile(D(10), [D(1), D(1), D(1)], additive=True, cumulative=False) == [D(4), D(3), D(3)]
    assert sum(profile(D(1001), [D(3), D(1), D(2), D(5)], additive=True, cumulative=False)) == D(1001)


def test_a_cumulative_count_runs_up_to_the_total() -> None:
    assert profile(D(100), [D(1), D(2), D(3), D(4)], additive=True, cumulative=True) == [
        D(10), D(30), D(60), D(100)]


def test_a_level_is_the_total_itself_evenly_and_scaled_by_a_shape() -> None:
    assert profile(D("45.5"), [D(1)] * 4, additive=False, cumulative=False) == [D("45.5")] * 4
    assert profile(D(45), [D(1), D(2), D(3), D(2)], additive=False, cumulative=False) == [
        D("22.5"), D("45.0"), D("67.5"), D("45.0")]  # the average weight (2) gives the total


def test_a_cumulative_level_is_the_year_to_date_average() -> None:
    assert profile(D(45), [D(1), D(2), D(3), D(2)], additive=False, cumulative=True) == [
        D("22.5"), D("33.8"), D("45.0"), D("45.0")]


@pytest.mark.parametrize("weights", [[], [D(0), D(0)], [D(1), D(-1)]])
def test_a_shape_needs_weights_none_negative_and_not_all_zero(weights: list[Decimal]) -> None:
    with pytest.raises(ValueError, match="a weight for each period"):
        profile(D(10), weights, additive=True, cumulative=False)
