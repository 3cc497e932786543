"""Spreadsheets in (issue 14, item 2): an entry workbook from `return template`, filled in and saved by
a spreadsheet program (openpyxl here), imports all or nothing with the spreadsheet's row numbers;
`adjust request --series` takes a workbook too; a bad workbook is one line and writes nothing."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from tests.e2e.harness import EVIDENCE, Perfledger, adjusting_partnership, refused


def with_more(url: str) -> Perfledger:
    p = adjusting_partnership(url)
    p.ok("indicator", "register", "NI 117", "--title", "16-18 year olds NEET", "--unit", "percent",
         "--polarity", "lower", "--frequency", "monthly", "--decimals", "1")
    p.ok("indicator", "register", "NI 154", "--title", "Net additional homes", "--unit", "count",
         "--polarity", "higher", "--frequency", "quarterly")
    p.ok("target", "set", "NI 192", "2008/09", "40", "--reason", "LAA")
    p.ok("return", "submit", "NI 117", "2008-12", "8.4", actor="bob")
    return p


@pytest.fixture
def pl(clone_of: Callable[[Callable[[str], Perfledger]], Perfledger]) -> Perfledger:
    return clone_of(with_more)


def rows(pl: Perfledger, code: str) -> dict[str, str]:
    return {r["period"]: r["value"] for r in json.loads(pl.ok("return", "list", code, "--format", "json").stdout)}


def test_a_template_filled_in_and_saved_imports_all_or_nothing(pl: Perfledger, tmp_path: Path) -> None:
    file = tmp_path / "q4.xlsx"
    made = pl.ok("return", "template", "NI 192", "NI 117", "NI 154", "--period", "2008/09-Q4",
                 "--output", str(file), actor="bob")
    assert f"wrote {file}: 5 return(s) to enter" in made.stderr  # NI 192 Q4, NI 117's three months, NI 154 Q4
    book = load_workbook(file)
    sheet = book["Returns"]
    header = [c.value for c in sheet[1]]
    assert header[:3] == ["indicator", "period", "value"]
    listed = {(r[0], r[1]): dict(zip(header, r, strict=True)) for r in sheet.iter_rows(min_row=2, values_only=True)}
    assert set(listed) == {("NI 192", "2008/09-Q4"), ("NI 154", "2008/09-Q4"), ("NI 117", "2009-01"),
                           ("NI 117", "2009-02"), ("NI 117", "2009-03")}
    recycling = listed[("NI 192", "2008/09-Q4")]
    assert (recycling["unit"], recycling["last_period"], recycling["last_value"], recycling["target"]) == (
        "percent", "2008/09-Q3", 39, 40)
    rules = {str(v.sqref): (v.type, v.formula1, v.formula2) for v in sheet.data_validations.dataValidation}
    assert any(kind == "decimal" and (low, high) == ("0", "100") for kind, low, high in rules.values())
    assert any(kind == "whole" for kind, _, _ in rules.values())
    assert any(kind == "list" for kind, _, _ in rules.values())

    values = {"NI 192": 41.2, "NI 154": 130, "2009-01": 8.2, "2009-02": 8.1, "2009-03": 999}
    for number, row in enumerate(sheet.iter_rows(min_row=2), start=2):
        row[2].value = values.get(str(row[1].value), values.get(str(row[0].value)))
        if number == 3:
            row[6].value = "New contract from January"
    book.save(file)
    before = pl.digest()
    result = pl("return", "import", str(file), actor="bob")
    assert result.exit_code == 1
    problem = next(line for line in result.stderr.splitlines() if "999" in line)
    assert problem.startswith("error: row ")
    assert "is not a percentage" in problem
    assert pl.digest() == before  # nothing imported
    for row in sheet.iter_rows(min_row=2):
        if row[2].value == 999:
            row[2].value = 8.0
    book.save(file)
    pl.ok("return", "import", str(file), actor="bob")
    assert rows(pl, "NI 192")["2008/09-Q4"] == "41.2"
    assert rows(pl, "NI 154")["2008/09-Q4"] == "130"
    assert rows(pl, "NI 117")["2009-03"] == "8"  # a spreadsheet holds 8.0 as the number 8
    again = tmp_path / "again.xlsx"
    pl.ok("return", "template", "NI 192", "--period", "2008/09-Q4", "--output", str(again))
    assert load_workbook(again)["Returns"].max_row == 1  # every return is in: nothing left to enter


def test_a_workbook_of_another_shape_is_read_by_its_own_row_numbers(pl: Perfledger, tmp_path: Path) -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Notes"
    data = book.create_sheet("Returns")
    data.append(["indicator", "period", "value", "commentary"])
    data.append(["NI 117", datetime(2008, 10, 1), 8.3, "=1+1 is not a formula here"])  # a month Excel made a date
    data.append([None, None, None, None])
    data.append(["NI 154", "2008/09-Q3", 12.5, None])
    file = tmp_path / "mixed.xlsx"
    book.save(file)
    refused(pl("return", "import", str(file), actor="bob"), 1, "the header must be")  # the first sheet: Notes
    refused(pl("return", "import", str(file), "--sheet", "Data", actor="bob"), 1,
            "mixed.xlsx has no sheet 'Data': its sheets are Notes, Returns")
    result = pl("return", "import", str(file), "--sheet", "Returns", actor="bob")
    assert result.exit_code == 1
    assert "row 4, " in result.stderr  # the spreadsheet's row 4, the blank row 3 counted
    data.delete_rows(4)
    book.save(file)
    pl.ok("return", "import", str(file), "--sheet", "Returns", actor="bob")
    assert rows(pl, "NI 117")["2008-10"] == "8.3"


def test_a_series_from_a_workbook_and_files_that_are_not_workbooks(pl: Perfledger, tmp_path: Path) -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["period", "value"])
    sheet.append(["2008/09-Q1", 36.8])
    sheet.append(["2008/09-Q2", 38.0])
    file = tmp_path / "series.xlsx"
    book.save(file)
    key = pl.ok("adjust", "request", "NI 192", "--series", str(file), *EVIDENCE, actor="bob").stdout.strip()
    shown = json.loads(pl.ok("adjust", "show", key, "--format", "json").stdout)
    assert (shown["periods"], shown["after"]) == (["2008/09-Q1", "2008/09-Q2"], ["36.8", "38"])
    fake = tmp_path / "fake.xlsx"
    fake.write_text("indicator,period,value\n", encoding="utf-8")
    before = pl.digest()
    refused(pl("return", "import", str(fake), actor="bob"), 1, "fake.xlsx is not an Excel workbook (.xlsx)")
    csv_file = tmp_path / "rows.csv"
    csv_file.write_text("indicator,period,value\nNI 154,2008/09-Q3,12\n", encoding="utf-8")
    refused(pl("return", "import", str(csv_file), "--sheet", "Returns", actor="bob"), 1, "it has no sheets")
    assert pl.digest() == before
