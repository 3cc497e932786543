"""The risk report (issue 15): the registers as at a ledger position, with a likelihood x impact heat
map of residual scores coloured by the matrix then in force. Pure of the clock: "today" is the as-at
date, so the same basis always gives the same bytes."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Connection

from ledger.values import format_utc
from projections.queries import escalations
from projections.queries import risks as registers
from projections.reports.render import csv_text, html, json_text, rows_text
from projections.reports.workbook import xlsx_bytes

COLUMNS = [
    "code",
    "title",
    "register",
    "owner",
    "likelihood",
    "impact",
    "inherent",
    "residual_likelihood",
    "residual_impact",
    "residual",
    "band",
    "above_appetite",
    "proposed",
    "review_due",
    "review_overdue",
    "indicators",
]
BAND_COLOURS = {"low": "#1e7b34", "medium": "#f2c14e", "high": "#e07b00", "extreme": "#b3261e"}


def build(conn: Connection, position: int, as_at: datetime, register: str | None = None) -> dict[str, Any]:
    today = escalations.as_at_date(as_at)
    matrix = registers.matrix_at(conn, position)
    found = registers.risks(conn, position, today, register)
    grid = [[0] * matrix.impact for _ in range(matrix.likelihood)]  # [likelihood - 1][impact - 1]
    for r in found:
        if r["residual_likelihood"] is not None:
            grid[r["residual_likelihood"] - 1][r["residual_impact"] - 1] += 1
    cells = [
        [
            {
                "likelihood": likelihood,
                "impact": impact,
                "count": grid[likelihood - 1][impact - 1],
                "band": matrix.band(likelihood * impact).name,
            }
            for impact in range(1, matrix.impact + 1)
        ]
        for likelihood in range(matrix.likelihood, 0, -1)
    ]
    return {
        "as_at": format_utc(as_at),
        "position": position,
        "register": register,
        "matrix": matrix.as_dict(),
        "risks": [{**r, "indicators": ";".join(r["indicators"])} for r in found],
        "heat_map": cells,
        "proposed": [r["code"] for r in found if r["proposed"]],
        "overdue_reviews": [r["code"] for r in found if r["review_overdue"]],
    }


def render(report: dict[str, Any], fmt: str) -> bytes:
    if fmt == "json":
        return json_text(report).encode("utf-8")
    if fmt == "csv":
        return csv_text(report["risks"], COLUMNS).encode("utf-8")
    if fmt == "xlsx":
        heat = [
            {"likelihood": row[0]["likelihood"], **{f"impact {c['impact']}": c["count"] for c in row}}
            for row in report["heat_map"]
        ]
        impacts = [f"impact {c['impact']}" for c in report["heat_map"][0]] if report["heat_map"] else []
        return xlsx_bytes([("Risks", report["risks"], COLUMNS), ("Heat map", heat, ["likelihood", *impacts])])
    if fmt == "html":
        return html("risks.html", report=report, colours=BAND_COLOURS).encode("utf-8")
    heading = (
        f"Risk registers{' (' + report['register'] + ')' if report['register'] else ''} as at "
        f"{report['as_at']} (ledger position {report['position']}), {report['matrix']['name']} matrix\n\n"
    )
    grid = "\n".join(
        f"likelihood {row[0]['likelihood']}: " + " ".join(f"{c['count']:>3}" for c in row)
        for row in report["heat_map"]
    )
    shown = ["code", "title", "register", "owner", "inherent", "residual", "band", "proposed", "review_due"]
    return (
        heading
        + rows_text(report["risks"], shown, "table", tty=False)
        + "\nHeat map of residual scores (rows: likelihood, highest first; columns: impact 1 and up):\n"
        + grid
        + "\n"
    ).encode("utf-8")
