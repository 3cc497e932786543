"""Projectors for targets, rating rules, closed periods, outlooks and milestones."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from projections import schema as t
from projections.catchup.writer import PageWriter
from projections.projectors.base import Handler, registrar, subject, text

HANDLERS: dict[str, Handler] = {}
handles = registrar(HANDLERS)

TARGET_FIELDS = ("value", "low", "high", "monitoring_level", "monitoring_low", "monitoring_high",
                 "tolerance")


def _describe(e: Any) -> str:
    band = f"{e.low}..{e.high}" if e.low is not None else str(e.value)
    extras = [f"monitoring level {e.monitoring_level}" if e.monitoring_level is not None else "",
              f"tolerance {e.tolerance}%" if e.tolerance is not None else "",
              f"agreed with {e.agreed_with}" if e.agreed_with else "",
              f"consent {e.consent}" if e.consent else ""]
    return "; ".join([band, *[x for x in extras if x]])


@handles("Targets.TargetSet")
def _target_set(entry: Any, w: PageWriter) -> dict[str, Any]:
    e = entry.event
    code = _indicator_of(w, entry)
    period = str(e.period)
    w.close_rows(t.targets, entry.position, indicator=code, period=period)
    w.insert(t.targets, {
        "indicator": code, "period": period, "from_position": entry.position, "until_position": None,
        "period_start": e.period.start.isoformat(), "period_end": e.period.end.isoformat(),
        **{k: text(getattr(e, k)) for k in TARGET_FIELDS},
        "agreed_with": e.agreed_with, "consent": e.consent, "previous": e.previous,
        "reason": e.reason, "actor": e.actor, "recorded_at": entry.recorded_at,
    })
    return {"indicator": code, "period": period, "before": e.previous, "after": _describe(e)}


@handles("Targets.Opened", "Outlook.Opened")
def _opened(entry: Any, w: PageWriter) -> dict[str, Any]:
    return {"indicator": entry.event.indicator}


def _indicator_of(w: PageWriter, entry: Any) -> str:
    code, _ = subject(w, entry)
    assert code is not None
    return code


@handles("Ledger.RagDefaultChanged")
def _rule(entry: Any, w: PageWriter) -> dict[str, Any]:
    e = entry.event
    w.insert(t.rag_rules, {"position": entry.position, "from_period": text(e.from_period),
                           "tolerance": str(e.tolerance), "reason": e.reason, "actor": e.actor,
                           "recorded_at": entry.recorded_at})
    scope = f"from {e.from_period}" if e.from_period else "for all periods"
    return {"after": f"default tolerance {e.tolerance}% {scope}", "period": text(e.from_period)}


@handles("Calendar.PeriodClosed")
def _closed(entry: Any, w: PageWriter) -> dict[str, Any]:
    e = entry.event
    w.insert(t.closed_periods, {"period": str(e.period), "period_start": e.period.start.isoformat(),
                                "period_end": e.period.end.isoformat(), "from_position": entry.position,
                                "note": e.note, "actor": e.actor, "recorded_at": entry.recorded_at})
    return {"period": str(e.period), "after": "closed", "reason": e.note}


@handles("Outlook.Assessed")
def _assessed(entry: Any, w: PageWriter) -> dict[str, Any]:
    e = entry.event
    code = _indicator_of(w, entry)
    year = str(e.year)
    previous = w.open_row(t.outlooks, indicator=code, year=year)
    w.close_rows(t.outlooks, entry.position, indicator=code, year=year)
    w.insert(t.outlooks, {"indicator": code, "year": year, "from_position": entry.position,
                          "until_position": None, "outlook": e.outlook, "note": e.note, "actor": e.actor,
                          "recorded_at": entry.recorded_at})
    return {"indicator": code, "period": year, "before": previous["outlook"] if previous else None,
            "after": e.outlook, "reason": e.note}


@handles("Milestone.Added", "Milestone.Progressed")
def _milestone(entry: Any, w: PageWriter) -> dict[str, Any]:
    e = entry.event
    if entry.event.originator_version == 1:
        row = {"id": e.milestone_id, "indicator": e.indicator, "title": e.title,
               "due": e.due.isoformat(), "status": "on-track", "note": None}
        before = None
    else:
        current = w.open_row(t.milestones, id=_milestone_id(w, entry))
        assert current is not None
        row = {k: current[k] for k in ("id", "indicator", "title", "due")}
        row.update({"status": e.status, "note": e.note})
        before = current["status"]
        w.close_rows(t.milestones, entry.position, id=row["id"])
    w.insert(t.milestones, {**row, "from_position": entry.position, "until_position": None,
                            "actor": e.actor, "recorded_at": entry.recorded_at})
    return {"indicator": row["indicator"], "before": before, "after": f"{row['id']}: {row['status']}",
            "detail": row["title"], "reason": row["note"]}


def _milestone_id(w: PageWriter, entry: Any) -> str:
    w.need_index(t.EVENTS_BY_ORIGINATOR)
    w.flush()
    found = w.conn.execute(select(t.milestones.c.id).where(
        t.milestones.c.from_position == select(t.events.c.position).where(
            t.events.c.originator_id == entry.event.originator_id.hex, t.events.c.version == 1
        ).scalar_subquery()
    )).scalar()
    return str(found)
