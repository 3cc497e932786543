"""Plans, priorities and their baskets; agreements with their indicators, agreed targets, proposals and
refreshes; contributions. Rows that change are bitemporal (believed from a position until another)."""

from __future__ import annotations

from sqlalchemy import BigInteger, Column, String, Table, Text

from projections.schema.base import believed, metadata

plans = Table(
    "pl_plans",
    metadata,
    Column("code", Text, primary_key=True),
    Column("position", BigInteger, nullable=False),
    Column("recorded_at", String(32), nullable=False),
    Column("actor", Text, nullable=False),
    Column("title", Text, nullable=False),
    Column("kind", String(24), nullable=False),
    Column("parent", Text),
    Column("start", String(16), nullable=False),
    Column("until", String(16), nullable=False),
)

priorities = Table(
    "pl_priorities",
    metadata,
    Column("code", Text, primary_key=True),
    Column("originator", String(32), nullable=False, index=True),
    Column("position", BigInteger, nullable=False),
    Column("recorded_at", String(32), nullable=False),
    Column("actor", Text, nullable=False),
    Column("plan", Text, nullable=False, index=True),
    Column("title", Text, nullable=False),
    Column("theme", Text),
)

priority_links = Table(  # one row per indicator in a basket, believed while it is linked
    "pl_priority_links",
    metadata,
    Column("priority", Text, primary_key=True),
    Column("indicator", Text, primary_key=True),
    *believed(),
)

agreements = Table(
    "pl_agreements",
    metadata,
    Column("code", Text, primary_key=True),
    Column("originator", String(32), nullable=False, index=True),
    Column("position", BigInteger, nullable=False),
    Column("recorded_at", String(32), nullable=False),
    Column("actor", Text, nullable=False),
    Column("title", Text, nullable=False),
    Column("body", Text, nullable=False),
    Column("members", Text, nullable=False),  # ";"-joined
    Column("start", String(16), nullable=False),
    Column("until", String(16), nullable=False),
    Column("plan", Text),
)

agreement_indicators = Table(
    "pl_agreement_indicators",
    metadata,
    Column("agreement", Text, primary_key=True),
    Column("indicator", Text, primary_key=True),
    *believed(),
)

agreed_targets = Table(  # an indicator's agreed trajectory (and stretch target) for a year
    "pl_agreed_targets",
    metadata,
    Column("agreement", Text, primary_key=True),
    Column("indicator", Text, primary_key=True),
    Column("year", String(16), primary_key=True),
    *believed(),
    Column("trajectory", Text, nullable=False),
    Column("stretch", Text),
    Column("proposal", String(16), nullable=False),
    Column("proposed_by", Text, nullable=False),
    Column("approved_by", Text, nullable=False),
    Column("approved_at", String(32), nullable=False),
)

target_proposals = Table(
    "pl_target_proposals",
    metadata,
    Column("id", String(16), primary_key=True),
    *believed(),
    Column("originator", String(32), nullable=False, index=True),
    Column("agreement", Text, nullable=False),
    Column("indicator", Text, nullable=False),
    Column("year", String(16), nullable=False),
    Column("trajectory", Text, nullable=False),
    Column("stretch", Text),
    Column("previous", Text),
    Column("reason", Text, nullable=False),
    Column("proposed_by", Text, nullable=False),
    Column("proposed_at", String(32), nullable=False),
    Column("status", String(12), nullable=False),  # proposed | approved | rejected
    Column("decided_by", Text),
    Column("decided_at", String(32)),
    Column("note", Text),
)

agreement_refreshes = Table(
    "pl_agreement_refreshes",
    metadata,
    Column("position", BigInteger, primary_key=True, autoincrement=False),
    Column("agreement", Text, nullable=False),
    Column("year", String(16), nullable=False),
    Column("reason", Text, nullable=False),
    Column("added", Text, nullable=False),
    Column("dropped", Text, nullable=False),
    Column("actor", Text, nullable=False),
    Column("recorded_at", String(32), nullable=False),
)

contributions = Table(  # a contributing organisation's target or return for one period
    "pl_contributions",
    metadata,
    Column("indicator", Text, primary_key=True),
    Column("organisation", Text, primary_key=True),
    Column("period", String(16), primary_key=True),
    Column("kind", String(8), primary_key=True),  # target | return
    *believed(),
    Column("value", Text, nullable=False),
    Column("commentary", Text),
    Column("reason", Text),
    Column("actor", Text, nullable=False),
    Column("recorded_at", String(32), nullable=False),
)
