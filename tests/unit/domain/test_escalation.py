"""The ladder in force, an indicator's escalation cases, and the index from a case to its indicator."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from ledger.domain.escalation import CaseIndex, Escalations, LadderInForce, case_id
from ledger.errors import Invalid
from ledger.values import Period
from policies.ladder import HALTON, HEREFORDSHIRE

H1 = Period.parse("2008/09-H1")
H2 = Period.parse("2008/09-H2")


def given_ladder() -> LadderInForce:
    record = LadderInForce()
    record.adopt(HALTON, "halton", "pat")
    record.collect_events()
    return record


def given_a_case() -> Escalations:
    record = Escalations(indicator="NI 192")
    record.open(case="E-1", stage=1, review=H1, trigger="missed the monitoring level", due=date(2009, 1, 31),
                ladder="halton/1", requires="a progress report", responder="lead-organisation",
                actor="ladder:halton/1")
    record.collect_events()
    return record


def reach_stage_two(record: Escalations, review: Period | None = H2) -> None:
    record.reach(case="E-1", stage=2, review=review, trigger="missed again", due=date(2009, 7, 31),
                 ladder="halton/1", requires="a plan", responder="lead-officer", actor="ladder:halton/1")


class TestLadderInForce:
    def test_until_a_ladder_is_adopted_none_is_in_force(self) -> None:
        record = LadderInForce()
        [event] = record.collect_events()
        assert isinstance(event, LadderInForce.Opened)
        assert record.ladder is None

    def test_adopting_a_ladder_keeps_it_whole(self) -> None:
        record = LadderInForce()
        record.collect_events()
        record.adopt(HALTON, "halton", "pat")
        [event] = record.collect_events()
        assert isinstance(event, LadderInForce.Adopted)
        assert (event.label, event.source, event.actor) == ("halton/1", "halton", "pat")
        assert event.config == HALTON.as_dict()
        assert record.ladder == HALTON

    def test_another_ladder_replaces_the_one_in_force(self) -> None:
        record = given_ladder()
        record.adopt(HEREFORDSHIRE, "herefordshire", "pat")
        assert record.ladder == HEREFORDSHIRE

    def test_the_same_ladder_again_is_refused(self) -> None:
        record = given_ladder()
        with pytest.raises(Invalid) as again:
            record.adopt(HALTON, "halton", "pat")
        assert "already in force" in str(again.value)
        assert record.collect_events() == []

    def test_a_changed_ladder_needs_another_version(self) -> None:
        record = given_ladder()
        retitled = replace(HALTON, title="Halton, retitled")
        with pytest.raises(Invalid) as same_version:
            record.adopt(retitled, "file", "pat")
        assert "give the new one another version" in str(same_version.value)
        assert record.collect_events() == []
        assert record.ladder == HALTON
        record.adopt(replace(retitled, version=2), "file", "pat")
        assert record.ladder is not None
        assert (record.ladder.label, record.ladder.title) == ("halton/2", "Halton, retitled")

    def test_there_is_one_ladder_in_force(self) -> None:
        assert LadderInForce().id == LadderInForce.create_id() == LadderInForce.create_id("anything")


class TestEscalations:
    def test_an_indicator_starts_with_no_case_and_no_review(self) -> None:
        record = Escalations(indicator="NI 192")
        [event] = record.collect_events()
        assert isinstance(event, Escalations.Opened)
        assert (record.current, record.cases, record.reviewed_through) == (None, {}, None)
        assert record.id == Escalations.create_id("NI 192") != Escalations.create_id("NI 191")

    def test_a_case_opens_at_its_stage_as_the_current_case(self) -> None:
        record = Escalations(indicator="NI 192")
        record.collect_events()
        record.open(case="E-1", stage=1, review=H1, trigger="missed", due=date(2009, 1, 31), ladder="halton/1",
                    requires="a progress report", responder="lead-organisation", actor="ladder:halton/1")
        [event] = record.collect_events()
        assert isinstance(event, Escalations.CaseOpened)
        assert (event.case, event.stage, event.ladder, event.responder) == (
            "E-1", 1, "halton/1", "lead-organisation")
        assert record.current is not None
        assert (record.current.case_id, record.current.stage, record.current.due) == ("E-1", 1, date(2009, 1, 31))
        assert (record.current.responded, record.current.closed) == (False, False)
        assert record.reviewed_through == H1

    def test_a_response_is_recorded_against_the_stage_it_answers(self) -> None:
        record = given_a_case()
        record.respond("E-1", " recovery plan agreed ", "PLAN-7", "bob")
        [event] = record.collect_events()
        assert isinstance(event, Escalations.Responded)
        assert (event.case, event.stage, event.note, event.plan, event.actor) == (
            "E-1", 1, "recovery plan agreed", "PLAN-7", "bob")
        assert record.case("E-1").responded

    def test_an_escalation_case_moves_to_a_higher_stage_which_needs_a_new_response(self) -> None:
        record = given_a_case()
        record.respond("E-1", "report sent", None, "bob")
        reach_stage_two(record)
        [_, event] = record.collect_events()
        assert isinstance(event, Escalations.StageReached)
        assert (event.stage, event.requires) == (2, "a plan")
        case = record.case("E-1")
        assert (case.stage, case.due, case.responded, case.closed) == (2, date(2009, 7, 31), False, False)
        assert record.current is case
        assert record.reviewed_through == H2

    def test_an_escalation_case_closes_with_a_note(self) -> None:
        record = given_a_case()
        reach_stage_two(record)
        record.collect_events()
        record.close(case="E-1", review=None, note="recovered", actor="pat")
        [event] = record.collect_events()
        assert isinstance(event, Escalations.CaseClosed)
        assert (event.case, event.note, event.actor) == ("E-1", "recovered", "pat")
        assert record.case("E-1").closed
        assert record.current is None
        assert record.reviewed_through == H2  # a decision without a review keeps the last one

    def test_a_response_needs_a_note(self) -> None:
        record = given_a_case()
        with pytest.raises(Invalid) as missing:
            record.respond("E-1", "  ", None, "bob")
        assert missing.value.options == ["note"]
        assert record.collect_events() == []
        assert not record.case("E-1").responded

    def test_a_closed_case_takes_no_response(self) -> None:
        record = given_a_case()
        record.close(case="E-1", review=None, note="recovered", actor="pat")
        record.collect_events()
        with pytest.raises(Invalid) as closed:
            record.respond("E-1", "late answer", None, "bob")
        assert "escalation E-1 is closed" in str(closed.value)
        assert record.collect_events() == []
        assert not record.case("E-1").responded

    def test_a_new_case_after_a_closed_one_becomes_current_and_the_old_one_is_kept(self) -> None:
        record = given_a_case()
        record.close(case="E-1", review=H2, note="recovered", actor="pat")
        record.open(case="E-2", stage=1, review=Period.parse("2009/10-H1"), trigger="missed", due=None,
                    ladder="halton/1", requires="a progress report", responder="lead-organisation",
                    actor="ladder:halton/1")
        assert record.current is not None
        assert record.current.case_id == "E-2"
        assert record.case("E-1").closed
        assert sorted(record.cases) == ["E-1", "E-2"]


class TestCaseIndex:
    def test_the_same_trigger_gives_the_same_case_id_and_another_trigger_another(self) -> None:
        key = case_id("NI 192", "halton/1", "2008/09-H1", "1")
        assert key == case_id("NI 192", "halton/1", "2008/09-H1", "1")
        assert key.startswith("E-")
        assert len(key) == len("E-") + 8
        assert key != case_id("NI 192", "halton/1", "2008/09-H2", "1")
        assert key != case_id("NI 192", "halton/2", "2008/09-H1", "1")
        assert key != case_id("NI 191", "halton/1", "2008/09-H1", "1")

    def test_the_index_points_a_case_at_its_indicator_once(self) -> None:
        key = case_id("NI 192", "halton/1", "2008/09-H1", "1")
        index = CaseIndex(case=key, indicator="NI 192", actor="ladder:halton/1")
        [event] = index.collect_events()
        assert isinstance(event, CaseIndex.Recorded)
        assert (index.case, index.indicator) == (key, "NI 192")
        # recording the same case again makes the same aggregate, which the store refuses
        assert index.id == CaseIndex(case=key, indicator="NI 192", actor="pat").id == CaseIndex.create_id(key)
        assert CaseIndex.create_id(key) != CaseIndex.create_id("E-00000000")
