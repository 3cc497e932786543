"""TargetSeries: every target change kept with its reason; an agreed target changes only with consent."""

from __future__ import annotations

from decimal import Decimal

import pytest

from ledger.domain.targets import TargetSeries, check_target
from ledger.errors import Invalid, Refused
from ledger.values import Period, Polarity, Target

YEAR = Period.parse("2008/09")
NEXT = Period.parse("2009/10")
AGREED = Target(Decimal(40), monitoring_level=Decimal(36), agreed_with="GONW")


def given_series() -> TargetSeries:
    series = TargetSeries(indicator="NI 192")
    series.collect_events()
    return series


def given_agreed() -> TargetSeries:
    series = given_series()
    series.set(YEAR, AGREED, None, "LAA", "pat")
    series.collect_events()
    return series


class TestSetting:
    def test_a_series_opens_for_one_indicator_with_no_targets(self) -> None:
        series = TargetSeries(indicator="NI 192")
        [event] = series.collect_events()
        assert isinstance(event, TargetSeries.Opened)
        assert series.targets == {}
        assert series.id == TargetSeries.create_id("NI 192") != TargetSeries.create_id("NI 191")

    def test_a_target_is_set_with_its_settings_and_reason(self) -> None:
        series = given_series()
        series.set(YEAR, Target(Decimal(40), monitoring_level=Decimal(36), tolerance=Decimal(5)), None,
                   " LAA refresh ", "pat")
        [event] = series.collect_events()
        assert isinstance(event, TargetSeries.TargetSet)
        assert (event.period, event.value, event.monitoring_level, event.tolerance, event.previous,
                event.consent, event.reason, event.actor) == (
            YEAR, Decimal(40), Decimal(36), Decimal(5), None, None, "LAA refresh", "pat")
        assert series.targets[YEAR] == Target(Decimal(40), monitoring_level=Decimal(36), tolerance=Decimal(5))

    def test_a_change_keeps_the_old_value_in_its_event(self) -> None:
        series = given_series()
        series.set(YEAR, Target(Decimal(40)), None, "LAA", "pat")
        series.set(YEAR, Target(Decimal(42)), None, "stretch", "pat")
        series.set(YEAR, Target(low=Decimal(-1), high=Decimal(1)), None, "now a band", "pat")
        series.set(YEAR, Target(Decimal(41)), None, "back to one value", "pat")
        assert [e.previous for e in series.collect_events()] == [None, "40", "42", "-1..1"]
        assert series.targets[YEAR] == Target(Decimal(41))

    def test_each_period_has_its_own_target(self) -> None:
        series = given_series()
        series.set(YEAR, Target(Decimal(40)), None, "LAA", "pat")
        series.set(NEXT, Target(Decimal(40)), None, "LAA", "pat")  # the same value, another period
        assert [e.previous for e in series.collect_events()] == [None, None]
        assert series.targets == {YEAR: Target(Decimal(40)), NEXT: Target(Decimal(40))}

    @pytest.mark.parametrize("reason", ["", "  "])
    def test_a_target_change_needs_a_reason(self, reason: str) -> None:
        series = given_series()
        series.set(YEAR, Target(Decimal(40)), None, "LAA", "pat")
        series.collect_events()
        with pytest.raises(Invalid) as missing:
            series.set(YEAR, Target(Decimal(42)), None, reason, "pat")
        assert missing.value.options == ["reason"]
        assert series.collect_events() == []
        assert series.targets[YEAR] == Target(Decimal(40))

    def test_a_first_target_needs_a_reason_too(self) -> None:
        series = given_series()
        with pytest.raises(Invalid) as missing:
            series.set(YEAR, Target(Decimal(40)), None, " ", "pat")
        assert missing.value.options == ["reason"]
        assert series.collect_events() == []
        assert series.targets == {}

    def test_the_same_target_twice_is_refused(self) -> None:
        series = given_series()
        series.set(YEAR, Target(Decimal(40), monitoring_level=Decimal(36)), None, "LAA", "pat")
        series.collect_events()
        with pytest.raises(Invalid) as same:
            series.set(YEAR, Target(Decimal("40.0"), monitoring_level=Decimal(36)), None, "again", "pat")
        assert "NI 192 2008/09 already has exactly this target" in str(same.value)
        assert series.collect_events() == []


class TestAgreedTargets:
    def test_a_changed_agreed_target_without_consent_is_refused(self) -> None:
        series = given_agreed()
        for consent in (None, "", "  "):
            with pytest.raises(Refused) as refused:
                series.set(YEAR, Target(Decimal(38), monitoring_level=Decimal(34)), consent, "slipped", "pat")
            assert refused.value.control == "agreed-target"
            assert refused.value.options == ["consent"]
            assert "agreed with GONW" in str(refused.value)
        assert series.collect_events() == []
        assert series.targets[YEAR] == AGREED

    def test_with_consent_the_change_is_recorded_and_stays_agreed_with_the_same_body(self) -> None:
        series = given_agreed()
        series.set(YEAR, Target(Decimal(38), monitoring_level=Decimal(34)), "GONW letter 2008-11-03", "slipped",
                   "pat")
        [event] = series.collect_events()
        assert (event.value, event.previous, event.consent, event.agreed_with) == (
            Decimal(38), "40", "GONW letter 2008-11-03", "GONW")
        assert series.targets[YEAR] == Target(Decimal(38), monitoring_level=Decimal(34), agreed_with="GONW")

    def test_an_agreed_target_changed_again_still_needs_consent(self) -> None:
        series = given_agreed()
        series.set(YEAR, Target(Decimal(38)), "GONW letter 2008-11-03", "slipped", "pat")
        series.collect_events()
        with pytest.raises(Refused) as refused:
            series.set(YEAR, Target(Decimal(37)), None, "slipped again", "pat")
        assert refused.value.control == "agreed-target"
        assert series.collect_events() == []

    def test_restating_an_agreed_target_without_its_body_is_the_same_target(self) -> None:
        series = given_agreed()
        with pytest.raises(Invalid) as same:
            series.set(YEAR, Target(Decimal(40), monitoring_level=Decimal(36)), None, "again", "pat")
        assert "already has exactly this target" in str(same.value)
        assert series.collect_events() == []

    def test_an_agreement_binds_only_its_own_period(self) -> None:
        series = given_agreed()
        series.set(NEXT, Target(Decimal(42)), None, "draft", "pat")
        series.set(NEXT, Target(Decimal(43)), None, "revised draft", "pat")
        assert [e.consent for e in series.collect_events()] == [None, None]
        assert series.targets[NEXT].agreed_with is None


class TestCheckTarget:
    @pytest.mark.parametrize(("target", "polarity", "words"), [
        (Target(Decimal(40)), Polarity.RANGE, "a range indicator takes a target LOW..HIGH"),
        (Target(low=Decimal(-1), high=Decimal(1)), Polarity.HIGHER, "LOW..HIGH targets are for range indicators"),
        (Target(low=Decimal(1), high=Decimal(-1)), Polarity.RANGE, "upside down"),
        (Target(Decimal(40), monitoring_level=Decimal(45)), Polarity.HIGHER, "above the target 40"),
        (Target(Decimal(40), monitoring_level=Decimal(35)), Polarity.LOWER, "below the target 40"),
        (Target(Decimal(40), tolerance=Decimal(150)), Polarity.HIGHER, "outside 0-100"),
        (Target(low=Decimal(-1), high=Decimal(1), monitoring_low=Decimal(0), monitoring_high=Decimal(2)),
         Polarity.RANGE, "must contain the target range"),
        (Target(Decimal(40)), Polarity.NONE, "no polarity cannot be rated"),
    ])
    def test_a_target_that_breaks_its_polarity_is_named(self, target: Target, polarity: Polarity,
                                                        words: str) -> None:
        assert any(words in problem for problem in check_target(target, polarity))

    def test_a_sound_target_has_no_problems(self) -> None:
        assert check_target(Target(Decimal(40), monitoring_level=Decimal(36)), Polarity.HIGHER) == []
        assert check_target(Target(Decimal(40), monitoring_level=Decimal(44)), Polarity.LOWER) == []
        assert check_target(Target(low=Decimal(-1), high=Decimal(1), monitoring_low=Decimal(-2),
                                   monitoring_high=Decimal(2)), Polarity.RANGE) == []
