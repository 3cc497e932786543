"""Read side of data quality: queries, the returns due, and the RAG report's data-quality flags.

Everything is read as believed at a ledger position. Timeliness uses the indicator's
reporting lag (``due_date``) and the ledger's own recording time: a return first recorded
after the end of its due day is late; one absent after it, missing.

A return is *validated* when a validation names its current figure, *queried* while a
query on it is open, and *warned* when its figure was accepted with a validation warning.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import Connection, RowMapping, func, or_, select

from ledger.values import LONDON, Frequency, Period, PeriodKind, format_utc, own_kind, periods_between
from projections import schema as t
from projections.queries import believed, indicators, natural_key
from projections.queries.designations import holders

QUERY_COLUMNS = ["id", "indicator", "period", "status", "outcome", "note", "raised_by", "raised_at",
                 "raised_position", "resolution", "resolved_by", "resolved_at", "resolved_position"]
DUE_COLUMNS = ["indicator", "title", "period", "due", "status", "days_overdue", "reporting_lag",
               "improvement_manager"]


def due_date(period: Period, lag_days: int) -> date:
    return period.end + timedelta(days=lag_days)


def end_of_day(day: date) -> str:
    return format_utc(datetime.combine(day, time(23, 59, 59, 999999), tzinfo=LONDON))


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


def _periods_for(frequency: Frequency, years: list[Period]) -> list[Period]:
    kind = own_kind(frequency)
    found: list[Period] = []
    for year in years:
        found.extend(periods_between(kind, year, year))
        if kind is not PeriodKind.YEAR:
            found.append(year)
    return found


def registered_on(conn: Connection, position: int) -> dict[str, date]:
    """The day (Europe/London) each indicator was registered, by ``position``."""
    iv = t.indicator_versions
    found = conn.execute(select(iv.c.code, func.min(iv.c.recorded_at)).where(iv.c.from_position <= position)
                         .group_by(iv.c.code)).all()
    return {r[0]: datetime.fromisoformat(r[1]).astimezone(LONDON).date() for r in found}


def expected(period: Period, lag: int, registered: date | None) -> bool:
    """A return is expected once its indicator exists: its due date is on or after registration."""
    return registered is None or due_date(period, lag) >= registered


def due_rows(
    conn: Connection, position: int, as_at: datetime, only: set[str] | None = None
) -> list[dict[str, Any]]:
    """The returns due and overdue as at ``as_at``: the periods of this financial year and the
    last that have ended, for every indicator in force, with no return believed at ``position``
    (a period due before the indicator was registered is not expected), each with the
    indicator's designated improvement manager then; ``only``: just those indicators."""
    today = as_at.astimezone(LONDON).date()
    this_year = Period.containing(PeriodKind.YEAR, today)
    years = [this_year.year_earlier(), this_year]
    held = {(r[0], r[1]) for r in conn.execute(
        select(t.return_versions.c.indicator, t.return_versions.c.period).where(
            believed(t.return_versions, position),
            t.return_versions.c.period_start >= years[0].start.isoformat()))}
    moment = format_utc(as_at)
    registered = registered_on(conn, position)
    managers = holders(conn, position, "improvement-manager")
    rows = []
    for ind in indicators(conn, position):
        if only is not None and ind["code"] not in only:
            continue
        for period in _periods_for(Frequency(ind["frequency"]), years):
            if period.end >= today or (ind["code"], str(period)) in held:
                continue
            if not expected(period, ind["reporting_lag"], registered.get(ind["code"])):
                continue
            due = due_date(period, ind["reporting_lag"])
            overdue = moment > end_of_day(due)
            rows.append({"indicator": ind["code"], "title": ind["title"], "period": str(period),
                         "due": due.isoformat(), "status": "overdue" if overdue else "due",
                         "days_overdue": (today - due).days if overdue else 0,
                         "reporting_lag": ind["reporting_lag"],
                         "improvement_manager": ", ".join(managers.get(ind["code"], [])) or None})
    rows.sort(key=lambda r: (r["due"], natural_key(r["indicator"]), Period.parse(r["period"]).sort_key))
    return rows


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
