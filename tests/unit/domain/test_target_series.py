"""TargetSeries: every target change kept with its reason; an agreed target changes only with consent."""

from __future__ import annotations

from decimal import Decimal

import pytest

from ledger.domain.targets import TargetSeries, check_target
from ledger.errors import Invalid, Refused
from ledger.values import Period, Polarity, Target

YEAR = Period.parse("2008/09")


def given_series() -> TargetSeries:
    series = TargetSeries(indicator="NI 192")
    series.collect_events()
    return series


def test_a_target_is_set_with_its_reason_and_a_change_keeps_the_old_value() -> None:
    series = given_series()
    series.set(YEAR, Target(Decimal(40), monitoring_level=Decimal(36)), None, "LAA", "pat")
    series.set(YEAR, Target(Decimal(42), monitoring_level=Decimal(36)), None, " stretch ", "pat")
    first, second = series.collect_events()
    assert isinstance(first, TargetSeries.TargetSet)
    assert (first.value, first.previous, second.value, second.previous, second.reason) == (
        Decimal(40), None, Decimal(42), "40", "stretch")
    assert series.targets[YEAR].value == Decimal(42)


def test_a_change_needs_a_reason_and_the_same_target_twice_is_refused() -> None:
    series = given_series()
    with pytest.raises(Invalid) as missing:
        series.set(YEAR, Target(Decimal(40)), None, " ", "pat")
    assert missing.value.options == ["reason"]
    series.set(YEAR, Target(Decimal(40)), None, "LAA", "pat")
    series.collect_events()
    with pytest.raises(Invalid, match="already has exactly this target"):
        series.set(YEAR, Target(Decimal(40)), None, "again", "pat")
    assert series.collect_events() == []


def test_an_agreed_target_changes_only_with_consent_and_stays_agreed() -> None:
    series = given_series()
    series.set(YEAR, Target(Decimal(40), agreed_with="GONW"), None, "LAA", "pat")
    series.collect_events()
    with pytest.raises(Refused) as refused:
        series.set(YEAR, Target(Decimal(38)), None, "slipped", "pat")
    assert refused.value.control == "agreed-target"
    assert refused.value.options == ["consent"]
    assert series.collect_events() == []
    series.set(YEAR, Target(Decimal(38)), "GONW letter 2008-11-03", "slipped", "pat")
    [event] = series.collect_events()
    assert (event.consent, event.agreed_with) == ("GONW letter 2008-11-03", "GONW")
    assert series.targets[YEAR].agreed_with == "GONW"


@pytest.mark.parametrize(("target", "polarity", "words"), [
    (Target(Decimal(40)), Polarity.RANGE, "a range indicator takes a target LOW..HIGH"),
    (Target(low=Decimal(1), high=Decimal(-1)), Polarity.RANGE, "upside down"),
    (Target(Decimal(40), monitoring_level=Decimal(45)), Polarity.HIGHER, "above the target 40"),
    (Target(Decimal(40), monitoring_level=Decimal(35)), Polarity.LOWER, "below the target 40"),
    (Target(Decimal(40), tolerance=Decimal(150)), Polarity.HIGHER, "outside 0-100"),
    (Target(Decimal(40)), Polarity.NONE, "no polarity cannot be rated"),
])
def test_a_target_that_breaks_its_polarity_is_named(target: Target, polarity: Polarity, words: str) -> None:
    assert any(words in p for p in check_target(target, polarity))


def test_a_sound_target_has_no_problems() -> None:
    assert check_target(Target(Decimal(40), monitoring_level=Decimal(36)), Polarity.HIGHER) == []
    assert check_target(Target(low=Decimal(-1), high=Decimal(1), monitoring_low=Decimal(-2),
                               monitoring_high=Decimal(2)), Polarity.RANGE) == []
