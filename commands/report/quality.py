"""perfledger report data-quality: the annual review under the six dimensions, in four formats."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import click

from commands.support.context import Ledger, pass_ledger
from commands.support.output import emit, format_option, keep_sheets, render
from commands.support.params import AS_AT, PERIOD
from ledger.values import Period

CSV_COLUMNS = ["dimension", "kind", "description", "value", "indicator", "period", "positions"]


def _positions(row: dict[str, Any]) -> str:
    return ";".join(str(p) for p in row["positions"])


def render_quality(data: dict[str, Any], fmt: str) -> str:
    """Pure: the same data always renders to the same bytes."""
    from projections.reports.render import csv_text, html, json_text

    if fmt == "json":
        return json_text(data)
    if fmt == "html":
        return html("data-quality.html", report=data)
    measures = [{"dimension": d["dimension"], **m} for d in data["dimensions"] for m in d["measures"]]
    exceptions = [{"dimension": d["dimension"], **e, "positions": _positions(e)}
                  for d in data["dimensions"] for e in d["exceptions"]]
    if fmt == "xlsx":
        keep_sheets([
            ("Measures", measures, ["dimension", "measure", "value"]),
            ("Exceptions", exceptions, ["dimension", "indicator", "period", "exception", "positions"]),
            ("Basis", [{k: data[k] for k in ("year", "as_at", "position")}], ["year", "as_at", "position"])])
        return ""
    if fmt == "csv":
        rows = [*({"dimension": m["dimension"], "kind": "measure", "description": m["measure"],
                   "value": m["value"], "indicator": "", "period": "", "positions": ""} for m in measures),
                *({"dimension": e["dimension"], "kind": "exception", "description": e["exception"],
                   "value": "", "indicator": e["indicator"], "period": e["period"] or "",
                   "positions": e["positions"]} for e in exceptions)]
        return csv_text(rows, CSV_COLUMNS)
    heading = (f"Data-quality review for {data['year']} as at {data['as_at']} "
               f"(ledger position {data['position']})\n\n")
    return (heading + render(measures, ["dimension", "measure", "value"], "table") + "\nExceptions:\n"
            + render(exceptions, ["dimension", "indicator", "period", "exception", "positions"], "table"))


@click.command("data-quality")
@click.option("--year", required=True, type=PERIOD, metavar="YEAR", help="A financial year, e.g. 2008/09.")
@click.option("--as-at", "as_at", type=AS_AT, metavar="WHEN", help="As the ledger stood then (default: now).")
@format_option("table", "csv", "json", "html", "xlsx")
@pass_ledger
def data_quality(ledger: Ledger, year: Period, as_at: datetime | None, fmt: str) -> None:
    """The year's data quality under the six dimensions - accuracy, validity, reliability,
    timeliness, relevance, completeness: each dimension's measures and the exceptions behind
    them, with the ledger positions of their events."""
    from projections import queries
    from projections.reports.data_quality import build

    with ledger.read() as conn:
        moment = ledger.report_time(as_at)
        data = build(conn, year, queries.position_at(conn, moment), moment)
    emit(render_quality(data, fmt))

