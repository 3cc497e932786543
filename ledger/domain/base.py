"""Shared helpers for aggregates: deterministic ids and the namespace for them."""

from __future__ import annotations

from hashlib import sha1
from uuid import UUID

NAMESPACE = UUID("7d3f5a0e-2b1c-4f7e-9a51-6c0b8e2d4f10")
_NAMESPACE_BYTES = NAMESPACE.bytes


def stable_id(*parts: str) -> UUID:
    """The same natural key always gives the same id (exactly-once across processes).

    ``uuid5(NAMESPACE, "/".join(parts))``, written out (a bulk import calls it twice a row).
    """
    return UUID(bytes=sha1(_NAMESPACE_BYTES + "/".join(parts).encode()).digest()[:16], version=5)
