"""Rows as an Excel workbook (.xlsx, by openpyxl): numbers as numbers, dates as dates, text as text.

Like every renderer, a pure function of the data: the same rows give the same bytes (the
workbook's own timestamps and the zip entries' dates are fixed), so an xlsx report can be
regenerated and compared. Text a spreadsheet would run as a formula is neutralised as in CSV
(``render.safe_cell``) and stored as a string, never as a formula.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from projections.reports.render import cell, safe_cell

if TYPE_CHECKING:  # openpyxl (and the imaging library it loads) is imported only to write a workbook
    from openpyxl import Workbook

FIXED = datetime(2000, 1, 1)  # the workbook's created/modified stamps: never the clock
ZIP_TIME = (1980, 1, 1, 0, 0, 0)
DECIMAL = re.compile(r"-?(\d+(\.\d+)?)")
DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
MOMENT = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?([+-]\d{2}:\d{2}|Z)?")
DAY_FORMAT = "yyyy-mm-dd"
MOMENT_FORMAT = "yyyy-mm-dd hh:mm:ss"
MAX_CELL = 32_767  # Excel's limit on the characters of one cell


Sheet = tuple[str, Iterable[Mapping[str, Any]], Sequence[str]]


def typed(value: Any) -> Any:
    """A cell's value as Excel should hold it: a number, a date, a (UTC) date and time, or text."""
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, int | float):
        return value
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() and "." not in str(value) else float(value)
    if isinstance(value, datetime):
        return value.astimezone(UTC).replace(tzinfo=None) if value.tzinfo else value
    if isinstance(value, date):
        return value
    text = cell(value) if not isinstance(value, str) else value
    if DECIMAL.fullmatch(text) and len(text) <= 17:
        return int(text) if "." not in text else float(text)
    if DAY.fullmatch(text):
        try:
            return date.fromisoformat(text)
        except ValueError:
            return safe_cell(text)
    if MOMENT.fullmatch(text):
        try:
            return typed(datetime.fromisoformat(text.replace("Z", "+00:00")))
        except ValueError:
            return safe_cell(text)
    return safe_cell(text[:MAX_CELL])


def xlsx_bytes(sheets: Sequence[Sheet]) -> bytes:
    """One worksheet per (title, rows, columns): a bold header row, then the rows."""
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    book = Workbook()
    book.remove(book.active)  # type: ignore[arg-type]
    for title, rows, columns in sheets:
        sheet = book.create_sheet(title[:31])
        sheet.append(list(columns))
        for header in sheet[1]:
            header.font = Font(bold=True)
        widths = [len(c) for c in columns]
        for row in rows:
            values = [typed(row.get(c)) for c in columns]
            sheet.append(values)
            for index, (target, value) in enumerate(zip(sheet[sheet.max_row], values, strict=True)):
                if isinstance(value, str):
                    target.data_type = "s"  # text, never a formula
                elif isinstance(value, datetime):
                    target.number_format = MOMENT_FORMAT
                elif isinstance(value, date):
                    target.number_format = DAY_FORMAT
                widths[index] = max(widths[index], min(len(str(value)) if value is not None else 0, 60))
        for index, width in enumerate(widths, start=1):
            sheet.column_dimensions[get_column_letter(index)].width = width + 2
        sheet.freeze_panes = "A2"
    book.properties.created = book.properties.modified = FIXED
    return fixed_zip(book)


def fixed_zip(book: Workbook) -> bytes:
    """The workbook's bytes with every zip entry dated alike (openpyxl stamps them with the clock)."""
    raw = io.BytesIO()
    book.save(raw)
    out = io.BytesIO()
    with zipfile.ZipFile(raw) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "docProps/core.xml":
                data = re.sub(rb"<dcterms:modified[^>]*>[^<]*</dcterms:modified>", b"", data)
            entry = zipfile.ZipInfo(item.filename, date_time=ZIP_TIME)
            entry.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(entry, data)
    return out.getvalue()
