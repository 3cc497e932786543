"""perfledger return: submit, import and finalise returns; list them as at any time."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import click

from commands.support.context import Ledger, done, pass_ledger
from commands.support.files import check_output, force_option, write_output
from commands.support.output import emit, format_option, render
from commands.support.params import AS_AT, DECIMAL, PERIOD, EnumType
from ledger.errors import NotFound, Refused
from ledger.values import Period, Status

COLUMNS = ["indicator", "period", "value", "numerator", "denominator", "status", "commentary",
           "source", "version", "actor", "recorded_at", "from_position"]


@click.group("return")
def return_() -> None:
    """Returns: the actual value of an indicator for a period."""


@return_.command("submit", context_settings={"ignore_unknown_options": True})
@click.argument("code")
@click.argument("period", type=PERIOD)
@click.argument("value", type=DECIMAL)
@click.option("--numerator", type=DECIMAL, metavar="N")
@click.option("--denominator", type=DECIMAL, metavar="D")
@click.option("--status", type=EnumType(Status), default=None,
              help="Default: provisional for a new return; unchanged for a revision.")
@click.option("--commentary", metavar="T", help="What is being done about performance.")
@click.option("--source", metavar="T")
@click.option("--reason", metavar="T", help="Why, when this revises an earlier return.")
@pass_ledger
def submit(ledger: Ledger, code: str, period: Period, value: Decimal, numerator: Decimal | None,
           denominator: Decimal | None, status: Status | None, commentary: str | None, source: str | None,
           reason: str | None) -> None:
    """Submit CODE's VALUE for PERIOD (a second submission revises, with --reason).

    Negative values are written as they are (e.g. -1.5 for a budget variance).
    """
    from ledger.app.returns import ReturnInput

    item = ReturnInput(code, period, value, numerator, denominator, status, commentary, source, reason)
    app = ledger.ready()
    outcome = app.returns.submit(ledger.actor, item)
    done(ledger, f"{code} {period}: {value} ({outcome})")
    for warning in app.returns.warnings_of(code, period):
        click.echo(f"warning: {warning} - recorded with the return, with its commentary", err=True)


@return_.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--dry-run", is_flag=True, help="Check every row; write nothing.")
@click.option("--sheet", metavar="NAME", help="For an .xlsx workbook: the sheet to read (default: the "
                                              "first).")
@click.option("--history", is_flag=True,
              help="The rows are history, back-filled from an earlier record (needs --source-date): "
                   "new returns only, never counted late or on time.")
@click.option("--source-date", "source_date", type=click.DateTime(formats=["%Y-%m-%d"]), metavar="DATE",
              help="With --history: the date of the record the figures come from (e.g. the report "
                   "or system extract they were copied from).")
@pass_ledger
def import_(ledger: Ledger, file: Path, dry_run: bool, sheet: str | None, history: bool,
            source_date: datetime | None) -> None:
    """Import returns from a CSV file or an Excel workbook (.xlsx): all rows or none.

    Header: indicator,period,value,numerator,denominator,status,commentary,source
    (the last five may be empty) and optionally reason, required on rows that
    revise an existing return. A CSV may be UTF-8 (with or without a byte-order mark),
    UTF-16 or Windows-1252; row numbers are the spreadsheet's.

    --history --source-date DATE back-fills returns the ledger never asked for
    (periods due before an indicator was registered): each row must be a new
    return for a period ended by DATE; its events record that it is history and
    DATE, and timeliness counts it apart, neither on time nor late.
    """
    from commands.support.csvfile import read_returns

    if history != (source_date is not None):
        raise click.UsageError("--history and --source-date DATE go together: a history import records "
                               "the date of the record it comes from")
    app = ledger.ready()
    source = source_date.date() if source_date is not None else None
    try:
        result = app.imports.returns(ledger.actor, lambda: read_returns(file, sheet=sheet), dry_run=dry_run,
                                    rows_again=lambda: read_returns(file, trusted=True, sheet=sheet),
                                    history=source)
    except Refused as refusal:
        if dry_run:  # refused as the import would be, in the same words; but a dry run writes nothing
            refusal.recorded = False
        raise
    kind = f" as history (from a record dated {source.isoformat()})" if source is not None else ""
    if not result.written:
        click.echo(f"{file.name}: {result.rows} rows are valid{kind} ({result.new} new, {result.revised} "
                   "revisions); dry run: nothing written", err=True)
    else:
        done(ledger, f"imported {result.rows} rows from {file.name}{kind} ({result.new} new, "
                     f"{result.revised} revisions)")
    if result.warned:
        click.echo(f"warning: {result.warned} row(s) accepted with a validation warning and their commentary"
                   + ("" if result.written else " (when imported)")
                   + ": see perfledger audit trail (Return.Warned)", err=True)


@return_.command("finalise")
@click.argument("code")
@click.argument("period", type=PERIOD)
@click.option("--note", metavar="T")
@pass_ledger
def finalise(ledger: Ledger, code: str, period: Period, note: str | None) -> None:
    """Mark CODE's return for PERIOD final."""
    ledger.ready().returns.finalise(ledger.actor, code, period, note)
    done(ledger, f"{code} {period}: final")


@return_.command("list")
@click.argument("code")
@click.option("--as-at", "as_at", type=AS_AT, metavar="WHEN", help="As the ledger believed then.")
@format_option()
@pass_ledger
def list_(ledger: Ledger, code: str, as_at: datetime | None, fmt: str) -> None:
    """CODE's returns as believed now (or as at WHEN)."""
    from projections import queries

    with ledger.read() as conn:
        position = queries.position_at(conn, as_at)
        if queries.indicator(conn, code, position) is None and not queries.indicator_history(
            conn, code, position
        ):
            raise NotFound(f"unknown indicator {code!r}: see perfledger indicator list")
        rows = queries.returns(conn, code, position)
    emit(render([{**r, "version": r["version"]} for r in rows], COLUMNS, fmt))


@return_.command("validate")
@click.argument("code")
@click.argument("period", type=PERIOD)
@click.option("--note", metavar="T", help="How it was validated (the documented check, 000 §9.2.3).")
@pass_ledger
def validate(ledger: Ledger, code: str, period: Period, note: str | None) -> None:
    """Record the documented validation of CODE's return for PERIOD: by whom, how and when.

    Never by a person who gave the figure (submitted or revised it). A later change of
    the figure needs a new validation.
    """
    revision = ledger.ready().quality.validate(ledger.actor, code, period, note)
    done(ledger, f"{code} {period}: validated (revision {revision})")


@return_.command("template")
@click.argument("codes", nargs=-1, required=True, metavar="CODE...")
@click.option("--period", required=True, type=PERIOD, help="The period to enter (a quarter gives a monthly "
                                                            "indicator its three months).")
@click.option("--output", required=True, type=click.Path(dir_okay=False, path_type=Path), metavar="FILE.xlsx")
@force_option
@pass_ledger
def template(ledger: Ledger, codes: tuple[str, ...], period: Period, output: Path, force: bool) -> None:
    """An Excel entry sheet for the returns of CODE... for --period that have none yet: each row
    with the indicator's unit, last figure and target beside it, and data validation on the value
    and status cells. Fill it in, save it, and import it with perfledger return import FILE.xlsx."""
    from projections import queries

    if output.suffix.lower() != ".xlsx":
        raise click.UsageError(f"--output {output.name}: a template is an Excel workbook: name it FILE.xlsx")
    from projections.reports import template as entry  # openpyxl: loaded for this command alone

    check_output(output, ledger, force)
    with ledger.read() as conn:
        made = entry.build(conn, queries.head_position(conn), list(dict.fromkeys(codes)), period)
    write_output(output, entry.workbook(made), ledger, force=force)
    for key in made.left_out:
        click.echo(f"note: {key} has a return already: left out", err=True)
    click.echo(f"wrote {output}: {len(made.rows)} return(s) to enter", err=True)


@return_.command("due")
@click.option("--as-at", "as_at", type=AS_AT, metavar="WHEN",
              help="As at the end of that day (default: now); a later day forecasts what will be due "
              "by then from the returns held now.")
@click.option("--mine", is_flag=True, help="Only the indicators you are the improvement manager for.")
@format_option()
@pass_ledger
def due(ledger: Ledger, as_at: datetime | None, mine: bool, fmt: str) -> None:
    """Returns due and overdue: the periods of this financial year and the last that have
    ended with no return, with each indicator's designated improvement manager. A return is
    due REPORTING-LAG days after its period ends. --mine: only the indicators the acting
    person was designated improvement manager for at that time."""
    from projections import queries
    from projections.queries.designations import indicators_of
    from projections.queries.quality import DUE_COLUMNS, due_rows

    moment = as_at or datetime.now(UTC)
    with ledger.read() as conn:
        position = queries.position_at(conn, moment)
        only = indicators_of(conn, ledger.actor, position) if mine else None
        rows = due_rows(conn, position, moment, only)
        if only == set():
            click.echo(f"note: {ledger.actor} is not the designated improvement manager of any indicator "
                       "at that time (see perfledger indicator show CODE)", err=True)
    emit(render(rows, DUE_COLUMNS, fmt))
