"""perfledger report: the RAG report, current or as at any past date."""

from __future__ import annotations

import csv
import io
import json
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import click
from jinja2 import Environment, PackageLoader, select_autoescape

from commands.context import Ledger, pass_ledger
from commands.output import render
from commands.params import AS_AT, PERIOD
from ledger.values import Period
from projections import queries
from projections.report_rag import build

TABLE_COLUMNS = ["indicator", "period", "actual", "target", "rating", "direction", "direction_year",
                 "status", "outlook", "data_quality"]
CSV_COLUMNS = ["indicator", "title", "period", "actual", "target", "rating", "direction",
               "direction_year", "status", "restated", "outlook", "escalation_stage", "data_quality",
               "commentary"]
COLOURS = {"green": "green", "amber": "yellow", "red": "red", "missing": "magenta"}
JSON_FIELDS = ["indicator", "title", "period", "actual", "target", "rating", "direction",
               "direction_year", "status", "restated", "outlook", "escalation_stage", "data_quality"]


def as_json(report: dict[str, Any]) -> str:
    rows = []
    for row in report["rows"]:
        shaped = {k: row[k] for k in JSON_FIELDS}
        for extra in ("proxies", "milestones"):
            if extra in row:
                shaped[extra] = row[extra]
        rows.append(shaped)
    shaped_report = {"as_at": report["as_at"], "position": report["position"],
                     "period": report["period"], "rows": rows, "restatements": report["restatements"]}
    return json.dumps(shaped_report, indent=2) + "\n"


def as_csv(report: dict[str, Any]) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=CSV_COLUMNS, lineterminator="\n", extrasaction="ignore")
    writer.writeheader()
    for row in report["rows"]:
        writer.writerow({**row, "data_quality": ";".join(row["data_quality"]),
                         "restated": str(row["restated"]).lower()})
    return buffer.getvalue()


def as_table(report: dict[str, Any], colour: bool) -> str:
    rows = []
    for row in report["rows"]:
        shown = dict(row)
        if colour and row["rating"] in COLOURS:
            shown["rating"] = click.style(row["rating"], fg=COLOURS[row["rating"]], bold=True)
        rows.append(shown)
    heading = (f"RAG report for {report['period']} as at {report['as_at']} "
               f"(ledger position {report['position']})\n\n")
    return heading + render(rows, TABLE_COLUMNS, "table")


def as_html(report: dict[str, Any]) -> str:
    environment = Environment(loader=PackageLoader("commands", "templates"),
                              autoescape=select_autoescape(["html"]), keep_trailing_newline=True)
    counts = {r: sum(1 for row in report["rows"] if row["rating"] == r)
              for r in ("red", "amber", "green", "missing", "none")}
    return environment.get_template("rag.html").render(report=report, counts=counts)


@click.group()
def report() -> None:
    """Reports: RAG, as at any past date."""


@report.command("rag")
@click.option("--period", type=PERIOD, help="Default: the last quarter ended by the as-at time.")
@click.option("--as-at", "as_at", type=AS_AT, metavar="WHEN",
              help="As the ledger stood then (default: now).")
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "json", "html"]), default="table",
              show_default=True)
@click.option("--output", type=click.Path(dir_okay=False, path_type=Path), metavar="FILE",
              help="Write the report to FILE instead of the screen.")
@pass_ledger
def rag(ledger: Ledger, period: Period | None, as_at: datetime | None, fmt: str,
        output: Path | None) -> None:
    """Each indicator's actual against target, its rating and direction of travel.

    Same ledger, same arguments and an explicit --as-at: byte-identical output.
    """
    moment = as_at or datetime.now(UTC)
    with ledger.read() as conn:
        position = queries.position_at(conn, moment)
        data = build(conn, position, moment, period)
    colour = output is None and sys.stdout.isatty()
    text = {"json": as_json, "csv": as_csv, "html": as_html}.get(fmt, lambda r: as_table(r, colour))(data)
    if output is not None:
        output.write_text(text, encoding="utf-8")
        click.echo(f"wrote the {fmt} RAG report for {data['period']} (position {position}) to {output}",
                   err=True)
        return
    click.echo(text, nl=False)


COMMANDS = [report]
