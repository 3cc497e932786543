"""Rendering read results: table (tabulate), csv, json. Data to stdout only."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any, TypeVar

import click
from tabulate import tabulate

from projections.reports.render import csv_text, json_text

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


WIDEST = 36  # a table cell on a terminal, in characters; csv and json are never shortened


def shorten(text: str, width: int = WIDEST) -> str:
    """``text`` cut to ``width`` characters at most, ending in an ellipsis when cut."""
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


def render(rows: Iterable[Mapping[Any, Any]], columns: Sequence[str], fmt: str,
           *, tty: bool | None = None) -> str:
    """Rows as a table, csv or json. On a terminal (``tty``: default, whether stdout is one)
    a table's long cells are shortened so that a row fits a screen; piped, nothing is cut."""
    items = [{c: row.get(c) for c in columns} for row in rows]
    if fmt == "json":
        return json_text(items)
    if fmt == "csv":
        return csv_text(({k: _cell(v) for k, v in item.items()} for item in items), columns)
    if not items:
        return "(none)\n"
    table = [[_cell(item[c]) for c in columns] for item in items]
    note = ""
    if sys.stdout.isatty() if tty is None else tty:
        short = [[shorten(v) if isinstance(v, str) else v for v in row] for row in table]
        if short != table:
            table, note = short, "(long cells shortened on screen: --format csv or json shows them whole)\n"
    return tabulate(table, headers=list(columns), tablefmt="simple", disable_numparse=True) + "\n" + note


class Failed(click.ClickException):
    """A check that failed: its line on stderr, ``PREFIX`` first, and exit 1 (never a traceback)."""

    prefix = "error: "

    def show(self, file: Any = None) -> None:
        click.echo(f"{self.prefix}{self.message}", err=True)


class Tampered(Failed):
    """Tamper found: ``TAMPERED: ...`` on stderr, exit 1."""

    prefix = "TAMPERED: "


def emit(text: str) -> None:
    click.echo(text, nl=False)


def render_record(record: Mapping[str, Any], fmt: str) -> str:
    """One object: key/value lines as a table, or one JSON object."""
    if fmt == "json":
        return json_text(dict(record))
    rows = [{"field": k, "value": _cell(v)} for k, v in record.items()]
    return render(rows, ["field", "value"], fmt)
