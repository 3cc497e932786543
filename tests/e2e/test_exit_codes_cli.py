"""Bad values exit 1, usage errors exit 2, by one rule (issue 18, item 6; docs/cli-reference.md):
a word that is not of its option's kind (not a number, a period, a date, one of the listed words)
or a command line that cannot be parsed is a usage error, 2; a well-formed value outside what the
option or the ledger allows is a bad value, 1. Before, ``--tolerance 150`` exited 1 and
``--decimals 12`` 2. Either way one line, and nothing is written."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from tests.e2e.harness import Perfledger, partnership, refused


@pytest.fixture
def pl(clone_of: Callable[[Callable[[str], Perfledger]], Perfledger]) -> Perfledger:
    return clone_of(partnership)


REGISTER = ["indicator", "register", "NI 195", "--title", "Street cleanliness", "--unit", "percent",
            "--polarity", "lower", "--frequency", "quarterly"]
OUT_OF_RANGE = [
    (["init", "--tolerance", "150"], "--tolerance 150 is outside 0-100"),
    ([*REGISTER, "--tolerance", "150"], "--tolerance 150 is outside 0-100"),
    ([*REGISTER, "--decimals", "12"], "--decimals 12 is outside 0-6"),
    ([*REGISTER, "--decimals", "-1"], "--decimals -1 is outside 0-6"),
    ([*REGISTER, "--reporting-lag", "5000"], "--reporting-lag 5000 is outside 0-3650"),
    ([*REGISTER, "--outlier-threshold", "-5"], "--outlier-threshold -5 is outside 0-1000"),
    (["target", "set", "NI 192", "2008/09-Q1", "40", "--tolerance", "150", "--reason", "LAA"],
     "--tolerance 150 is outside 0-100"),
    (["rag", "default", "--tolerance", "150", "--reason", "review"], "--tolerance 150 is outside 0-100"),
    (["audit", "sample", "--year", "2008/09", "--size", "0"], "--size 0 is less than 1"),
    (["audit", "prove", "0"], "POSITION 0 is less than 1"),
    (["report", "rag", "--period", "2008/09-Q1", "--as-at", "1850-01-01"], "is outside the years 1900-2199"),
]
MALFORMED = [
    ([*REGISTER, "--decimals", "two"], "'two' is not a valid integer"),
    ([*REGISTER, "--reporting-lag", "soon"], "'soon' is not a valid integer"),
    ([*REGISTER, "--tolerance", "lots"], "is not a decimal number"),
    (["audit", "sample", "--year", "2008/09", "--size", "some"], "'some' is not a valid integer"),
    (["audit", "prove", "first"], "'first' is not a valid integer"),
    (["report", "rag", "--period", "2008/09-Q5"], "2008/09-Q5"),
    (["report", "rag", "--period", "2008/09-Q1", "--as-at", "yesterday"], "yesterday"),
    ([*REGISTER[:-2], "--frequency", "weekly"], "weekly"),
    (["indicator", "register", "NI 195", "--no-such-option"], "No such option"),
]


@pytest.mark.parametrize(("args", "fragment"), OUT_OF_RANGE, ids=lambda v: " ".join(v) if isinstance(v, list)
                         else None)
def test_a_value_outside_its_range_is_a_bad_value_exit_1(pl: Perfledger, args: list[str], fragment: str) -> None:
    before = pl.digest()
    refused(pl(*args), 1, fragment)
    assert pl.digest() == before


@pytest.mark.parametrize(("args", "fragment"), MALFORMED, ids=lambda v: " ".join(v) if isinstance(v, list)
                         else None)
def test_a_word_not_of_its_kind_is_a_usage_error_exit_2(pl: Perfledger, args: list[str], fragment: str) -> None:
    before = pl.digest()
    refused(pl(*args), 2, fragment)
    assert pl.digest() == before
