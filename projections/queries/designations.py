"""Designations as at a ledger position: who answered for each indicator then."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, select

from policies.designation import ROLES
from projections import schema as t
from projections.queries import believed, name_key, natural_key

ORDER = {role: index for index, role in enumerate(ROLES)}


def designations(conn: Connection, code: str, position: int) -> list[dict[str, Any]]:
    """CODE's designations believed at POSITION, in the framework's order of roles."""
    d = t.designations
    query = select(d).where(d.c.indicator == code, believed(d, position))
    rows = [dict(r) for r in conn.execute(query).mappings()]
    rows.sort(key=lambda r: (ORDER.get(r["role"], 99), r["from_position"], name_key(r["name"])))
    return [{"role": r["role"], "name": r["name"], "since_position": r["from_position"],
             "since": r["recorded_at"], "reason": r["reason"], "designated_by": r["actor"]} for r in rows]


def indicators_of(conn: Connection, person: str, position: int,
                  role: str = "improvement-manager") -> set[str]:
    """The indicators PERSON holds the designation ROLE for, as at POSITION."""
    d = t.designations
    query = select(d.c.indicator).where(d.c.name == person, d.c.role == role, believed(d, position))
    return {str(code) for code in conn.execute(query).scalars()}


def holders(conn: Connection, position: int, role: str) -> dict[str, list[str]]:
    """Indicator -> holders of ROLE, as at POSITION (natural order of codes)."""
    d = t.designations
    query = select(d.c.indicator, d.c.name).where(d.c.role == role, believed(d, position))
    found: dict[str, list[str]] = {}
    for code, name in conn.execute(query):
        found.setdefault(str(code), []).append(str(name))
    return {code: sorted(found[code], key=name_key) for code in sorted(found, key=natural_key)}
