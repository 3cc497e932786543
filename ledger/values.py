"""Value types shared by the whole ledger: enums, periods, WHEN times, decimals.

Standard library only. Every parser raises ``ValueError`` with a one-line message
fit to print as a refusal (see CLI.md, "Values").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from enum import Enum
from functools import cached_property, lru_cache, total_ordering
from typing import TypeVar
from zoneinfo import ZoneInfo

LONDON = ZoneInfo("Europe/London")


class Frequency(Enum):
    MONTHLY = "monthly"
    QUARTERLY = "quarterly"
    HALF_YEARLY = "half-yearly"
    ANNUAL = "annual"


class Unit(Enum):
    PERCENT = "percent"
    COUNT = "count"
    RATE = "rate"
    RATIO = "ratio"
    CURRENCY = "currency"
    DAYS = "days"
    NUMBER = "number"


class Polarity(Enum):
    HIGHER = "higher"
    LOWER = "lower"
    RANGE = "range"
    NONE = "none"


class Status(Enum):
    ESTIMATE = "estimate"
    PROVISIONAL = "provisional"
    FINAL = "final"


class Role(Enum):
    ADMINISTRATOR = "administrator"
    PERFORMANCE_SUPPORT = "performance-support"
    IMPROVEMENT_MANAGER = "improvement-manager"
    DATA_QUALITY_OFFICER = "data-quality-officer"
    AUDITOR = "auditor"
    VIEWER = "viewer"


class PeriodKind(Enum):
    YEAR = "year"
    HALF = "half"
    QUARTER = "quarter"
    MONTH = "month"


E = TypeVar("E", bound=Enum)


def enum_noun(cls: type[Enum]) -> str:
    """The word for an enum in messages: ``PeriodKind`` -> ``period kind``."""
    return " ".join(re.findall(r"[A-Z][a-z0-9]*", cls.__name__)).lower() or cls.__name__


def parse_enum(cls: type[E], text: str) -> E:
    """The member of ``cls`` whose value is ``text`` (case-insensitive, stripped)."""
    wanted = text.strip().lower()
    for member in cls:
        if str(member.value).lower() == wanted:
            return member
    allowed = ", ".join(str(member.value) for member in cls)
    raise ValueError(f"unknown {enum_noun(cls)} {text!r}: use one of {allowed}")


# Periods per financial year, by kind; fewer per year means coarser.
_PER_YEAR = {PeriodKind.YEAR: 1, PeriodKind.HALF: 2, PeriodKind.QUARTER: 4, PeriodKind.MONTH: 12}
_COARSEST_FIRST = (PeriodKind.YEAR, PeriodKind.HALF, PeriodKind.QUARTER, PeriodKind.MONTH)
_MAX_YEAR = 9998  # financial year 9998/99 ends 9999-03-31, the last one `date` can hold
_FY_RE = re.compile(r"([0-9]{4})/([0-9]{2})(?:-([QH])([0-9]))?")
_MONTH_RE = re.compile(r"([0-9]{4})-([0-9]{2})")
_PERIOD_FORMS = "use 2008/09, 2008/09-Q1..Q4, 2008/09-H1/H2 or 2008-04"


def _first_day(fy: int, months_after_april: int) -> date:
    """The first day of the month ``months_after_april`` months after April of ``fy``."""
    total = fy * 12 + 3 + months_after_april
    return date(total // 12, total % 12 + 1, 1)


@total_ordering
@dataclass(frozen=True)
class Period:
    """A financial year (April-March) or a half, quarter or month of one.

    ``year`` is the year the financial year starts in (2008 for 2008/09);
    ``index`` counts from 1 within it (months from April: April 1, March 12).
    Ordered by ``(start, end)``: earlier first, then shorter first.
    """

    kind: PeriodKind
    year: int
    index: int

    def __post_init__(self) -> None:
        if not isinstance(self.kind, PeriodKind):
            raise TypeError(f"period kind must be a PeriodKind, not {self.kind!r}")
        per_year = _PER_YEAR[self.kind]
        if not 1 <= self.year <= _MAX_YEAR or not 1 <= self.index <= per_year:
            raise ValueError(
                f"no such period: {self.kind.value} {self.index} of financial year {self.year}"
            )

    @classmethod
    def year_of(cls, year: int) -> Period:
        return cls(PeriodKind.YEAR, year, 1)

    @classmethod
    def half(cls, year: int, half: int) -> Period:
        return cls(PeriodKind.HALF, year, half)

    @classmethod
    def quarter(cls, year: int, quarter: int) -> Period:
        return cls(PeriodKind.QUARTER, year, quarter)

    @classmethod
    def month(cls, calendar_year: int, calendar_month: int) -> Period:
        if not 1 <= calendar_month <= 12:
            raise ValueError(f"no such month: {calendar_month}")
        fy = calendar_year if calendar_month >= 4 else calendar_year - 1
        return cls(PeriodKind.MONTH, fy, (calendar_month - 4) % 12 + 1)

    @classmethod
    def containing(cls, kind: PeriodKind, day: date) -> Period:
        """The period of ``kind`` that ``day`` falls in."""
        months = day.year * 12 + day.month - 1 - 3  # months since April of year 0
        fy, month_index = divmod(months, 12)
        return cls(kind, fy, month_index // (12 // _PER_YEAR[kind]) + 1)

    @classmethod
    def parse(cls, text: str) -> Period:
        """Read ``2008/09``, ``2008/09-Q1``..``Q4``, ``2008/09-H1``/``H2`` or ``2008-04``."""
        return _parse_period(text)

    @classmethod
    def _parse(cls, text: str) -> Period:
        stripped = text.strip()
        try:
            if m := _FY_RE.fullmatch(stripped):
                year = int(m[1])
                if int(m[2]) != (year + 1) % 100:
                    raise ValueError("suffix is not the following year")
                if m[3] is None:
                    return cls.year_of(year)
                kind = PeriodKind.QUARTER if m[3] == "Q" else PeriodKind.HALF
                return cls(kind, year, int(m[4]))
            if m := _MONTH_RE.fullmatch(stripped):
                return cls.month(int(m[1]), int(m[2]))
        except ValueError:
            pass
        raise ValueError(f"malformed period {text!r}: {_PERIOD_FORMS}")

    def __str__(self) -> str:
        return self.text

    @cached_property
    def text(self) -> str:
        """The canonical text (cached: periods are immutable and read very often)."""
        if self.kind is PeriodKind.MONTH:
            return f"{self.start.year:04d}-{self.start.month:02d}"
        text = f"{self.year:04d}/{(self.year + 1) % 100:02d}"
        if self.kind is PeriodKind.HALF:
            return f"{text}-H{self.index}"
        if self.kind is PeriodKind.QUARTER:
            return f"{text}-Q{self.index}"
        return text

    def __repr__(self) -> str:
        return f"Period.parse({str(self)!r})"

    @cached_property
    def start(self) -> date:
        """The first day of the period."""
        return _first_day(self.year, (self.index - 1) * 12 // _PER_YEAR[self.kind])

    @cached_property
    def end(self) -> date:
        """The last day of the period (inclusive)."""
        return _first_day(self.year, self.index * 12 // _PER_YEAR[self.kind]) - timedelta(days=1)

    @property
    def calendar_month(self) -> int:
        """For a month, its calendar month number (January = 1)."""
        if self.kind is not PeriodKind.MONTH:
            raise ValueError(f"{self} is not a month")
        return (self.index + 2) % 12 + 1

    @property
    def sort_key(self) -> tuple[date, date]:
        return (self.start, self.end)

    def __lt__(self, other: object) -> bool:
        if not isinstance(other, Period):
            return NotImplemented
        return self.sort_key < other.sort_key

    def contains(self, other: Period) -> bool:
        """Whether ``other`` lies wholly inside this period (a period contains itself)."""
        return self.start <= other.start and other.end <= self.end

    @property
    def financial_year(self) -> Period:
        return Period.year_of(self.year)

    def _ordinal(self) -> int:
        return self.year * _PER_YEAR[self.kind] + self.index - 1

    @staticmethod
    def _from_ordinal(kind: PeriodKind, ordinal: int) -> Period:
        year, offset = divmod(ordinal, _PER_YEAR[kind])
        return Period(kind, year, offset + 1)

    def previous(self) -> Period:
        """The period of the same kind just before this one."""
        return self._from_ordinal(self.kind, self._ordinal() - 1)

    def next(self) -> Period:
        """The period of the same kind just after this one."""
        return self._from_ordinal(self.kind, self._ordinal() + 1)

    def year_earlier(self) -> Period:
        """The same period of the previous financial year."""
        return Period(self.kind, self.year - 1, self.index)

    def children(self, kind: PeriodKind) -> list[Period]:
        """The periods of ``kind`` inside this one, in order (empty if ``kind`` is coarser)."""
        return periods_between(kind, self, self)

    def enclosing(self) -> list[Period]:
        """The coarser periods containing this one, smallest first."""
        coarser = _COARSEST_FIRST[: _COARSEST_FIRST.index(self.kind)]
        return [Period.containing(kind, self.start) for kind in reversed(coarser)]


@lru_cache(maxsize=4096)
def _parse_period(text: str) -> Period:
    return Period._parse(text)


def periods_between(kind: PeriodKind, first: Period, last: Period) -> list[Period]:
    """The periods of ``kind`` lying within ``first.start``..``last.end``, in order.

    With ``first`` and ``last`` of ``kind`` this is the inclusive range between them;
    it is empty when ``last`` ends before ``first`` starts.
    """
    lo = Period.containing(kind, first.start)
    if lo.start < first.start:
        lo = lo.next()
    hi = Period.containing(kind, last.end)
    if hi.end > last.end:
        hi = hi.previous()
    return [Period._from_ordinal(kind, n) for n in range(lo._ordinal(), hi._ordinal() + 1)]


# -- which periods an indicator takes (CLI.md) ------------------------------

_OWN_KIND = {
    Frequency.MONTHLY: PeriodKind.MONTH,
    Frequency.QUARTERLY: PeriodKind.QUARTER,
    Frequency.HALF_YEARLY: PeriodKind.HALF,
    Frequency.ANNUAL: PeriodKind.YEAR,
}
_PLURAL = {
    PeriodKind.YEAR: "years (2008/09)",
    PeriodKind.HALF: "halves (2008/09-H1)",
    PeriodKind.QUARTER: "quarters (2008/09-Q1)",
    PeriodKind.MONTH: "months (2008-04)",
}


def own_kind(frequency: Frequency) -> PeriodKind:
    """The kind of period an indicator of ``frequency`` is collected for."""
    return _OWN_KIND[frequency]


def returns_accepted(frequency: Frequency, period: Period) -> bool:
    """Whether a return may be made for ``period``: its own periods and the year."""
    return period.kind in (own_kind(frequency), PeriodKind.YEAR)


def _target_kind_ok(frequency: Frequency, kind: PeriodKind) -> bool:
    return _PER_YEAR[kind] <= _PER_YEAR[own_kind(frequency)]


def targets_accepted(frequency: Frequency, period: Period) -> bool:
    """Whether a target may be set for ``period``: its own periods or coarser."""
    return _target_kind_ok(frequency, period.kind)


def _indicator(frequency: Frequency) -> str:
    article = "an" if frequency.value[0] in "aeiou" else "a"
    return f"{article} {frequency.value} indicator"


def describe_return_periods(frequency: Frequency) -> str:
    """E.g. ``a quarterly indicator takes quarters (2008/09-Q1) and the year (2008/09)``."""
    kind = own_kind(frequency)
    if kind is PeriodKind.YEAR:
        return f"{_indicator(frequency)} takes years (2008/09)"
    return f"{_indicator(frequency)} takes {_PLURAL[kind]} and the year (2008/09)"


def describe_target_periods(frequency: Frequency) -> str:
    """E.g. ``a half-yearly indicator takes targets for halves (2008/09-H1) and years (2008/09)``"""
    kinds = [_PLURAL[k] for k in reversed(_COARSEST_FIRST) if _target_kind_ok(frequency, k)]
    listed = kinds[0] if len(kinds) == 1 else f"{', '.join(kinds[:-1])} and {kinds[-1]}"
    return f"{_indicator(frequency)} takes targets for {listed}"


# -- WHEN ---------------------------------------------------------------------

_WHEN_RE = re.compile(
    r"[0-9]{4}-[0-9]{2}-[0-9]{2}"
    r"(?P<time>T[0-9]{2}:[0-9]{2}(?::[0-9]{2}(?:\.[0-9]{1,6})?)?(?P<offset>Z|[+-][0-9]{2}:[0-5][0-9])?)?"
)
_WHEN_FORMS = "use an ISO date (2008-11-15) or datetime with offset (2008-11-15T09:30:00Z)"


def parse_when(text: str, *, end_of_day: bool) -> datetime:
    """Read a WHEN as an aware UTC datetime.

    A datetime must carry ``Z`` or an offset; a bare date is a Europe/London day,
    read as its first instant or (``end_of_day``) its last microsecond.
    """
    stripped = text.strip()
    m = _WHEN_RE.fullmatch(stripped)
    if m and m["time"] and not m["offset"]:
        raise ValueError(f"time {text!r} has no UTC offset: add Z or an offset ({stripped}Z)")
    try:
        if m and m["time"]:
            return datetime.fromisoformat(stripped.replace("Z", "+00:00")).astimezone(UTC)
        if m:
            day = date.fromisoformat(stripped)
            clock = time(23, 59, 59, 999999) if end_of_day else time(0)
            return datetime.combine(day, clock, tzinfo=LONDON).astimezone(UTC)
    except (ValueError, OverflowError):
        pass
    raise ValueError(f"malformed time {text!r}: {_WHEN_FORMS}")


def format_utc(moment: datetime) -> str:
    """Fixed-width UTC text, e.g. ``2008-11-15T23:59:59.999999+00:00``; sorts in time order."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"cannot format a naive datetime: {moment.isoformat()}")
    return moment.astimezone(UTC).isoformat(timespec="microseconds")


# -- numbers ------------------------------------------------------------------

_DECIMAL_RE = re.compile(r"[+-]?[0-9]+(?:\.[0-9]+)?")


def parse_decimal(text: str, *, what: str = "value") -> Decimal:
    """A plain decimal number (``52.5``, ``-3``, ``0.125``) read exactly, never a float."""
    stripped = text.strip()
    if not _DECIMAL_RE.fullmatch(stripped):
        raise ValueError(f"{what} {text!r} is not a decimal number (write it like 52.5)")
    if len(stripped.lstrip("+-").split(".")[0].lstrip("0")) > 15:  # past any figure (and Decimal's precision)
        raise ValueError(f"{what} {stripped[:24]}... is too large: at most 15 digits before the point")
    return Decimal(stripped)


@dataclass(frozen=True)
class Target:
    """A target value (or LOW..HIGH band for range polarity) and its RAG settings (``policies/rag.py``)."""

    value: Decimal | None = None
    low: Decimal | None = None
    high: Decimal | None = None
    monitoring_level: Decimal | None = None
    monitoring_low: Decimal | None = None
    monitoring_high: Decimal | None = None
    tolerance: Decimal | None = None
    agreed_with: str | None = None

    @property
    def is_range(self) -> bool:
        return self.low is not None

    def text(self) -> str:
        return f"{self.low}..{self.high}" if self.is_range else str(self.value)
