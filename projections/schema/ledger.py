"""The performance data as believed over time: people and roles, rating rules, indicators, returns,
targets, closed periods, outlooks and milestones."""

from __future__ import annotations

from sqlalchemy import BigInteger, Boolean, Column, Index, Integer, String, Table, Text

from projections.schema.base import believed, metadata

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
    *believed(),
    Column("granted_by", Text, nullable=False),
    Column("revoked_by", Text),
    Column("revoke_reason", Text),
)

settings = Table(
    "pl_settings",
    metadata,
    Column("key", String(64), primary_key=True),
    Column("value", Text, nullable=False),
    *believed(),
)

indicator_versions = Table(
    "pl_indicator_versions",
    metadata,
    Column("code", Text, primary_key=True),
    *believed(),
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
    Column("theme", Text),
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
    Column("history", String(10)),  # imported as history: the date of the record it came from
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
    *believed(),
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
    *believed(),
    Column("outlook", String(16), nullable=False),
    Column("note", Text, nullable=False),
    Column("actor", Text, nullable=False),
    Column("recorded_at", String(32), nullable=False),
)

milestones = Table(
    "pl_milestones",
    metadata,
    Column("id", String(16), primary_key=True),
    *believed(),
    Column("indicator", Text, nullable=False),
    Column("title", Text, nullable=False),
    Column("due", String(10), nullable=False),
    Column("status", String(16), nullable=False),
    Column("note", Text),
    Column("actor", Text, nullable=False),
    Column("recorded_at", String(32), nullable=False),
)
