"""The views of designations, escalations, validations and queries (split from ``tables``).

Same conventions as ``projections.tables``, which re-exports every table here.
"""

from __future__ import annotations

from sqlalchemy import BigInteger, Column, Index, Integer, String, Table, Text

from projections.metadata import metadata

designations = Table(
    "pl_designations",
    metadata,
    Column("indicator", Text, primary_key=True),
    Column("role", String(32), primary_key=True),
    Column("name", Text, primary_key=True),
    Column("from_position", BigInteger, primary_key=True, autoincrement=False),
    Column("until_position", BigInteger),
    Column("reason", Text),
    Column("actor", Text, nullable=False),
    Column("recorded_at", String(32), nullable=False),
    Column("ended_by", Text),
    Column("ended_reason", Text),
)
Index("ix_designations_name", designations.c.name, designations.c.role, designations.c.from_position)

escalations = Table(  # one row per case per state it has been in (bitemporal)
    "pl_escalations",
    metadata,
    Column("id", String(16), primary_key=True),
    Column("from_position", BigInteger, primary_key=True, autoincrement=False),
    Column("until_position", BigInteger),
    Column("indicator", Text, nullable=False),
    Column("ladder", String(64), nullable=False),
    Column("stage", Integer, nullable=False),
    Column("state", String(16), nullable=False),  # open | responded | closed (overdue is derived)
    Column("due", String(10)),
    Column("review", String(16)),
    Column("trigger", Text, nullable=False),
    Column("requires", Text, nullable=False),
    Column("responder", Text, nullable=False),
    Column("opened_at", String(32), nullable=False),
    Column("raised_by", Text, nullable=False),
)
Index("ix_escalations_indicator", escalations.c.indicator, escalations.c.from_position)

escalation_history = Table(
    "pl_escalation_history",
    metadata,
    Column("position", BigInteger, primary_key=True, autoincrement=False),
    Column("id", String(16), nullable=False, index=True),
    Column("recorded_at", String(32), nullable=False),
    Column("actor", Text, nullable=False),
    Column("action", String(16), nullable=False),  # opened | advanced | responded | closed
    Column("stage", Integer, nullable=False),
    Column("review", String(16)),
    Column("due", String(10)),
    Column("note", Text),
    Column("plan", Text),
)

validations = Table(
    "pl_validations",
    metadata,
    Column("position", BigInteger, primary_key=True, autoincrement=False),
    Column("indicator", Text, nullable=False),
    Column("period", String(16), nullable=False),
    Column("revision", Integer, nullable=False),
    Column("figure_position", BigInteger, nullable=False),  # the figure validated
    Column("note", Text),
    Column("actor", Text, nullable=False),
    Column("recorded_at", String(32), nullable=False),
)
Index("ix_validations_return", validations.c.indicator, validations.c.period, validations.c.position)

queries = Table(
    "pl_queries",
    metadata,
    Column("id", String(16), primary_key=True),
    Column("indicator", Text, nullable=False),
    Column("period", String(16), nullable=False),
    Column("note", Text, nullable=False),
    Column("raised_by", Text, nullable=False),
    Column("raised_at", String(32), nullable=False),
    Column("raised_position", BigInteger, nullable=False),
    Column("outcome", String(16)),
    Column("resolution", Text),
    Column("resolved_by", Text),
    Column("resolved_at", String(32)),
    Column("resolved_position", BigInteger),
)
Index("ix_queries_return", queries.c.indicator, queries.c.period)
