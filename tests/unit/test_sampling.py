"""The audit-sample draw: deterministic, seed-sensitive, weighted, exact (no floats, no random)."""

from __future__ import annotations

import hashlib

import pytest

from policies.sampling import BOTH, NEW, ORDINARY, QUALIFIED, Candidate, draw, draw_number, weight


def population(ordinary: int = 20, new: int = 20, qualified: int = 0, both: int = 0) -> list[Candidate]:
    items = []
    for kind, count, is_new, is_qualified in (("o", ordinary, False, False), ("n", new, True, False),
                                              ("q", qualified, False, True), ("b", both, True, True)):
        for i in range(count):
            items.append(Candidate(key=f"{kind}{i}", indicator=f"NI {kind}", period=f"2008/09-Q{i % 4 + 1}",
                                   new=is_new, qualified=is_qualified))
    return items


def test_weights_are_documented_values() -> None:
    assert (ORDINARY, NEW, QUALIFIED, BOTH) == (1, 3, 3, 5)
    assert [weight(c) for c in population(1, 1, 1, 1)] == [1, 3, 3, 5]


def test_the_uniform_number_is_sha256_of_seed_and_key() -> None:
    digest = hashlib.sha256(b"seed\x00key").digest()
    assert draw_number("seed", "key") == int.from_bytes(digest[:8], "big") + 1
    assert 1 <= draw_number("x", "y") <= 2**64


def test_same_inputs_give_the_same_sample_in_any_input_order() -> None:
    items = population()
    first = draw(items, 7, "visit-2009")
    assert draw(items, 7, "visit-2009") == first
    assert draw(list(reversed(items)), 7, "visit-2009") == first
    assert len({c.key for c in first}) == 7


def test_a_different_seed_gives_a_different_sample() -> None:
    items = population()
    assert draw(items, 7, "visit-2009") != draw(items, 7, "visit-2010")


def test_a_larger_sample_extends_a_smaller_one() -> None:
    items = population()
    assert draw(items, 10, "s")[:4] == draw(items, 4, "s")


def test_a_sample_as_large_as_the_population_takes_every_item() -> None:
    items = population(3, 2)
    assert sorted(c.key for c in draw(items, 99, "s")) == sorted(c.key for c in items)


@pytest.mark.parametrize("size", [0, -1])
def test_a_size_below_one_is_refused(size: int) -> None:
    with pytest.raises(ValueError, match="1 or more"):
        draw(population(), size, "s")


def test_the_same_item_twice_is_refused() -> None:
    item = Candidate("k", "NI 1", "2008/09-Q1")
    with pytest.raises(ValueError, match="twice"):
        draw([item, item], 1, "s")


def test_an_empty_population_draws_nothing() -> None:
    assert draw([], 3, "s") == []


def test_weights_favour_new_and_qualified_returns_over_many_seeds() -> None:
    """Fixed seeds, so the counts are the same every run; the expectations follow the weights."""
    items = population(ordinary=30, new=10, qualified=10, both=10)
    counts = {"o": 0, "n": 0, "q": 0, "b": 0}
    for n in range(300):
        for chosen in draw(items, 6, f"seed-{n}"):
            counts[chosen.key[0]] += 1
    # Per item: ordinary items are drawn least, "both" most; new and qualified alike in between.
    per_item = {kind: counts[kind] / (30 if kind == "o" else 10) for kind in counts}
    assert per_item["o"] < per_item["n"] < per_item["b"]
    assert per_item["o"] < per_item["q"] < per_item["b"]
    assert per_item["n"] > 2 * per_item["o"]
    assert abs(per_item["n"] - per_item["q"]) < 0.5 * per_item["n"]


def test_all_equal_weights_is_a_uniform_draw_by_hash_order() -> None:
    items = population(ordinary=10, new=0)
    expected = sorted(items, key=lambda c: (-draw_number("s", c.key), c.key))[:3]
    assert draw(items, 3, "s") == expected
