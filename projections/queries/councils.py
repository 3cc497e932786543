"""Benchmarking across councils, from the ledger's own returns, as at a ledger position.

In a ledger of many councils (the national demo's shape, ``commands/demo/national.py``) a
council's indicator code is the council's ONS-shaped code (a letter and eight digits), a space,
then the national indicator: ``E06000001 NI 007``. For one period, each national indicator's
spread across the councils that returned it: how many, the lower quartile, the median and the
upper quartile (``policies.benchmark``'s one method, the inclusive one), the lowest and the
highest; and, for one council, its figure, its quartile (1 = best, by the indicator's polarity)
and its rank.

The rows are read in one pass ordered by national indicator and folded one indicator at a time
(``yield_per``: memory holds one indicator's figures, whatever the number of councils), each
return as believed at the position (its version then), so an as-at benchmark costs the same
however much history follows it. Codes not of that shape (``NI 192``) are left out.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from decimal import Decimal
from itertools import groupby
from typing import Any

from sqlalchemy import Connection, func, select

from ledger.errors import NotFound
from ledger.hints import command
from ledger.values import Polarity
from policies import benchmark as policy
from projections import schema as t
from projections.queries import believed

COLUMNS = ["indicator", "period", "councils", "q1", "median", "q3", "lowest", "highest"]
STANDING = ["council", "figure", "quartile", "rank"]
PREFIX = 10  # "E06000001 ": a council's code and the space after it
SHAPED = re.compile(r"[A-Z]\d{8} ")


def national_indicator(code: str) -> str | None:
    """The national indicator of a council's code (``E06000001 NI 007`` -> ``NI 007``), else None."""
    return code[PREFIX:] if SHAPED.match(code) and len(code) > PREFIX else None


def benchmarking(conn: Connection, position: int, period: str,
                 council: str | None = None) -> Iterator[dict[str, Any]]:
    """Each national indicator's spread across the councils for PERIOD, as believed at POSITION, in
    the order of the national indicators' codes (byte order, on both backends); with COUNCIL, where
    that council's figure stands (None where it returned none)."""
    r = t.return_versions
    suffix: Any = func.substr(r.c.indicator, PREFIX + 1)
    if conn.dialect.name == "postgresql":
        suffix = suffix.collate("C")  # byte order, as SQLite's
    shape = "_" * (PREFIX - 1) + " %"  # nine characters and a space; SHAPED checks the nine
    query = (select(r.c.indicator, r.c.value)
             .where(r.c.period == period, believed(r, position), r.c.indicator.like(shape))
             .order_by(suffix).execution_options(yield_per=2000))
    polarities = _polarities(conn, position, council) if council is not None else {}
    if council is not None and not polarities:
        raise NotFound(f"unknown council {council!r} as at that time: no indicator's code begins with it "
                       f"and a space (e.g. E06000001 NI 007); see {command('indicator list')}")
    shaped = ((national_indicator(row[0]), row[0], row[1]) for row in conn.execute(query))
    for name, group in groupby((row for row in shaped if row[0] is not None), key=lambda row: row[0]):
        assert name is not None
        figures = [(code, Decimal(value)) for _, code, value in group]
        summary = policy.summarise([v for _, v in figures])
        assert summary is not None
        values = sorted(v for _, v in figures)
        found: dict[str, Any] = {"indicator": name, "period": period, "councils": summary.n,
                                 "q1": str(summary.q1), "median": str(summary.median),
                                 "q3": str(summary.q3), "lowest": str(values[0]), "highest": str(values[-1])}
        if council is not None:
            found.update(_standing(f"{council} {name}", figures, polarities))
        yield found


def _polarities(conn: Connection, position: int, council: str) -> dict[str, Polarity]:
    """The polarity of each of COUNCIL's indicators as at POSITION (one query)."""
    iv = t.indicator_versions
    rows = conn.execute(select(iv.c.code, iv.c.polarity).where(
        iv.c.code.like(f"{council} %"), believed(iv, position)))
    return {row[0]: Polarity(row[1]) for row in rows}


def _standing(code: str, figures: list[tuple[str, Decimal]],
              polarities: dict[str, Polarity]) -> dict[str, Any]:
    council = code[:PREFIX - 1]
    mine = next((v for c, v in figures if c == code), None)
    if mine is None:
        return {"council": council, "figure": None, "quartile": None, "rank": None}
    others = [v for c, v in figures if c != code]
    standing = policy.place(mine, others, polarities.get(code, Polarity.NONE))
    return {"council": council, "figure": str(mine), "quartile": standing.quartile, "rank": standing.rank}
