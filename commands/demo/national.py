"""The national demo: a deterministic synthetic ledger of every English council's returns.

``perfledger demo --size national [--councils N]``: N councils (317 by default, the English
councils of 2023: 21 counties, 164 districts, 36 metropolitan boroughs, 33 London boroughs
and 63 unitaries) x 150 quarterly indicators x 10 years (2014/15 to 2023/24), recorded on a
simulated clock: each quarter's returns 20 days after it ends, in one import per 20 councils,
and 2% of them revised 60 days after it ends (an import with a reason).

**A council is a prefix of its indicators' codes**: the council's ONS-shaped code, a space,
then the national indicator, e.g. ``E06000001 NI 007``. The codes are synthetic (shaped like
ONS codes, not the real ones). So one council's indicators are one range of the views'
primary key (indicator first), a report for a council reads that range, and on a distributed
database the indicator is the distribution key (docs/scaling.md). Every value is a function
of (council, indicator, period): the same N gives the same ledger, event for event, whatever
the backend (the recording times aside, which are the simulated clock's).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import Connection, select

from ledger.app import LedgerApp
from ledger.app.returns import ReturnInput
from ledger.domain.indicator import Indicator, ProForma
from ledger.values import Frequency, Period, Polarity, Status, Unit
from projections import schema as t
from projections.queries import believed, position_at

KINDS = (("E10", 21), ("E07", 164), ("E08", 36), ("E09", 33), ("E06", 63))  # 317 councils
INDICATORS = 150
FIRST, YEARS = 2014, 10
CHUNK = 20  # councils per import
REVISED = 50  # one return in 50 revised
SQLITE_MOST = 5  # councils a SQLite national demo may hold
COMMENT = "Within the expected range for the quarter."


def councils(count: int | None = None) -> list[str]:
    """The councils' codes, the kinds interleaved (so any first N mixes them), deterministically."""
    queues = [[f"{prefix}{n:06d}" for n in range(1, size + 1)] for prefix, size in KINDS]
    found: list[str] = []
    while any(queues):
        for queue in queues:
            if queue:
                found.append(queue.pop(0))
    return found[:count] if count is not None else found


def code(council: str, k: int) -> str:
    return f"{council} NI {k + 1:03d}"


def _noise(*key: object) -> int:
    return int.from_bytes(hashlib.sha256("|".join(map(str, key)).encode()).digest()[:4], "big")


def pro_forma(k: int) -> ProForma:
    percent = k % 2 == 0  # percent (higher is better, with its parts) or a number (lower is better)
    return ProForma(title=f"National indicator {k + 1:03d}", unit=Unit.PERCENT if percent else Unit.NUMBER,
                    polarity=Polarity.HIGHER if percent else Polarity.LOWER,
                    frequency=Frequency.QUARTERLY, decimals=2 if percent else 1)


def figure(council: str, k: int, period: Period, revised: bool = False) -> ReturnInput:
    """A return's figures; REVISED: the council's correction (always a different figure)."""
    h = _noise(council, k, period)
    status = Status.FINAL if h % 3 else Status.PROVISIONAL
    reason = "corrected by the council" if revised else None
    if k % 2 == 0:
        numerator = Decimal(150 + h % 250 + (1 if revised else 0))
        return ReturnInput(code(council, k), period, numerator / 4, numerator, Decimal(400), status, COMMENT,
                           "council return", reason)
    value = Decimal(1000 + h % 1000 + (5 if revised else 0)) / 10
    return ReturnInput(code(council, k), period, value, None, None, status, COMMENT, "council system", reason)


def quarters() -> list[Period]:
    return [Period.quarter(year, q) for year in range(FIRST, FIRST + YEARS) for q in range(1, 5)]


@dataclass
class NationalClock:
    now: datetime = datetime(FIRST, 3, 1, 9, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now

    def at(self, day: Any, hour: int = 9) -> None:
        self.now = max(self.now, datetime(day.year, day.month, day.day, hour, tzinfo=UTC))


def build(app: LedgerApp, clock: NationalClock, actor: str, count: int,
          progress: Callable[[str], None] | None = None) -> dict[str, int]:
    """Record the national demo into APP (an empty ledger whose store's clock is CLOCK)."""
    chosen = councils(count)
    app.people.initialise(actor, actor, Decimal(5), demo=True)
    for council in chosen:  # one save a council: the checks are register's own (all codes are new)
        app.core.save(*[Indicator.register(code(council, k), pro_forma(k), actor) for k in range(INDICATORS)])
    returns = revisions = 0
    for period in quarters():
        clock.at(period.end + timedelta(days=20))
        for start in range(0, len(chosen), CHUNK):
            rows = [figure(c, k, period) for c in chosen[start:start + CHUNK] for k in range(INDICATORS)]
            returns += _import(app, actor, rows)
        clock.at(period.end + timedelta(days=60))
        revised = [figure(c, k, period, revised=True) for c in chosen for k in range(INDICATORS)
                   if _noise("revised", c, k, period) % REVISED == 0]
        revisions += _import(app, actor, revised)
        if progress is not None:
            progress(f"{period}: {returns:,} returns, {revisions:,} revisions")
    return {"councils": len(chosen), "indicators": len(chosen) * INDICATORS, "returns": returns,
            "revisions": revisions}


def _import(app: LedgerApp, actor: str, rows: list[ReturnInput]) -> int:
    if not rows:
        return 0
    return app.imports.returns(actor, lambda: ((n, row) for n, row in enumerate(rows, start=2))).rows


def council_report(conn: Connection, council: str, when: datetime | None,
                   period: Period) -> list[dict[str, Any]]:
    """One council's returns for PERIOD as the ledger believed them at WHEN (the period's index,
    then the council's prefix: LIKE, so any collation orders the codes as it likes)."""
    position = position_at(conn, when)
    r = t.return_versions
    rows = conn.execute(select(r.c.indicator, r.c.value, r.c.status, r.c.version).where(
        r.c.period == str(period), r.c.indicator.like(f"{council} %"), believed(r, position))
        .order_by(r.c.indicator)).mappings()
    return [dict(row) for row in rows]
