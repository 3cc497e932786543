"""The one renderer every report shares: one Jinja environment for HTML, one CSV writer, one JSON form.

Pure functions of the data: the same data always renders to the same bytes, which is
what lets an issued report be regenerated and proven.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterable, Mapping, Sequence
from functools import cache
from typing import TYPE_CHECKING, Any

from tabulate import tabulate

if TYPE_CHECKING:
    from jinja2 import Environment


@cache
def environment() -> Environment:
    """The Jinja environment for the templates in ``projections/reports/templates`` (built once;
    Jinja is imported here, by the first HTML report, not by every read that renders a table)."""
    from jinja2 import Environment, PackageLoader, select_autoescape

    return Environment(loader=PackageLoader("projections.reports", "templates"),
                       autoescape=select_autoescape(["html"]), keep_trailing_newline=True)


def html(template: str, **context: Any) -> str:
    return environment().get_template(template).render(**context)


# A text cell a spreadsheet would read as a formula (OWASP's "CSV injection"): neutralised with a
# leading apostrophe. Numbers, negative ones included, stay numbers; a lone sign is left alone.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")


def safe_cell(value: Any) -> Any:
    """VALUE as a CSV cell a spreadsheet opens as text, never as a formula."""
    if isinstance(value, str) and len(value) > 1 and value.startswith(FORMULA_START) \
            and NUMBER.fullmatch(value) is None:
        return "'" + value
    return value


def csv_text(rows: Iterable[Mapping[str, Any]], columns: Sequence[str]) -> str:
    """Rows as CSV with a header: the given columns in order (other keys ignored; None is empty).
    Text that a spreadsheet would run as a formula is neutralised (``safe_cell``)."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(columns), lineterminator="\n", extrasaction="ignore")
    writer.writeheader()
    writer.writerows({k: safe_cell(v) for k, v in row.items()} for row in rows)
    return buffer.getvalue()


def json_text(data: Any) -> str:
    """Indented JSON and a final newline (values JSON does not know are written as text)."""
    return json.dumps(data, indent=2, default=str) + "\n"


def cell(value: Any) -> Any:
    """A value as a table or CSV cell: lists joined with commas, None empty."""
    if isinstance(value, list | tuple):
        return ", ".join(str(v) for v in value)
    return "" if value is None else value


WIDEST = 36  # a table cell on a terminal, in characters; csv and json are never shortened


def shorten(text: str, width: int = WIDEST) -> str:
    """``text`` cut to ``width`` characters at most, ending in an ellipsis when cut."""
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


def rows_text(rows: Iterable[Mapping[Any, Any]], columns: Sequence[str], fmt: str, *,
              tty: bool = False) -> str:
    """Rows as a table, csv or json. On a terminal (``tty``) a table's long cells are shortened
    so that a row fits a screen; piped, nothing is cut."""
    items = [{c: row.get(c) for c in columns} for row in rows]
    if fmt == "json":
        return json_text(items)
    if fmt == "csv":
        return csv_text(({k: cell(v) for k, v in item.items()} for item in items), columns)
    if not items:
        return "(none)\n"
    table = [[cell(item[c]) for c in columns] for item in items]
    note = ""
    if tty:
        short = [[shorten(v) if isinstance(v, str) else v for v in row] for row in table]
        if short != table:
            table, note = short, "(long cells shortened on screen: --format csv or json shows them whole)\n"
    return tabulate(table, headers=list(columns), tablefmt="simple", disable_numparse=True) + "\n" + note


COLOURS = {"green": "32", "amber": "33", "red": "31", "missing": "35"}


def coloured(rating: str) -> str:
    """A rating in bold and its colour, for a terminal (ANSI, as click.style writes it)."""
    code = COLOURS.get(rating)
    return f"\x1b[{code}m\x1b[1m{rating}\x1b[0m" if code else rating
