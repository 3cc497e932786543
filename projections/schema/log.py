"""The log's own views: how far the views have caught up, and one row per event (the audit trail)."""

from __future__ import annotations

from sqlalchemy import BigInteger, Column, Index, Integer, MetaData, String, Table, Text

from projections.schema.base import metadata

position = Table(
    "pl_position",
    metadata,
    Column("name", String(64), primary_key=True),
    Column("position", BigInteger, nullable=False),
)

events = Table(
    "pl_events",
    metadata,
    # INTEGER on SQLite: the key is then the rowid itself, one B-tree fewer to maintain.
    Column("position", BigInteger().with_variant(Integer(), "sqlite"), primary_key=True,
           autoincrement=False),
    Column("recorded_at", String(32), nullable=False),
    Column("actor", Text),
    Column("event", String(64), nullable=False),
    Column("originator_id", String(32), nullable=False),
    Column("version", Integer, nullable=False),
    Column("indicator", Text, index=True),
    Column("period", String(16)),
    Column("reason", Text),
    Column("before", Text),
    Column("after", Text),
    Column("detail", Text),
    Column("adjustment", String(16)),  # the adjustment an event belongs to or carries out
)

# Projectors find an aggregate's subject by its first event (PageWriter.need_index).
EVENTS_BY_ORIGINATOR = "ix_events_originator"
Index(EVENTS_BY_ORIGINATOR, events.c.originator_id, events.c.version)
Index("ix_events_recorded", events.c.recorded_at, events.c.position)


# The event store's chain table (ledger/store/chain.py), beside the views in the same database:
# read by the trail for the login that wrote each event, never created, written or rebuilt here
# (its own MetaData keeps it out of the views' create_all, dumps and replays).
chain = Table(
    "perfledger_chain",
    MetaData(),
    Column("position", BigInteger, primary_key=True),
    Column("login", Text),
)
