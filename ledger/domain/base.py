"""Shared helpers for aggregates: deterministic ids and the namespace for them."""

from __future__ import annotations

from uuid import UUID, uuid5

NAMESPACE = UUID("7d3f5a0e-2b1c-4f7e-9a51-6c0b8e2d4f10")


def stable_id(*parts: str) -> UUID:
    """The same natural key always gives the same id (exactly-once across processes)."""
    return uuid5(NAMESPACE, "/".join(parts))
