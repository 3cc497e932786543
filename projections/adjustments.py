"""Queries over adjustments: the request list, and ``report diff`` (what changed between two dates, why)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, RowMapping, select

from ledger.values import Period
from projections import tables as t
from projections.queries import believed, natural_key


def adjustments(conn: Connection, status: str | None = None, indicator: str | None = None,
                key: str | None = None) -> list[dict[str, Any]]:
    """Every request (or those with ``status``, for ``indicator``, or the one ``key``), oldest first,
    with its periods and figures."""
    a, i = t.adjustments, t.adjustment_items
    query = select(a)
    if key:
        query = query.where(a.c.id == key)
    if status:
        query = query.where(a.c.status == status)
    if indicator:
        query = query.where(a.c.indicator == indicator)
    requests = list(conn.execute(query.order_by(a.c.requested_position)).mappings())
    items: dict[str, list[RowMapping]] = {}
    if requests:
        for row in conn.execute(select(i).where(i.c.id.in_([r["id"] for r in requests]))).mappings():
            items.setdefault(row["id"], []).append(row)
    result = []
    for r in requests:
        order = r["periods"].split(",")
        rows = sorted(items.get(r["id"], []), key=lambda x: order.index(x["period"]))
        result.append({
            "id": r["id"], "indicator": r["indicator"], "periods": order, "status": r["status"],
            "reason": r["reason"], "justification": r["justification"],
            "evidence": r["evidence"] or (f"indicator revision {r['revision']}" if r["revision"] else None),
            "before": [x["before"] for x in rows], "after": [x["value"] for x in rows],
            "requested_by": r["requested_by"], "requested_at": r["requested_at"],
            "decided_by": r["decided_by"], "decided_at": r["decided_at"], "note": r["note"],
            "decided_position": r["decided_position"],
        })
    return result


def adjustment(conn: Connection, key: str) -> dict[str, Any] | None:
    return next(iter(adjustments(conn, key=key)), None)


def diff(conn: Connection, start: int, end: int, period: Period | None = None,
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
    if v["adjustment"]:
        evidence = v["evidence"] or f"indicator revision {v['adjustment_revision']}"
        return {"position": v["from_position"], "recorded_at": v["recorded_at"], "change": "restated",
                "value": v["value"], "adjustment": v["adjustment"], "reason": v["adjustment_reason"],
                "justification": v["justification"], "evidence": evidence,
                "requested_by": v["requested_by"], "approved_by": v["decided_by"]}
    return {"position": v["from_position"], "recorded_at": v["recorded_at"], "change": v["change"],
            "value": v["value"], "adjustment": None, "reason": v["reason"], "justification": None,
            "evidence": v["source"], "requested_by": None, "approved_by": None, "actor": v["actor"]}


def issued(conn: Connection, sha256: str) -> dict[str, Any] | None:
    """The issued report with this SHA-256: position, kind, basis, who and when."""
    query = select(t.issued_reports).where(t.issued_reports.c.sha256 == sha256)
    found = conn.execute(query).mappings().first()
    return dict(found) if found else None
