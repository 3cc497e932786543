"""Read-model queries, all "as at" a ledger position (no replay: cost does not grow with history)."""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, RowMapping, Table, and_, func, or_, select

from ledger.values import format_utc
from projections import schema as t

_DIGITS = re.compile(r"(\d+)")


def natural_key(text: str) -> tuple[tuple[str | int, ...], str]:
    """Sort key that reads digit runs as numbers: "NI 4" < "NI 5" < "NI 16" < "NI 111".

    Text between the numbers compares case-insensitively; the text itself breaks ties
    ("NI 5" and "NI 05"), so the order is total and stable on both backends.
    """
    parts = _DIGITS.split(text)  # text, digits, text, ...: the same kind at the same index
    return tuple(int(p) if i % 2 else p.casefold() for i, p in enumerate(parts)), text


def name_key(name: str) -> tuple[str, str]:
    """People sort case-insensitively ("bob" < "Carol" < "dave"); the name breaks ties."""
    return name.casefold(), name


def believed(table: Table, position: int) -> Any:
    return and_(
        table.c.from_position <= position,
        or_(table.c.until_position.is_(None), table.c.until_position > position),
    )


def head_position(conn: Connection) -> int:
    return int(conn.execute(select(func.max(t.events.c.position))).scalar() or 0)


def position_at(conn: Connection, when: datetime | None) -> int:
    """The last position recorded at or before ``when`` (the head when None)."""
    if when is None:
        return head_position(conn)
    # Recording times never go backwards along the chain, so the newest event at or before
    # ``when`` is found straight from the (recorded_at, position) index, however much
    # history was recorded after it.
    query = (
        select(t.events.c.position)
        .where(t.events.c.recorded_at <= format_utc(when))
        .order_by(t.events.c.recorded_at.desc(), t.events.c.position.desc())
        .limit(1)
    )
    return int(conn.execute(query).scalar() or 0)


def recorded_at(conn: Connection, position: int) -> str | None:
    query = select(t.events.c.recorded_at).where(t.events.c.position == position)
    found = conn.execute(query).scalar()
    return str(found) if found is not None else None


def people(conn: Connection, position: int) -> list[dict[str, Any]]:
    roles: dict[str, list[str]] = {}
    query = select(t.person_roles).where(believed(t.person_roles, position)).order_by(
        t.person_roles.c.name, t.person_roles.c.role
    )
    for row in conn.execute(query).mappings():
        roles.setdefault(row["name"], []).append(row["role"])
    result = []
    query = select(t.people).where(t.people.c.from_position <= position).order_by(t.people.c.name)
    for row in conn.execute(query).mappings():
        result.append({"name": row["name"], "organisation": row["organisation"],
                       "roles": roles.get(row["name"], [])})
    return sorted(result, key=lambda person: name_key(person["name"]))


def indicators(conn: Connection, position: int, include_retired: bool = False,
               codes: Sequence[str] | None = None) -> list[RowMapping]:
    """The indicators as at POSITION (CODES: only those), in natural order."""
    query = select(t.indicator_versions).where(believed(t.indicator_versions, position))
    if not include_retired:
        query = query.where(t.indicator_versions.c.retired.is_(False))
    rows = among(conn, query, t.indicator_versions.c.code, codes)
    return sorted(rows, key=lambda row: natural_key(row["code"]))


def in_parts(values: Sequence[str] | None, size: int = 500) -> list[Sequence[str] | None]:
    """VALUES in parts of SIZE for ``IN`` lists (one part, None, when there is no list: everything)."""
    if values is None:
        return [None]
    return [values[start:start + size] for start in range(0, len(values), size)]


def among(conn: Connection, query: Any, column: Any, values: Sequence[str] | None) -> list[RowMapping]:
    """QUERY's rows, only those whose COLUMN is one of VALUES when given (``IN`` lists of 500): how a
    report scoped to a plan or a priority reads its own indicators' rows, not the whole ledger's."""
    found: list[RowMapping] = []
    for part in in_parts(values):
        found.extend(conn.execute(query if part is None else query.where(column.in_(part))).mappings())
    return found


def indicator(conn: Connection, code: str, position: int) -> RowMapping | None:
    query = select(t.indicator_versions).where(
        t.indicator_versions.c.code == code, believed(t.indicator_versions, position)
    )
    return conn.execute(query).mappings().first()


def indicator_history(conn: Connection, code: str, position: int) -> list[RowMapping]:
    query = (
        select(t.indicator_versions)
        .where(t.indicator_versions.c.code == code, t.indicator_versions.c.from_position <= position)
        .order_by(t.indicator_versions.c.from_position)
    )
    return list(conn.execute(query).mappings())


def returns(conn: Connection, code: str, position: int) -> list[RowMapping]:
    query = (
        select(t.return_versions)
        .where(t.return_versions.c.indicator == code, believed(t.return_versions, position))
        .order_by(t.return_versions.c.period_end, t.return_versions.c.period_start.desc())
    )
    return list(conn.execute(query).mappings())


def count_returns(conn: Connection, position: int) -> int:
    query = select(func.count()).select_from(t.return_versions).where(believed(t.return_versions, position))
    return int(conn.execute(query).scalar() or 0)


def trail(
    conn: Connection,
    *,
    indicator: str | None = None,
    period: str | None = None,
    actor: str | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
    page: int = 1000,
) -> Iterator[dict[str, Any]]:
    """The event index in position order, filtered; streamed a page at a time."""
    conditions = []
    if indicator is not None:
        conditions.append(t.events.c.indicator == indicator)
    if period is not None:
        conditions.append(t.events.c.period == period)
    if actor is not None:
        conditions.append(t.events.c.actor == actor)
    if since is not None:
        conditions.append(t.events.c.recorded_at >= format_utc(since))
    if until is not None:
        conditions.append(t.events.c.recorded_at <= format_utc(until))
    after = 0
    while True:
        query = (
            select(t.events, t.adjustments.c.requested_by, t.adjustments.c.decided_by,
                   t.adjustments.c.decided_position, t.chain.c.login)
            .outerjoin(t.adjustments, t.adjustments.c.id == t.events.c.adjustment)
            .outerjoin(t.chain, t.chain.c.position == t.events.c.position)
            .where(t.events.c.position > after, *conditions)
            .order_by(t.events.c.position)
            .limit(page)
        )
        rows = list(conn.execute(query).mappings())
        if not rows:
            return
        for row in rows:  # who decided an adjustment shows from the decision on, never before
            decided = row["decided_position"] is not None and (
                row["position"] >= row["decided_position"] or row["event"] == "Return.Restated")
            yield {**row, "decided_by": row["decided_by"] if decided else None, "login": row["login"] or None}
        after = rows[-1]["position"]


def dump(conn: Connection) -> dict[str, list[tuple[Any, ...]]]:
    """Every view's rows in a stable order (for comparing a rebuild with the live views)."""
    result = {}
    for table in t.ALL_VIEWS:
        keys = list(table.primary_key.columns) or list(table.columns)
        rows = conn.execute(select(table).order_by(*keys)).all()
        result[table.name] = [tuple(r) for r in rows]
    return result


def targets(conn: Connection, code: str, position: int, history: bool = False) -> list[dict[str, Any]]:
    """An indicator's targets as believed at ``position`` (every value ever set with history)."""
    query = select(t.targets).where(t.targets.c.indicator == code, t.targets.c.from_position <= position)
    if not history:
        query = query.where(believed(t.targets, position))
    rows = conn.execute(query.order_by(t.targets.c.period_end, t.targets.c.period_start.desc(),
                                       t.targets.c.from_position)).mappings()
    result = []
    for row in rows:
        target = f"{row['low']}..{row['high']}" if row["low"] is not None else row["value"]
        level = (f"{row['monitoring_low']}..{row['monitoring_high']}" if row["monitoring_low"] is not None
                 else row["monitoring_level"])
        until = row["until_position"] if row["until_position"] and row["until_position"] <= position else None
        result.append({**row, "target": target, "monitoring_level": level, "until_position": until})
    return result


def closed_periods(conn: Connection, position: int) -> list[RowMapping]:
    query = select(t.closed_periods).where(t.closed_periods.c.from_position <= position)
    return list(conn.execute(query.order_by(t.closed_periods.c.period_end,
                                            t.closed_periods.c.period_start.desc())).mappings())


def milestones(conn: Connection, position: int, indicator: str | None = None) -> list[RowMapping]:
    query = select(t.milestones).where(believed(t.milestones, position))
    if indicator is not None:
        query = query.where(t.milestones.c.indicator == indicator)
    return list(conn.execute(query.order_by(t.milestones.c.due, t.milestones.c.id)).mappings())
