"""Shared builders for tests."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from decimal import Decimal

from ledger.app import LedgerApp
from ledger.app.returns import ReturnInput
from ledger.domain.indicator import ProForma
from ledger.values import Frequency, Period, Polarity, Role, Status, Unit

RECYCLING = ProForma("Household waste recycled and composted", Unit.PERCENT, Polarity.HIGHER,
                     Frequency.QUARTERLY)
HOMES = ProForma("Net additional homes provided", Unit.COUNT, Polarity.HIGHER, Frequency.QUARTERLY)
NEET = ProForma("16-18 year olds not in education, employment or training", Unit.PERCENT,
                Polarity.LOWER, Frequency.MONTHLY)


def setup_partnership(app: LedgerApp) -> None:
    """alice (administrator) enrols bob (improvement manager) and vic (viewer); three indicators."""
    app.people.add("alice", "bob", [Role.IMPROVEMENT_MANAGER], "Halton BC")
    app.people.add("alice", "vic", [Role.VIEWER], None)
    app.indicators.register("alice", "NI 192", RECYCLING)
    app.indicators.register("alice", "NI 154", HOMES)
    app.indicators.register("alice", "NI 117", NEET)


def ret(code: str, period: str, value: str, num: str | None = None, den: str | None = None,
        reason: str | None = None, status: Status = Status.PROVISIONAL) -> ReturnInput:
    return ReturnInput(code, Period.parse(period), Decimal(value), Decimal(num) if num else None,
                       Decimal(den) if den else None, status, None, None, reason)


class Clock:
    """A controllable clock for the store's recording times."""

    def __init__(self, start: datetime = datetime(2009, 6, 1, 9, 0, tzinfo=UTC)) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> datetime:
        self.now += timedelta(**delta)
        return self.now


def numbered(items: list[ReturnInput]) -> Iterator[tuple[int, ReturnInput]]:
    return ((n, item) for n, item in enumerate(items, start=2))
