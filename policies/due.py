"""Which returns are due, which are missing, which were late: one rule for every report.

The RAG report, ``return due``, the data-quality review (timeliness, completeness) and the
internal-audit evidence pack all ask these functions; none decides for itself. The rule
(docs/rating-rules.md, "When a return is due"):

- An indicator takes a return for each of its own periods (months, quarters, halves or
  years, by its frequency) and, when it reports in-year, for each financial year's outturn.
- A return's *due date* is its period's end plus the indicator's reporting lag (days).
- A return is *expected* when its due date falls on or after the day the indicator was
  registered and, if the indicator was retired, before the day it was retired: the ledger
  asks only for returns that fell due while it knew the indicator and it was in force. A
  ledger started mid-year, or an indicator registered mid-year, owes nothing that fell due
  before then.
- An expected return is *owed* once its period has ended: ``due`` until the end of its due
  day (Europe/London), ``overdue`` after it. An overdue return the ledger does not hold (as
  believed at the report's position) is *missing*.
- A return first recorded after the end of its due day is *late*, unless it was imported
  as history (back-filled from another record, with the date of that record): history is
  neither on time nor late.

Days are Europe/London dates, given by the caller (``today`` is the as-at time's date):
no clock here.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from ledger.values import Frequency, Period, PeriodKind, own_kind, periods_between

DUE, OVERDUE = "due", "overdue"


@dataclass(frozen=True)
class Reporter:
    """What the rule needs to know of an indicator."""

    code: str
    frequency: Frequency
    lag: int  # the reporting lag, in days
    registered: date | None  # the day it was registered; None: not known, every period counts
    retired: date | None = None  # the day it was retired, if it was


@dataclass(frozen=True)
class Owed:
    indicator: str
    period: Period
    due: date
    status: str  # DUE | OVERDUE


def due_date(period: Period, lag: int) -> date:
    return period.end + timedelta(days=lag)


def return_periods(frequency: Frequency, year: Period) -> list[Period]:
    """The periods of ``year`` an indicator of ``frequency`` takes returns for, outturn last."""
    kind = own_kind(frequency)
    found = list(periods_between(kind, year, year))
    if kind is not PeriodKind.YEAR:
        found.append(year)
    return found


def expected(reporter: Reporter, period: Period) -> bool:
    """Is a return for ``period`` expected of this indicator at all (whenever asked)?"""
    due = due_date(period, reporter.lag)
    if reporter.registered is not None and due < reporter.registered:
        return False
    return reporter.retired is None or due < reporter.retired


def standing(reporter: Reporter, period: Period, today: date) -> str | None:
    """``None`` (not expected, or its period has not ended by ``today``), ``due`` or ``overdue``."""
    if not expected(reporter, period) or period.end >= today:
        return None
    return OVERDUE if today > due_date(period, reporter.lag) else DUE


def is_missing(reporter: Reporter, period: Period, today: date, held: bool) -> bool:
    """A return is missing when it is overdue and the ledger does not hold it."""
    return not held and standing(reporter, period, today) == OVERDUE


def owed(reporters: Iterable[Reporter], years: Iterable[Period], today: date,
         held: set[tuple[str, str]]) -> list[Owed]:
    """Every return of ``years`` owed by ``today`` and not held, due or overdue, in indicator order."""
    found = []
    years = list(years)
    for reporter in reporters:
        for year in years:
            for period in return_periods(reporter.frequency, year):
                status = standing(reporter, period, today)
                if status is not None and (reporter.code, str(period)) not in held:
                    found.append(Owed(reporter.code, period, due_date(period, reporter.lag), status))
    return found


def missing(reporters: Iterable[Reporter], year: Period, today: date,
            held: set[tuple[str, str]]) -> list[Owed]:
    """The returns of ``year`` missing by ``today``: overdue and not held."""
    return [o for o in owed(reporters, [year], today, held) if o.status == OVERDUE]


def is_late(period: Period, lag: int, first_recorded: date, history: bool) -> bool:
    """First recorded (a Europe/London day) after its due day, and not imported as history."""
    return not history and first_recorded > due_date(period, lag)
