"""Outlook (the lead's judgement of a year) and Milestone (in-year evidence for annual indicators)."""

from __future__ import annotations

from datetime import date

import pytest

from ledger.domain.assessment import MILESTONE_STATUSES, OUTLOOKS, Milestone, Outlook, milestone_id
from ledger.errors import Invalid
from ledger.values import Period

YEAR = Period.parse("2008/09")
NEXT = Period.parse("2009/10")
DUE = date(2008, 12, 31)


def given_outlook() -> Outlook:
    outlook = Outlook(indicator="NI 192")
    outlook.collect_events()
    return outlook


def given_milestone() -> Milestone:
    milestone = Milestone(milestone_id="M-1", indicator="NI 8", title="Volunteering strategy adopted", due=DUE,
                          actor="bob")
    milestone.collect_events()
    return milestone


class TestOutlook:
    def test_an_outlook_opens_for_one_indicator_with_no_year_assessed(self) -> None:
        outlook = Outlook(indicator="NI 192")
        [event] = outlook.collect_events()
        assert isinstance(event, Outlook.Opened)
        assert (outlook.indicator, outlook.years) == ("NI 192", {})
        assert outlook.id == Outlook.create_id("NI 192") != Outlook.create_id("NI 191")

    def test_each_assessment_is_kept_with_its_note_and_the_latest_stands(self) -> None:
        outlook = given_outlook()
        outlook.assess(YEAR, "likely", " on track after Q2 ", "bob")
        outlook.assess(YEAR, "difficult", "the contract slipped", "carol")
        first, second = outlook.collect_events()
        assert isinstance(first, Outlook.Assessed)
        assert (first.year, first.outlook, first.note, first.actor) == (YEAR, "likely", "on track after Q2", "bob")
        assert (second.outlook, second.actor) == ("difficult", "carol")
        assert outlook.years == {YEAR: "difficult"}

    def test_each_year_has_its_own_outlook(self) -> None:
        outlook = given_outlook()
        outlook.assess(YEAR, "unlikely", "budget cut", "bob")
        outlook.assess(NEXT, "likely", "new contract", "bob")
        assert outlook.years == {YEAR: "unlikely", NEXT: "likely"}

    @pytest.mark.parametrize("value", OUTLOOKS)
    def test_every_named_outlook_is_accepted(self, value: str) -> None:
        outlook = given_outlook()
        outlook.assess(YEAR, value, "why", "bob")
        assert outlook.years[YEAR] == value

    def test_an_unknown_outlook_is_refused_naming_the_choices(self) -> None:
        outlook = given_outlook()
        with pytest.raises(Invalid) as unknown:
            outlook.assess(YEAR, "maybe", "x", "bob")
        assert "unknown outlook 'maybe'" in str(unknown.value)
        assert all(choice in str(unknown.value) for choice in OUTLOOKS)
        assert outlook.collect_events() == []
        assert outlook.years == {}

    @pytest.mark.parametrize("note", ["", "  "])
    def test_an_assessment_needs_a_note(self, note: str) -> None:
        outlook = given_outlook()
        outlook.assess(YEAR, "likely", "first view", "bob")
        outlook.collect_events()
        with pytest.raises(Invalid) as missing:
            outlook.assess(YEAR, "unlikely", note, "bob")
        assert missing.value.options == ["note"]
        assert outlook.collect_events() == []
        assert outlook.years == {YEAR: "likely"}


class TestMilestone:
    def test_a_milestone_is_added_on_track_with_its_due_date(self) -> None:
        key = milestone_id("NI 8", "Volunteering strategy adopted", DUE)
        milestone = Milestone(milestone_id=key, indicator="NI 8", title="Volunteering strategy adopted", due=DUE,
                              actor="bob")
        [event] = milestone.collect_events()
        assert isinstance(event, Milestone.Added)
        assert (event.indicator, event.title, event.due, event.actor) == (
            "NI 8", "Volunteering strategy adopted", DUE, "bob")
        assert milestone.status == "on-track"
        assert milestone.id == Milestone.create_id(key) != Milestone.create_id("M-other")

    def test_progress_moves_the_status_with_a_trimmed_note(self) -> None:
        milestone = given_milestone()
        milestone.progress("at-risk", "consultation late", "bob")
        milestone.progress("done", " adopted by Cabinet ", "bob")
        first, second = milestone.collect_events()
        assert isinstance(second, Milestone.Progressed)
        assert (first.status, second.status, second.note, second.actor) == (
            "at-risk", "done", "adopted by Cabinet", "bob")
        assert milestone.status == "done"

    @pytest.mark.parametrize("status", MILESTONE_STATUSES)
    def test_every_named_status_is_accepted(self, status: str) -> None:
        milestone = given_milestone()
        milestone.progress(status, "why", "bob")
        assert milestone.status == status

    def test_an_unknown_status_is_refused(self) -> None:
        milestone = given_milestone()
        with pytest.raises(Invalid) as unknown:
            milestone.progress("achieved", "x", "bob")
        assert "unknown status 'achieved'" in str(unknown.value)
        assert milestone.collect_events() == []
        assert milestone.status == "on-track"

    def test_progress_needs_a_note(self) -> None:
        milestone = given_milestone()
        with pytest.raises(Invalid) as missing:
            milestone.progress("done", " ", "bob")
        assert missing.value.options == ["note"]
        assert milestone.collect_events() == []
        assert milestone.status == "on-track"

    def test_the_same_milestone_has_the_same_id_whatever_its_spacing_or_case(self) -> None:
        key = milestone_id("NI 8", "Strategy adopted", DUE)
        assert key.startswith("M-")
        assert key == milestone_id("NI 8", " strategy ADOPTED ", DUE)
        assert key != milestone_id("NI 8", "Strategy adopted", date(2009, 3, 31))
        assert key != milestone_id("NI 8", "Strategy published", DUE)
        assert key != milestone_id("NI 7", "Strategy adopted", DUE)
