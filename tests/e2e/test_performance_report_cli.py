"""The integrated performance report (issue 14): the demo's 2025/26 year-end report as at 31 July
2026 puts the exceptions first with a chart each, rates the outturns, regenerates byte for byte
and is proven by `report verify`; as at an earlier date it shows what was believed then."""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import Demo
from tests.e2e.harness import Perfledger, partnership, refused

YEAR_END = ("report", "performance", "--period", "2025/26", "--as-at", "2026-07-31")
AUDITOR = "Raj Patel"


@pytest.fixture(scope="module")
def year_end(demo: Demo) -> dict[str, Any]:
    found: dict[str, Any] = json.loads(Perfledger(demo.url).ok(*YEAR_END, "--format", "json", actor=AUDITOR).stdout)
    return found


def test_exceptions_come_first_red_then_amber_and_the_outturn_is_rated(year_end: dict[str, Any]) -> None:
    ratings = [r["rating"] for r in year_end["exceptions"]]
    assert ratings == sorted(ratings, key=lambda r: r != "red")
    assert set(ratings) == {"red", "amber"}
    assert year_end["summary"]["ratings"]["red"] == ratings.count("red")
    homes = next(r for r in year_end["rows"] if r["indicator"] == "NI 154")
    assert (homes["period"], homes["actual"], homes["target"], homes["rating"]) == ("2025/26", "550", "540", "green")
    assert "NI 154" in [r["indicator"] for r in year_end["good"]]
    assert all(r["rating"] == "green" and "improving" in (r["direction"], r["direction_year"])
               for r in year_end["good"])
    assert year_end["digest"].startswith(f"{year_end['position']}:")
    smoking = next(r for r in year_end["exceptions"] if r["indicator"] == "NI 123")
    assert smoking["cases"][0]["responses"]  # what is being done: the escalation and its responses
    assert len(smoking["trend"]) == 8
    assert smoking["trend"][-1]["period"] == "2025/26-Q4"


def test_the_html_report_is_self_contained_with_a_chart_per_exception(demo: Demo, tmp_path: Path,
                                                                       year_end: dict[str, Any]) -> None:
    pl = Perfledger(demo.url)
    page = tmp_path / "year-end.html"
    pl.ok(*YEAR_END, "--output", str(page), actor=AUDITOR)
    html = page.read_text(encoding="utf-8")
    assert html.count("<svg ") == len(year_end["exceptions"])
    assert "<script" not in html
    assert not re.search(r"""(src|href)=["']https?:""", html)  # nothing fetched from anywhere
    first_red = html.index("rag-red")
    assert first_red < html.index('class="exception amber"')
    assert "\u25b2 Red" in html  # the rating by shape and word, not colour alone
    assert "\u25c6 Amber" in html
    again = tmp_path / "again.html"
    pl.ok(*YEAR_END, "--output", str(again), actor=AUDITOR)
    assert again.read_bytes() == page.read_bytes()


def test_an_issued_report_is_proven_and_an_earlier_one_shows_what_was_believed(
        clone_demo: Callable[[], Perfledger], tmp_path: Path) -> None:
    pl = clone_demo()
    page = tmp_path / "issued.html"
    issued = pl.ok(*YEAR_END, "--issue", "--output", str(page), actor="Priya Shah")
    assert "issued: performance report html" in issued.stderr
    assert pl.ok("report", "verify", str(page), actor=AUDITOR).stdout.startswith("genuine: ")
    page.write_bytes(page.read_bytes().replace(b"Performance report", b"Performance rep0rt"))
    assert pl("report", "verify", str(page), actor=AUDITOR).exit_code == 1
    earlier = json.loads(pl.ok("report", "performance", "--period", "2025/26", "--as-at", "2026-04-11",
                               "--format", "json", actor=AUDITOR).stdout)
    homes = next(r for r in earlier["rows"] if r["indicator"] == "NI 154")
    assert (homes["period"], homes["actual"]) == ("2025/26-Q4", None)


def test_a_theme_narrows_the_report_and_an_unknown_theme_is_refused(year_end: dict[str, Any],
                                                                    demo: Demo) -> None:
    pl = Perfledger(demo.url)
    theme = year_end["themes"][0]
    narrowed = json.loads(pl.ok(*YEAR_END, "--theme", theme, "--format", "json", actor=AUDITOR).stdout)
    assert narrowed["rows"]
    assert {r["theme"] for r in narrowed["rows"]} == {theme}
    assert len(narrowed["rows"]) < len(year_end["rows"])
    refused(pl(*YEAR_END, "--theme", "Nowhere", actor=AUDITOR), 1, "no indicator has the theme 'Nowhere'")
    refused(pl(*YEAR_END, "--format", "xlsx", actor=AUDITOR), 2, "give --output FILE.xlsx")


def test_a_workbook_and_a_table_of_the_same_report(demo: Demo, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    pl = Perfledger(demo.url)
    book = tmp_path / "year-end.xlsx"
    pl.ok(*YEAR_END, "--format", "xlsx", "--output", str(book), actor=AUDITOR)
    assert load_workbook(book).sheetnames[:3] == ["Summary", "Exceptions", "Good performance"]
    table = pl.ok(*YEAR_END, "--format", "table", actor=AUDITOR).stdout
    assert table.index("Exceptions (red, then amber):") < table.index("Good performance")


@pytest.mark.skipif(shutil.which("chromium") is None,
                    reason="needs Debian's chromium (installed by .ci/run): apt-get install chromium")
def test_the_report_renders_in_a_browser_as_a_page_a_person_can_read(demo: Demo, tmp_path: Path) -> None:
    from tests.e2e.browser import ink, screenshot

    pl = Perfledger(demo.url)
    page = tmp_path / "year-end.html"
    pl.ok(*YEAR_END, "--output", str(page), actor=AUDITOR)
    picture = screenshot(page, tmp_path / "year-end.png")
    assert ink(picture) > 0.04  # text, tiles and charts: not a blank or broken page
    blank = tmp_path / "blank.html"
    blank.write_text("<!DOCTYPE html><html><body></body></html>", encoding="utf-8")
    assert ink(screenshot(blank, tmp_path / "blank.png")) < 0.001


@pytest.mark.skipif(shutil.which("chromium") is None,
                    reason="needs Debian's chromium (installed by .ci/run): apt-get install chromium")
def test_the_layout_holds_at_200_indicators(tmp_path: Path) -> None:
    from projections.reports.performance_formats import render
    from tests.e2e.browser import ink, pdf_pages, screenshot
    from tests.e2e.synthetic import performance_report

    page = tmp_path / "wide.html"
    page.write_bytes(render(performance_report(200), "html"))
    assert ink(screenshot(page, tmp_path / "wide.png", width=800)) > 0.04
    pages = pdf_pages(page, tmp_path / "wide.pdf")
    assert pages >= 20  # 200 indicators paginate onto A4 rather than overflow one page


def test_a_report_for_an_empty_period_still_renders(clone_of: Callable[[Callable[[str], Perfledger]], Perfledger],
                                                    tmp_path: Path) -> None:
    pl = clone_of(partnership)
    page = tmp_path / "empty.html"
    pl.ok("report", "performance", "--period", "2008/09-Q1", "--output", str(page))
    text = page.read_text(encoding="utf-8")
    assert "No indicator is red or amber." in text
