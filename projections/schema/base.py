"""What every view shares: the one ``MetaData``, the schema version, and the bitemporal columns.

Bitemporal rows carry ``from_position`` (the first position at which the row
was believed) and ``until_position`` (the first position at which it no longer
was; NULL while it still is). "As at position P" selects
``from_position <= P AND (until_position IS NULL OR until_position > P)``.
"""

from __future__ import annotations

from sqlalchemy import BigInteger, Column, MetaData

metadata = MetaData()

# Bump when a view's shape changes: views of another version are dropped and rebuilt from the events.
SCHEMA_VERSION = 15


def believed() -> tuple[Column[int], Column[int]]:
    """The two columns of a bitemporal row: believed from a position (part of the key) until another."""
    return (Column("from_position", BigInteger, primary_key=True, autoincrement=False),
            Column("until_position", BigInteger))
