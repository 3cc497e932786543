"""Risk registers: each risk as it stood (bitemporal), its history, and the risk matrices in force."""

from __future__ import annotations

from sqlalchemy import BigInteger, Column, Index, Integer, String, Table, Text

from projections.schema.base import believed, metadata

risks = Table(  # one row per risk per state it has been in
    "pl_risks",
    metadata,
    Column("code", Text, primary_key=True),
    *believed(),
    Column("originator", String(32), nullable=False),
    Column("title", Text, nullable=False),
    Column("register", String(16), nullable=False),
    Column("owner", Text, nullable=False),
    Column("directorate", Text),
    Column("indicators", Text, nullable=False),  # linked indicator codes, ";"-joined
    Column("status", String(8), nullable=False),  # open | closed
    Column("likelihood", Integer),
    Column("impact", Integer),
    Column("residual_likelihood", Integer),
    Column("residual_impact", Integer),
    Column("assessed_at", String(32)),
    Column("control", Text),  # the latest control recorded
    Column("proposed", String(16)),  # a pending proposed register
    Column("added_at", String(32), nullable=False),
)
Index("ix_risks_originator", risks.c.originator)

risk_history = Table(
    "pl_risk_history",
    metadata,
    Column("position", BigInteger, primary_key=True, autoincrement=False),
    Column("code", Text, nullable=False, index=True),
    Column("recorded_at", String(32), nullable=False),
    Column("actor", Text, nullable=False),
    Column("action", String(16), nullable=False),  # added|assessed|controlled|proposed|moved|kept|closed
    Column("register", String(16), nullable=False),
    Column("detail", Text),
)

risk_matrices = Table(
    "pl_risk_matrices",
    metadata,
    Column("version", Integer, primary_key=True, autoincrement=False),
    Column("position", BigInteger, nullable=False),
    Column("config", Text, nullable=False),  # JSON
    Column("source", Text, nullable=False),
    Column("reason", Text, nullable=False),
    Column("actor", Text, nullable=False),
    Column("recorded_at", String(32), nullable=False),
)
