"""Projectors for designations, the ladder in force and escalation cases."""

from __future__ import annotations

import json
from typing import Any

from projections import schema as t
from projections.catchup.writer import PageWriter
from projections.projectors.base import Handler, registrar, subject, text

HANDLERS: dict[str, Handler] = {}
handles = registrar(HANDLERS)


def _code(w: PageWriter, entry: Any) -> str:
    code, _ = subject(w, entry)
    assert code is not None
    return code


@handles("Designations.Opened", "Escalations.Opened")
def _opened(entry: Any, w: PageWriter) -> dict[str, Any]:
    return {"indicator": entry.event.indicator}


@handles("Designations.Designated")
def _designated(entry: Any, w: PageWriter) -> dict[str, Any]:
    e = entry.event
    code = _code(w, entry)
    if e.previous is not None:
        w.close_rows(t.designations, entry.position, {"ended_by": e.actor, "ended_reason": e.reason},
                     indicator=code, role=e.role)
    w.insert(t.designations, {"indicator": code, "role": e.role, "name": e.name,
                              "from_position": entry.position, "until_position": None,
                              "reason": e.reason, "actor": e.actor, "recorded_at": entry.recorded_at,
                              "ended_by": None, "ended_reason": None})
    return {"indicator": code, "before": e.previous, "after": f"{e.role}: {e.name}"}


@handles("Designations.Removed")
def _removed(entry: Any, w: PageWriter) -> dict[str, Any]:
    e = entry.event
    code = _code(w, entry)
    w.close_rows(t.designations, entry.position, {"ended_by": e.actor, "ended_reason": e.reason},
                 indicator=code, role=e.role, name=e.name)
    return {"indicator": code, "before": f"{e.role}: {e.name}", "after": None}


@handles("Ladder.Adopted")
def _adopted(entry: Any, w: PageWriter) -> dict[str, Any]:
    e = entry.event
    w.close_rows(t.settings, entry.position, key="ladder")
    w.insert(t.settings, {"key": "ladder", "value": json.dumps(e.config, sort_keys=True),
                          "from_position": entry.position, "until_position": None})
    return {"after": f"ladder {e.label} in force", "detail": e.source}


def _case_row(w: PageWriter, case: str) -> dict[str, Any]:
    current = w.open_row(t.escalations, id=case)
    assert current is not None
    return {k: v for k, v in current.items() if k not in ("from_position", "until_position")}


def _history(w: PageWriter, entry: Any, case: str, action: str, stage: int, *, review: Any = None,
             due: Any = None, note: str | None = None, plan: str | None = None) -> None:
    w.insert(t.escalation_history, {"position": entry.position, "id": case,
                                    "recorded_at": entry.recorded_at, "actor": entry.event.actor,
                                    "action": action, "stage": stage, "review": text(review),
                                    "due": text(due), "note": note, "plan": plan})


def _next_version(w: PageWriter, entry: Any, case: str, row: dict[str, Any]) -> None:
    w.close_rows(t.escalations, entry.position, id=case)
    w.insert(t.escalations, {**row, "id": case, "from_position": entry.position, "until_position": None})


@handles("Escalations.CaseOpened")
def _case_opened(entry: Any, w: PageWriter) -> dict[str, Any]:
    e = entry.event
    code = _code(w, entry)
    w.insert(t.escalations, {"id": e.case, "from_position": entry.position, "until_position": None,
                             "indicator": code, "ladder": e.ladder, "stage": e.stage, "state": "open",
                             "due": text(e.due), "review": text(e.review), "trigger": e.trigger,
                             "requires": e.requires, "responder": e.responder,
                             "opened_at": entry.recorded_at, "raised_by": e.actor})
    _history(w, entry, e.case, "opened", e.stage, review=e.review, due=e.due, note=e.trigger)
    return {"indicator": code, "period": text(e.review), "after": f"{e.case}: stage {e.stage}",
            "reason": e.trigger}


@handles("Escalations.StageReached")
def _stage_reached(entry: Any, w: PageWriter) -> dict[str, Any]:
    e = entry.event
    row = _case_row(w, e.case)
    before = row["stage"]
    row.update({"stage": e.stage, "state": "open", "due": text(e.due),
                "review": text(e.review) or row["review"], "trigger": e.trigger,
                "requires": e.requires, "responder": e.responder, "ladder": e.ladder})
    _next_version(w, entry, e.case, row)
    _history(w, entry, e.case, "advanced", e.stage, review=e.review, due=e.due, note=e.trigger)
    return {"indicator": row["indicator"], "period": text(e.review), "before": f"{e.case}: stage {before}",
            "after": f"{e.case}: stage {e.stage}", "reason": e.trigger}


@handles("Escalations.Responded")
def _responded(entry: Any, w: PageWriter) -> dict[str, Any]:
    e = entry.event
    row = _case_row(w, e.case)
    row["state"] = "responded"
    _next_version(w, entry, e.case, row)
    named = getattr(e, "actions", None)  # absent from responses recorded before actions existed
    plan = "; ".join(filter(None, [e.plan, f"actions {', '.join(named)}" if named else None])) or None
    _history(w, entry, e.case, "responded", e.stage, note=e.note, plan=plan)
    return {"indicator": row["indicator"], "after": f"{e.case}: responded at stage {e.stage}",
            "reason": e.note, "detail": plan}


@handles("Escalations.CaseClosed")
def _case_closed(entry: Any, w: PageWriter) -> dict[str, Any]:
    e = entry.event
    row = _case_row(w, e.case)
    row["state"] = "closed"
    _next_version(w, entry, e.case, row)
    _history(w, entry, e.case, "closed", row["stage"], review=e.review, note=e.note)
    return {"indicator": row["indicator"], "period": text(e.review),
            "before": f"{e.case}: stage {row['stage']}", "after": f"{e.case}: closed", "reason": e.note}


@handles("EscalationCase.Recorded")
def _indexed(entry: Any, w: PageWriter) -> dict[str, Any]:
    return {"indicator": entry.event.indicator, "detail": entry.event.case}
