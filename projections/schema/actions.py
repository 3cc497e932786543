"""Action plans: each action as it stood (bitemporal), and its progress reports."""

from __future__ import annotations

from sqlalchemy import BigInteger, Column, Index, Integer, String, Table, Text

from projections.schema.base import believed, metadata

actions = Table(  # one row per action per state it has been in
    "pl_actions",
    metadata,
    Column("id", String(16), primary_key=True),
    *believed(),
    Column("originator", String(32), nullable=False),
    Column("kind", String(16), nullable=False),  # indicator | risk | case
    Column("target", Text, nullable=False),
    Column("indicator", Text),
    Column("title", Text, nullable=False),
    Column("lead", Text, nullable=False),
    Column("due", String(10), nullable=False),
    Column("percent", Integer, nullable=False),
    Column("status", String(12), nullable=False),  # open | completed
    Column("note", Text),
    Column("updated_at", String(32), nullable=False),
)
Index("ix_actions_originator", actions.c.originator)
Index("ix_actions_target", actions.c.target, actions.c.from_position)

action_progress = Table(
    "pl_action_progress",
    metadata,
    Column("position", BigInteger, primary_key=True, autoincrement=False),
    Column("id", String(16), nullable=False, index=True),
    Column("recorded_at", String(32), nullable=False),
    Column("actor", Text, nullable=False),
    Column("percent", Integer, nullable=False),
    Column("note", Text, nullable=False),
)
