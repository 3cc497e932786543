"""The read models: plain SQLAlchemy Core tables, rebuilt from the events.

Bitemporal rows carry ``from_position`` (the first position at which the row
was believed) and ``until_position`` (the first position at which it no longer
was; NULL while it still is). "As at position P" selects
``from_position <= P AND (until_position IS NULL OR until_position > P)``.
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Index,
    Integer,
    String,
    Table,
    Text,
)

from projections.metadata import metadata as metadata
from projections.tables_controls import (  # re-exported: every view is reachable as tables.X
    designations as designations,
)
from projections.tables_controls import escalation_history as escalation_history
from projections.tables_controls import escalations as escalations
from projections.tables_controls import queries as queries
from projections.tables_controls import validations as validations

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

people = Table(
    "pl_people",
    metadata,
    Column("name", Text, primary_key=True),
    Column("organisation", Text),
    Column("from_position", BigInteger, nullable=False),
)

person_roles = Table(
    "pl_person_roles",
    metadata,
    Column("name", Text, primary_key=True),
    Column("role", String(32), primary_key=True),
    Column("from_position", BigInteger, primary_key=True, autoincrement=False),
    Column("until_position", BigInteger),
    Column("granted_by", Text, nullable=False),
    Column("revoked_by", Text),
    Column("revoke_reason", Text),
)

settings = Table(
    "pl_settings",
    metadata,
    Column("key", String(64), primary_key=True),
    Column("value", Text, nullable=False),
    Column("from_position", BigInteger, primary_key=True, autoincrement=False),
    Column("until_position", BigInteger),
)

indicator_versions = Table(
    "pl_indicator_versions",
    metadata,
    Column("code", Text, primary_key=True),
    Column("from_position", BigInteger, primary_key=True, autoincrement=False),
    Column("until_position", BigInteger),
    Column("revision", Integer, nullable=False),
    Column("title", Text, nullable=False),
    Column("unit", String(16), nullable=False),
    Column("polarity", String(16), nullable=False),
    Column("frequency", String(16), nullable=False),
    Column("definition", Text),
    Column("method", Text),
    Column("source", Text),
    Column("decimals", Integer),
    Column("tracker", Boolean, nullable=False),
    Column("cumulative", Boolean, nullable=False),
    Column("tolerance", String(32)),
    Column("reporting_lag", Integer, nullable=False),
    Column("rate_base", String(32)),
    Column("baseline", String(32)),
    Column("proxy_for", Text),
    Column("outlier_threshold", String(32)),
    Column("retired", Boolean, nullable=False),
    Column("reason", Text),
    Column("actor", Text, nullable=False),
    Column("recorded_at", String(32), nullable=False),
)

return_versions = Table(
    "pl_return_versions",
    metadata,
    Column("indicator", Text, primary_key=True),
    Column("period", String(16), primary_key=True),
    Column("version", Integer, primary_key=True, autoincrement=False),
    Column("period_start", String(10), nullable=False),
    Column("period_end", String(10), nullable=False),
    Column("period_kind", String(8), nullable=False),
    Column("value", String(40), nullable=False),
    Column("numerator", String(40)),
    Column("denominator", String(40)),
    Column("status", String(16), nullable=False),
    Column("commentary", Text),
    Column("source", Text),
    Column("actor", Text, nullable=False),
    Column("reason", Text),
    Column("change", String(16), nullable=False),
    Column("adjustment", String(16)),  # the approved adjustment that produced this version
    Column("recorded_at", String(32), nullable=False),
    Column("first_recorded_at", String(32), nullable=False),
    Column("figure_position", BigInteger),  # the event that gave the current figure (validations name it)
    Column("warnings", Text),  # validation warnings accepted with this figure, "; "-separated
    Column("from_position", BigInteger, nullable=False),
    Column("until_position", BigInteger),
)
# An indicator's returns (as at any position) and the open version of one return are found
# through the primary key (indicator, period, version): no index of their own to maintain.

Index("ix_return_versions_period", return_versions.c.period, return_versions.c.from_position)

targets = Table(
    "pl_targets",
    metadata,
    Column("indicator", Text, primary_key=True),
    Column("period", String(16), primary_key=True),
    Column("from_position", BigInteger, primary_key=True, autoincrement=False),
    Column("until_position", BigInteger),
    Column("period_start", String(10), nullable=False),
    Column("period_end", String(10), nullable=False),
    Column("value", String(40)),
    Column("low", String(40)),
    Column("high", String(40)),
    Column("monitoring_level", String(40)),
    Column("monitoring_low", String(40)),
    Column("monitoring_high", String(40)),
    Column("tolerance", String(40)),
    Column("agreed_with", Text),
    Column("consent", Text),
    Column("previous", Text),
    Column("reason", Text, nullable=False),
    Column("actor", Text, nullable=False),
    Column("recorded_at", String(32), nullable=False),
)
Index("ix_targets_period", targets.c.period, targets.c.from_position)

rag_rules = Table(
    "pl_rag_rules",
    metadata,
    Column("position", BigInteger, primary_key=True, autoincrement=False),
    Column("from_period", String(16)),
    Column("tolerance", String(40), nullable=False),
    Column("reason", Text),
    Column("actor", Text, nullable=False),
    Column("recorded_at", String(32), nullable=False),
)

closed_periods = Table(
    "pl_closed_periods",
    metadata,
    Column("period", String(16), primary_key=True),
    Column("period_start", String(10), nullable=False),
    Column("period_end", String(10), nullable=False),
    Column("from_position", BigInteger, nullable=False),
    Column("note", Text),
    Column("actor", Text, nullable=False),
    Column("recorded_at", String(32), nullable=False),
)

outlooks = Table(
    "pl_outlooks",
    metadata,
    Column("indicator", Text, primary_key=True),
    Column("year", String(16), primary_key=True),
    Column("from_position", BigInteger, primary_key=True, autoincrement=False),
    Column("until_position", BigInteger),
    Column("outlook", String(16), nullable=False),
    Column("note", Text, nullable=False),
    Column("actor", Text, nullable=False),
    Column("recorded_at", String(32), nullable=False),
)

milestones = Table(
    "pl_milestones",
    metadata,
    Column("id", String(16), primary_key=True),
    Column("from_position", BigInteger, primary_key=True, autoincrement=False),
    Column("until_position", BigInteger),
    Column("indicator", Text, nullable=False),
    Column("title", Text, nullable=False),
    Column("due", String(10), nullable=False),
    Column("status", String(16), nullable=False),
    Column("note", Text),
    Column("actor", Text, nullable=False),
    Column("recorded_at", String(32), nullable=False),
)

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

qualifications = Table(
    "pl_qualifications",
    metadata,
    Column("indicator", Text, primary_key=True),
    Column("year", String(16), primary_key=True),
    Column("reason", Text, nullable=False),
    Column("actor", Text, nullable=False),
    Column("recorded_at", String(32), nullable=False),
    Column("from_position", BigInteger, nullable=False),
)

samples = Table(
    "pl_samples",
    metadata,
    Column("id", String(16), primary_key=True),
    Column("year", String(16), nullable=False),
    Column("size", Integer, nullable=False),
    Column("drawn", Integer, nullable=False),
    Column("population", Integer, nullable=False),
    Column("seed", Text, nullable=False),
    Column("seed_from_digest", Boolean, nullable=False),
    Column("basis_position", BigInteger, nullable=False),  # the population was read as at this position
    Column("new", Text, nullable=False),  # comma-separated indicator codes
    Column("qualified", Text, nullable=False),
    Column("actor", Text, nullable=False),
    Column("recorded_at", String(32), nullable=False),
    Column("from_position", BigInteger, nullable=False),
)

sample_items = Table(
    "pl_sample_items",
    metadata,
    Column("id", String(16), primary_key=True),
    Column("rank", Integer, primary_key=True, autoincrement=False),
    Column("indicator", Text, nullable=False),
    Column("period", String(16), nullable=False),
    Column("version", Integer, nullable=False),
    Column("weight", Integer, nullable=False),
)

ALL_VIEWS = [events, people, person_roles, settings, indicator_versions, return_versions, targets,
             rag_rules, closed_periods, outlooks, milestones, adjustments, adjustment_items, issued_reports,
             refusals, qualifications, samples, sample_items, designations, escalations,
             escalation_history, validations, queries]

# Bump when a view's shape changes: views of another version are dropped and rebuilt from the events.
SCHEMA_VERSION = 8
