"""Every rating rule, on both polarities and the range case; direction of travel."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from ledger.values import Period, Polarity, Target
from policies.rag import default_tolerance, direction, rate, tolerance_for

HI, LO, RANGE, NONE = Polarity.HIGHER, Polarity.LOWER, Polarity.RANGE, Polarity.NONE


@pytest.mark.parametrize(
    ("polarity", "actual", "expected"),
    [
        (HI, "52.5", "green"),  # exactly met
        (HI, "60", "green"),
        (HI, "50", "amber"),  # 2.5 short of 52.5: within 5% (2.625)
        (HI, "49.875", "amber"),  # exactly on the edge of the band
        (HI, "49.874", "red"),  # recorded value is rated, never rounded
        (LO, "52.5", "green"),
        (LO, "40", "green"),
        (LO, "55", "amber"),
        (LO, "55.125", "amber"),
        (LO, "55.126", "red"),
    ],
)
def test_tolerance_is_relative_to_the_target(polarity: Polarity, actual: str, expected: str) -> None:
    assert rate(D(actual), Target(value=D("52.5")), polarity, D(5)) == expected


@pytest.mark.parametrize(
    ("polarity", "actual", "level", "expected"),
    [
        (HI, "45", "40", "amber"),  # between the monitoring level and the target
        (HI, "40", "40", "amber"),  # at the level is not beyond it
        (HI, "39.99", "40", "red"),
        (LO, "55", "60", "amber"),
        (LO, "60", "60", "amber"),
        (LO, "60.01", "60", "red"),
    ],
)
def test_a_monitoring_level_replaces_the_tolerance(
    polarity: Polarity, actual: str, level: str, expected: str
) -> None:
    goal = Target(value=D(50), monitoring_level=D(level))
    assert rate(D(actual), goal, polarity, D(50)) == expected


@pytest.mark.parametrize(
    ("actual", "expected"),
    [("-1", "green"), ("0", "green"), ("1", "green"), ("1.05", "amber"), ("1.06", "red"),
     ("-1.05", "amber"), ("-1.051", "red")],
)
def test_a_range_is_met_inside_and_amber_just_outside(actual: str, expected: str) -> None:
    assert rate(D(actual), Target(low=D(-1), high=D(1)), RANGE, D(5)) == expected


def test_a_range_with_a_monitoring_band() -> None:
    goal = Target(low=D(-1), high=D(1), monitoring_low=D(-2), monitoring_high=D(2))
    assert [rate(D(v), goal, RANGE, D(5)) for v in ("0", "1.5", "-2", "2.5")] == [
        "green", "amber", "amber", "red"]


def test_a_target_of_zero_has_no_tolerance_band() -> None:
    assert rate(D(0), Target(value=D(0)), LO, D(10)) == "green"
    assert rate(D("0.01"), Target(value=D(0)), LO, D(10)) == "red"
    assert rate(D(0), Target(low=D(0), high=D(0)), RANGE, D(10)) == "green"
    assert rate(D("0.1"), Target(low=D(0), high=D(0)), RANGE, D(10)) == "red"


def test_no_target_or_no_polarity_is_not_rated() -> None:
    assert rate(D(5), Target(), HI, D(5)) == "none"
    assert rate(D(5), Target(value=D(4)), NONE, D(5)) == "none"


def test_tolerance_precedence_target_then_indicator_then_ledger() -> None:
    assert tolerance_for(D(2), D(7), D(5)) == D(2)
    assert tolerance_for(None, D(7), D(5)) == D(7)
    assert tolerance_for(None, None, D(5)) == D(5)
    assert tolerance_for(D(0), D(7), D(5)) == D(0)  # 0 is a tolerance, not "unset"


def test_rule_changes_apply_from_their_period() -> None:
    rules = [(None, D(5)), (Period.parse("2009/10"), D(10))]
    assert default_tolerance(rules, Period.parse("2008/09-Q4")) == D(5)
    assert default_tolerance(rules, Period.parse("2009/10-Q1")) == D(10)
    assert default_tolerance(rules, Period.parse("2009-05")) == D(10)
    later = [*rules, (None, D(3))]  # a later rule for all periods supersedes both
    assert default_tolerance(later, Period.parse("2008/09-Q4")) == D(3)
    assert default_tolerance(later, Period.parse("2010/11")) == D(3)


@pytest.mark.parametrize(
    ("polarity", "now", "before", "expected"),
    [
        (HI, "55", "50", "improving"), (HI, "45", "50", "worsening"), (HI, "50", "50", "unchanged"),
        (LO, "45", "50", "improving"), (LO, "55", "50", "worsening"),
        (NONE, "55", "50", "increasing"), (NONE, "45", "50", "decreasing"),
        (NONE, "50", "50", "unchanged"),
    ],
)
def test_direction_of_travel(polarity: Polarity, now: str, before: str, expected: str) -> None:
    assert direction(D(now), D(before), polarity) == expected


def test_direction_for_a_range_is_distance_from_the_band() -> None:
    band = Target(low=D(-1), high=D(1))
    assert direction(D("1.5"), D("3"), RANGE, band) == "improving"
    assert direction(D("-3"), D("-1.5"), RANGE, band) == "worsening"
    assert direction(D("0.5"), D("0"), RANGE, band) == "increasing"  # both inside: no better or worse


def test_no_previous_value_has_no_direction() -> None:
    assert direction(D(5), None, HI) is None
    assert direction(None, D(5), HI) is None
