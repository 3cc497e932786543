"""Projectors for plans, priorities and their baskets, agreements, target proposals and contributions."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Table, select

from projections import schema as t
from projections.catchup.writer import PageWriter
from projections.projectors.base import Handler, event_name, registrar

HANDLERS: dict[str, Handler] = {}
handles = registrar(HANDLERS)


def _code(w: PageWriter, table: Table, entry: Any) -> str:
    """The code of the plan-like record an event belongs to, by its aggregate id."""
    found = w.scalar(select(table.c.code).where(table.c.originator == entry.event.originator_id.hex))
    assert found is not None, f"an event of a {table.name} row before it was added"
    return str(found)


@handles("Plan.Added")
def _plan(entry: Any, w: PageWriter) -> dict[str, Any]:
    e = entry.event
    w.insert(
        t.plans,
        {
            "code": e.code,
            "position": entry.position,
            "recorded_at": entry.recorded_at,
            "actor": e.actor,
            "title": e.title,
            "kind": e.kind,
            "parent": e.parent,
            "start": str(e.start),
            "until": str(e.until),
        },
    )
    within = f" within {e.parent}" if e.parent else ""
    return {"after": f"{e.kind} plan {e.code}: {e.title}", "detail": f"{e.start} to {e.until}{within}"}


@handles("Priority.Added")
def _priority(entry: Any, w: PageWriter) -> dict[str, Any]:
    e = entry.event
    w.insert(
        t.priorities,
        {
            "code": e.code,
            "originator": e.originator_id.hex,
            "position": entry.position,
            "recorded_at": entry.recorded_at,
            "actor": e.actor,
            "plan": e.plan,
            "title": e.title,
            "theme": e.theme,
        },
    )
    return {"after": f"priority {e.code}: {e.title}", "detail": f"in plan {e.plan}"}


def _one(indicators: list[str]) -> str | None:
    return indicators[0] if len(indicators) == 1 else None


@handles("Priority.Linked")
def _linked(entry: Any, w: PageWriter) -> dict[str, Any]:
    e = entry.event
    code = _code(w, t.priorities, entry)
    for indicator in e.indicators:
        w.insert(
            t.priority_links,
            {
                "priority": code,
                "indicator": indicator,
                "from_position": entry.position,
                "until_position": None,
            },
        )
    return {
        "indicator": _one(e.indicators),
        "after": ", ".join(e.indicators),
        "detail": f"linked to priority {code}",
    }


@handles("Priority.Unlinked")
def _unlinked(entry: Any, w: PageWriter) -> dict[str, Any]:
    e = entry.event
    code = _code(w, t.priorities, entry)
    for indicator in e.indicators:
        w.close_rows(t.priority_links, entry.position, priority=code, indicator=indicator)
    return {
        "indicator": _one(e.indicators),
        "before": ", ".join(e.indicators),
        "detail": f"unlinked from priority {code}",
    }


@handles("Agreement.Added")
def _agreement(entry: Any, w: PageWriter) -> dict[str, Any]:
    e = entry.event
    w.insert(
        t.agreements,
        {
            "code": e.code,
            "originator": e.originator_id.hex,
            "position": entry.position,
            "recorded_at": entry.recorded_at,
            "actor": e.actor,
            "title": e.title,
            "body": e.body,
            "members": ";".join(e.members),
            "start": str(e.start),
            "until": str(e.until),
            "plan": e.plan,
        },
    )
    for indicator in e.indicators:
        w.insert(
            t.agreement_indicators,
            {
                "agreement": e.code,
                "indicator": indicator,
                "from_position": entry.position,
                "until_position": None,
            },
        )
    return {
        "after": f"agreement {e.code}: {e.title}",
        "detail": f"agreed by {e.body}, {e.start} to {e.until}: {', '.join(e.indicators)}",
    }


@handles("Agreement.Refreshed")
def _refreshed(entry: Any, w: PageWriter) -> dict[str, Any]:
    e = entry.event
    code = _code(w, t.agreements, entry)
    for indicator in e.dropped:
        w.close_rows(t.agreement_indicators, entry.position, agreement=code, indicator=indicator)
    for indicator in e.added:
        w.insert(
            t.agreement_indicators,
            {
                "agreement": code,
                "indicator": indicator,
                "from_position": entry.position,
                "until_position": None,
            },
        )
    w.insert(
        t.agreement_refreshes,
        {
            "position": entry.position,
            "agreement": code,
            "year": str(e.year),
            "reason": e.reason,
            "added": ";".join(e.added),
            "dropped": ";".join(e.dropped),
            "actor": e.actor,
            "recorded_at": entry.recorded_at,
        },
    )
    changes = [f"+{c}" for c in e.added] + [f"-{c}" for c in e.dropped]
    return {
        "period": str(e.year),
        "after": ", ".join(changes) or None,
        "detail": f"annual refresh of {code} for {e.year}",
    }


@handles("Agreement.TargetAgreed")
def _agreed(entry: Any, w: PageWriter) -> dict[str, Any]:
    e = entry.event
    code = _code(w, t.agreements, entry)
    w.close_rows(t.agreed_targets, entry.position, agreement=code, indicator=e.indicator, year=str(e.year))
    w.insert(
        t.agreed_targets,
        {
            "agreement": code,
            "indicator": e.indicator,
            "year": str(e.year),
            "from_position": entry.position,
            "until_position": None,
            "trajectory": str(e.trajectory),
            "stretch": None if e.stretch is None else str(e.stretch),
            "proposal": e.proposal,
            "proposed_by": e.proposed_by,
            "approved_by": e.actor,
            "approved_at": entry.recorded_at,
        },
    )
    stretch = "" if e.stretch is None else f", stretch {e.stretch}"
    return {
        "indicator": e.indicator,
        "period": str(e.year),
        "after": f"trajectory {e.trajectory}{stretch}",
        "detail": f"agreed under {code} ({e.proposal}, proposed by {e.proposed_by})",
    }


@handles("TargetProposal.Proposed")
def _proposed(entry: Any, w: PageWriter) -> dict[str, Any]:
    e = entry.event
    w.insert(
        t.target_proposals,
        {
            "id": e.key,
            "from_position": entry.position,
            "until_position": None,
            "originator": e.originator_id.hex,
            "agreement": e.agreement,
            "indicator": e.indicator,
            "year": str(e.year),
            "trajectory": str(e.trajectory),
            "stretch": None if e.stretch is None else str(e.stretch),
            "previous": e.previous,
            "reason": e.reason,
            "proposed_by": e.actor,
            "proposed_at": entry.recorded_at,
            "status": "proposed",
            "decided_by": None,
            "decided_at": None,
            "note": None,
        },
    )
    stretch = "" if e.stretch is None else f", stretch {e.stretch}"
    return {
        "indicator": e.indicator,
        "period": str(e.year),
        "before": e.previous,
        "after": f"trajectory {e.trajectory}{stretch}",
        "adjustment": e.key,
        "detail": f"target change proposed under {e.agreement}",
    }


@handles("TargetProposal.Approved", "TargetProposal.Rejected")
def _decided(entry: Any, w: PageWriter) -> dict[str, Any]:
    e = entry.event
    current = w.open_row(t.target_proposals, originator=e.originator_id.hex)
    assert current is not None, "a decision on a target proposal before it was made"
    approved = event_name(e) == "TargetProposal.Approved"
    note = e.note if approved else e.reason
    w.close_rows(t.target_proposals, entry.position, id=current["id"])
    w.insert(
        t.target_proposals,
        {
            **dict(current),
            "from_position": entry.position,
            "until_position": None,
            "status": "approved" if approved else "rejected",
            "decided_by": e.actor,
            "decided_at": entry.recorded_at,
            "note": note or None,
        },
    )
    return {
        "indicator": current["indicator"],
        "period": current["year"],
        "adjustment": current["id"],
        "reason": note or None,
        "detail": f"target change {'approved' if approved else 'rejected'} under {current['agreement']}",
    }


@handles("Contribution.TargetSet", "Contribution.Returned")
def _contribution(entry: Any, w: PageWriter) -> dict[str, Any]:
    e = entry.event
    kind = "target" if event_name(e) == "Contribution.TargetSet" else "return"
    key = {"indicator": e.indicator, "organisation": e.organisation, "period": str(e.period), "kind": kind}
    w.close_rows(t.contributions, entry.position, **key)
    w.insert(
        t.contributions,
        {
            **key,
            "from_position": entry.position,
            "until_position": None,
            "value": str(e.value),
            "commentary": getattr(e, "commentary", None),
            "reason": getattr(e, "reason", None),
            "actor": e.actor,
            "recorded_at": entry.recorded_at,
        },
    )
    return {
        "indicator": key["indicator"],
        "period": key["period"],
        "before": e.previous,
        "after": str(e.value),
        "detail": f"{key['organisation']}'s contribution {kind}",
    }
