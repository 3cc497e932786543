"""Benchmarks as at a ledger position: comparator groups as their membership then stood, the values
published for each indicator, group and year, and where this council stands among them."""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import Connection, RowMapping, and_, func, select

from ledger.values import Period, PeriodKind, Polarity
from policies import benchmark as policy
from projections import schema as t
from projections.queries import believed, natural_key

LIST_COLUMNS = ["indicator", "period", "group", "area", "value", "source", "recorded_at"]


@dataclass(frozen=True)
class BenchmarkFigures:
    """One indicator's published benchmark for one year and one comparator group, as believed at a
    position: the group's values (area -> value, the council's own published one among them when the
    file had it), how many, the quartiles and median of those values, and their sources."""

    indicator: str
    period: str  # the financial year, e.g. "2023/24"
    group: str
    own_area: str | None  # the council's area in the group (None if the group names none)
    values: tuple[tuple[str, Decimal], ...]  # (area, value), by area
    sources: tuple[str, ...]  # the distinct sources cited, sorted
    n: int
    q1: Decimal
    median: Decimal
    q3: Decimal

    @property
    def own_published(self) -> Decimal | None:
        """The council's value as the file published it (None if the file had none)."""
        return next((v for a, v in self.values if a == self.own_area), None)

    def others(self) -> list[Decimal]:
        """Every value but the council's own."""
        return [v for a, v in self.values if a != self.own_area]

    def standing(self, figure: Decimal, polarity: Polarity) -> policy.Standing:
        """Where FIGURE (the council's, e.g. its ledger outturn) stands among the other areas: its
        quartile (1 = best) and rank of n, by POLARITY (``policies.benchmark.place``)."""
        return policy.place(figure, self.others(), polarity)


def _figures(indicator_code: str, period: str, group: str, own: str | None,
             rows: Iterable[RowMapping]) -> BenchmarkFigures:
    held = tuple(sorted(((r["area"], Decimal(r["value"])) for r in rows), key=lambda av: natural_key(av[0])))
    summary = policy.summarise([v for _, v in held])
    assert summary is not None
    sources = tuple(sorted({r["source"] for r in rows}))
    return BenchmarkFigures(indicator_code, period, group, own, held, sources, summary.n, summary.q1,
                            summary.median, summary.q3)


def own_areas(conn: Connection, position: int) -> dict[str, str | None]:
    """Comparator group name -> the council's own area in it, as at POSITION."""
    g = t.comparator_groups
    return {r["name"]: r["own"] for r in conn.execute(
        select(g.c.name, g.c.own).where(believed(g, position))).mappings()}


def latest_benchmarks(conn: Connection, position: int, codes: Iterable[str], upto: Period,
                      group: str | None = None) -> dict[str, BenchmarkFigures]:
    """Per indicator of CODES, its latest published benchmark for a financial year ending on or
    before the end of UPTO, as believed at POSITION (what was known then: a file imported later, or a
    correction recorded later, is not seen).

    Only GROUP's values when it is given; otherwise, where an indicator has values from more than one
    group for its latest year, the group whose name sorts first. Indicators with no benchmark by then
    are left out. Two queries, whatever the number of indicators (up to 500 per chunk): the values of
    each indicator's latest year (found by a grouped subquery, so earlier years are not fetched) and
    the groups' own areas.
    """
    wanted = sorted(set(codes))
    if not wanted:
        return {}
    b = t.benchmarks
    year = upto.financial_year if upto.kind is not PeriodKind.YEAR else upto
    if year.end > upto.end:  # UPTO ends before its year does: the year before is the latest complete
        year = year.previous()
    found: dict[tuple[str, str, str], list[RowMapping]] = defaultdict(list)
    for start in range(0, len(wanted), 500):
        chunk = wanted[start:start + 500]
        mine = [b.c.comparator == group] if group is not None else []
        latest = (select(b.c.indicator, func.max(b.c.period).label("period"))
                  .where(b.c.indicator.in_(chunk), b.c.period <= str(year), believed(b, position), *mine)
                  .group_by(b.c.indicator).subquery())
        query = (select(b.c.indicator, b.c.comparator, b.c.period, b.c.area, b.c.value, b.c.source)
                 .join(latest, and_(b.c.indicator == latest.c.indicator, b.c.period == latest.c.period))
                 .where(believed(b, position), *mine))
        for row in conn.execute(query).mappings():
            found[(row["indicator"], row["period"], row["comparator"])].append(row)
    chosen: dict[str, tuple[str, str]] = {}
    for code, period, name in sorted(found):  # a later year replaces; the first name of a year stays
        if code not in chosen or period > chosen[code][0]:
            chosen[code] = (period, name)
    own = own_areas(conn, position) if chosen else {}
    return {code: _figures(code, period, name, own.get(name), found[(code, period, name)])
            for code, (period, name) in sorted(chosen.items(), key=lambda kv: natural_key(kv[0]))}


def groups(conn: Connection, position: int) -> list[dict[str, Any]]:
    """The comparator groups as at POSITION, by name."""
    g = t.comparator_groups
    rows = conn.execute(select(g).where(believed(g, position))).mappings()
    return sorted((_group(r) for r in rows), key=lambda r: natural_key(r["name"]))


def _group(row: RowMapping) -> dict[str, Any]:
    return {"name": row["name"], "areas": json.loads(row["areas"]), "own": row["own"],
            "membership": row["membership"], "reason": row["reason"], "actor": row["actor"],
            "since": row["recorded_at"], "defined_at": row["defined_at"]}


def group(conn: Connection, name: str, position: int) -> dict[str, Any] | None:
    """Group NAME as at POSITION, with every membership it had up to then ("history")."""
    g = t.comparator_groups
    rows = [_group(r) for r in conn.execute(
        select(g).where(g.c.name == name, g.c.from_position <= position).order_by(g.c.from_position)
    ).mappings()]
    current = conn.execute(select(g).where(g.c.name == name, believed(g, position))).mappings().first()
    if current is None:
        return None
    return {**_group(current), "history": rows}


def values(conn: Connection, position: int, code: str | None = None, period: Period | None = None,
           group_name: str | None = None) -> list[dict[str, Any]]:
    """Every published value believed at POSITION (optionally of CODE, for PERIOD, in GROUP_NAME)."""
    b = t.benchmarks
    query = select(b).where(believed(b, position))
    if code is not None:
        query = query.where(b.c.indicator == code)
    if period is not None:
        query = query.where(b.c.period == str(period))
    if group_name is not None:
        query = query.where(b.c.comparator == group_name)
    rows = [{"indicator": r["indicator"], "period": r["period"], "group": r["comparator"], "area": r["area"],
             "value": r["value"], "source": r["source"], "recorded_at": r["recorded_at"]}
            for r in conn.execute(query).mappings()]
    return sorted(rows, key=lambda r: (natural_key(r["indicator"]), r["period"], natural_key(r["group"]),
                                       natural_key(r["area"])))
