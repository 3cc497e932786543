"""Qualification and Sample: internal audit's own acts, recorded once each by a deterministic id."""

from __future__ import annotations

from ledger.domain.audit import Qualification, Sample, sample_id


def test_a_qualification_records_the_indicator_year_reason_and_auditor() -> None:
    qualified = Qualification(code="NI 192", year="2008/09", reason="tonnage estimated", actor="dave")
    [event] = qualified.collect_events()
    assert isinstance(event, Qualification.Qualified)
    assert (qualified.code, qualified.year, qualified.reason, qualified.qualified_by) == (
        "NI 192", "2008/09", "tonnage estimated", "dave")
    # one per indicator and year: a second is the same aggregate, which the store refuses
    assert Qualification.create_id("NI 192", "2008/09") == qualified.id
    assert Qualification.create_id("NI 192", "2009/10") != qualified.id


def test_a_sample_records_its_whole_basis() -> None:
    key = sample_id("2008/09", 2, "seed", 40)
    sample = Sample(sample_id=key, year="2008/09", size=2, seed="seed", seed_from_digest=False, position=40,
                    population=12, new=["NI 8"], qualified=["NI 192"],
                    items=[{"indicator": "NI 8", "period": "2008/09-Q1", "version": 1, "key": "k", "weight": 3}],
                    actor="dave")
    [event] = sample.collect_events()
    assert isinstance(event, Sample.SampleDrawn)
    assert (sample.position, sample.population, sample.seed, sample.drawn_by) == (40, 12, "seed", "dave")
    assert sample.items[0]["indicator"] == "NI 8"


def test_the_same_draw_has_the_same_id_and_any_change_of_basis_another() -> None:
    key = sample_id("2008/09", 2, "seed", 40)
    assert key == sample_id("2008/09", 2, "seed", 40)
    assert key.startswith("S-")
    assert len({key, sample_id("2008/09", 3, "seed", 40), sample_id("2008/09", 2, "other", 40),
                sample_id("2008/09", 2, "seed", 41), sample_id("2009/10", 2, "seed", 40)}) == 5
