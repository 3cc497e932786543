"""Plausibility checks at entry: every problem, each naming its field."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from ledger.values import Unit
from policies.validation import check_figures


def fields(unit: Unit, value: str, num: str | None = None, den: str | None = None,
           base: str | None = None) -> list[str]:
    return [p.field for p in check_figures(unit, D(value), D(num) if num else None, D(den) if den else None,
                                           D(base) if base else None)]


@pytest.mark.parametrize("value", ["0", "100", "54.34"])
def test_percentages_within_0_to_100_pass(value: str) -> None:
    assert fields(Unit.PERCENT, value) == []


@pytest.mark.parametrize("value", ["-0.1", "100.01", "250"])
def test_percentages_outside_0_to_100_are_refused(value: str) -> None:
    assert fields(Unit.PERCENT, value) == ["value"]


@pytest.mark.parametrize("value", ["-1", "2.5"])
def test_counts_are_whole_and_not_negative(value: str) -> None:
    assert fields(Unit.COUNT, value) == ["value"]


def test_a_count_written_with_a_zero_fraction_is_whole() -> None:
    assert fields(Unit.COUNT, "12.0") == []


def test_value_must_match_numerator_over_denominator_at_its_precision() -> None:
    assert fields(Unit.PERCENT, "54.34", "5434", "10000") == []
    assert fields(Unit.PERCENT, "54.3", "5434", "10000") == []  # rounded to 1 dp
    assert fields(Unit.PERCENT, "54.4", "5434", "10000") == ["value"]


def test_a_rate_uses_its_rate_base() -> None:
    assert fields(Unit.RATE, "1.6", "189", "118000", "1000") == []
    assert fields(Unit.RATE, "16", "189", "118000", "1000") == ["value"]


def test_numerator_above_denominator_is_refused_for_a_percentage() -> None:
    problems = check_figures(Unit.PERCENT, D("100"), D("120"), D("100"))
    assert any("above its denominator" in str(p) for p in problems)


def test_a_zero_denominator_is_refused() -> None:
    assert fields(Unit.RATIO, "1", "1", "0") == ["denominator"]


def test_only_one_of_numerator_and_denominator_is_refused() -> None:
    assert fields(Unit.PERCENT, "50", "5", None) == ["numerator"]


def test_parts_on_a_unit_without_parts_are_refused() -> None:
    assert fields(Unit.COUNT, "5", "5", "10") == ["numerator"]


def test_every_problem_is_reported_not_just_the_first() -> None:
    assert fields(Unit.PERCENT, "150", "-1", "100") == ["value", "numerator", "value"]
