"""The national demo: a deterministic synthetic ledger of every English council's returns.

``perfledger demo --size national [--councils N]``: N councils (317 by default, the English
councils of 2023: 21 counties, 164 districts, 36 metropolitan boroughs, 33 London boroughs
and 63 unitaries) x 150 indicators x 10 years (2014/15 to 2023/24). The indicators' frequencies
are a fixed mix (``frequency``): 100 monthly, 40 quarterly and 10 annual, so a council returns
1,370 figures a year and the full size holds 317 x 13,700 = 4,342,900 returns (the issue's
"about 8 million" is out of reach of 150 indicators: even all monthly they make 5,706,000).

It is recorded on a simulated clock: each council opens its corporate plan (the council's code)
with one priority whose basket is its 150 indicators; on 31 March before each year, every
indicator's annual target for the year is set; 20 days after each month ends, the returns of
the periods that ended with it (the month, the quarter, the year), one import per 20 councils;
30 days after, 2% of them revised (an import with a reason). So ``perfledger report rag
--plan E06000001 --period 2023/24-Q4 --as-at 2024-06-30`` is one council's report, as at any time.

**A council is a prefix of its indicators' codes**: the council's ONS-shaped code, a space,
then the national indicator, e.g. ``E06000001 NI 007``. The codes are synthetic (shaped like
ONS codes, not the real ones). So one council's indicators are one range of the views'
primary key (indicator first), a report for a council reads that range, a benchmarking report
groups every council's figure by the national indicator (``projections.queries.councils``), and
on a distributed database the indicator is the distribution key (docs/scaling.md). Every value
is a function of (council, indicator, period): the same N gives the same ledger, event for
event, whatever the backend (the recording times aside, which are the simulated clock's).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from ledger.app import LedgerApp
from ledger.app.returns import ReturnInput
from ledger.domain.indicator import Indicator, ProForma
from ledger.domain.targets import TargetSeries
from ledger.values import Frequency, Period, PeriodKind, Polarity, Status, Target, Unit

if TYPE_CHECKING:
    from sqlalchemy import Connection

KINDS = (("E10", 21), ("E07", 164), ("E08", 36), ("E09", 33), ("E06", 63))  # 317 councils
INDICATORS = 150
FIRST, YEARS = 2014, 10
CHUNK = 20  # councils per import
REVISED = 50  # one return in 50 revised
SQLITE_MOST = 5  # councils a SQLite national demo may hold
COMMENT = "Within the expected range for the period."
RETURNED, REVISED_AFTER = 20, 30  # days after a period ends: its returns, then its revisions
PRIORITY = "P1"  # each council's one priority: ``{council} P1``, its basket the council's 150 indicators


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


def frequency(k: int) -> Frequency:
    """Indicator K's frequency: two in three monthly (100), one in fifteen annual (10), the rest
    quarterly (40)."""
    if k % 3 != 2:
        return Frequency.MONTHLY
    return Frequency.ANNUAL if k % 15 == 14 else Frequency.QUARTERLY


OWN = {Frequency.MONTHLY: PeriodKind.MONTH, Frequency.QUARTERLY: PeriodKind.QUARTER,
       Frequency.ANNUAL: PeriodKind.YEAR}


def returns_per_council() -> int:
    per_year = {Frequency.MONTHLY: 12, Frequency.QUARTERLY: 4, Frequency.ANNUAL: 1}
    return YEARS * sum(per_year[frequency(k)] for k in range(INDICATORS))


def pro_forma(k: int) -> ProForma:
    percent = k % 2 == 0  # percent (higher is better, with its parts) or a number (lower is better)
    return ProForma(title=f"National indicator {k + 1:03d}", unit=Unit.PERCENT if percent else Unit.NUMBER,
                    polarity=Polarity.HIGHER if percent else Polarity.LOWER,
                    frequency=frequency(k), decimals=2 if percent else 1)


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


def target(council: str, k: int, year: Period) -> Target:
    """Indicator K's annual target for YEAR: about half the figures meet it."""
    h = _noise("target", council, k, year)
    return Target(Decimal(60 + h % 30) if k % 2 == 0 else Decimal(130 + h % 40))


def months() -> list[Period]:
    return [Period.month(year + (m > 12), (m - 1) % 12 + 1) for year in range(FIRST, FIRST + YEARS)
            for m in range(4, 16)]


def quarters() -> list[Period]:
    return [Period.quarter(year, q) for year in range(FIRST, FIRST + YEARS) for q in range(1, 5)]


def ending(month: Period) -> list[tuple[int, Period]]:
    """Each indicator with the period of its own that ends with MONTH (if any)."""
    found: list[tuple[int, Period]] = []
    for k in range(INDICATORS):
        own = Period.containing(OWN[frequency(k)], month.start)
        if own.end == month.end:
            found.append((k, own))
    return found


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
        plan(app, actor, council)
    returns = revisions = 0
    for month in months():
        if month.index == 1:  # April: the year's targets were set on 31 March
            clock.at(month.start - timedelta(days=1))
            set_targets(app, actor, chosen, month.financial_year)
        due = ending(month)
        clock.at(month.end + timedelta(days=RETURNED))
        for start in range(0, len(chosen), CHUNK):
            rows = [figure(c, k, period) for c in chosen[start:start + CHUNK] for k, period in due]
            returns += _import(app, actor, rows)
        clock.at(month.end + timedelta(days=REVISED_AFTER))
        revised = [figure(c, k, period, revised=True) for c in chosen for k, period in due
                   if _noise("revised", c, k, period) % REVISED == 0]
        revisions += _import(app, actor, revised)
        if progress is not None:
            progress(f"{month}: {returns:,} returns, {revisions:,} revisions")
    return {"councils": len(chosen), "indicators": len(chosen) * INDICATORS, "returns": returns,
            "revisions": revisions}


def plan(app: LedgerApp, actor: str, council: str) -> None:
    """The council's corporate plan (its code) and one priority linking its indicators."""
    app.plans.add(actor, council, f"{council} corporate plan", "corporate", None, Period.year_of(FIRST),
                  Period.year_of(FIRST + YEARS - 1))
    app.plans.add_priority(actor, f"{council} {PRIORITY}", council, "The national indicator set", None)
    app.plans.link(actor, f"{council} {PRIORITY}", [code(council, k) for k in range(INDICATORS)])


def set_targets(app: LedgerApp, actor: str, chosen: list[str], year: Period) -> None:
    """Every indicator's annual target for YEAR, one save a council (its series read in one query)."""
    for council in chosen:
        codes = [code(council, k) for k in range(INDICATORS)]
        held = app.core.load_many(TargetSeries, [TargetSeries.create_id(c) for c in codes])
        series = [held.get(TargetSeries.create_id(c)) or TargetSeries(indicator=c, actor=actor)
                  for c in codes]
        for k, one in enumerate(series):
            one.set(year, target(council, k, year), None, "the council's annual target", actor)
        app.core.save(*series)


def _import(app: LedgerApp, actor: str, rows: list[ReturnInput]) -> int:
    if not rows:
        return 0
    return app.imports.returns(actor, lambda: ((n, row) for n, row in enumerate(rows, start=2))).rows


def council_rag(conn: Connection, council: str, when: datetime | None, period: Period) -> dict[str, Any]:
    """The data of ``perfledger report rag --plan COUNCIL --period PERIOD --as-at WHEN`` (None: now):
    the same functions the command calls (``projections.reports.issued.rag``), without rendering."""
    from projections.queries import position_at
    from projections.reports.issued import Narrowing
    from projections.reports.rag import build as rag_build

    moment = when if when is not None else datetime.now(UTC)
    position = position_at(conn, when)
    return rag_build(conn, position, moment, period, Narrowing(plan=council).at(conn, position))
