"""The pointer from a data-quality query's id to its return.

A query itself lives on the return it questions (``Return.QueryRaised`` /
``Return.QueryResolved``), so that raising a query and finalising the return
serialise on one aggregate: a return can never be finalised while a query on it
is open. This one-event aggregate, saved in the same transaction as the raise,
lets ``query resolve ID`` find the return from the id alone.
"""

from __future__ import annotations

from uuid import UUID

from eventsourcing.domain import Aggregate, event

from ledger.domain.base import stable_id
from ledger.values import Period


class QueryRef(Aggregate):
    TOPIC = "perfledger/QueryRef"
    class_version = 1

    class Created(Aggregate.Created):
        TOPIC = "perfledger/QueryRef.Created"

    @staticmethod
    def create_id(query_id: str) -> UUID:
        return stable_id("query", query_id)

    @event("Opened", topic="perfledger/QueryRef.Opened")
    def __init__(self, query_id: str, indicator: str, period: Period, actor: str) -> None:
        self.query_id = query_id
        self.indicator = indicator
        self.period = period


def query_id(indicator: str, period: Period, number: int) -> str:
    """The id of the ``number``-th query on one return: the same on every replay."""
    return "Q-" + stable_id("query-id", indicator, str(period), str(number)).hex[:8]


__all__ = ["QueryRef", "query_id"]
