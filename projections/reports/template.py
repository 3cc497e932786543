"""`return template`: an entry workbook for the returns of a period, to fill in and import.

One row per indicator and period still without a return, with what the person entering it
needs beside the cells (title, unit, the last figure, the target) and data validation on the
cells they fill in: the value's range and whole-number rule by unit, the status from its list.
The informational columns are read back and ignored by `return import`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from sqlalchemy import Connection

from ledger.errors import Invalid, NotFound
from ledger.hints import command
from ledger.values import Frequency, Period, PeriodKind, Status, own_kind, returns_accepted
from projections import queries
from projections.reports.workbook import FIXED, fixed_zip, typed

ENTRY_COLUMNS = ["indicator", "period", "value", "numerator", "denominator", "status", "commentary",
                 "source", "reason"]
INFO_COLUMNS = ["title", "unit", "last_period", "last_value", "target"]  # ignored when imported
COLUMNS = ENTRY_COLUMNS + INFO_COLUMNS
FILLED = {"value", "numerator", "denominator", "status", "commentary", "source"}


@dataclass(frozen=True)
class Template:
    rows: list[dict[str, Any]]
    left_out: list[str]  # "CODE PERIOD": already returned


def _periods(frequency: Frequency, period: Period) -> list[Period]:
    if returns_accepted(frequency, period):
        return [period]
    kind = own_kind(frequency)
    if kind is PeriodKind.YEAR:
        return []
    return [p for p in period.children(kind) if returns_accepted(frequency, p)]


def build(conn: Connection, position: int, codes: list[str], period: Period) -> Template:
    """The rows of the template for CODES and PERIOD (a coarser PERIOD gives each indicator's own
    periods inside it), as the views stand at POSITION."""
    rows: list[dict[str, Any]] = []
    left_out: list[str] = []
    for code in codes:
        found = queries.indicator(conn, code, position)
        if found is None:
            raise NotFound(f"unknown indicator {code!r}: see {command('indicator list')}")
        if found["retired"]:
            raise Invalid(f"{code} was retired: it takes no returns")
        frequency = Frequency(found["frequency"])
        periods = _periods(frequency, period)
        if not periods:
            raise Invalid(f"{period} holds no period of {code} ({frequency.value}): give a period it reports")
        held = {r["period"]: r for r in queries.returns(conn, code, position)}
        targets = {t["period"]: t["target"] for t in queries.targets(conn, code, position)}
        for wanted in periods:
            if str(wanted) in held:
                left_out.append(f"{code} {wanted}")
                continue
            earlier = [r for r in held.values() if Period.parse(r["period"]).end < wanted.start
                       and Period.parse(r["period"]).kind is wanted.kind]
            last = earlier[-1] if earlier else None
            target = next((targets[str(p)] for p in [wanted, *wanted.enclosing()] if str(p) in targets), None)
            rows.append({"indicator": code, "period": str(wanted), "title": found["title"],
                         "unit": found["unit"], "last_period": last["period"] if last else None,
                         "last_value": last["value"] if last else None, "target": target})
    return Template(rows, left_out)


def _validation(unit: str) -> DataValidation:
    if unit == "percent":
        rule = DataValidation(type="decimal", operator="between", formula1="0", formula2="100")
        rule.error = "A percentage lies within 0-100."
    elif unit == "count":
        rule = DataValidation(type="whole", operator="greaterThanOrEqual", formula1="0")
        rule.error = "A count is a whole number, not negative."
    else:
        rule = DataValidation(type="decimal", operator="between", formula1="-1E+15", formula2="1E+15")
        rule.error = "A number."
    rule.errorTitle = "perfledger"
    rule.showErrorMessage = True
    return rule


def workbook(template: Template) -> bytes:
    """The entry workbook: the cells to fill in are unlocked-looking (white), the rest grey."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Returns"
    sheet.append(COLUMNS)
    grey = PatternFill("solid", fgColor="EEEEEE")
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet["J1"].comment = Comment("Columns J-N are for reference: return import ignores them.", "perfledger")
    rules: dict[str, DataValidation] = {}
    status = DataValidation(type="list", formula1='"' + ",".join(s.value for s in Status) + '"',
                            allow_blank=True)
    status.error, status.showErrorMessage = "estimate, provisional or final", True
    sheet.add_data_validation(status)
    for number, row in enumerate(template.rows, start=2):
        sheet.append([typed(row.get(c)) if c not in FILLED else None for c in COLUMNS])
        for index, name in enumerate(COLUMNS, start=1):
            cell = sheet.cell(row=number, column=index)
            if isinstance(cell.value, str):
                cell.data_type = "s"
            if name not in FILLED and name != "reason":
                cell.fill = grey
        rule = rules.get(row["unit"])
        if rule is None:
            rule = rules[row["unit"]] = _validation(row["unit"])
            sheet.add_data_validation(rule)
        rule.add(f"C{number}")
        status.add(f"F{number}")
    for index, name in enumerate(COLUMNS, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = max(len(name), 12) + 2
    sheet.freeze_panes = "C2"
    book.properties.created = book.properties.modified = FIXED
    return fixed_zip(book)
