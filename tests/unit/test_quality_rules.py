"""The data-quality rules at entry: decimal places, the outlier warning, year-end consistency."""

from __future__ import annotations

from decimal import Decimal

import pytest

from ledger.hints import options_in, plain
from ledger.values import Period, PeriodKind, Unit
from policies import quality
from policies.quality import Shape

P = Period.parse
D = Decimal
RECYCLING = Shape(Unit.PERCENT, PeriodKind.QUARTER, cumulative=True, decimals=2, outlier_threshold=D(25))
NEET = Shape(Unit.PERCENT, PeriodKind.MONTH, decimals=1, outlier_threshold=D(20))
HOMES = Shape(Unit.COUNT, PeriodKind.QUARTER)
AFFORDABLE = Shape(Unit.COUNT, PeriodKind.QUARTER, cumulative=True)
CRIME_RATE = Shape(Unit.RATE, PeriodKind.QUARTER)
SURVEY = Shape(Unit.PERCENT, PeriodKind.YEAR, outlier_threshold=D(10))


def figures(**by_period: str) -> dict[Period, Decimal]:
    return {P(k.replace("_", "/", 1).replace("_", "-")): D(v) for k, v in by_period.items()}


class TestDecimalPlaces:
    def test_more_places_than_the_pro_forma_gives_is_an_error_naming_both(self) -> None:
        [problem] = quality.check_decimals(D("36.444"), 2)
        assert problem.severity == "error"
        assert str(problem) == "value: 36.444 has 3 decimal places; the indicator is reported to 2: round it"

    @pytest.mark.parametrize("value", ["36.44", "36.4", "36", "-1.5"])
    def test_as_many_places_or_fewer_pass(self, value: str) -> None:
        assert quality.check_decimals(D(value), 2) == []

    def test_a_trailing_zero_written_counts_as_a_place(self) -> None:
        assert quality.check_decimals(D("8.50"), 1)

    def test_no_places_set_means_no_check(self) -> None:
        assert quality.check_decimals(D("1.23456"), None) == []


class TestOutlier:
    HISTORY = figures(**{"2008-04": "8.0", "2008-05": "8.4", "2008-06": "7.6", "2008-07": "8.0"})

    def test_within_the_threshold_of_the_last_four_months_is_quiet(self) -> None:
        assert quality.outlier(NEET, P("2008-08"), D("9.6"), self.HISTORY, None) == []

    def test_beyond_it_without_commentary_is_an_error_that_asks_for_commentary(self) -> None:
        [problem] = quality.outlier(NEET, P("2008-08"), D("12.0"), self.HISTORY, None)
        assert problem.severity == "error"
        assert problem.field == "commentary"
        assert "12.0 is 50.0% away from the mean 8 of its last 4 comparable return(s)" in problem.message
        assert "(outlier threshold 20%)" in problem.message
        assert "explain it with 'commentary'" in plain(problem.message)
        assert options_in(problem.message) == ["commentary"]

    def test_with_commentary_it_is_a_warning_to_record(self) -> None:
        [problem] = quality.outlier(NEET, P("2008-08"), D("12.0"), self.HISTORY, "Connexions data cleanse")
        assert problem.severity == "warning"
        assert quality.errors([problem]) == []

    def test_blank_commentary_does_not_count(self) -> None:
        [problem] = quality.outlier(NEET, P("2008-08"), D("12.0"), self.HISTORY, "   ")
        assert problem.severity == "error"

    def test_a_fall_is_measured_the_same_way(self) -> None:
        assert quality.outlier(NEET, P("2008-08"), D("4.0"), self.HISTORY, None)

    def test_only_the_four_preceding_months_are_the_history(self) -> None:
        old = {**self.HISTORY, P("2008-03"): D("100")}
        assert quality.outlier(NEET, P("2008-08"), D("9.6"), old, None) == []

    def test_without_a_threshold_or_history_there_is_no_check(self) -> None:
        assert quality.outlier(Shape(Unit.PERCENT, PeriodKind.MONTH), P("2008-08"), D("90"), self.HISTORY,
                               None) == []
        assert quality.outlier(NEET, P("2008-08"), D("90"), {}, None) == []

    def test_a_history_averaging_zero_cannot_give_a_percentage(self) -> None:
        zeros = {P("2008-07"): D(0), P("2008-06"): D(0)}
        assert quality.outlier(NEET, P("2008-08"), D(3), zeros, None) == []

    def test_a_cumulative_quarter_is_compared_with_the_same_quarter_of_earlier_years(self) -> None:
        # Year to date, Q2 is naturally above Q1: Q1 is not its history.
        in_year = figures(**{"2008_09_Q1": "20.1"})
        assert quality.outlier(RECYCLING, P("2008/09-Q2"), D("38.20"), in_year, None) == []
        years = figures(**{"2007_08_Q2": "36.0", "2006_07_Q2": "34.0", "2005_06_Q2": "35.0"})
        assert quality.outlier(RECYCLING, P("2008/09-Q2"), D("38.20"), years, None) == []
        assert quality.outlier(RECYCLING, P("2008/09-Q2"), D("48.20"), years, None)

    def test_a_year_is_compared_with_the_three_years_before(self) -> None:
        assert quality.history_periods(SURVEY, P("2008/09")) == [P("2007/08"), P("2006/07"), P("2005/06")]
        [problem] = quality.outlier(SURVEY, P("2008/09"), D("60"), figures(**{"2007_08": "50"}), None)
        assert "20.0% away" in problem.message


class TestYearEnd:
    def test_a_discrete_rate_for_the_year_lies_within_its_quarters(self) -> None:
        quarters = figures(**{"2008_09_Q1": "3.1", "2008_09_Q2": "2.8", "2008_09_Q3": "3.4", "2008_09_Q4": "3.0"})
        assert quality.year_end(CRIME_RATE, P("2008/09"), D("3.1"), quarters) == []
        [problem] = quality.year_end(CRIME_RATE, P("2008/09"), D("4.2"), quarters)
        assert problem.message == ("the figure for 2008/09 (4.2) cannot follow from its 4 periods: it must lie "
                                   "between the lowest and the highest of them (2.8..3.4)")

    def test_a_quarter_that_contradicts_a_year_already_recorded_is_caught_too(self) -> None:
        others = figures(**{"2008_09": "3.1", "2008_09_Q1": "3.1", "2008_09_Q2": "2.8", "2008_09_Q3": "3.4"})
        assert quality.year_end(CRIME_RATE, P("2008/09-Q4"), D("3.0"), others) == []
        assert quality.year_end(CRIME_RATE, P("2008/09-Q4"), D("2.0"), others) == []  # 3.1 within 2.0..3.4
        others[P("2008/09")] = D("2.9")
        assert quality.year_end(CRIME_RATE, P("2008/09-Q4"), D("3.3"), others) == []
        others[P("2008/09")] = D("3.5")
        assert quality.year_end(CRIME_RATE, P("2008/09-Q4"), D("3.3"), others)

    def test_until_every_quarter_is_in_a_discrete_year_is_not_bounded(self) -> None:
        three = figures(**{"2008_09_Q1": "3.1", "2008_09_Q2": "2.8", "2008_09_Q3": "3.4"})
        assert quality.year_end(CRIME_RATE, P("2008/09"), D("9.9"), three) == []

    def test_a_discrete_count_for_the_year_lies_between_its_lowest_quarter_and_their_sum(self) -> None:
        quarters = figures(**{"2008_09_Q1": "100", "2008_09_Q2": "200", "2008_09_Q3": "150", "2008_09_Q4": "250"})
        assert quality.year_end(HOMES, P("2008/09"), D("700"), quarters) == []  # a flow: the sum
        assert quality.year_end(HOMES, P("2008/09"), D("250"), quarters) == []  # a snapshot: one quarter
        [problem] = quality.year_end(HOMES, P("2008/09"), D("701"), quarters)
        assert "(100..700)" in problem.message
        assert quality.year_end(HOMES, P("2008/09"), D("99"), quarters)

    def test_a_cumulative_year_is_its_last_quarter(self) -> None:
        quarters = figures(**{"2008_09_Q1": "20.10", "2008_09_Q2": "38.20", "2008_09_Q3": "36.90",
                              "2008_09_Q4": "37.45"})
        assert quality.year_end(RECYCLING, P("2008/09"), D("37.45"), quarters) == []
        [problem] = quality.year_end(RECYCLING, P("2008/09"), D("38.20"), quarters)
        assert problem.message == ("the year-to-date figure for 2008/09 (38.20) must equal 2008/09-Q4's "
                                   "(37.45): the indicator is cumulative")

    def test_a_year_to_date_percentage_may_fall_but_a_count_may_not(self) -> None:
        assert quality.year_end(RECYCLING, P("2008/09-Q3"), D("36.90"),
                                figures(**{"2008_09_Q2": "38.20"})) == []
        [problem] = quality.year_end(AFFORDABLE, P("2008/09-Q3"), D("55"), figures(**{"2008_09_Q2": "60"}))
        assert problem.message == ("the year-to-date count for 2008/09-Q3 (55) falls below 2008/09-Q2's (60): "
                                   "a cumulative count cannot fall")

    def test_revising_an_earlier_quarter_above_a_later_one_is_caught(self) -> None:
        assert quality.year_end(AFFORDABLE, P("2008/09-Q1"), D("70"), figures(**{"2008_09_Q2": "60"}))

    def test_a_cumulative_count_year_before_its_last_quarter_cannot_fall_below_the_latest(self) -> None:
        so_far = figures(**{"2008_09_Q1": "40", "2008_09_Q2": "60", "2008_09_Q3": "90"})
        assert quality.year_end(AFFORDABLE, P("2008/09"), D("95"), so_far) == []
        assert quality.year_end(AFFORDABLE, P("2008/09"), D("80"), so_far)

    def test_in_a_file_each_problem_is_named_once(self) -> None:
        rows = figures(**{"2008_09": "900", "2008_09_Q1": "100", "2008_09_Q2": "200", "2008_09_Q3": "150",
                          "2008_09_Q4": "250"})
        on_quarter = quality.year_end(HOMES, P("2008/09-Q2"), D("200"), rows, in_file=True, year_in_file=True)
        on_year = quality.year_end(HOMES, P("2008/09"), D("900"), rows, in_file=True, year_in_file=True)
        assert on_quarter == []
        assert len(on_year) == 1
        falls = figures(**{"2008_09_Q1": "40", "2008_09_Q2": "30"})
        assert quality.year_end(AFFORDABLE, P("2008/09-Q1"), D("40"), falls, in_file=True) == []
        assert quality.year_end(AFFORDABLE, P("2008/09-Q2"), D("30"), falls, in_file=True)

    def test_an_annual_indicator_has_no_in_year_returns_to_agree_with(self) -> None:
        assert quality.year_end(SURVEY, P("2008/09"), D("50"), {}) == []
        assert quality.context_periods(SURVEY, P("2008/09")) == [P("2007/08"), P("2006/07"), P("2005/06")]
