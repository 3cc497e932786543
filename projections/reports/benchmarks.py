"""One indicator's benchmark as at a position: the comparator group's published values, n, quartiles
and median, and where this council stands - by the ledger's own figure for the year where it holds one
(as ``report rag --period YEAR`` rates it), else by the council's value in the published file."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sqlalchemy import Connection, func, select

from ledger.values import Frequency, Period, Polarity
from policies import benchmark as policy
from projections import schema as t
from projections.queries import believed, indicator, returns
from projections.queries.benchmarks import latest_benchmarks
from projections.reports.rag import row_period


def own_figure(conn: Connection, position: int, code: str, year: Period) -> tuple[Decimal, str] | None:
    """The ledger's own figure for CODE's YEAR as ``report rag --period YEAR`` rates it: the year's own
    return (its outturn) if held, else the return for the indicator's last own period ending with the
    year (``rag.row_period``: Q4 of a quarterly indicator, March of a monthly one); None if neither is
    held. Returns (value, the period it is for)."""
    found = indicator(conn, code, position)
    if found is None:
        return None
    held = {r["period"]: r for r in returns(conn, code, position)}
    for period in (year, row_period(Frequency(found["frequency"]), year)):
        row = held.get(str(period))
        if row is not None and row["value"] is not None:
            return Decimal(row["value"]), str(period)
    return None


def latest_year(conn: Connection, position: int, code: str, group: str | None) -> str | None:
    """The latest year CODE has published values for (in GROUP if given), as at POSITION."""
    b = t.benchmarks
    query = select(func.max(b.c.period)).where(b.c.indicator == code, believed(b, position))
    if group is not None:
        query = query.where(b.c.comparator == group)
    found = conn.execute(query).scalar()
    return str(found) if found is not None else None


def show(conn: Connection, position: int, code: str, year: Period | None = None,
         group: str | None = None) -> dict[str, Any] | None:
    """CODE's benchmark for YEAR (default: its latest) in GROUP (default: the first group by name with
    values that year), as at POSITION; None if there is none."""
    ind = indicator(conn, code, position)
    if ind is None:
        return None
    if year is None:
        latest = latest_year(conn, position, code, group)
        if latest is None:
            return None
        year = Period.parse(latest)
    figures = latest_benchmarks(conn, position, [code], year, group).get(code)
    if figures is None or figures.period != str(year):
        return None
    polarity = Polarity(ind["polarity"])
    ledger = own_figure(conn, position, code, year)
    used: str | None
    if ledger is not None:
        figure: Decimal | None = ledger[0]
        outturn = " (the year's outturn)" if ledger[1] == str(year) else ""
        used = f"the ledger's {ledger[1]} figure{outturn}"
    else:
        figure = figures.own_published
        used = (f"the published value for {figures.own_area} (the ledger holds no {year} figure)"
                if figure is not None else None)
    standing = figures.standing(figure, polarity) if figure is not None else None
    spread = standing.summary if standing else figures  # the council's figure among the others', as reports
    return {
        "indicator": code, "title": ind["title"], "polarity": ind["polarity"], "period": figures.period,
        "group": figures.group, "own_area": figures.own_area, "n": spread.n, "q1": str(spread.q1),
        "median": str(spread.median), "q3": str(spread.q3), "method": policy.METHOD,
        "council_figure": str(figure) if figure is not None else None, "council_figure_from": used,
        "council_published": str(figures.own_published) if figures.own_published is not None else None,
        "quartile": standing.quartile if standing else None, "rank": standing.rank if standing else None,
        "ranked_of": standing.n if standing else None,
        "values": [{"area": area, "value": str(value), "own": area == figures.own_area}
                   for area, value in figures.values],
        "sources": list(figures.sources),
    }
