"""Projectors for retrospective adjustments, restated returns, issued reports and refusals."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import update

from ledger.app.core import LogEntry
from projections import schema as t
from projections.catchup.writer import PageWriter
from projections.projectors.base import Handler, registrar, subject, text

HANDLERS: dict[str, Handler] = {}
handles = registrar(HANDLERS)


def _figure(value: Any, numerator: Any, denominator: Any) -> str:
    if value is None:
        return "none"
    return f"{value} ({numerator}/{denominator})" if numerator is not None else str(value)


def _changes(items: list[Any]) -> tuple[str, str]:
    before = "; ".join(
        f"{i['period']}: {_figure(i['before'], i['before_numerator'], i['before_denominator'])}"
        for i in items)
    after = "; ".join(
        f"{i['period']}: {_figure(i['value'], i['numerator'], i['denominator'])}" for i in items)
    return before, after


@handles("Adjustment.Requested")
def _requested(entry: LogEntry, w: PageWriter) -> dict[str, Any]:
    e: Any = entry.event
    periods = [str(i["period"]) for i in e.items]
    w.insert(t.adjustments, {
        "id": e.adjustment_id, "originator_id": e.originator_id.hex, "indicator": e.indicator,
        "periods": ",".join(periods),
        "status": "pending", "reason": e.reason, "justification": e.justification,
        "evidence": e.evidence, "revision": e.revision, "requested_by": e.actor,
        "requested_at": entry.recorded_at, "requested_position": entry.position,
        "decided_by": None, "decided_at": None, "decided_position": None, "note": None,
    })
    for i in e.items:
        w.insert(t.adjustment_items, {
            "id": e.adjustment_id, "period": str(i["period"]), "value": text(i["value"]),
            "numerator": text(i["numerator"]), "denominator": text(i["denominator"]),
            "before": text(i["before"]), "before_numerator": text(i["before_numerator"]),
            "before_denominator": text(i["before_denominator"]), "before_version": i["before_version"],
        })
    before, after = _changes(e.items)
    evidence = e.evidence if e.evidence else f"indicator revision {e.revision}"
    return {"indicator": e.indicator, "period": periods[0] if len(periods) == 1 else None,
            "reason": f"{e.reason}: {e.justification}", "before": before, "after": after,
            "adjustment": e.adjustment_id,
            "detail": f"{e.adjustment_id} requested by {e.actor}; evidence: {evidence}"
                      + (f"; {len(periods)} periods" if len(periods) > 1 else "")}


def _decided(entry: LogEntry, w: PageWriter, status: str) -> dict[str, Any]:
    e: Any = entry.event
    w.flush()
    found = w.conn.execute(t.adjustments.select().where(
        t.adjustments.c.originator_id == e.originator_id.hex)).mappings().first()
    assert found is not None, f"no adjustment {e.originator_id}"
    key = found["id"]
    w.conn.execute(update(t.adjustments).where(t.adjustments.c.id == key).values(
        status=status, decided_by=e.actor, decided_at=entry.recorded_at, decided_position=entry.position,
        note=e.note))
    periods = found["periods"].split(",")
    if status == "approved":
        for period in periods:  # a late figure is submitted by the approval itself: mark it too
            w.conn.execute(update(t.return_versions).where(
                t.return_versions.c.indicator == found["indicator"], t.return_versions.c.period == period,
                t.return_versions.c.until_position.is_(None), t.return_versions.c.adjustment.is_(None),
            ).values(adjustment=key, change="restated", reason=found["reason"]))
    return {"indicator": found["indicator"], "period": periods[0] if len(periods) == 1 else None,
            "reason": e.note, "after": status, "adjustment": key,
            "detail": f"{key} {status} by {e.actor} (requested by {found['requested_by']}; "
                      f"{found['reason']})"}


@handles("Adjustment.Approved")
def _approved(entry: LogEntry, w: PageWriter) -> dict[str, Any]:
    return _decided(entry, w, "approved")


@handles("Adjustment.Rejected")
def _rejected(entry: LogEntry, w: PageWriter) -> dict[str, Any]:
    return _decided(entry, w, "rejected")


@handles("Adjustment.Withdrawn")
def _withdrawn(entry: LogEntry, w: PageWriter) -> dict[str, Any]:
    return _decided(entry, w, "withdrawn")


@handles("Return.Restated")
def _restated(entry: LogEntry, w: PageWriter) -> dict[str, Any]:
    e: Any = entry.event
    code, period = subject(w, entry)
    current = w.open_row(t.return_versions, indicator=code, period=period)
    assert current is not None, f"no open return for {code} {period}"
    w.close_rows(t.return_versions, entry.position, indicator=code, period=period)
    w.insert(t.return_versions, {
        **dict(current), "version": e.originator_version, "value": str(e.value),
        "numerator": text(e.numerator), "denominator": text(e.denominator), "actor": e.actor,
        "reason": e.reason, "change": "restated", "adjustment": e.adjustment,
        "recorded_at": entry.recorded_at, "from_position": entry.position, "until_position": None,
        "figure_position": entry.position, "warnings": None,
    })
    return {"indicator": code, "period": period, "reason": e.reason, "adjustment": e.adjustment,
            "before": _figure(current["value"], current["numerator"], current["denominator"]),
            "after": _figure(e.value, e.numerator, e.denominator),
            "detail": f"{e.adjustment} requested by {e.requested_by}, approved by {e.actor}; "
                      f"revision {e.revision}"}


@handles("Report.Issued")
def _issued(entry: LogEntry, w: PageWriter) -> dict[str, Any]:
    e: Any = entry.event
    w.insert(t.issued_reports, {
        "position": entry.position, "kind": e.kind, "sha256": e.sha256,
        "basis": json.dumps(e.basis, sort_keys=True), "code_version": e.code_version, "actor": e.actor,
        "recorded_at": entry.recorded_at,
    })
    return {"after": e.sha256, "detail": f"{e.kind} report issued: basis position {e.basis['position']}, "
                                         f"period {e.basis.get('period')}, format {e.basis.get('format')}"}


@handles("Refusal.Recorded")
def _refused(entry: LogEntry, w: PageWriter) -> dict[str, Any]:
    e: Any = entry.event
    w.insert(t.refusals, {
        "position": entry.position, "recorded_at": entry.recorded_at, "actor": e.actor, "act": e.act,
        "arguments": json.dumps(e.arguments), "control": e.control, "message": e.message,
    })
    concerned = {"indicator": getattr(e, "indicator", None), "period": getattr(e, "period", None)}
    return {"reason": e.control, "after": "refused", "detail": f"{e.act}: {e.message}",
            **{k: v for k, v in concerned.items() if v is not None}}
