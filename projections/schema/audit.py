"""Internal audit's own acts: qualifications and drawn samples."""

from __future__ import annotations

from sqlalchemy import BigInteger, Boolean, Column, Integer, String, Table, Text

from projections.schema.base import metadata

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
