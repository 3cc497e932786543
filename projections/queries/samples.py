"""Read-model queries for audit samples: the population of a year as at a position, and the draws.

"New" indicators for a year Y: registered (ledger time, Europe/London) during Y or the
year before, or whose earliest return believed at the position is for a period starting
in Y or the year before (an indicator loaded later together with its history).
"Qualified": qualified by the auditor, as at the position, for Y or the year before.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Connection, func, select

from ledger.domain.returns import PeriodReturn
from ledger.values import LONDON, Period
from policies.sampling import Candidate
from projections import schema as t
from projections.queries import believed, natural_key


def _registered_recently(conn: Connection, position: int, since: Period, year: Period) -> set[str]:
    query = select(t.events.c.indicator, t.events.c.recorded_at).where(
        t.events.c.event == "Indicator.Registered", t.events.c.position <= position)
    found = set()
    for code, recorded in conn.execute(query):
        day = datetime.fromisoformat(recorded).astimezone(LONDON).date()
        if since.start <= day <= year.end:
            found.add(code)
    return found


def _first_data_recently(conn: Connection, position: int, since: Period) -> set[str]:
    rv = t.return_versions
    query = (select(rv.c.indicator, func.min(rv.c.period_start)).where(believed(rv, position))
             .group_by(rv.c.indicator))
    return {code for code, first in conn.execute(query) if first >= since.start.isoformat()}


def _qualified(conn: Connection, position: int, years: list[Period]) -> set[str]:
    q = t.qualifications
    query = select(q.c.indicator).where(q.c.from_position <= position, q.c.year.in_([str(y) for y in years]))
    return set(conn.execute(query).scalars())


def basis_position(conn: Connection) -> int:
    """The position a new draw reads its population at: the head, less any draws on top of it.

    A draw changes no return, so drawing again straight after a draw reads the same
    basis: with the same size and seed it is the same sample, never recorded twice.
    """
    query = select(func.max(t.events.c.position)).where(t.events.c.event != "Audit.SampleDrawn")
    return int(conn.execute(query).scalar() or 0)


def population(conn: Connection, year: Period, position: int) -> list[Candidate]:
    """Every return believed at ``position`` for a period inside ``year``, marked new or qualified."""
    before = year.previous()
    new = _registered_recently(conn, position, before, year) | _first_data_recently(conn, position, before)
    qualified = _qualified(conn, position, [before, year])
    rv = t.return_versions
    query = select(rv.c.indicator, rv.c.period, rv.c.version).where(
        believed(rv, position), rv.c.period_start >= year.start.isoformat(),
        rv.c.period_end <= year.end.isoformat())
    rows = sorted(conn.execute(query), key=lambda r: (natural_key(r[0]), Period.parse(r[1])))
    return [Candidate(key=PeriodReturn.create_id(code, period).hex, indicator=code, period=period,
                      version=version, new=code in new, qualified=code in qualified)
            for code, period, version in rows]


def samples(conn: Connection) -> list[dict[str, Any]]:
    rows = conn.execute(select(t.samples).order_by(t.samples.c.from_position)).mappings()
    return [{**row, "new": row["new"].split(",") if row["new"] else [],
             "qualified": row["qualified"].split(",") if row["qualified"] else []} for row in rows]


def sample_items(conn: Connection, key: str) -> list[dict[str, Any]]:
    query = select(t.sample_items).where(t.sample_items.c.id == key).order_by(t.sample_items.c.rank)
    return [dict(row) for row in conn.execute(query).mappings()]


def qualifications(conn: Connection) -> list[dict[str, Any]]:
    rows = conn.execute(select(t.qualifications).order_by(t.qualifications.c.from_position)).mappings()
    return [dict(row) for row in rows]
