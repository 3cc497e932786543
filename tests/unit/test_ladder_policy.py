"""The ladder policy (policies/ladder.py) and the designation rule (policies/designation.py)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from ledger.values import Frequency, Period, Polarity, Role
from policies import designation
from policies.authorisation import Act
from policies.ladder import (
    HALTON,
    HEREFORDSHIRE,
    LadderError,
    Review,
    add_months,
    decide,
    missed,
    parse_toml,
    review_period,
    status,
)

TODAY = date(2009, 11, 1)


def reviews(*values: str, level: str = "45", first: str = "2008/09-H1") -> list[Review]:
    """One review per half from FIRST; a value below LEVEL misses."""
    found, half = [], Period.parse(first)
    for value in values:
        v = Decimal(value)
        found.append(Review(half, half, v, f"monitoring level {level}", v < Decimal(level)))
        half = half.next()
    return found


def kinds(decisions: list) -> list[tuple[str, str, int]]:  # type: ignore[type-arg]
    return [(d.kind, str(d.review), d.stage) for d in decisions]


def test_halton_climbs_all_three_stages_and_closes_when_performance_recovers() -> None:
    decided = decide(HALTON, reviews("40", "41", "42", "47"), None, None, TODAY)
    assert kinds(decided) == [("open", "2008/09-H1", 1), ("advance", "2008/09-H2", 2),
                              ("advance", "2009/10-H1", 3), ("close", "2009/10-H2", 3)]
    assert decided[0].due == date(2010, 2, 1)  # three months from the day it was decided
    assert "2008/09-H1 read 2008/09-H1 = 40 against monitoring level 45" in decided[0].trigger


def test_a_review_already_decided_is_never_revisited() -> None:
    # Stage 1 was opened at H1; H1's figure has since been restated above the level: the
    # case stays open (no review closes it), and H2 decides on the figures now believed,
    # which show one miss, not two in a row.
    restated = reviews("50")
    assert decide(HALTON, restated, 1, Period.parse("2008/09-H1"), TODAY) == []
    assert decide(HALTON, reviews("50", "41"), 1, Period.parse("2008/09-H1"), TODAY) == []
    assert kinds(decide(HALTON, reviews("40", "41"), 1, Period.parse("2008/09-H1"), TODAY)) == [
        ("advance", "2008/09-H2", 2)]


def test_stage_two_needs_two_consecutive_halves() -> None:
    gap = [*reviews("40"), *reviews("41", first="2009/10-H1")]  # 2008/09-H2 has no value
    assert kinds(decide(HALTON, gap, None, None, TODAY)) == [("open", "2008/09-H1", 1)]


def test_at_the_top_stage_a_miss_holds_and_a_meeting_closes() -> None:
    assert decide(HALTON, reviews("40", "41"), 3, Period.parse("2008/09-H1"), TODAY) == []
    assert kinds(decide(HALTON, reviews("40", "45"), 3, Period.parse("2008/09-H1"), TODAY)) == [
        ("close", "2008/09-H2", 3)]


def test_a_case_closed_while_below_reopens_at_the_next_review_at_stage_one() -> None:
    assert kinds(decide(HALTON, reviews("40", "41", "42"), None, Period.parse("2008/09-H2"), TODAY)) == [
        ("open", "2009/10-H1", 1)]


def test_herefordshire_goes_to_the_deputy_chief_executive_at_the_third_miss() -> None:
    decided = decide(HEREFORDSHIRE, reviews("40", "41", "42"), None, None, TODAY)
    assert kinds(decided) == [("open", "2008/09-H1", 1), ("advance", "2008/09-H2", 2),
                              ("advance", "2009/10-H1", 3)]
    assert HEREFORDSHIRE.stage(3).responder == "deputy-chief-executive"
    assert decided[0].due == date(2009, 12, 1)  # an urgent report back: one month


def test_overdue_is_derived_from_the_deadline_and_the_date() -> None:
    due = date(2009, 2, 1)
    assert status(False, False, due, date(2009, 2, 1)) == "open"
    assert status(False, False, due, date(2009, 2, 2)) == "overdue"
    assert status(False, True, due, date(2009, 3, 1)) == "responded"
    assert status(True, False, due, date(2009, 3, 1)) == "closed"


def test_months_are_added_to_the_day_or_the_month_end() -> None:
    assert add_months(date(2008, 11, 30), 3) == date(2009, 2, 28)
    assert add_months(date(2008, 10, 15), 3) == date(2009, 1, 15)


@pytest.mark.parametrize(("frequency", "half", "expected"), [
    (Frequency.MONTHLY, "2008/09-H1", "2008-09"), (Frequency.MONTHLY, "2008/09-H2", "2009-03"),
    (Frequency.QUARTERLY, "2008/09-H1", "2008/09-Q2"), (Frequency.QUARTERLY, "2008/09-H2", "2008/09-Q4"),
    (Frequency.HALF_YEARLY, "2008/09-H2", "2008/09-H2"), (Frequency.ANNUAL, "2008/09-H2", "2008/09"),
])
def test_a_review_reads_the_latest_own_period_ending_in_the_half(frequency: Frequency, half: str,
                                                                 expected: str) -> None:
    assert str(review_period(frequency, Period.parse(half))) == expected


def test_an_annual_indicator_has_no_review_at_h1() -> None:
    assert review_period(Frequency.ANNUAL, Period.parse("2008/09-H1")) is None


def test_missing_the_level_follows_polarity() -> None:
    assert missed(Decimal(40), Polarity.HIGHER, Decimal(45)) is True
    assert missed(Decimal(45), Polarity.HIGHER, Decimal(45)) is False
    assert missed(Decimal(50), Polarity.LOWER, Decimal(45)) is True
    assert missed(Decimal(2), Polarity.RANGE, low=Decimal(-1), high=Decimal(1)) is True
    assert missed(Decimal(2), Polarity.NONE, Decimal(1)) is None


GOOD = """
name = "county"
version = 2
[[stage]]
trigger = "missed"
responder = "improvement-manager"
within_months = 2
[[stage]]
trigger = "missed-consecutive"
reviews = 3
responder = "lead-officer"
within_months = 3
plan = true
"""


def test_a_toml_ladder_is_read_with_its_stages() -> None:
    ladder = parse_toml(GOOD, "county.toml")
    assert (ladder.label, ladder.actor, len(ladder.stages)) == ("county/2", "ladder:county/2", 2)
    assert (ladder.stage(2).reviews, ladder.stage(2).plan) == (3, True)
    assert kinds(decide(ladder, reviews("40", "41", "42"), None, None, TODAY)) == [
        ("open", "2008/09-H1", 1), ("advance", "2009/10-H1", 2)]


@pytest.mark.parametrize(("text", "fragment"), [
    ("name = ", "is not valid TOML"),
    ('name = "x"\n[[stage]]\nresponder = "a"\nwithin_months = 3\n', "stage 1 has no trigger"),
    ('name = "x"\n[[stage]]\ntrigger = "missed"\nresponder = "a"\n', "stage 1 has no deadline"),
    ('name = "x"\n[[stage]]\ntrigger = "later"\nresponder = "a"\nwithin_months = 3\n', "unknown trigger"),
    ('name = "x"\n[[stage]]\ntrigger = "missed-again"\nresponder = "a"\nwithin_months = 3\n',
     "stage 1 cannot be triggered"),
    ('name = "x"\n', "at least one [[stage]]"),
    ('[[stage]]\ntrigger = "missed"\nresponder = "a"\nwithin_months = 3\n', "give the ladder a name"),
])
def test_a_ladder_file_with_a_gap_is_refused_with_what_to_fix(text: str, fragment: str) -> None:
    with pytest.raises(LadderError, match=None) as raised:
        parse_toml(text, "bad.toml")
    assert fragment in str(raised.value)
    assert str(raised.value).startswith("bad.toml")


def test_a_stage_beyond_the_ladder_is_refused() -> None:
    with pytest.raises(LadderError, match="stage 4 is beyond the halton ladder's stages"):
        HALTON.stage(4)


def test_the_designated_improvement_manager_alone_submits_once_one_is_designated() -> None:
    held = {"improvement-manager": ["bob"]}
    im = {Role.IMPROVEMENT_MANAGER}
    assert designation.refusal(Act.RETURN_SUBMIT, "bob", im, "NI 192", held) is None
    why = designation.refusal(Act.RETURN_SUBMIT, "carol", im, "NI 192", held)
    assert why is not None
    assert "only its designated improvement-manager (bob)" in why
    assert designation.refusal(Act.RETURN_SUBMIT, "pat", {Role.PERFORMANCE_SUPPORT}, "NI 192", held) is None
    assert designation.refusal(Act.RETURN_SUBMIT, "carol", im, "NI 192", {}) is None  # none designated yet


def test_escalation_responses_come_from_the_people_designated() -> None:
    held = {"lead-officer": ["lin"], "improvement-manager": ["bob"], "lead-organisation": ["Halton BC"]}
    im = {Role.IMPROVEMENT_MANAGER}
    assert designation.refusal(Act.ESCALATION_RESPOND, "lin", im, "NI 192", held) is None
    why = designation.refusal(Act.ESCALATION_RESPOND, "carol", im, "NI 192", held)
    assert why is not None
    assert "(bob, lin)" in why
    # Until someone is designated in person, the role table decides (CLI.md): any improvement manager.
    assert designation.refusal(Act.ESCALATION_RESPOND, "carol", im, "NI 192", {}) is None
    assert designation.refusal(Act.ESCALATION_RESPOND, "carol", im, "NI 192",
                               {"lead-organisation": ["Halton BC"]}) is None
