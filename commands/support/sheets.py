"""Reading a spreadsheet's rows (.xlsx, by openpyxl) as the CSV reader reads a file's lines.

A workbook is read as it was last calculated (cell values, never formulas run by us), from its
first sheet or the one named; each row is numbered as the spreadsheet numbers it, blank rows
counted. A cell's value becomes the text a person would have typed: a whole number without a
decimal point, a number as Python writes it most briefly, a date in the period column as its
month (a spreadsheet turns "2008-04" into 1 April 2008), any other date as YYYY-MM-DD.
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path
from typing import Any

from ledger.errors import Invalid

WORKBOOK_SUFFIXES = (".xlsx", ".xlsm")


def is_workbook(path: Path) -> bool:
    return path.suffix.lower() in WORKBOOK_SUFFIXES


def cell_text(value: Any, column: str | None) -> str | None:
    """VALUE as the text it stands for (None for an empty cell)."""
    if value is None:
        return None
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, datetime | date):
        if column == "period":
            return f"{value.year:04d}-{value.month:02d}"
        return value.date().isoformat() if isinstance(value, datetime) else value.isoformat()
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)
    return str(value)


def workbook_rows(path: Path, sheet: str | None) -> Iterator[tuple[int, list[str | None]]]:
    """(row number, cells as text) for every row of the sheet, the header first; blank rows are
    skipped but counted, as a spreadsheet numbers them."""
    from openpyxl import load_workbook  # here, not at import: every command would pay for it
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, ValueError) as error:
        raise Invalid(f"{path.name} is not an Excel workbook (.xlsx) that can be read ({error}): save it "
                      "again from the spreadsheet as .xlsx, or as CSV UTF-8") from None
    except OSError as error:
        raise Invalid(f"cannot read {path}: {error.strerror or error}") from None
    try:
        if sheet is None:
            chosen = book.worksheets[0]
        elif sheet in book.sheetnames:
            chosen = book[sheet]
        else:
            raise Invalid(f"{path.name} has no sheet {sheet!r}: its sheets are {', '.join(book.sheetnames)}")
        header: list[str | None] = []
        for number, values in enumerate(chosen.iter_rows(values_only=True), start=1):
            if all(v is None or (isinstance(v, str) and not v.strip()) for v in values):
                continue
            if not header:
                header = [cell_text(v, None) for v in values]
                yield number, header
                continue
            names = [(h or "").strip() for h in header]
            yield number, [cell_text(v, names[i] if i < len(names) else None) for i, v in enumerate(values)]
    finally:
        book.close()
