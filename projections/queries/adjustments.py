"""Queries over adjustments and issued reports: the request list, one request, one issue."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, RowMapping, select

from projections import schema as t


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


def issued(conn: Connection, sha256: str) -> dict[str, Any] | None:
    """The issued report with this SHA-256: position, kind, basis, who and when."""
    query = select(t.issued_reports).where(t.issued_reports.c.sha256 == sha256)
    found = conn.execute(query).mappings().first()
    return dict(found) if found else None
