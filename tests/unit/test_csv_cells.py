"""CSV outputs are safe to open in a spreadsheet: text that would run as a formula is neutralised
with a leading apostrophe (OWASP, CSV injection); numbers, negative ones included, stay numbers."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

import pytest

from projections.reports.render import csv_text, safe_cell


@pytest.mark.parametrize("text", ['=HYPERLINK("http://x.example","click")', "+1+cmd|' /C calc'!A0", "-2+3",
                                  "@SUM(A1:A9)", "\tleading tab", "\rleading return"])
def test_formula_text_is_neutralised(text: str) -> None:
    assert safe_cell(text) == "'" + text


@pytest.mark.parametrize("value", ["-12.5", "+3", "-", "36.40 (5460/15000)", "Household waste", "",
                                   Decimal("-4.2"), -7, None])
def test_numbers_and_plain_text_are_left_alone(value: object) -> None:
    assert safe_cell(value) == value


def test_every_csv_output_neutralises_its_cells() -> None:
    text = csv_text([{"title": "=1+1", "value": Decimal("-3.5"), "note": "-5 below target"}],
                    ["title", "value", "note"])
    (row,) = list(csv.DictReader(io.StringIO(text)))
    assert row == {"title": "'=1+1", "value": "-3.5", "note": "'-5 below target"}
