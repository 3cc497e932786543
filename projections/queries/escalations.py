"""Escalation cases as at a ledger position; overdue is derived from the deadline and the date."""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import Any

from sqlalchemy import Connection, select

from ledger.values import LONDON
from policies.ladder import status
from projections import schema as t
from projections.queries import believed, natural_key

COLUMNS = ["id", "indicator", "stage", "status", "opened_at", "due", "trigger", "raised_by",
           "ladder", "requires", "responder", "review"]


def as_at_date(moment: datetime) -> date:
    return moment.astimezone(LONDON).date()


def cases(conn: Connection, position: int, today: date, case: str | None = None) -> list[dict[str, Any]]:
    """Every case believed at POSITION (or only CASE), with its status on TODAY, oldest first."""
    e = t.escalations
    query = select(e).where(believed(e, position))
    rows = conn.execute(query if case is None else query.where(e.c.id == case)).mappings()
    found = []
    for r in rows:
        due = date.fromisoformat(r["due"]) if r["due"] else None
        found.append({"id": r["id"], "indicator": r["indicator"], "stage": r["stage"],
                      "status": status(r["state"] == "closed", r["state"] == "responded", due, today),
                      "opened_at": r["opened_at"], "due": r["due"], "trigger": r["trigger"],
                      "raised_by": r["raised_by"], "ladder": r["ladder"], "requires": r["requires"],
                      "responder": r["responder"], "review": r["review"]})
    found.sort(key=lambda c: (c["opened_at"], natural_key(c["indicator"]), c["id"]))
    return found


def open_stages(conn: Connection, position: int) -> dict[str, int]:
    """Indicator -> the stage of its open case, as at POSITION."""
    e = t.escalations
    query = select(e.c.indicator, e.c.stage).where(believed(e, position), e.c.state != "closed")
    return {str(code): int(stage) for code, stage in conn.execute(query)}


def major_obstacles(found: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Cases at stage 2 or above, and overdue responses (000 §4.16), in natural order."""
    listed = [c for c in found if c["status"] != "closed" and (c["stage"] >= 2 or c["status"] == "overdue")]
    listed.sort(key=lambda c: (natural_key(c["indicator"]), c["id"]))
    return [{"indicator": c["indicator"], "escalation": c["id"], "stage": c["stage"],
             "status": c["status"], "due": c["due"], "requires": c["requires"],
             "why": "overdue response" if c["status"] == "overdue" else f"stage {c['stage']}"}
            for c in listed]


def history(conn: Connection, case: str, position: int) -> list[dict[str, Any]]:
    h = t.escalation_history
    query = select(h).where(h.c.id == case, h.c.position <= position).order_by(h.c.position)
    return [dict(r) for r in conn.execute(query).mappings()]


def ladder_in_force(conn: Connection, position: int) -> dict[str, Any] | None:
    s = t.settings
    value = conn.execute(select(s.c.value).where(s.c.key == "ladder", believed(s, position))).scalar()
    return json.loads(value) if value else None
