"""Lists sort as people read them: numbers in codes as numbers, names without regard to case."""

from __future__ import annotations

import random

from projections.queries import name_key, natural_key


def test_indicator_codes_sort_by_their_numbers() -> None:
    codes = ["NI 111", "NI 16", "NI 5", "NI 4", "LPI 10", "LPI 2", "NI 192", "NI 20a", "NI 20"]
    expected = ["LPI 2", "LPI 10", "NI 4", "NI 5", "NI 16", "NI 20", "NI 20a", "NI 111", "NI 192"]
    for _ in range(5):
        random.shuffle(codes)
        assert sorted(codes, key=natural_key) == expected


def test_codes_with_leading_zeros_or_odd_shapes_still_sort_totally() -> None:
    codes = ["NI 05", "NI 5", "ni 5", "5", "NI", "", "LPI 01", "LPI 1.2", "NI 5 (proxy)"]
    once = sorted(codes, key=natural_key)
    for _ in range(5):
        random.shuffle(codes)
        assert sorted(codes, key=natural_key) == once  # a total order: no ties left to input order
    assert once[:2] == ["", "5"]
    assert once.index("NI 5") < once.index("NI 5 (proxy)")


def test_people_sort_without_regard_to_case() -> None:
    names = ["Zoe", "bob", "Cllr Jones", "alice", "carol", "Alice"]
    assert sorted(names, key=name_key) == ["Alice", "alice", "bob", "carol", "Cllr Jones", "Zoe"]
