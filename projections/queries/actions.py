"""Action plans as at a ledger position: each action with its progress, and whether it is overdue."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import Connection, select

from projections import schema as t
from projections.queries import believed, natural_key

COLUMNS = ["id", "kind", "target", "indicator", "title", "lead", "due", "percent", "status", "overdue"]


def actions(conn: Connection, position: int, today: date, overdue_only: bool = False,
            target: str | None = None, include_completed: bool = True) -> list[dict[str, Any]]:
    """The actions believed at POSITION, soonest due first; overdue: past its due date and not complete."""
    query = select(t.actions).where(believed(t.actions, position))
    if target is not None:
        query = query.where((t.actions.c.target == target) | (t.actions.c.indicator == target))
    found = []
    for r in conn.execute(query).mappings():
        late = r["status"] == "open" and date.fromisoformat(r["due"]) < today
        if overdue_only and not late:
            continue
        if not include_completed and r["status"] == "completed":
            continue
        found.append({"id": r["id"], "kind": r["kind"], "target": r["target"], "indicator": r["indicator"],
                      "title": r["title"], "lead": r["lead"], "due": r["due"], "percent": r["percent"],
                      "status": r["status"], "overdue": late, "note": r["note"]})
    found.sort(key=lambda a: (a["due"], natural_key(a["target"]), a["id"]))
    return found


def by_indicator(conn: Connection, position: int, today: date) -> dict[str, list[dict[str, Any]]]:
    """Indicator code -> its open actions (its own, its risks', its escalation cases'), as at POSITION."""
    found: dict[str, list[dict[str, Any]]] = {}
    for a in actions(conn, position, today, include_completed=False):
        if a["indicator"]:
            found.setdefault(a["indicator"], []).append(a)
    return found
