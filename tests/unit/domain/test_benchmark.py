"""Comparator groups and benchmark sets: the areas cleaned and the own area kept among them; a change
of membership a new version; a changed published value a revision naming the earlier value."""

from __future__ import annotations

import pytest

from ledger.domain.benchmark import Benchmark, ComparatorGroup, clean_areas
from ledger.errors import Invalid


def test_areas_are_stripped_once_each_with_the_own_area_among_them() -> None:
    assert clean_areas([" St Helens", "Knowsley "], "Halton") == (["Halton", "St Helens", "Knowsley"], "Halton")
    assert clean_areas(["Halton", "Knowsley"], "halton") == (["Halton", "Knowsley"], "Halton")
    with pytest.raises(Invalid, match="twice"):
        clean_areas(["Knowsley", "knowsley"], None)
    with pytest.raises(Invalid, match="empty name"):
        clean_areas(["Knowsley", ""], None)
    with pytest.raises(Invalid, match="at least two"):
        clean_areas(["Halton"], "Halton")


def test_a_change_of_membership_is_a_new_version_and_needs_a_reason() -> None:
    group = ComparatorGroup(name="NW", areas=["Halton", "Knowsley"], own="Halton", reason=None, actor="pat")
    group.collect_events()
    with pytest.raises(Invalid, match="reason"):
        group.change(["Halton", "Knowsley", "Wirral"], None, " ", "pat")
    with pytest.raises(Invalid, match="nothing to change"):
        group.change(["Halton", "Knowsley"], None, "again", "pat")
    group.change(["Knowsley", "Wirral"], None, "CIPFA 2024", "pat")  # the own area is kept
    [event] = group.collect_events()
    assert (group.membership, group.areas, group.own) == (2, ["Halton", "Knowsley", "Wirral"], "Halton")
    assert event.before == ["Halton", "Knowsley"]
    assert group.area_named("WIRRAL") == "Wirral"
    assert group.area_named("Sefton") is None


def test_a_corrected_value_is_a_revision_naming_the_earlier_one() -> None:
    values, sources = {"Halton": "41.4", "Knowsley": "30"}, {"Halton": "DEFRA", "Knowsley": "DEFRA"}
    bench = Benchmark(indicator="NI 192", group="NW", period="2015/16", values=values, sources=sources,
                      membership=1, file="a.csv", actor="pat")
    bench.collect_events()
    assert not bench.revise({"Halton": "41.4"}, {"Halton": "DEFRA"}, 1, "a.csv", "pat")  # nothing new
    assert bench.collect_events() == []
    assert bench.revise({"Knowsley": "31", "Wirral": "36"}, {"Knowsley": "DEFRA rev", "Wirral": "DEFRA"}, 1,
                        "b.csv", "pat")
    [event] = bench.collect_events()
    assert (event.corrected, event.added, event.edition) == (
        {"Knowsley": "30"}, ["Wirral"], 2)
    assert bench.values == {"Halton": "41.4", "Knowsley": "31", "Wirral": "36"}
