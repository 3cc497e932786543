"""Reading returns and adjustment series from CSV files or Excel workbooks: pydantic validates each
row; every problem is named with the spreadsheet's row number."""

from __future__ import annotations

import codecs
import csv
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import IO, Any, TypeVar

from pydantic import BaseModel, ConfigDict, ValidationError, field_validator

from commands.support.sheets import is_workbook, workbook_rows
from ledger.app.adjustments import BadRow, Restatement
from ledger.app.returns import ReturnInput
from ledger.errors import Invalid
from ledger.values import Period, Status, parse_decimal, parse_enum

REQUIRED = ("indicator", "period", "value")
IGNORED = ("title", "unit", "last_period", "last_value", "target")  # `return template`'s reference columns
COLUMNS = ("indicator", "period", "value", "numerator", "denominator", "status", "commentary",
           "source", "reason")


STATUSES = {s.value: s for s in Status}


def _blank(value: Any) -> Any:
    return None if isinstance(value, str) and not value.strip() else value


class ReturnRow(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)

    indicator: str
    period: str
    value: str
    numerator: str | None = None
    denominator: str | None = None
    status: str | None = None
    commentary: str | None = None
    source: str | None = None
    reason: str | None = None

    @field_validator("numerator", "denominator", "status", "commentary", "source", "reason",
                     mode="before")
    @classmethod
    def blank_is_none(cls, value: Any) -> Any:
        return _blank(value)

    @field_validator("indicator", "period", "value")
    @classmethod
    def required(cls, value: str) -> str:
        if not value:
            raise ValueError("is empty")
        return value


def to_input(row: ReturnRow) -> ReturnInput | list[str]:
    """Convert one validated row, collecting every field's problem."""
    problems: list[str] = []
    values: dict[str, Any] = {}

    def attempt(field: str, fn: Any) -> None:
        try:
            values[field] = fn()
        except ValueError as error:
            problems.append(f"{field}: {error}")

    attempt("period", lambda: Period.parse(row.period))
    attempt("value", lambda: parse_decimal(row.value))
    attempt("numerator", lambda: None if row.numerator is None else parse_decimal(row.numerator,
                                                                                  what="numerator"))
    attempt("denominator", lambda: None if row.denominator is None
            else parse_decimal(row.denominator, what="denominator"))
    attempt("status", lambda: None if row.status is None
            else STATUSES.get(row.status.lower()) or parse_enum(Status, row.status))
    if problems:
        return problems
    return ReturnInput(indicator=row.indicator, commentary=row.commentary, source=row.source,
                       reason=row.reason, **values)


def _trusted(raw: dict[str, str | None]) -> ReturnInput:
    """A row the first pass already validated: convert it without checking again."""

    def get(name: str) -> str | None:
        value = raw.get(name)
        return value.strip() or None if value is not None else None

    def number(name: str) -> Decimal | None:
        text = get(name)
        return None if text is None else Decimal(text)

    status = get("status")
    return ReturnInput(
        indicator=(raw["indicator"] or "").strip(), period=Period.parse(raw["period"] or ""),
        value=Decimal((raw["value"] or "").strip()), numerator=number("numerator"),
        denominator=number("denominator"),
        status=None if status is None else STATUSES[status.lower()],
        commentary=get("commentary"), source=get("source"), reason=get("reason"),
    )


M = TypeVar("M", bound=BaseModel)


def _rows(path: Path, required: tuple[str, ...], columns: tuple[str, ...], shape: str,
          model: type[M], *, trusted: bool = False, sheet: str | None = None, ignored: tuple[str, ...] = ()
          ) -> Iterator[tuple[int, M | dict[str, str | None] | list[str]]]:
    """Yield (row number, the row validated by ``model``, or its problems); row 1 is the header.

    The file is a CSV file or an Excel workbook (.xlsx: its first sheet, or SHEET). The header is
    checked first (``shape`` says what it must be). ``trusted`` yields the raw row unchecked, for a
    file an earlier pass already validated.
    """
    if is_workbook(path):
        yield from _read(path, workbook_rows(path, sheet), required, columns, shape, model, trusted=trusted,
                         ignored=ignored)
        return
    if sheet is not None:
        raise Invalid(f"{path.name} is a CSV file: it has no sheets (--sheet is for an .xlsx workbook)")
    encoding = text_encoding(path)
    try:
        with path.open(newline="", encoding=encoding) as handle:
            yield from _read(path, _csv_lines(handle), required, columns, shape, model, trusted=trusted,
                             ignored=ignored)
    except UnicodeDecodeError as error:
        raise Invalid(f"{path.name}: byte {error.start + 1} is not text in UTF-8, UTF-16 or Windows-1252: "
                      "save the file as CSV UTF-8 (or CSV from Excel) and import it again") from None
    except csv.Error as error:
        raise Invalid(f"{path.name}: {_csv_problem(error)}") from None
    except OSError as error:
        raise Invalid(f"cannot read {path}: {error.strerror or error}") from None


def _csv_lines(handle: IO[str]) -> Iterator[tuple[int, list[str | None]]]:
    """(the spreadsheet's line number of the row's end, its fields); blank lines are skipped but counted."""
    reader = csv.reader(handle)
    for fields in reader:
        if fields:
            yield reader.line_num, list(fields)


def _csv_problem(error: csv.Error) -> str:
    text = str(error)
    if "field larger than field limit" in text:
        return (f"a field is longer than {csv.field_size_limit():,} characters: shorten it (a commentary or "
                "reason belongs in a few paragraphs)")
    return f"not a CSV file as a spreadsheet saves it ({text})"


def text_encoding(path: Path) -> str:
    """How a spreadsheet saved PATH: UTF-16 (by its byte-order mark), UTF-8 (with or without a
    mark: every byte decodes), else Windows-1252 (Excel's "CSV (Comma delimited)" on Windows)."""
    try:
        with path.open("rb") as handle:
            if handle.read(2) in (b"\xff\xfe", b"\xfe\xff"):
                return "utf-16"
            handle.seek(0)
            decoder = codecs.getincrementaldecoder("utf-8")()
            for chunk in iter(lambda: handle.read(1 << 20), b""):
                decoder.decode(chunk)
            decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return "cp1252"
    except OSError as error:
        raise Invalid(f"cannot read {path}: {error.strerror or error}") from None
    return "utf-8-sig"


def _read(path: Path, lines: Iterator[tuple[int, list[str | None]]], required: tuple[str, ...],
          columns: tuple[str, ...], shape: str, model: type[M], *, trusted: bool = False,
          ignored: tuple[str, ...] = ()) -> Iterator[tuple[int, M | dict[str, str | None] | list[str]]]:
    first = next(lines, None)
    header = [(h or "").strip() for h in (first[1] if first else [])]
    while header and not header[-1]:
        header.pop()  # a spreadsheet's trailing empty header cells
    missing = [c for c in required if c not in header]
    unknown = [c for c in header if c not in columns and c not in ignored]
    if missing or unknown:
        raise Invalid(
            f"{path.name}: the header must be {shape}"
            + (f"; missing {', '.join(missing)}" if missing else "")
            + (f"; unknown {', '.join(unknown)}" if unknown else "")
        )
    for number, fields in lines:
        extra = [f for f in fields[len(header):] if f is not None and f.strip()]
        values = [*fields[:len(header)], *[None] * (len(header) - len(fields))]
        raw: dict[str, str | None] = {k: v for k, v in zip(header, values, strict=True) if k not in ignored}
        if trusted:
            yield number, raw
            continue
        if extra:
            yield number, [f"row has {len(fields)} fields, the header {len(header)}"]
            continue
        if all(not (v or "").strip() for v in raw.values()):
            yield number, ["the row's cells are all empty: delete the row, or fill it in"]
            continue
        try:
            yield number, model.model_validate({k: v for k, v in raw.items() if v is not None})
        except ValidationError as error:
            yield number, [f"{'.'.join(str(p) for p in e['loc']) or 'row'}: {e['msg']}"
                           for e in error.errors()]


def read_returns(path: Path, *, trusted: bool = False, sheet: str | None = None
                 ) -> Iterator[tuple[int, ReturnInput | list[str]]]:
    """Yield (row number, parsed row or its problems); row 1 is the header.

    ``trusted``: the file was validated by an earlier pass; skip the checks (fast path).
    """
    shape = f"{','.join(COLUMNS[:8])}[,reason]"
    for number, row in _rows(path, REQUIRED, COLUMNS, shape, ReturnRow, trusted=trusted, sheet=sheet,
                             ignored=IGNORED):
        if isinstance(row, ReturnRow):
            yield number, to_input(row)
        elif isinstance(row, dict):
            yield number, _trusted(row)
        else:
            yield number, row


SERIES_REQUIRED = ("period", "value")
SERIES_COLUMNS = ("period", "value", "numerator", "denominator")


class SeriesRow(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)

    period: str
    value: str
    numerator: str | None = None
    denominator: str | None = None

    @field_validator("numerator", "denominator", mode="before")
    @classmethod
    def blank_is_none(cls, value: Any) -> Any:
        return _blank(value)


def read_series(path: Path, sheet: str | None = None) -> list[Restatement | BadRow]:
    """An adjustment series: one row per period restated (a series is short: read it whole)."""
    found: list[Restatement | BadRow] = []
    for number, row in _rows(path, SERIES_REQUIRED, SERIES_COLUMNS, "period,value[,numerator,denominator]",
                             SeriesRow, sheet=sheet):
        found.append(_restatement(number, row) if isinstance(row, SeriesRow)
                     else BadRow(number, row if isinstance(row, list) else []))
    return found


def _restatement(number: int, row: SeriesRow) -> Restatement | BadRow:
    problems: list[str] = []
    values: dict[str, Any] = {}
    for field, text in (("period", row.period), ("value", row.value), ("numerator", row.numerator),
                        ("denominator", row.denominator)):
        try:
            if field == "period":
                values[field] = Period.parse(text or "")
            else:
                values[field] = None if text is None else parse_decimal(text, what=field)
        except ValueError as error:
            problems.append(f"{field}: {error}")
    if problems:
        return BadRow(number, problems)
    return Restatement(row=number, **values)


class ShapeRow(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)

    period: str
    weight: str


def read_shape(path: Path) -> list[tuple[str, Decimal]]:
    """A target profile's shape (``target profile --shape FILE``): period,weight rows, one per period of
    the year in order; refused in one line naming the first bad row."""
    found: list[tuple[str, Decimal]] = []
    for number, row in _rows(path, ("period", "weight"), ("period", "weight"), "period,weight", ShapeRow):
        if not isinstance(row, ShapeRow):
            raise Invalid(f"{path.name} row {number}: " + "; ".join(row if isinstance(row, list) else []))
        try:
            weight = Decimal(row.weight)
        except ArithmeticError:
            raise Invalid(f"{path.name} row {number}: weight {row.weight!r} is not a number") from None
        if not weight.is_finite() or weight < 0:
            raise Invalid(f"{path.name} row {number}: weight {row.weight!r} must be a number, 0 or more")
        found.append((row.period, weight))
    return found
