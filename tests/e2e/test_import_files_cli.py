"""CSV files as spreadsheets save them: Windows-1252 and UTF-16 are read; bytes that are no text,
an over-long field or a row of empty cells are one line each; row numbers are the spreadsheet's."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.e2e.harness import Perfledger, partnership, refused

HEADER = "indicator,period,value,numerator,denominator,status,commentary,source\n"


@pytest.fixture
def pl(clone_of: Callable[[Callable[[str], Perfledger]], Perfledger]) -> Perfledger:
    return clone_of(partnership)


@pytest.mark.parametrize("encoding", ["cp1252", "utf-16", "utf-8-sig", "latin-1"])
def test_a_file_saved_by_excel_is_read_whatever_its_encoding(pl: Perfledger, tmp_path: Path, encoding: str) -> None:
    file = tmp_path / "q1.csv"
    commentary = "Caf\u00e9 waste: \u00a35k saved" + (" \u2013 on track" if encoding != "latin-1" else "")
    file.write_bytes((HEADER + f"NI 192,2008/09-Q1,54.34,,,provisional,{commentary},WDF\r\n").encode(encoding))
    result = pl("return", "import", str(file), actor="bob")
    assert result.exit_code == 0, result.stderr
    shown = json.loads(pl.ok("return", "list", "NI 192", "--format", "json").stdout)
    assert shown[0]["commentary"] == commentary


def test_bytes_that_are_no_text_are_one_line(pl: Perfledger, tmp_path: Path) -> None:
    file = tmp_path / "bad.csv"
    file.write_bytes(HEADER.encode() + b"NI 192,2008/09-Q1,54,,,,\x81\x8d,\n")  # undefined in Windows-1252 too
    before = pl.digest()
    refused(pl("return", "import", str(file), actor="bob"), 1, "is not text in UTF-8, UTF-16 or Windows-1252")
    assert pl.digest() == before


def test_a_field_longer_than_the_limit_is_one_line(pl: Perfledger, tmp_path: Path) -> None:
    file = tmp_path / "long.csv"
    file.write_text(HEADER + "NI 192,2008/09-Q1,54,,,," + '"' + "x" * 200_000 + '"' + ",\n")
    refused(pl("return", "import", str(file), actor="bob"), 1, "a field is longer than 131,072 characters")


def test_row_numbers_are_the_spreadsheets_and_an_empty_row_is_named(pl: Perfledger, tmp_path: Path) -> None:
    file = tmp_path / "gaps.csv"
    file.write_text(HEADER + "NI 192,2008/09-Q1,54,,,,,\n\n\nNI 192,2008/09-Q2,abc,,,,,\n,,,,,,,\n")
    failed = pl("return", "import", str(file), actor="bob")
    assert failed.exit_code == 1
    errors = failed.stderr.strip().splitlines()
    assert any(e.startswith("error: row 5, value:") for e in errors), errors  # lines 3 and 4 are blank
    assert "error: row 6, the row's cells are all empty: delete the row, or fill it in" in errors, errors
    assert "Traceback" not in failed.output


def test_a_file_imported_twice_says_so_once(pl: Perfledger, tmp_path: Path) -> None:
    file = tmp_path / "q1.csv"
    file.write_text(HEADER + "".join(f"NI 192,2008/09-Q{q},5{q}.5,,,,,\n" for q in (1, 2, 3)))
    pl.ok("return", "import", str(file), actor="bob")
    before = pl.digest()
    again = pl("return", "import", str(file), actor="bob")
    refused(again, 1, "every one of the file's 3 row(s) repeats the figure the ledger already holds")
    assert pl.digest() == before
