"""The controls' views: adjustments, issued reports, refusals, designations, escalation cases,
validations and data-quality queries."""

from __future__ import annotations

from sqlalchemy import BigInteger, Column, Index, Integer, String, Table, Text

from projections.schema.base import believed, metadata

adjustments = Table(
    "pl_adjustments",
    metadata,
    Column("id", String(16), primary_key=True),
    Column("originator_id", String(32), nullable=False, unique=True),
    Column("indicator", Text, nullable=False),
    Column("periods", Text, nullable=False),  # comma-separated, in the request's order
    Column("status", String(16), nullable=False),
    Column("reason", String(32), nullable=False),
    Column("justification", Text, nullable=False),
    Column("evidence", Text),
    Column("revision", Integer),
    Column("requested_by", Text, nullable=False),
    Column("requested_at", String(32), nullable=False),
    Column("requested_position", BigInteger, nullable=False),
    Column("decided_by", Text),
    Column("decided_at", String(32)),
    Column("decided_position", BigInteger),
    Column("note", Text),
)

adjustment_items = Table(
    "pl_adjustment_items",
    metadata,
    Column("id", String(16), primary_key=True),
    Column("period", String(16), primary_key=True),
    Column("value", String(40), nullable=False),
    Column("numerator", String(40)),
    Column("denominator", String(40)),
    Column("before", String(40)),
    Column("before_numerator", String(40)),
    Column("before_denominator", String(40)),
    Column("before_version", Integer, nullable=False),
)

issued_reports = Table(
    "pl_issued_reports",
    metadata,
    Column("position", BigInteger, primary_key=True, autoincrement=False),
    Column("kind", String(32), nullable=False),
    Column("sha256", String(64), nullable=False, unique=True),
    Column("basis", Text, nullable=False),  # JSON: position, period, as_at, format, since_position
    Column("code_version", String(32), nullable=False),
    Column("actor", Text, nullable=False),
    Column("recorded_at", String(32), nullable=False),
)

refusals = Table(
    "pl_refusals",
    metadata,
    Column("position", BigInteger, primary_key=True, autoincrement=False),
    Column("recorded_at", String(32), nullable=False),
    Column("actor", Text, nullable=False),
    Column("act", String(64), nullable=False),
    Column("arguments", Text, nullable=False),  # JSON list of the command's words after the act
    Column("control", String(32), nullable=False),
    Column("message", Text, nullable=False),
)
Index("ix_refusals_control", refusals.c.control, refusals.c.position)

designations = Table(
    "pl_designations",
    metadata,
    Column("indicator", Text, primary_key=True),
    Column("role", String(32), primary_key=True),
    Column("name", Text, primary_key=True),
    *believed(),
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
    *believed(),
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
