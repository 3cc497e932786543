"""``report diff``: what changed between two ledger positions, and why (each version that explains it)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, RowMapping, select

from ledger.values import Period
from projections import schema as t
from projections.queries import believed, natural_key


def changes(conn: Connection, start: int, end: int, period: Period | None = None,
         indicator: str | None = None) -> list[dict[str, Any]]:
    """Every return whose believed figure at ``end`` differs from that at ``start``.

    Each difference carries the versions recorded in between that explain it: who, when,
    why, and for a restatement its adjustment's reason, justification, evidence, requester
    and approver.
    """
    rv, a = t.return_versions, t.adjustments
    changed = select(rv.c.indicator, rv.c.period).where(
        rv.c.from_position > start, rv.c.from_position <= end).distinct()
    if indicator is not None:
        changed = changed.where(rv.c.indicator == indicator)
    keys = {(r[0], r[1]) for r in conn.execute(changed)}
    if period is not None:
        keys = {k for k in keys if period.contains(Period.parse(k[1]))}
    if not keys:
        return []
    codes = sorted({k[0] for k in keys})
    periods = sorted({k[1] for k in keys})

    def rows(query: Any) -> list[RowMapping]:
        """Rows of ``query`` for the changed keys (IN-lists in chunks; the pairs filtered here)."""
        found: list[RowMapping] = []
        for c in range(0, len(codes), 400):
            for p in range(0, len(periods), 400):
                chunk = query.where(rv.c.indicator.in_(codes[c:c + 400]), rv.c.period.in_(periods[p:p + 400]))
                found.extend(r for r in conn.execute(chunk).mappings()
                             if (r["indicator"], r["period"]) in keys)
        return found

    def at(position: int) -> dict[tuple[str, str], RowMapping]:
        return {(r["indicator"], r["period"]): r for r in rows(select(rv).where(believed(rv, position)))}

    before, after = at(start), at(end)
    explained: dict[tuple[str, str], list[dict[str, Any]]] = {}
    query = (select(rv, a.c.justification, a.c.evidence, a.c.revision.label("adjustment_revision"),
                    a.c.requested_by, a.c.decided_by, a.c.reason.label("adjustment_reason"))
             .outerjoin(a, a.c.id == rv.c.adjustment)
             .where(rv.c.from_position > start, rv.c.from_position <= end))
    for v in sorted(rows(query), key=lambda r: r["from_position"]):
        explained.setdefault((v["indicator"], v["period"]), []).append(_explain(v))
    result = []
    for key in sorted(keys, key=lambda k: (natural_key(k[0]), Period.parse(k[1]).start, k[1])):
        old, new = before.get(key), after.get(key)
        if _figure(old) == _figure(new):
            continue  # e.g. only finalised: the figure itself did not change
        result.append({"indicator": key[0], "period": key[1], "from": _figure(old), "to": _figure(new),
                       "restated": bool(new and new["adjustment"]), "changes": explained.get(key, [])})
    return result


def _figure(row: RowMapping | None) -> str | None:
    if row is None:
        return None
    parts = f" ({row['numerator']}/{row['denominator']})" if row["numerator"] is not None else ""
    return f"{row['value']}{parts}"


def _explain(v: RowMapping) -> dict[str, Any]:
    # a finalisation after a restatement keeps the restated figure (and its adjustment) but is
    # the finaliser's act, with their note: only the restatement itself is the adjustment's
    if v["adjustment"] and v["change"] == "restated":
        evidence = v["evidence"] or f"indicator revision {v['adjustment_revision']}"
        return {"position": v["from_position"], "recorded_at": v["recorded_at"], "change": "restated",
                "value": v["value"], "adjustment": v["adjustment"], "reason": v["adjustment_reason"],
                "justification": v["justification"], "evidence": evidence,
                "requested_by": v["requested_by"], "approved_by": v["decided_by"]}
    return {"position": v["from_position"], "recorded_at": v["recorded_at"], "change": v["change"],
            "value": v["value"], "adjustment": None, "reason": v["reason"], "justification": None,
            "evidence": v["source"], "requested_by": None, "approved_by": None, "actor": v["actor"]}
