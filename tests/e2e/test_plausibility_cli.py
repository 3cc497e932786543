"""Plausibility at entry (issue 18, item 4): a return for a period that has not ended is refused,
one line, nothing written - whether submitted, imported or tried in a dry run."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

import pytest

from ledger.values import Period, PeriodKind
from tests.e2e.harness import Perfledger, partnership, refused


@pytest.fixture
def pl(clone_of: Callable[[Callable[[str], Perfledger]], Perfledger]) -> Perfledger:
    return clone_of(partnership)


def this_quarter() -> Period:
    return Period.containing(PeriodKind.QUARTER, date.today())


@pytest.mark.parametrize("period", ["2030/31-Q1", "this quarter"])
def test_a_return_for_a_period_that_has_not_ended_is_refused(pl: Perfledger, period: str) -> None:
    wanted = str(this_quarter()) if period == "this quarter" else period
    ends = Period.parse(wanted).end
    before = pl.digest()
    refused(pl("return", "submit", "NI 192", wanted, "22.00", actor="bob"), 1,
            f"period: {wanted} has not ended (it ends on {ends:%-d %B %Y}): its return can be submitted "
            f"from {ends + timedelta(days=1):%-d %B %Y}")
    assert pl.digest() == before


def test_the_current_month_is_refused_in_an_import_and_its_dry_run(pl: Perfledger, tmp_path: Path) -> None:
    pl.ok("indicator", "register", "NI 117", "--title", "16 to 18 year olds not in education", "--unit",
          "percent", "--polarity", "lower", "--frequency", "monthly")
    month = Period.containing(PeriodKind.MONTH, date.today())
    last = month.previous()
    file = tmp_path / "returns.csv"
    file.write_text(f"indicator,period,value\nNI 117,{last},8.5\nNI 117,{month},8.7\n")
    before = pl.digest()
    for dry in ([], ["--dry-run"]):
        result = pl("return", "import", str(file), *dry, actor="alice")
        assert result.exit_code == 1, result.output
        assert f"row 3, period: {month} has not ended" in result.stderr
        assert "Traceback" not in result.output
    assert pl.digest() == before
    pl.ok("return", "submit", "NI 117", str(last), "8.5", actor="alice")


@pytest.mark.parametrize("command", [("report", "rag", "--period", "2008/09-Q1", "--format", "json"),
                                     ("report", "data-quality", "--year", "2008/09", "--format", "json")])
def test_a_report_as_at_a_time_not_yet_reached_is_made_as_at_now_and_says_so(
        pl: Perfledger, command: tuple[str, ...]) -> None:
    pl.ok("return", "submit", "NI 192", "2008/09-Q1", "22.00", actor="bob")
    tomorrow = (date.today() + timedelta(days=1)).isoformat()
    first = pl.ok(*command, "--as-at", tomorrow)
    [note] = first.stderr.strip().splitlines()
    assert note.startswith(f"note: --as-at {tomorrow}")
    assert "has not been reached: reported as at " in note
    effective = note.split("give --as-at ")[1].split(" ")[0]
    pl.ok("return", "submit", "NI 154", "2008/09-Q1", "120", actor="bob")  # recorded after the report
    again = pl.ok(*command, "--as-at", effective)
    assert again.stdout == first.stdout
    assert again.stderr == ""


def test_a_diff_to_a_time_not_yet_reached_ends_now(pl: Perfledger) -> None:
    tomorrow = (date.today() + timedelta(days=1)).isoformat()
    result = pl.ok("report", "diff", "--from", "2008-01-01", "--to", tomorrow, "--format", "json")
    assert "has not been reached" in result.stderr
    assert not json.loads(result.stdout)["to"]["as_at"].startswith(tomorrow)
