"""Risk registers as at a ledger position: each risk with its scores, its band on the matrix then in
force, whether a move is proposed, and whether its review is overdue."""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import Any

from sqlalchemy import Connection, select

from ledger.values import LONDON
from policies import risk as policy
from policies.ladder import add_months
from projections import schema as t
from projections.queries import believed, natural_key

COLUMNS = [
    "code",
    "title",
    "register",
    "owner",
    "inherent",
    "residual",
    "band",
    "proposed",
    "review_due",
    "status",
    "indicators",
]
REGISTER_ORDER = {name: i for i, name in enumerate(reversed(policy.REGISTERS))}  # corporate first


def matrix_at(conn: Connection, position: int) -> policy.Matrix:
    """The matrix in force at POSITION (the default until one was adopted)."""
    config = conn.execute(
        select(t.risk_matrices.c.config)
        .where(t.risk_matrices.c.position <= position)
        .order_by(t.risk_matrices.c.version.desc())
        .limit(1)
    ).scalar()
    return policy.from_dict(json.loads(config)) if config else policy.DEFAULT


def _day(recorded_at: str) -> date:
    return datetime.fromisoformat(recorded_at).astimezone(LONDON).date()


def shaped(row: Any, matrix: policy.Matrix, today: date) -> dict[str, Any]:
    inherent = row["likelihood"] * row["impact"] if row["likelihood"] is not None else None
    residual = (
        row["residual_likelihood"] * row["residual_impact"]
        if row["residual_likelihood"] is not None
        else None
    )
    band = matrix.band(residual) if residual is not None else None
    due = add_months(_day(row["assessed_at"]), band.review_months) if band and row["assessed_at"] else None
    overdue = bool(due and due < today and row["status"] == "open")
    return {
        "code": row["code"],
        "title": row["title"],
        "register": row["register"],
        "owner": row["owner"],
        "directorate": row["directorate"],
        "status": row["status"],
        "indicators": row["indicators"].split(";") if row["indicators"] else [],
        "likelihood": row["likelihood"],
        "impact": row["impact"],
        "inherent": inherent,
        "residual_likelihood": row["residual_likelihood"],
        "residual_impact": row["residual_impact"],
        "residual": residual,
        "band": band.name if band else None,
        "above_appetite": residual is not None and residual > matrix.appetite,
        "proposed": row["proposed"],
        "control": row["control"],
        "assessed_at": row["assessed_at"],
        "review_due": due.isoformat() if due else None,
        "review_overdue": overdue,
    }


def risks(
    conn: Connection,
    position: int,
    today: date,
    register: str | None = None,
    proposed: bool = False,
    include_closed: bool = False,
) -> list[dict[str, Any]]:
    """The risks believed at POSITION: corporate register first, highest residual score first."""
    query = select(t.risks).where(believed(t.risks, position))
    if register is not None:
        query = query.where(t.risks.c.register == register)
    if proposed:
        query = query.where(t.risks.c.proposed.is_not(None))
    if not include_closed:
        query = query.where(t.risks.c.status == "open")
    matrix = matrix_at(conn, position)
    found = [shaped(r, matrix, today) for r in conn.execute(query).mappings()]
    found.sort(
        key=lambda r: (REGISTER_ORDER.get(r["register"], 9), -(r["residual"] or 0), natural_key(r["code"]))
    )
    return found


def risk(conn: Connection, code: str, position: int, today: date) -> dict[str, Any] | None:
    row = (
        conn.execute(select(t.risks).where(t.risks.c.code == code, believed(t.risks, position)))
        .mappings()
        .first()
    )
    if row is None:
        return None
    found = shaped(row, matrix_at(conn, position), today)
    h = t.risk_history
    found["history"] = [
        dict(r)
        for r in conn.execute(
            select(h.c.position, h.c.recorded_at, h.c.actor, h.c.action, h.c.register, h.c.detail)
            .where(h.c.code == code, h.c.position <= position)
            .order_by(h.c.position)
        ).mappings()
    ]
    return found


def linked(conn: Connection, position: int, today: date) -> dict[str, list[dict[str, Any]]]:
    """Indicator code -> the open risks linked to it, as at POSITION."""
    found: dict[str, list[dict[str, Any]]] = {}
    for r in risks(conn, position, today):
        for code in r["indicators"]:
            found.setdefault(code, []).append(r)
    return found
