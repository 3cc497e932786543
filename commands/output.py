"""Rendering read results: table (tabulate), csv, json. Data to stdout only."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any, TypeVar

import click
from tabulate import tabulate

FORMATS = ("table", "csv", "json")
F = TypeVar("F", bound=Callable[..., Any])


def format_option(*choices: str) -> Callable[[F], F]:
    allowed = choices or FORMATS
    return click.option(
        "--format", "fmt", type=click.Choice(allowed), default="table", show_default=True,
        help="Output format.",
    )


def _cell(value: Any) -> Any:
    if isinstance(value, list | tuple):
        return ", ".join(str(v) for v in value)
    return "" if value is None else value


def render(rows: Iterable[Mapping[Any, Any]], columns: Sequence[str], fmt: str) -> str:
    items = [{c: row.get(c) for c in columns} for row in rows]
    if fmt == "json":
        return json.dumps(items, indent=2, default=str) + "\n"
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=list(columns), lineterminator="\n")
        writer.writeheader()
        for item in items:
            writer.writerow({k: _cell(v) for k, v in item.items()})
        return buffer.getvalue()
    if not items:
        return "(none)\n"
    table = [[_cell(item[c]) for c in columns] for item in items]
    return tabulate(table, headers=list(columns), tablefmt="simple", disable_numparse=True) + "\n"


def emit(text: str) -> None:
    click.echo(text, nl=False)


def render_record(record: Mapping[str, Any], fmt: str) -> str:
    """One object: key/value lines as a table, or one JSON object."""
    if fmt == "json":
        return json.dumps(dict(record), indent=2, default=str) + "\n"
    rows = [{"field": k, "value": _cell(v)} for k, v in record.items()]
    return render(rows, ["field", "value"], fmt)
