"""Outlook (the lead's judgement of a year) and Milestone (in-year evidence for annual indicators)."""

from __future__ import annotations

from datetime import date

import pytest

from ledger.domain.assessment import Milestone, Outlook, milestone_id
from ledger.errors import Invalid
from ledger.values import Period

YEAR = Period.parse("2008/09")


class TestOutlook:
    def test_each_assessment_is_kept_and_the_latest_stands(self) -> None:
        outlook = Outlook(indicator="NI 192")
        outlook.collect_events()
        outlook.assess(YEAR, "likely", " on track after Q2 ", "bob")
        outlook.assess(YEAR, "difficult", "the contract slipped", "bob")
        first, second = outlook.collect_events()
        assert (first.outlook, first.note, second.outlook) == ("likely", "on track after Q2", "difficult")
        assert outlook.years == {YEAR: "difficult"}

    @pytest.mark.parametrize(("value", "note", "words"), [
        ("maybe", "x", "unknown outlook 'maybe'"),
        ("likely", "  ", "needs 'note'"),
    ])
    def test_an_unknown_outlook_or_a_missing_note_is_refused_and_records_nothing(
            self, value: str, note: str, words: str) -> None:
        outlook = Outlook(indicator="NI 192")
        outlook.collect_events()
        with pytest.raises(Invalid, match=words):
            outlook.assess(YEAR, value, note, "bob")
        assert outlook.collect_events() == []
        assert outlook.years == {}


class TestMilestone:
    def test_progress_moves_the_status_with_a_note(self) -> None:
        key = milestone_id("NI 8", "Volunteering strategy adopted", date(2008, 12, 31))
        milestone = Milestone(milestone_id=key, indicator="NI 8", title="Volunteering strategy adopted",
                              due=date(2008, 12, 31), actor="bob")
        [added] = milestone.collect_events()
        assert isinstance(added, Milestone.Added)
        assert milestone.status == "on-track"
        milestone.progress("done", " adopted by Cabinet ", "bob")
        [progressed] = milestone.collect_events()
        assert (progressed.status, progressed.note, milestone.status) == ("done", "adopted by Cabinet",
                                                                           "done")

    def test_an_unknown_status_or_no_note_is_refused(self) -> None:
        milestone = Milestone(milestone_id="M-1", indicator="NI 8", title="t", due=date(2008, 12, 31),
                              actor="bob")
        milestone.collect_events()
        with pytest.raises(Invalid, match="unknown status 'achieved'"):
            milestone.progress("achieved", "x", "bob")
        with pytest.raises(Invalid) as missing:
            milestone.progress("done", " ", "bob")
        assert missing.value.options == ["note"]
        assert milestone.collect_events() == []
        assert milestone.status == "on-track"

    def test_the_same_milestone_has_the_same_id_whatever_its_spacing_or_case(self) -> None:
        due = date(2008, 12, 31)
        assert milestone_id("NI 8", "Strategy adopted", due) == milestone_id("NI 8", " strategy ADOPTED ", due)
        assert milestone_id("NI 8", "Strategy adopted", due) != milestone_id("NI 8", "Strategy adopted",
                                                                              date(2009, 3, 31))
