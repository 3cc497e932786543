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


class TestLadderInForce:
    def test_adopting_a_ladder_keeps_it_whole_and_a_newer_version_replaces_it(self) -> None:
        record = LadderInForce()
        record.collect_events()
        assert record.ladder is None
        record.adopt(HALTON, "halton", "pat")
        [event] = record.collect_events()
        assert isinstance(event, LadderInForce.Adopted)
        assert (event.label, event.source) == ("halton/1", "halton")
        assert record.ladder == HALTON
        record.adopt(HEREFORDSHIRE, "herefordshire", "pat")
        assert record.ladder == HEREFORDSHIRE

    def test_the_same_ladder_again_or_a_changed_one_under_the_same_version_is_refused(self) -> None:
        record = LadderInForce()
        record.adopt(HALTON, "halton", "pat")
        record.collect_events()
        with pytest.raises(Invalid, match="already in force"):
            record.adopt(HALTON, "halton", "pat")
        with pytest.raises(Invalid, match="give the new one another version"):
            record.adopt(replace(HALTON, title="Halton, retitled"), "file", "pat")
        assert record.collect_events() == []
        record.adopt(replace(HALTON, version=2, title="Halton, retitled"), "file", "pat")
        assert record.ladder is not None
        assert record.ladder.label == "halton/2"


class TestEscalations:
    def given_a_case(self) -> Escalations:
        record = Escalations(indicator="NI 192")
        record.open(case="E-1", stage=1, review=H1, trigger="missed the monitoring level", due=date(2009, 1, 31),
                    ladder="halton/1", requires="a note", responder="lead officer", actor="ladder:halton/1")
        record.collect_events()
        return record

    def test_a_case_opens_moves_up_is_answered_and_closes(self) -> None:
        record = self.given_a_case()
        assert (record.current.case_id if record.current else None, record.reviewed_through) == ("E-1", H1)
        record.respond("E-1", " recovery plan agreed ", None, "bob")
        assert record.case("E-1").responded
        record.reach(case="E-1", stage=2, review=H2, trigger="missed again", due=date(2009, 7, 31),
                     ladder="halton/1", requires="a plan", responder="director", actor="ladder:halton/1")
        assert (record.case("E-1").stage, record.case("E-1").responded) == (2, False)  # answer the new stage
        record.close(case="E-1", review=H2, note="recovered", actor="pat")
        kinds = [type(e).__name__ for e in record.collect_events()]
        assert kinds == ["Responded", "StageReached", "CaseClosed"]
        assert record.current is None
        assert record.case("E-1").closed
        assert record.reviewed_through == H2

    def test_a_response_needs_a_note_and_a_closed_case_takes_none(self) -> None:
        record = self.given_a_case()
        with pytest.raises(Invalid) as missing:
            record.respond("E-1", "  ", None, "bob")
        assert missing.value.options == ["note"]
        record.close(case="E-1", review=None, note="recovered", actor="pat")
        record.collect_events()
        with pytest.raises(Invalid, match="is closed"):
            record.respond("E-1", "late answer", None, "bob")
        assert record.collect_events() == []


def test_the_same_trigger_gives_the_same_case_and_one_index_entry() -> None:
    key = case_id("NI 192", "halton/1", "2008/09-H1", "1")
    assert key == case_id("NI 192", "halton/1", "2008/09-H1", "1")
    assert key.startswith("E-")
    assert key != case_id("NI 192", "halton/1", "2008/09-H2", "1")
    index = CaseIndex(case=key, indicator="NI 192", actor="ladder:halton/1")
    [event] = index.collect_events()
    assert isinstance(event, CaseIndex.Recorded)
    assert index.id == CaseIndex.create_id(key)
    assert index.indicator == "NI 192"
