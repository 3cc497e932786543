"""Qualification and Sample: internal audit's own acts, recorded once each by a deterministic id."""

from __future__ import annotations

from typing import Any

from ledger.domain.audit import Qualification, Sample, sample_id

ITEMS: list[dict[str, Any]] = [
    {"indicator": "NI 8", "period": "2008/09-Q1", "version": 1, "key": "k", "weight": 3},
    {"indicator": "NI 192", "period": "2008/09-Q2", "version": 2, "key": "m", "weight": 1},
]


def draw(size: int = 2, seed: str = "seed", position: int = 40) -> Sample:
    return Sample(sample_id=sample_id("2008/09", size, seed, position), year="2008/09", size=size, seed=seed,
                  seed_from_digest=False, position=position, population=12, new=["NI 8"], qualified=["NI 192"],
                  items=ITEMS, actor="dave")


class TestQualification:
    def test_a_qualification_records_the_indicator_year_reason_and_auditor(self) -> None:
        qualified = Qualification(code="NI 192", year="2008/09", reason="tonnage estimated", actor="dave")
        [event] = qualified.collect_events()
        assert isinstance(event, Qualification.Qualified)
        assert (event.code, event.year, event.reason, event.actor) == (
            "NI 192", "2008/09", "tonnage estimated", "dave")
        assert (qualified.code, qualified.year, qualified.reason, qualified.qualified_by) == (
            "NI 192", "2008/09", "tonnage estimated", "dave")

    def test_one_qualification_per_indicator_and_year(self) -> None:
        # qualifying the same indicator and year again makes the same aggregate, which the store refuses
        qualified = Qualification(code="NI 192", year="2008/09", reason="r", actor="dave")
        again = Qualification(code="NI 192", year="2008/09", reason="another reason", actor="erin")
        assert qualified.id == again.id == Qualification.create_id("NI 192", "2008/09")
        assert Qualification.create_id("NI 192", "2009/10") != qualified.id
        assert Qualification.create_id("NI 191", "2008/09") != qualified.id


class TestSample:
    def test_a_sample_records_its_whole_basis_and_who_drew_it(self) -> None:
        sample = draw()
        [event] = sample.collect_events()
        assert isinstance(event, Sample.SampleDrawn)
        assert (event.year, event.size, event.seed, event.seed_from_digest, event.position, event.actor) == (
            "2008/09", 2, "seed", False, 40, "dave")
        assert (sample.population, sample.new, sample.qualified, sample.drawn_by) == (
            12, ["NI 8"], ["NI 192"], "dave")
        assert [item["indicator"] for item in sample.items] == ["NI 8", "NI 192"]

    def test_the_same_draw_has_the_same_id_and_any_change_of_basis_another(self) -> None:
        key = sample_id("2008/09", 2, "seed", 40)
        assert key == sample_id("2008/09", 2, "seed", 40)
        assert key.startswith("S-")
        assert len({key, sample_id("2008/09", 3, "seed", 40), sample_id("2008/09", 2, "other", 40),
                    sample_id("2008/09", 2, "seed", 41), sample_id("2009/10", 2, "seed", 40)}) == 5

    def test_the_aggregate_id_follows_the_draw(self) -> None:
        assert draw().id == draw().id == Sample.create_id(sample_id("2008/09", 2, "seed", 40))
        assert draw().id != draw(position=41).id
