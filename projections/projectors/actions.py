"""Projectors for action plans."""

from __future__ import annotations

from typing import Any

from projections import schema as t
from projections.catchup.writer import PageWriter
from projections.projectors.base import Handler, event_name, registrar

HANDLERS: dict[str, Handler] = {}
handles = registrar(HANDLERS)


@handles("Action.Added")
def _added(entry: Any, w: PageWriter) -> dict[str, Any]:
    e = entry.event
    w.insert(t.actions, {"id": e.key, "from_position": entry.position, "until_position": None,
                         "originator": e.originator_id.hex, "kind": e.kind, "target": e.target,
                         "indicator": e.indicator, "title": e.title, "lead": e.lead, "due": e.due.isoformat(),
                         "percent": 0, "status": "open", "note": None, "updated_at": entry.recorded_at})
    return {"indicator": e.indicator, "after": f"{e.key}: {e.title} (lead {e.lead}, due {e.due.isoformat()})",
            "detail": f"action for {e.kind} {e.target}"}


@handles("Action.Progressed", "Action.Completed")
def _progressed(entry: Any, w: PageWriter) -> dict[str, Any]:
    e = entry.event
    current = w.open_row(t.actions, originator=e.originator_id.hex)
    assert current is not None, "progress on an action before it was added"
    w.close_rows(t.actions, entry.position, id=current["id"])
    completed = event_name(e) == "Action.Completed"
    percent = 100 if completed else e.percent
    w.insert(t.actions, {**dict(current), "from_position": entry.position, "until_position": None,
                         "percent": percent, "status": "completed" if completed else "open", "note": e.note,
                         "updated_at": entry.recorded_at})
    w.insert(t.action_progress, {"position": entry.position, "id": current["id"],
                                 "recorded_at": entry.recorded_at, "actor": e.actor, "percent": percent,
                                 "note": e.note})
    return {"indicator": current["indicator"], "before": f"{current['percent']}%", "after": f"{percent}%",
            "reason": e.note, "detail": f"action {current['id']}"}
