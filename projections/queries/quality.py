"""Read side of data quality: queries, the returns due, and the RAG report's data-quality flags.

Everything is read as believed at a ledger position. What is due, missing or late is
``policies.due``'s rule, applied to the indicators as the views hold them (``reporters``)
and the ledger's own recording time.

A return is *validated* when a validation names its current figure, *queried* while a
query on it is open, and *warned* when its figure was accepted with a validation warning.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime
from typing import Any

from sqlalchemy import Connection, RowMapping, func, or_, select

from ledger.values import LONDON, Frequency, Period, PeriodKind
from policies.due import OVERDUE, Reporter, owed
from projections import schema as t
from projections.queries import believed, in_parts, indicators, natural_key
from projections.queries.designations import holders

QUERY_COLUMNS = ["id", "indicator", "period", "status", "outcome", "note", "raised_by", "raised_at",
                 "raised_position", "resolution", "resolved_by", "resolved_at", "resolved_position"]
DUE_COLUMNS = ["indicator", "title", "period", "due", "status", "days_overdue", "reporting_lag",
               "improvement_manager"]


def query_rows(conn: Connection, position: int, *, open_only: bool = False) -> list[dict[str, Any]]:
    """Every query raised by ``position``, as it stood then, oldest first."""
    q = t.queries
    found = conn.execute(select(q).where(q.c.raised_position <= position)
                         .order_by(q.c.raised_position)).mappings()
    rows = []
    for r in found:
        resolved = r["resolved_position"] is not None and r["resolved_position"] <= position
        row = {c: r[c] for c in QUERY_COLUMNS if c != "status"}
        if not resolved:
            row.update(outcome=None, resolution=None, resolved_by=None, resolved_at=None,
                       resolved_position=None)
        row["status"] = "resolved" if resolved else "open"
        if not (open_only and resolved):
            rows.append(row)
    return rows


def day_of(moment: str) -> date:
    """The Europe/London day of a recording time (as the views hold it)."""
    return datetime.fromisoformat(moment).astimezone(LONDON).date()


def reporters(conn: Connection, position: int, codes: Sequence[str] | None = None) -> dict[str, Reporter]:
    """What the due rule (``policies.due``) needs of every indicator registered by ``position``,
    retired ones included: its frequency and lag then, and the days it was registered and retired
    (CODES: of those indicators only)."""
    iv = t.indicator_versions
    registered: dict[str, date] = {}
    retired: dict[str, date] = {}
    for part in in_parts(codes):
        first = select(iv.c.code, func.min(iv.c.recorded_at)).where(iv.c.from_position <= position)
        if part is not None:
            first = first.where(iv.c.code.in_(part))
        registered.update({r[0]: day_of(r[1]) for r in conn.execute(first.group_by(iv.c.code)).all()})
        retired.update({r[0]: day_of(r[1]) for r in conn.execute(
            first.where(iv.c.retired).group_by(iv.c.code)).all()})
    return {i["code"]: Reporter(i["code"], Frequency(i["frequency"]), i["reporting_lag"],
                                registered.get(i["code"]), retired.get(i["code"]))
            for i in indicators(conn, position, include_retired=True, codes=codes)}


def due_rows(
    conn: Connection, position: int, as_at: datetime, only: set[str] | None = None
) -> list[dict[str, Any]]:
    """The returns owed as at ``as_at`` (``policies.due``: due, or overdue - missing): the periods
    of this financial year and the last that have ended with no return believed at ``position``,
    each with the indicator's designated improvement manager then; ``only``: just those indicators."""
    today = as_at.astimezone(LONDON).date()
    this_year = Period.containing(PeriodKind.YEAR, today)
    years = [this_year.year_earlier(), this_year]
    held = {(r[0], r[1]) for r in conn.execute(
        select(t.return_versions.c.indicator, t.return_versions.c.period).where(
            believed(t.return_versions, position),
            t.return_versions.c.period_start >= years[0].start.isoformat()))}
    managers = holders(conn, position, "improvement-manager")
    found = reporters(conn, position)
    titles = {i["code"]: i["title"] for i in indicators(conn, position, include_retired=True)}
    rows = []
    chosen = [r for code, r in found.items() if only is None or code in only]
    for item in owed(chosen, years, today, held):
        overdue = item.status == OVERDUE
        rows.append({"indicator": item.indicator, "title": titles[item.indicator], "period": str(item.period),
                     "due": item.due.isoformat(), "status": item.status,
                     "days_overdue": (today - item.due).days if overdue else 0,
                     "reporting_lag": found[item.indicator].lag,
                     "improvement_manager": ", ".join(managers.get(item.indicator, [])) or None})
    rows.sort(key=lambda r: (r["due"], natural_key(r["indicator"]), Period.parse(r["period"]).sort_key))
    return rows


FLAG_ORDER = ("validated", "queried", "warned", "estimated", "late")


def validated_keys(conn: Connection, position: int,
                   figures: dict[tuple[str, str], int]) -> set[tuple[str, str]]:
    """Which of these returns (key -> the position of its current figure) are validated by ``position``."""
    v = t.validations
    periods = sorted({period for _, period in figures})
    named = sorted({code for code, _ in figures})  # a report of a few indicators reads only theirs
    found: list[Any] = []
    for start in range(0, len(periods), 500):
        query = select(v.c.indicator, v.c.period, v.c.figure_position).where(
            v.c.position <= position, v.c.period.in_(periods[start:start + 500]))
        if len(named) <= 500:
            query = query.where(v.c.indicator.in_(named))
        found.extend(conn.execute(query).all())
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
