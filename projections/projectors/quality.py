"""Projectors for data quality: validations, warnings accepted with a figure, and queries."""

from __future__ import annotations

from typing import Any

from sqlalchemy import update

from ledger.app.core import LogEntry
from projections import schema as t
from projections.catchup.writer import PageWriter
from projections.projectors.base import Handler, registrar, subject

HANDLERS: dict[str, Handler] = {}
handles = registrar(HANDLERS)


@handles("Return.Validated")
def _validated(entry: LogEntry, w: PageWriter) -> dict[str, Any]:
    e: Any = entry.event
    code, period = subject(w, entry)
    current = w.open_row(t.return_versions, indicator=code, period=period)
    assert current is not None, f"no open return for {code} {period}"
    w.insert(t.validations, {
        "position": entry.position, "indicator": code, "period": period, "revision": e.revision,
        "figure_position": current["figure_position"], "note": e.note, "actor": e.actor,
        "recorded_at": entry.recorded_at,
    })
    return {"indicator": code, "period": period, "reason": e.note, "after": "validated",
            "detail": f"revision {e.revision} ({current['value']}) validated by {e.actor}"}


@handles("Return.Warned")
def _warned(entry: LogEntry, w: PageWriter) -> dict[str, Any]:
    e: Any = entry.event
    code, period = subject(w, entry)
    r = t.return_versions
    w.conn.execute(update(r).where(r.c.indicator == code, r.c.period == period, r.c.until_position.is_(None))
                   .values(warnings="; ".join(e.warnings)))
    return {"indicator": code, "period": period, "reason": e.commentary, "after": "warned",
            "detail": "; ".join(e.warnings)}


@handles("Return.RecordedAsHistory")
def _recorded_as_history(entry: LogEntry, w: PageWriter) -> dict[str, Any]:
    """The return just submitted by a history import is history, from a record of that date."""
    e: Any = entry.event
    code, period = subject(w, entry)
    r = t.return_versions
    w.conn.execute(update(r).where(r.c.indicator == code, r.c.period == period, r.c.until_position.is_(None))
                   .values(history=e.source_date.isoformat()))
    return {"indicator": code, "period": period, "after": "history",
            "detail": f"imported as history, from a record dated {e.source_date.isoformat()}"}


@handles("Return.QueryRaised")
def _query_raised(entry: LogEntry, w: PageWriter) -> dict[str, Any]:
    e: Any = entry.event
    code, period = subject(w, entry)
    w.insert(t.queries, {
        "id": e.query_id, "indicator": code, "period": period, "note": e.note, "raised_by": e.actor,
        "raised_at": entry.recorded_at, "raised_position": entry.position, "outcome": None,
        "resolution": None, "resolved_by": None, "resolved_at": None, "resolved_position": None,
    })
    return {"indicator": code, "period": period, "reason": e.note, "after": "open",
            "detail": f"query {e.query_id} raised"}


@handles("Return.QueryResolved")
def _query_resolved(entry: LogEntry, w: PageWriter) -> dict[str, Any]:
    e: Any = entry.event
    code, period = subject(w, entry)
    q = t.queries
    w.flush()
    w.conn.execute(update(q).where(q.c.id == e.query_id).values(
        outcome=e.outcome, resolution=e.note, resolved_by=e.actor, resolved_at=entry.recorded_at,
        resolved_position=entry.position))
    return {"indicator": code, "period": period, "reason": e.note, "before": "open", "after": e.outcome,
            "detail": f"query {e.query_id} resolved: {e.outcome}"}


@handles("QueryRef.Opened")
def _query_ref(entry: LogEntry, w: PageWriter) -> dict[str, Any]:
    e: Any = entry.event
    return {"indicator": e.indicator, "period": str(e.period), "detail": f"query {e.query_id} opened"}


@handles("Return.Reported")
def _reported(entry: LogEntry, w: PageWriter) -> dict[str, Any]:
    e: Any = entry.event
    code, period = subject(w, entry)
    return {"indicator": code, "period": period, "after": "reported",
            "detail": f"shown in the issued {e.kind} report {e.report[:12]}... (revision {e.revision}): "
                      "a change to it is an adjustment from here on"}
