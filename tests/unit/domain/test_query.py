"""QueryRef: the pointer from a data-quality query's id to the return it questions."""

from __future__ import annotations

from ledger.domain.query import QueryRef, query_id
from ledger.values import Period

Q1 = Period.parse("2008/09-Q1")
Q2 = Period.parse("2008/09-Q2")


def test_a_query_reference_points_its_id_at_its_return() -> None:
    key = query_id("NI 154", Q1, 1)
    ref = QueryRef(query_id=key, indicator="NI 154", period=Q1, actor="carol")
    [event] = ref.collect_events()
    assert isinstance(event, QueryRef.Opened)
    assert (event.query_id, event.indicator, event.period, event.actor) == (key, "NI 154", Q1, "carol")
    assert (ref.query_id, ref.indicator, ref.period) == (key, "NI 154", Q1)
    assert ref.id == QueryRef.create_id(key) != QueryRef.create_id(query_id("NI 154", Q1, 2))


def test_the_nth_query_on_a_return_has_the_same_id_on_every_replay() -> None:
    key = query_id("NI 154", Q1, 1)
    assert key == query_id("NI 154", Q1, 1)
    assert key.startswith("Q-")
    assert len(key) == len("Q-") + 8
    assert len({key, query_id("NI 154", Q1, 2), query_id("NI 154", Q2, 1), query_id("NI 155", Q1, 1)}) == 4
