"""Benchmarks: comparator groups as their membership stood (bitemporal), and each area's published
value of an indicator for a year in a group (bitemporal: a corrected value ends the earlier row)."""

from __future__ import annotations

from sqlalchemy import Column, Index, Integer, String, Table, Text

from projections.schema.base import believed, metadata

comparator_groups = Table(  # one row per group per membership it has had
    "pl_comparator_groups",
    metadata,
    Column("name", Text, primary_key=True),
    *believed(),
    Column("areas", Text, nullable=False),  # JSON list, in the group's order
    Column("own", Text),  # this ledger's own council, as the benchmark files spell it
    Column("membership", Integer, nullable=False),  # 1 when defined, +1 each change
    Column("reason", Text),
    Column("actor", Text, nullable=False),
    Column("recorded_at", String(32), nullable=False),
    Column("defined_at", String(32), nullable=False),
)

benchmarks = Table(  # one row per (indicator, group, year, area) per value it has been published with
    "pl_benchmarks",
    metadata,
    Column("indicator", Text, primary_key=True),
    Column("comparator", Text, primary_key=True),  # the comparator group's name
    Column("period", String(16), primary_key=True),  # a financial year, e.g. 2023/24
    Column("area", Text, primary_key=True),
    *believed(),
    Column("value", Text, nullable=False),  # exact decimal text
    Column("source", Text, nullable=False),
    Column("edition", Integer, nullable=False),  # the set's edition that recorded this value
    Column("actor", Text, nullable=False),
    Column("recorded_at", String(32), nullable=False),
)
Index("ix_benchmarks_indicator_period", benchmarks.c.indicator, benchmarks.c.period)
