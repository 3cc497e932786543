"""The RAG report's data-quality flags beyond estimated and late: validated, queried, warned.

A return is *validated* when a validation names its current figure, *queried* while a
query on it is open, and *warned* when its figure was accepted with a validation warning;
all as believed at the report's position.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import Connection, RowMapping, or_, select

from projections import tables as t

FLAG_ORDER = ("validated", "queried", "warned", "estimated", "late")


def validated_keys(conn: Connection, position: int,
                   figures: dict[tuple[str, str], int]) -> set[tuple[str, str]]:
    """Which of these returns (key -> the position of its current figure) are validated by ``position``."""
    v = t.validations
    periods = sorted({period for _, period in figures})
    found: list[Any] = []
    for start in range(0, len(periods), 500):
        found.extend(conn.execute(select(v.c.indicator, v.c.period, v.c.figure_position).where(
            v.c.position <= position, v.c.period.in_(periods[start:start + 500]))).all())
    return {(r[0], r[1]) for r in found if figures.get((r[0], r[1])) == r[2]}


def open_query_keys(conn: Connection, position: int) -> set[tuple[str, str]]:
    q = t.queries
    found = conn.execute(select(q.c.indicator, q.c.period).where(
        q.c.raised_position <= position,
        or_(q.c.resolved_position.is_(None), q.c.resolved_position > position))).all()
    return {(r[0], r[1]) for r in found}


def add_flags(conn: Connection, position: int, rows: Iterable[dict[str, Any]],
              returns: dict[tuple[str, ...], RowMapping]) -> None:
    """Add validated, queried and warned to each RAG row's ``data_quality`` (in FLAG_ORDER)."""
    rows = list(rows)
    figures = {(r["indicator"], r["period"]): returns[(r["indicator"], r["period"])]["figure_position"]
               for r in rows if (r["indicator"], r["period"]) in returns}
    validated = validated_keys(conn, position, figures) if figures else set()
    queried = open_query_keys(conn, position) if figures else set()
    for row in rows:
        key = (row["indicator"], row["period"])
        got = returns.get(key)
        flags = set(row["data_quality"])
        if key in validated:
            flags.add("validated")
        if key in queried:
            flags.add("queried")
        if got is not None and got["warnings"]:
            flags.add("warned")
        row["data_quality"] = [f for f in FLAG_ORDER if f in flags]
