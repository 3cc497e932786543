"""Retrospective changes always go through the control (issue 18, item 2): a rating rule does not
reach back into a closed, reported period; a restatement keeps a year consistent with its periods."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.e2e.harness import Perfledger, adjusting_partnership, only_the_refusal_was_recorded, refused


@pytest.fixture
def pl(clone_of: Callable[[Callable[[str], Perfledger]], Perfledger]) -> Perfledger:
    p = clone_of(adjusting_partnership)
    p.ok("target", "set", "NI 192", "2008/09", "40", "--reason", "LAA")
    return p


def ratings(pl: Perfledger, period: str) -> str:
    rows = json.loads(pl.ok("report", "rag", "--period", period, "--format", "json").stdout)["rows"]
    return str(rows[0]["rating"])


@pytest.mark.parametrize("start", [["--from", "2008/09-Q2"], ["--from", "2008/09-Q1"], []])
def test_a_rating_rule_reaching_into_a_closed_period_is_refused(pl: Perfledger, start: list[str]) -> None:
    before, rated = pl.digest(), ratings(pl, "2008/09-Q2")
    refused(pl("rag", "default", "--tolerance", "1", *start, "--reason", "tighter", actor="alice"), 1,
            "would re-rate 2008/09-Q1, which is closed" if start != ["--from", "2008/09-Q2"]
            else "would re-rate 2008/09-Q2, which is closed")
    only_the_refusal_was_recorded(pl, before, "alice", "rag default", "closed-period")
    assert ratings(pl, "2008/09-Q2") == rated
    pl.ok("rag", "default", "--tolerance", "1", "--from", "2008/09-Q3", "--reason", "tighter", actor="alice")


def test_an_indicator_tolerance_or_polarity_change_reaching_a_closed_period_is_refused(pl: Perfledger) -> None:
    before = pl.digest()
    refused(pl("indicator", "revise", "NI 192", "--tolerance", "1", "--reason", "tighter"), 1,
            "NI 192: changing its tolerance would re-rate 2008/09-Q1, which is closed")
    after = pl.digest()
    assert int(after.split(":")[0]) == int(before.split(":")[0]) + 1  # the refusal only
    refused(pl("indicator", "revise", "NI 192", "--polarity", "lower", "--reason", "wrong way"), 1,
            "changing its polarity would re-rate")
    pl.ok("indicator", "revise", "NI 192", "--title", "Household waste reused, recycled and composted",
          "--reason", "DEFRA title")
    pl.ok("indicator", "register", "NI 191", "--title", "Residual waste per household", "--unit", "number",
          "--polarity", "lower", "--frequency", "quarterly")
    pl.ok("indicator", "revise", "NI 191", "--tolerance", "2", "--reason", "no closed returns yet")


def test_a_figure_an_issued_report_showed_changes_only_by_adjustment(pl: Perfledger, tmp_path: Path) -> None:
    pl.ok("indicator", "register", "NI 8", "--title", "Adults in sport", "--unit", "percent", "--polarity",
          "higher", "--frequency", "half-yearly")
    pl.ok("return", "submit", "NI 8", "2008/09-H1", "21.5", actor="bob")
    # Q1 and Q2 are closed, but the half-year they make up is not: the Q2 report shows it.
    rows = json.loads(pl.ok("report", "rag", "--period", "2008/09-Q2", "--format", "json").stdout)["rows"]
    assert ("NI 8", "2008/09-H1", "21.5") in [(r["indicator"], r["period"], r["actual"]) for r in rows]
    pl.ok("return", "submit", "NI 8", "2008/09-H1", "21.6", "--reason", "before the report: a revision",
          actor="bob")
    pl.ok("report", "rag", "--period", "2008/09-Q2", "--format", "json", "--issue", "--output",
          str(tmp_path / "q2.json"), actor="pat")
    before = pl.digest()
    refused(pl("return", "submit", "NI 8", "2008/09-H1", "23.0", "--reason", "recount", actor="bob"), 1,
            "NI 8 2008/09-H1 (21.6) appeared in an issued report (SHA-256 ")
    only_the_refusal_was_recorded(pl, before, "bob", "return submit", "reported-figure")
    file = tmp_path / "h1.csv"
    file.write_text("indicator,period,value,reason\nNI 8,2008/09-H1,23.0,recount\n")
    result = pl("return", "import", str(file), actor="bob")
    assert result.exit_code == 1
    assert "row 2, period: NI 8 2008/09-H1 (21.6) appeared in an issued report" in result.stderr
    pl.ok("return", "submit", "NI 8", "2008/09-H1", "21.6", "--commentary", "Leisure centre reopened",
          "--reason", "commentary", actor="bob")  # the figure stands: words may still be added
    key = pl.ok("adjust", "request", "NI 8", "2008/09-H1", "23.0", "--reason", "late-data", "--justification",
                "Sport England survey arrived", "--evidence", "APS 2008 wave 2", actor="bob").stdout.strip()
    pl.ok("adjust", "approve", key, actor="carol")
    rows = json.loads(pl.ok("report", "rag", "--period", "2008/09-Q2", "--format", "json").stdout)["rows"]
    assert ("NI 8", "23.0", True) in [(r["indicator"], r["actual"], r["restated"]) for r in rows]


PAPERS = ["--reason", "error-correction", "--justification", "Rubble counted as recycled", "--evidence",
          "WDF Q4 v2"]


def _year_of_returns(pl: Perfledger, code: str, values: list[str], year: str, *flags: str) -> None:
    pl.ok("indicator", "register", code, "--title", "Household waste composted", "--unit", "percent",
          "--polarity", "higher", "--frequency", "quarterly", *flags)
    for quarter, value in zip(("Q1", "Q2", "Q3", "Q4"), values, strict=True):
        pl.ok("return", "submit", code, f"2009/10-{quarter}", value, actor="bob")
    pl.ok("return", "submit", code, "2009/10", year, actor="bob")
    pl.ok("period", "close", "2009/10", actor="pat")


def test_a_restatement_that_breaks_the_year_must_restate_it_too(pl: Perfledger, tmp_path: Path) -> None:
    _year_of_returns(pl, "NI 193", ["20.10", "38.20", "36.90", "43.57"], "43.57", "--cumulative")
    before = pl.digest()
    refused(pl("adjust", "request", "NI 193", "2009/10-Q4", "43.07", *PAPERS), 1,
            "2009/10-Q4: value: the year-to-date figure for 2009/10 (43.57) must equal 2009/10-Q4's (43.07): "
            "the indicator is cumulative; restate the figures it contradicts in the same request")
    assert pl.digest() == before
    series = tmp_path / "q4-and-year.csv"
    series.write_text("period,value\n2009/10-Q4,43.07\n2009/10,43.07\n", encoding="utf-8")
    key = pl.ok("adjust", "request", "NI 193", "--series", str(series), *PAPERS, actor="bob").stdout.strip()
    pl.ok("adjust", "approve", key, actor="carol")
    shown = json.loads(pl.ok("return", "list", "NI 193", "--format", "json").stdout)
    assert {r["period"]: r["value"] for r in shown}["2009/10"] == "43.07"


def test_two_restatements_consistent_alone_but_not_together_are_refused_at_approval(pl: Perfledger) -> None:
    _year_of_returns(pl, "NI 193", ["30", "40", "50", "60"], "45")
    year = pl.ok("adjust", "request", "NI 193", "2009/10", "58", *PAPERS, actor="bob").stdout.strip()
    quarter = pl.ok("adjust", "request", "NI 193", "2009/10-Q4", "50", *PAPERS, actor="bob").stdout.strip()
    pl.ok("adjust", "approve", year, actor="carol")
    before = pl.digest()
    refused(pl("adjust", "approve", quarter, actor="carol"), 1,
            f"NI 193: approving {quarter} would leave 2009/10-Q4: value: the figure for 2009/10 (58) cannot "
            "follow from its 4 periods")
    assert pl.digest() == before
