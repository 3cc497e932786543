"""Rendering read results: table (tabulate), csv, json. Data to stdout only."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any, TypeVar

import click

from commands.support.words import cli_words
from projections.reports.render import cell, json_text, rows_text

FORMATS = ("table", "csv", "json")
F = TypeVar("F", bound=Callable[..., Any])


def format_option(*choices: str) -> Callable[[F], F]:
    allowed = choices or FORMATS
    return click.option(
        "--format", "fmt", type=click.Choice(allowed), default="table", show_default=True,
        help="Output format.",
    )


def render(rows: Iterable[Mapping[Any, Any]], columns: Sequence[str], fmt: str,
           *, tty: bool | None = None) -> str:
    """Rows as a table, csv or json (``projections/reports/render.py``); on a terminal (``tty``:
    default, whether stdout is one) a table's long cells are shortened to fit a screen."""
    return rows_text(rows, columns, fmt, tty=sys.stdout.isatty() if tty is None else tty)


class Failed(click.ClickException):
    """A check that failed: its line on stderr, ``PREFIX`` first, and exit 1 (never a traceback)."""

    prefix = "error: "

    def show(self, file: Any = None) -> None:
        click.echo(f"{self.prefix}{cli_words(self.message)}", err=True)


class Tampered(Failed):
    """Tamper found: ``TAMPERED: ...`` on stderr, exit 1."""

    prefix = "TAMPERED: "


class Forged(Failed):
    """An event not written by its actor (signature or login): ``FORGED: ...`` on stderr, exit 1."""

    prefix = "FORGED: "


def emit(text: str) -> None:
    click.echo(text, nl=False)


def render_record(record: Mapping[str, Any], fmt: str) -> str:
    """One object: key/value lines as a table, or one JSON object."""
    if fmt == "json":
        return json_text(dict(record))
    rows = [{"field": k, "value": cell(v)} for k, v in record.items()]
    return render(rows, ["field", "value"], fmt)
