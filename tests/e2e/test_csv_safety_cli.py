"""Every CSV the command line writes opens in a spreadsheet as text, never as a formula."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable

import pytest

from tests.e2e.harness import Perfledger, partnership


@pytest.fixture
def pl(clone_of: Callable[[Callable[[str], Perfledger]], Perfledger]) -> Perfledger:
    return clone_of(partnership)


def test_a_formula_typed_into_a_title_or_a_commentary_comes_out_as_text(pl: Perfledger) -> None:
    pl.ok("indicator", "register", "LPI 1", "--title", '=HYPERLINK("http://x.example","Open")', "--unit",
          "number", "--polarity", "higher", "--frequency", "quarterly")
    pl.ok("return", "submit", "LPI 1", "2008/09-Q1", "-4.5", "--commentary", "@SUM(A1:A9) below plan")
    listed = list(csv.DictReader(io.StringIO(pl.ok("indicator", "list", "--format", "csv").stdout)))
    assert next(r["title"] for r in listed if r["code"] == "LPI 1") == "'=HYPERLINK(\"http://x.example\",\"Open\")"
    returns = list(csv.DictReader(io.StringIO(pl.ok("return", "list", "LPI 1", "--format", "csv").stdout)))
    assert returns[0]["value"] == "-4.5"  # a negative number stays a number
    for args in (("indicator", "list"), ("return", "list", "LPI 1"), ("audit", "trail"),
                 ("indicator", "show", "LPI 1")):
        rows = list(csv.reader(io.StringIO(pl.ok(*args, "--format", "csv").stdout)))
        cells = [cell for row in rows for cell in row]
        assert not [c for c in cells if c[:1] in ("=", "@") or (c[:1] in "+-" and not c[1:2].isdigit()
                                                                and len(c) > 1)], args
