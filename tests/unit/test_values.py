from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal

import pytest

from ledger.values import (
    LONDON,
    Frequency,
    Period,
    PeriodKind,
    Polarity,
    Role,
    Status,
    Unit,
    describe_return_periods,
    describe_target_periods,
    format_utc,
    own_kind,
    parse_decimal,
    parse_enum,
    parse_when,
    periods_between,
    returns_accepted,
    targets_accepted,
)

P = Period.parse


# -- enums ---------------------------------------------------------------------


def test_enum_values_are_the_cli_words() -> None:
    assert [f.value for f in Frequency] == ["monthly", "quarterly", "half-yearly", "annual"]
    assert [u.value for u in Unit] == [
        "percent",
        "count",
        "rate",
        "ratio",
        "currency",
        "days",
        "number",
    ]
    assert [p.value for p in Polarity] == ["higher", "lower", "range", "none"]
    assert [s.value for s in Status] == ["estimate", "provisional", "final"]
    assert Role.PERFORMANCE_SUPPORT.value == "performance-support"
    assert Role.DATA_QUALITY_OFFICER.value == "data-quality-officer"
    assert len(Role) == 6
    assert not isinstance(Unit.PERCENT, str)


@pytest.mark.parametrize(
    ("cls", "text", "expected"),
    [
        (Frequency, "half-yearly", Frequency.HALF_YEARLY),
        (Frequency, "  Quarterly ", Frequency.QUARTERLY),
        (Unit, "PERCENT", Unit.PERCENT),
        (Polarity, "none", Polarity.NONE),
        (Status, "final", Status.FINAL),
        (Role, "Improvement-Manager", Role.IMPROVEMENT_MANAGER),
        (PeriodKind, "quarter", PeriodKind.QUARTER),
    ],
)
def test_parse_enum_accepts_values_case_insensitively(
    cls: type[Frequency], text: str, expected: Frequency
) -> None:
    assert parse_enum(cls, text) is expected


def test_parse_enum_refusal_lists_the_allowed_words() -> None:
    with pytest.raises(ValueError, match=r"^unknown unit 'pct': use one of ") as info:
        parse_enum(Unit, "pct")
    assert str(info.value) == (
        "unknown unit 'pct': use one of percent, count, rate, ratio, currency, days, number"
    )


@pytest.mark.parametrize(
    ("cls", "noun"),
    [
        (Frequency, "frequency"),
        (Polarity, "polarity"),
        (Status, "status"),
        (Role, "role"),
        (PeriodKind, "period kind"),
    ],
)
def test_parse_enum_noun(cls: type[Frequency], noun: str) -> None:
    with pytest.raises(ValueError, match=f"^unknown {noun} 'x': use one of "):
        parse_enum(cls, "x")


@pytest.mark.parametrize("text", ["", "HALF_YEARLY", "half yearly", "annually"])
def test_parse_enum_refuses_names_and_near_misses(text: str) -> None:
    with pytest.raises(ValueError, match="unknown frequency"):
        parse_enum(Frequency, text)


# -- periods: text ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "kind", "year", "index"),
    [
        ("2008/09", PeriodKind.YEAR, 2008, 1),
        ("2008/09-H1", PeriodKind.HALF, 2008, 1),
        ("2008/09-H2", PeriodKind.HALF, 2008, 2),
        ("2008/09-Q1", PeriodKind.QUARTER, 2008, 1),
        ("2008/09-Q4", PeriodKind.QUARTER, 2008, 4),
        ("2008-04", PeriodKind.MONTH, 2008, 1),
        ("2008-12", PeriodKind.MONTH, 2008, 9),
        ("2009-01", PeriodKind.MONTH, 2008, 10),
        ("2009-03", PeriodKind.MONTH, 2008, 12),
        ("1999/00", PeriodKind.YEAR, 1999, 1),
        ("2099/00", PeriodKind.YEAR, 2099, 1),
    ],
)
def test_parse_and_round_trip(text: str, kind: PeriodKind, year: int, index: int) -> None:
    period = P(text)
    assert period == Period(kind, year, index)
    assert str(period) == text
    assert P(str(period)) == period


@pytest.mark.parametrize(
    "text",
    [
        "",
        "2008",
        "2008-Q1",
        "2008/10",
        "2008/08",
        "2008/2009",
        "08/09",
        "2008/09-Q0",
        "2008/09-Q5",
        "2008/09-H0",
        "2008/09-H3",
        "2008/09-q1",
        "2008/09-M1",
        "2008/09-Q1 extra",
        "2008-00",
        "2008-13",
        "2008-4",
        "2008-04-01",
        "2008/09/Q1",
        "٢٠٠٨/٠٩",  # non-ASCII digits
        "0000/01",
        "9999/00",
        "0001-01",  # falls in financial year 0000/01
    ],
)
def test_parse_refuses_malformed(text: str) -> None:
    with pytest.raises(ValueError, match=r"^malformed period ") as info:
        P(text)
    assert str(info.value) == (
        f"malformed period {text!r}: use 2008/09, 2008/09-Q1..Q4, 2008/09-H1/H2 or 2008-04"
    )


def test_parse_strips_surrounding_whitespace() -> None:
    assert P(" 2008/09-Q2\n") == Period.quarter(2008, 2)


def test_constructors() -> None:
    assert Period.year_of(2008) == P("2008/09")
    assert Period.half(2008, 2) == P("2008/09-H2")
    assert Period.quarter(2008, 3) == P("2008/09-Q3")
    assert Period.month(2009, 1) == P("2009-01")
    assert Period.month(2009, 1).year == 2008
    assert Period.month(2008, 4).index == 1
    assert Period.month(2009, 3).index == 12


@pytest.mark.parametrize(
    "make",
    [
        lambda: Period.quarter(2008, 5),
        lambda: Period.quarter(2008, 0),
        lambda: Period.half(2008, 3),
        lambda: Period(PeriodKind.YEAR, 2008, 2),
        lambda: Period(PeriodKind.MONTH, 2008, 13),
        lambda: Period.month(2008, 13),
        lambda: Period.month(2008, 0),
    ],
)
def test_constructors_refuse_impossible_periods(make: object) -> None:
    with pytest.raises(ValueError, match="no such"):
        make()  # type: ignore[operator]


def test_period_is_frozen_and_hashable() -> None:
    period = P("2008/09-Q1")
    with pytest.raises(AttributeError):
        period.year = 2009  # type: ignore[misc]
    assert {period, P("2008/09-Q1")} == {period}
    assert repr(period) == "Period.parse('2008/09-Q1')"


# -- periods: dates --------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("2008/09", date(2008, 4, 1), date(2009, 3, 31)),
        ("2008/09-H1", date(2008, 4, 1), date(2008, 9, 30)),
        ("2008/09-H2", date(2008, 10, 1), date(2009, 3, 31)),
        ("2008/09-Q1", date(2008, 4, 1), date(2008, 6, 30)),
        ("2008/09-Q3", date(2008, 10, 1), date(2008, 12, 31)),
        ("2008/09-Q4", date(2009, 1, 1), date(2009, 3, 31)),
        ("2008-04", date(2008, 4, 1), date(2008, 4, 30)),
        ("2009-01", date(2009, 1, 1), date(2009, 1, 31)),
        ("2008-02", date(2008, 2, 1), date(2008, 2, 29)),  # leap year
        ("2009-02", date(2009, 2, 1), date(2009, 2, 28)),
        ("2000-02", date(2000, 2, 1), date(2000, 2, 29)),  # divisible by 400
        ("2100-02", date(2100, 2, 1), date(2100, 2, 28)),  # divisible by 100 only
        ("2008-12", date(2008, 12, 1), date(2008, 12, 31)),
    ],
)
def test_start_and_end(text: str, start: date, end: date) -> None:
    assert P(text).start == start
    assert P(text).end == end


def test_q4_spans_the_calendar_year_change() -> None:
    q4 = P("2008/09-Q4")
    assert q4.start.year == 2009
    assert q4.financial_year == P("2008/09")
    assert q4.children(PeriodKind.MONTH) == [P("2009-01"), P("2009-02"), P("2009-03")]


def test_january_is_in_the_previous_financial_year() -> None:
    january = P("2009-01")
    assert january.financial_year == P("2008/09")
    assert P("2008/09").contains(january)
    assert not P("2009/10").contains(january)
    assert january.calendar_month == 1
    assert P("2008-04").calendar_month == 4
    assert P("2009-03").calendar_month == 3


def test_calendar_month_only_for_months() -> None:
    with pytest.raises(ValueError, match="not a month"):
        _ = P("2008/09-Q1").calendar_month


def test_containing() -> None:
    day = date(2009, 2, 14)
    assert Period.containing(PeriodKind.MONTH, day) == P("2009-02")
    assert Period.containing(PeriodKind.QUARTER, day) == P("2008/09-Q4")
    assert Period.containing(PeriodKind.HALF, day) == P("2008/09-H2")
    assert Period.containing(PeriodKind.YEAR, day) == P("2008/09")
    assert Period.containing(PeriodKind.YEAR, date(2009, 4, 1)) == P("2009/10")
    assert Period.containing(PeriodKind.YEAR, date(2009, 3, 31)) == P("2008/09")


# -- periods: order and relations ------------------------------------------------


def test_order_is_by_start_then_shorter_first() -> None:
    expected = ["2008-04", "2008/09-Q1", "2008/09-H1", "2008/09", "2008-05", "2008-07"]
    shuffled = [P(t) for t in ["2008/09", "2008-07", "2008/09-H1", "2008-05", "2008-04"]]
    shuffled.append(P("2008/09-Q1"))
    assert [str(p) for p in sorted(shuffled)] == expected
    assert P("2008/09-Q4") < P("2009/10-Q1")
    assert P("2009-03") < P("2009-04")
    assert P("2008/09") <= P("2008/09")
    assert P("2008/09") > P("2008/09-H1")
    assert P("2008/09-Q1").sort_key == (date(2008, 4, 1), date(2008, 6, 30))


def test_comparison_with_other_types_is_refused() -> None:
    with pytest.raises(TypeError):
        _ = P("2008/09") < "2008/09"
    text: object = "2008/09"
    assert P("2008/09") != text


def test_contains() -> None:
    year = P("2008/09")
    assert year.contains(year)
    assert year.contains(P("2008/09-H2"))
    assert year.contains(P("2009-03"))
    assert not year.contains(P("2009-04"))
    assert not P("2008/09-Q1").contains(year)
    assert P("2008/09-H1").contains(P("2008/09-Q2"))
    assert not P("2008/09-H1").contains(P("2008/09-Q3"))
    assert not P("2008-04").contains(P("2008-05"))


@pytest.mark.parametrize(
    ("text", "previous", "following"),
    [
        ("2008/09", "2007/08", "2009/10"),
        ("2008/09-H1", "2007/08-H2", "2008/09-H2"),
        ("2008/09-Q1", "2007/08-Q4", "2008/09-Q2"),
        ("2008/09-Q4", "2008/09-Q3", "2009/10-Q1"),
        ("2008-04", "2008-03", "2008-05"),
        ("2009-01", "2008-12", "2009-02"),
        ("2009-03", "2009-02", "2009-04"),
        ("1999/00", "1998/99", "2000/01"),
    ],
)
def test_previous_and_next(text: str, previous: str, following: str) -> None:
    assert P(text).previous() == P(previous)
    assert P(text).next() == P(following)
    assert P(text).next().previous() == P(text)


@pytest.mark.parametrize(
    ("text", "earlier"),
    [
        ("2008/09", "2007/08"),
        ("2008/09-H2", "2007/08-H2"),
        ("2008/09-Q4", "2007/08-Q4"),
        ("2009-01", "2008-01"),
        ("2008-04", "2007-04"),
    ],
)
def test_year_earlier(text: str, earlier: str) -> None:
    assert P(text).year_earlier() == P(earlier)


def test_children() -> None:
    year = P("2008/09")
    assert year.children(PeriodKind.YEAR) == [year]
    assert year.children(PeriodKind.HALF) == [P("2008/09-H1"), P("2008/09-H2")]
    assert [str(q) for q in year.children(PeriodKind.QUARTER)] == [
        "2008/09-Q1",
        "2008/09-Q2",
        "2008/09-Q3",
        "2008/09-Q4",
    ]
    months = year.children(PeriodKind.MONTH)
    assert len(months) == 12
    assert (str(months[0]), str(months[8]), str(months[9]), str(months[-1])) == (
        "2008-04",
        "2008-12",
        "2009-01",
        "2009-03",
    )
    assert [str(m) for m in P("2008/09-Q2").children(PeriodKind.MONTH)] == [
        "2008-07",
        "2008-08",
        "2008-09",
    ]
    assert P("2008/09-H2").children(PeriodKind.QUARTER) == [P("2008/09-Q3"), P("2008/09-Q4")]
    assert P("2008/09-Q1").children(PeriodKind.YEAR) == []
    assert P("2008-04").children(PeriodKind.QUARTER) == []


def test_enclosing_is_smallest_first() -> None:
    assert P("2009-02").enclosing() == [P("2008/09-Q4"), P("2008/09-H2"), P("2008/09")]
    assert P("2008/09-Q2").enclosing() == [P("2008/09-H1"), P("2008/09")]
    assert P("2008/09-H2").enclosing() == [P("2008/09")]
    assert P("2008/09").enclosing() == []
    for period in P("2008/09").children(PeriodKind.MONTH):
        assert all(outer.contains(period) for outer in period.enclosing())


def test_periods_between() -> None:
    months = periods_between(PeriodKind.MONTH, P("2008-11"), P("2009-02"))
    assert [str(m) for m in months] == ["2008-11", "2008-12", "2009-01", "2009-02"]
    quarters = periods_between(PeriodKind.QUARTER, P("2007/08-Q4"), P("2008/09-Q2"))
    assert [str(q) for q in quarters] == ["2007/08-Q4", "2008/09-Q1", "2008/09-Q2"]
    assert periods_between(PeriodKind.YEAR, P("2008/09"), P("2008/09")) == [P("2008/09")]
    assert periods_between(PeriodKind.YEAR, P("2009/10"), P("2008/09")) == []
    assert len(periods_between(PeriodKind.MONTH, P("2000/01"), P("2009/10"))) == 120


def test_periods_between_mixed_kinds_keeps_only_whole_periods() -> None:
    quarters = periods_between(PeriodKind.QUARTER, P("2008-05"), P("2009-01"))
    assert quarters == [P("2008/09-Q2"), P("2008/09-Q3")]
    assert periods_between(PeriodKind.MONTH, P("2008/09-Q4"), P("2008/09-Q4")) == (
        P("2008/09-Q4").children(PeriodKind.MONTH)
    )


# -- which periods an indicator takes --------------------------------------------

YEAR, HALF, QUARTER, MONTH = P("2008/09"), P("2008/09-H1"), P("2008/09-Q1"), P("2008-04")


@pytest.mark.parametrize(
    ("frequency", "returns", "targets"),
    [
        (Frequency.MONTHLY, {MONTH, YEAR}, {MONTH, QUARTER, HALF, YEAR}),
        (Frequency.QUARTERLY, {QUARTER, YEAR}, {QUARTER, HALF, YEAR}),
        (Frequency.HALF_YEARLY, {HALF, YEAR}, {HALF, YEAR}),
        (Frequency.ANNUAL, {YEAR}, {YEAR}),
    ],
)
def test_accepted_periods_follow_the_table(
    frequency: Frequency, returns: set[Period], targets: set[Period]
) -> None:
    for period in (YEAR, HALF, QUARTER, MONTH):
        assert returns_accepted(frequency, period) is (period in returns), period
        assert targets_accepted(frequency, period) is (period in targets), period


def test_own_kind() -> None:
    assert own_kind(Frequency.MONTHLY) is PeriodKind.MONTH
    assert own_kind(Frequency.QUARTERLY) is PeriodKind.QUARTER
    assert own_kind(Frequency.HALF_YEARLY) is PeriodKind.HALF
    assert own_kind(Frequency.ANNUAL) is PeriodKind.YEAR


def test_describe_periods() -> None:
    assert describe_return_periods(Frequency.QUARTERLY) == (
        "a quarterly indicator takes quarters (2008/09-Q1) and the year (2008/09)"
    )
    assert describe_return_periods(Frequency.MONTHLY) == (
        "a monthly indicator takes months (2008-04) and the year (2008/09)"
    )
    assert describe_return_periods(Frequency.HALF_YEARLY) == (
        "a half-yearly indicator takes halves (2008/09-H1) and the year (2008/09)"
    )
    assert describe_return_periods(Frequency.ANNUAL) == "an annual indicator takes years (2008/09)"
    assert describe_target_periods(Frequency.ANNUAL) == (
        "an annual indicator takes targets for years (2008/09)"
    )
    assert describe_target_periods(Frequency.QUARTERLY) == (
        "a quarterly indicator takes targets for quarters (2008/09-Q1), halves (2008/09-H1)"
        " and years (2008/09)"
    )


# -- WHEN ------------------------------------------------------------------------


def utc(
    year: int, month: int, day: int, hour: int = 0, minute: int = 0, second: int = 0, us: int = 0
) -> datetime:
    return datetime(year, month, day, hour, minute, second, us, tzinfo=UTC)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2008-11-15T09:30:00Z", utc(2008, 11, 15, 9, 30)),
        ("2008-11-15T09:30:00+00:00", utc(2008, 11, 15, 9, 30)),
        ("2008-07-15T09:30:00+01:00", utc(2008, 7, 15, 8, 30)),
        ("2008-11-15T09:30:00-05:30", utc(2008, 11, 15, 15, 0)),
        ("2008-11-15T00:30:00+01:00", utc(2008, 11, 14, 23, 30)),
        ("2008-11-15T09:30Z", utc(2008, 11, 15, 9, 30)),
        ("2008-11-15T09:30:00.5Z", utc(2008, 11, 15, 9, 30, 0, 500000)),
        ("2008-11-15T09:30:00.123456Z", utc(2008, 11, 15, 9, 30, 0, 123456)),
    ],
)
def test_parse_when_datetime_with_offset(text: str, expected: datetime) -> None:
    for end_of_day in (True, False):
        got = parse_when(text, end_of_day=end_of_day)
        assert got == expected
        assert got.tzinfo is UTC


@pytest.mark.parametrize(
    ("text", "end_of_day", "expected"),
    [
        # GMT in winter: London day = UTC day
        ("2008-11-15", False, utc(2008, 11, 15, 0, 0)),
        ("2008-11-15", True, utc(2008, 11, 15, 23, 59, 59, 999999)),
        # BST in summer: London day starts and ends an hour earlier in UTC
        ("2008-07-15", False, utc(2008, 7, 14, 23, 0)),
        ("2008-07-15", True, utc(2008, 7, 15, 22, 59, 59, 999999)),
        # 2008-03-30: clocks go forward at 01:00 GMT, so the day is 23 hours long
        ("2008-03-30", False, utc(2008, 3, 30, 0, 0)),
        ("2008-03-30", True, utc(2008, 3, 30, 22, 59, 59, 999999)),
        # 2008-10-26: clocks go back at 01:00 GMT, so the day is 25 hours long
        ("2008-10-26", False, utc(2008, 10, 25, 23, 0)),
        ("2008-10-26", True, utc(2008, 10, 26, 23, 59, 59, 999999)),
        # leap day
        ("2008-02-29", True, utc(2008, 2, 29, 23, 59, 59, 999999)),
        # financial year end, in BST
        ("2009-03-31", True, utc(2009, 3, 31, 22, 59, 59, 999999)),
    ],
)
def test_parse_when_date_is_a_london_day(text: str, end_of_day: bool, expected: datetime) -> None:
    got = parse_when(text, end_of_day=end_of_day)
    assert got == expected
    assert got.tzinfo is UTC
    local = got.astimezone(LONDON)
    assert local.date() == date.fromisoformat(text)
    assert local.time().isoformat() == ("23:59:59.999999" if end_of_day else "00:00:00")


def test_parse_when_end_of_day_is_just_before_the_next_start() -> None:
    for day in ("2008-03-29", "2008-03-30", "2008-10-26", "2008-12-31", "2009-02-28"):
        end = parse_when(day, end_of_day=True)
        following = (date.fromisoformat(day) + timedelta(days=1)).isoformat()
        assert parse_when(following, end_of_day=False) - end == timedelta(microseconds=1)


@pytest.mark.parametrize(
    "text", ["2008-11-15T09:30:00", "2008-11-15T09:30", "2008-11-15T09:30:00.5"]
)
def test_parse_when_refuses_datetime_without_offset(text: str) -> None:
    with pytest.raises(ValueError, match=r"has no UTC offset: add Z or an offset"):
        parse_when(text, end_of_day=True)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "yesterday",
        "15/11/2008",
        "2008-11",
        "2008-02-30",
        "2009-02-29",
        "2008-13-01",
        "20081115",
        "2008-11-15 09:30:00Z",
        "2008-11-15T25:00:00Z",
        "2008-11-15T24:00:00Z",
        "2008-11-15T09:60:00Z",
        "2008-11-15T09:30:60Z",
        "2008-11-15T09:30:00+01:75",
        "2008-11-15T09:30:00+24:00",
        "2008-11-15T09:30:00+0100",
        "2008-11-15T09:30:00.1234567Z",
        "2008-W46-6",
        "0001-01-01T00:00:00+01:00",
        "2008-11-15T09:30:00Z junk",
    ],
)
def test_parse_when_refuses_malformed(text: str) -> None:
    with pytest.raises(ValueError, match=r"^malformed time ") as info:
        parse_when(text, end_of_day=False)
    assert str(info.value) == (
        f"malformed time {text!r}: use an ISO date (2008-11-15) or datetime with offset"
        " (2008-11-15T09:30:00Z)"
    )


def test_format_utc_is_fixed_width() -> None:
    assert format_utc(utc(2008, 11, 15, 23, 59, 59, 999999)) == "2008-11-15T23:59:59.999999+00:00"
    assert format_utc(utc(2008, 11, 15)) == "2008-11-15T00:00:00.000000+00:00"
    bst = datetime(2008, 7, 15, 9, 30, tzinfo=LONDON)
    assert format_utc(bst) == "2008-07-15T08:30:00.000000+00:00"
    offset = datetime(2008, 7, 15, 9, 30, tzinfo=timezone(timedelta(hours=-5)))
    assert format_utc(offset) == "2008-07-15T14:30:00.000000+00:00"


def test_format_utc_strings_sort_in_time_order() -> None:
    moments = [
        parse_when(t, end_of_day=e)
        for t, e in [
            ("2008-11-15", True),
            ("2008-11-15", False),
            ("2008-11-15T12:00:00+01:00", False),
            ("2008-11-15T11:30:00Z", False),
            ("2008-07-15", True),
            ("2009-01-01T00:00:00.000001Z", False),
        ]
    ]
    texts = [format_utc(m) for m in moments]
    assert len({len(t) for t in texts}) == 1
    assert sorted(texts) == [format_utc(m) for m in sorted(moments)]


def test_format_utc_round_trips_through_parse_when() -> None:
    moment = parse_when("2008-07-15", end_of_day=True)
    assert parse_when(format_utc(moment), end_of_day=False) == moment


def test_format_utc_refuses_naive() -> None:
    with pytest.raises(ValueError, match="naive"):
        format_utc(datetime(2008, 11, 15))


# -- decimals --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("52.5", Decimal("52.5")),
        ("-3", Decimal(-3)),
        ("+3", Decimal(3)),
        ("0.125", Decimal("0.125")),
        ("1000", Decimal(1000)),
        ("0", Decimal(0)),
        ("007.50", Decimal("7.50")),
        (" 52.5 ", Decimal("52.5")),
        ("0.1", Decimal(1) / Decimal(10)),
        (
            "123456789012345.123456789012345678",
            Decimal((0, tuple(int(c) for c in "123456789012345123456789012345678"), -18)),
        ),
    ],
)
def test_parse_decimal_accepts_plain_numbers(text: str, expected: Decimal) -> None:
    got = parse_decimal(text)
    assert isinstance(got, Decimal)
    assert got == expected


@pytest.mark.parametrize("text", ["1234567890123456", "-12345678901234567890123456789012345678", "1" * 38 + ".5"])
def test_parse_decimal_refuses_numbers_past_any_figure(text: str) -> None:
    """More than 15 digits before the point: past any figure, and past what Decimal's default
    precision keeps exactly (a 38-digit numerator crashed the percent check before)."""
    with pytest.raises(ValueError, match="is too large: at most 15 digits before the point"):
        parse_decimal(text)


def test_parse_decimal_keeps_the_written_precision_exactly() -> None:
    assert str(parse_decimal("52.50")) == "52.50"
    assert parse_decimal("0.1") + parse_decimal("0.2") == Decimal("0.3")


@pytest.mark.parametrize(
    "text",
    [
        "",
        " ",
        "NaN",
        "nan",
        "sNaN",
        "Infinity",
        "-Inf",
        "1e5",
        "1E5",
        "1.5e-3",
        "12,5",
        "1,000",
        "1 000",
        "1_000",
        ".5",
        "5.",
        "--5",
        "+-5",
        "0x10",
        "52.5%",
        "£5",
        "١٢",  # non-ASCII digits
    ],
)
def test_parse_decimal_refuses(text: str) -> None:
    with pytest.raises(ValueError, match=r"is not a decimal number") as info:
        parse_decimal(text)
    assert str(info.value) == f"value {text!r} is not a decimal number (write it like 52.5)"


def test_parse_decimal_uses_the_noun() -> None:
    with pytest.raises(ValueError, match=r"^target '12,5' is not a decimal number \(write it"):
        parse_decimal("12,5", what="target")
