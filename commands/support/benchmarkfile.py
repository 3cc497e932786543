"""Reading a benchmark file (CSV or .xlsx) - indicator, period, group, area, value, source - with the
same reader, header check and row numbers as a returns file (``csvfile``)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, field_validator

from commands.support.csvfile import _rows
from ledger.app.benchmarks import BenchmarkInput
from ledger.values import Period, parse_decimal

COLUMNS = ("indicator", "period", "group", "area", "value", "source")
SOURCE_LIMIT = 1000


class BenchmarkRow(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)

    indicator: str = ""
    period: str = ""
    group: str = ""
    area: str = ""
    value: str = ""
    source: str = ""

    @field_validator("*", mode="before")
    @classmethod
    def blank_is_empty(cls, value: Any) -> Any:
        return "" if value is None else value


def to_input(row: BenchmarkRow) -> BenchmarkInput | list[str]:
    """Convert one row, naming every field's problem."""
    problems = [f"{field}: is empty" + (": cite the publication (title, table, year, URL)"
                                        if field == "source" else "")
                for field in COLUMNS if field != "value" and not getattr(row, field)]
    period: Period | None = None
    if row.period:
        try:
            period = Period.parse(row.period)
        except ValueError as error:
            problems.append(f"period: {error}")
    try:
        value = parse_decimal(row.value) if row.value else None
    except ValueError as error:
        problems.append(f"value: {error}")
        value = None
    if not row.value:
        problems.append("value: is empty: give the published figure (a row without one belongs out of the "
                        "file)")
    if len(row.source) > SOURCE_LIMIT:
        problems.append(f"source: is {len(row.source)} characters long: at most {SOURCE_LIMIT}")
    if problems or period is None or value is None:
        return problems
    return BenchmarkInput(indicator=row.indicator, period=period, group=row.group, area=row.area, value=value,
                          source=row.source)


def read_benchmarks(path: Path, sheet: str | None = None) -> Iterator[tuple[int, BenchmarkInput | list[str]]]:
    """Yield (row number, parsed row or its problems); row 1 is the header."""
    for number, row in _rows(path, COLUMNS, COLUMNS, ",".join(COLUMNS), BenchmarkRow, sheet=sheet):
        if isinstance(row, BenchmarkRow):
            yield number, to_input(row)
        else:
            yield number, row if isinstance(row, list) else ["the row could not be read"]
