"""Rendering read results: table (tabulate), csv, json, xlsx. Data to stdout, or whole to --output."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from commands.support.context import Ledger
from commands.support.files import check_output, write_output
from commands.support.words import cli_words

if TYPE_CHECKING:
    from projections.reports.workbook import Sheet

FORMATS = ("table", "csv", "json", "xlsx")
F = TypeVar("F", bound=Callable[..., Any])
FORMAT, OUTPUT, FORCE = "perfledger.format", "perfledger.output", "perfledger.force"
TEXT, SHEETS = "perfledger.text", "perfledger.sheets"


def _remember(key: str) -> Callable[[click.Context, click.Parameter, Any], Any]:
    def store(ctx: click.Context, _: click.Parameter, value: Any) -> Any:
        ctx.meta[key] = value
        if all(k in ctx.meta for k in (FORMAT, OUTPUT, FORCE)):
            _check(ctx)
        return value
    return store


def _check(ctx: click.Context) -> None:
    """Refused before the command runs: nothing is read, written or recorded for a bad --output."""
    output = ctx.meta[OUTPUT]
    if output is None and ctx.meta[FORMAT] == "xlsx":
        raise click.UsageError("--format xlsx writes a workbook: give --output FILE.xlsx")
    if output is not None:
        check_output(output, ctx.find_object(Ledger), bool(ctx.meta[FORCE]))


def format_option(*choices: str) -> Callable[[F], F]:
    """``--format``; where csv is offered, xlsx too, with ``--output FILE`` and ``--force`` (every
    output file is written alike: ``commands/support/files.py``)."""
    allowed = choices or FORMATS

    def decorate(fn: F) -> F:
        if "xlsx" not in allowed:
            return click.option("--format", "fmt", type=click.Choice(allowed), default="table",
                                show_default=True, help="Output format.")(fn)
        fn = click.option("--format", "fmt", type=click.Choice(allowed), default="table", show_default=True,
                          callback=_remember(FORMAT),
                          help="Output format (xlsx: an Excel workbook, written to --output).")(fn)
        fn = click.option("--output", type=click.Path(dir_okay=False, path_type=Path), metavar="FILE",
                          expose_value=False, callback=_remember(OUTPUT),
                          help="Write to FILE instead of the screen (needed for xlsx).")(fn)
        return click.option("--force", is_flag=True, expose_value=False, callback=_remember(FORCE),
                            help="Replace FILE if it exists (never a symbolic link, never the ledger's "
                                 "database).")(fn)
    return decorate


def render(rows: Iterable[Mapping[Any, Any]], columns: Sequence[str], fmt: str,
           *, tty: bool | None = None, title: str = "rows") -> str:
    """Rows as a table, csv or json (``projections/reports/render.py``); on a terminal (``tty``:
    default, whether stdout is one) a table's long cells are shortened to fit a screen. As xlsx,
    the rows become a sheet of the workbook written to --output when the command ends."""
    if fmt == "xlsx":
        keep_sheets([(title, list(rows), list(columns))])
        return ""
    from projections.reports.render import rows_text  # tabulate and Jinja: loaded by a read, not at start

    return rows_text(rows, columns, fmt, tty=sys.stdout.isatty() if tty is None else tty)


def keep_sheets(sheets: Sequence[Sheet]) -> None:
    """Sheets of the command's workbook (its xlsx form), written to --output when it ends."""
    click.get_current_context().meta.setdefault(SHEETS, []).extend(sheets)


def emit(text: str) -> None:
    """The command's output: to the screen, or kept to be written whole to --output when it ends."""
    ctx = click.get_current_context(silent=True)
    if ctx is not None and ctx.meta.get(OUTPUT) is not None:
        ctx.meta[TEXT] = ctx.meta.get(TEXT, "") + text
        return
    click.echo(text, nl=False)


def finish_output(ctx: click.Context) -> None:
    """After a command succeeded: write what it emitted (or its workbook) whole to --output."""
    output: Path | None = ctx.meta.pop(OUTPUT, None)  # written once, whichever group finishes first
    if output is None:
        return
    sheets = ctx.meta.get(SHEETS)
    from projections.reports.workbook import xlsx_bytes  # openpyxl: only when a workbook is written

    data: str | bytes = xlsx_bytes(sheets) if sheets else ctx.meta.get(TEXT, "")
    write_output(output, data, ctx.find_object(Ledger), force=bool(ctx.meta.get(FORCE)))
    click.echo(f"wrote {output}", err=True)


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


def render_record(record: Mapping[str, Any], fmt: str) -> str:
    """One object: key/value lines as a table, or one JSON object."""
    from projections.reports.render import cell, json_text

    if fmt == "json":
        return json_text(dict(record))
    rows = [{"field": k, "value": cell(v)} for k, v in record.items()]
    return render(rows, ["field", "value"], fmt)
