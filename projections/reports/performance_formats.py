"""The integrated performance report as HTML (with inline SVG charts), JSON, a workbook or a table.

Pure functions of the report's data: the same data always renders to the same bytes.
"""

from __future__ import annotations

from typing import Any

from projections.reports import PERFORMANCE_FORMATS
from projections.reports.charts import trend_svg
from projections.reports.formats import (
    GROUP_COLUMNS,
    OBSTACLE_COLUMNS,
    RESTATEMENT_COLUMNS,
    benchmark_cells,
    benchmark_text,
    group_rows,
    grouped_rows,
)
from projections.reports.performance import points
from projections.reports.render import html, json_text, rows_text
from projections.reports.workbook import xlsx_bytes

FORMATS = PERFORMANCE_FORMATS
# A rating is told by its shape and its word as well as its colour (WCAG 2.2: use of colour).
SHAPES = {"red": "\u25b2", "amber": "\u25c6", "green": "\u25cf", "missing": "\u2715", "none": "\u2013"}
WORDS = {"red": "Red", "amber": "Amber", "green": "Green", "missing": "Missing", "none": "Not rated"}
ROW_COLUMNS = [
    "indicator",
    "title",
    "theme",
    "period",
    "actual",
    "target",
    "rating",
    "direction",
    "direction_year",
    "status",
    "restated",
    "outlook",
    "escalation_stage",
    "data_quality",
    "commentary",
    "agreement",
    "stretch",
    "benchmark_year",
    "benchmark_group",
    "benchmark_median",
    "benchmark_quartile",
    "benchmark_rank",
]
TREND_COLUMNS = ["indicator", "period", "actual", "target", "band", "monitoring_level", "restated"]


def render(report: dict[str, Any], fmt: str) -> bytes:
    if fmt == "json":
        return json_text(report).encode("utf-8")
    if fmt == "html":
        charts = {
            row["indicator"]: trend_svg(row["indicator"], row["title"], points(row))
            for row in report["exceptions"]
        }
        return html("performance.html", report=report, charts=charts, SHAPES=SHAPES, WORDS=WORDS).encode(
            "utf-8"
        )
    if fmt == "xlsx":
        return as_xlsx(report)
    return as_table(report).encode("utf-8")


def _flat(row: dict[str, Any]) -> dict[str, Any]:
    return {**row, "data_quality": ";".join(row["data_quality"]), "restated": str(row["restated"]).lower(),
            "stretch": str(row["stretch"]).lower(), **benchmark_cells(row), "benchmark": benchmark_text(row)}


def as_xlsx(report: dict[str, Any]) -> bytes:
    summary = [{"measure": f"{WORDS[r]}", "value": n} for r, n in report["summary"]["ratings"].items()]
    summary += [
        {"measure": f"direction on a year ago: {d}", "value": n}
        for d, n in report["summary"]["direction_year"].items()
    ]
    summary.append(
        {"measure": "share improving on a year ago", "value": report["summary"]["share_improving"]}
    )
    basis = [
        {
            "period": report["period"],
            "as_at": report["as_at"],
            "position": report["position"],
            "digest": report["digest"],
            "theme": report["theme"],
            "plan": report["plan"],
            "priority": report["priority"],
        }
    ]
    trends = [{"indicator": row["indicator"], **point} for row in report["rows"] for point in row["trend"]]
    by_priority: list[tuple[str, Any, Any]] = (
        [("By priority", group_rows(report), GROUP_COLUMNS),
         ("Priority rows", grouped_rows(report), ["priority", *ROW_COLUMNS])]
        if report["groups"] else []
    )
    return xlsx_bytes(
        [
            ("Summary", summary, ["measure", "value"]),
            *by_priority,
            ("Exceptions", [_flat(r) for r in report["exceptions"]], ROW_COLUMNS),
            ("Good performance", [_flat(r) for r in report["good"]], ROW_COLUMNS),
            ("Every indicator", [_flat(r) for r in report["rows"]], ROW_COLUMNS),
            ("Trends", trends, TREND_COLUMNS),
            ("Restatements", report["restatements"], RESTATEMENT_COLUMNS),
            ("Major obstacles", report["major_obstacles"], OBSTACLE_COLUMNS),
            ("Basis", basis, ["period", "as_at", "position", "digest", "theme", "plan", "priority"]),
        ]
    )


def as_table(report: dict[str, Any]) -> str:
    s = report["summary"]
    counts = ", ".join(f"{WORDS[r].lower()} {n}" for r, n in s["ratings"].items())
    lines = [
        f"Performance report for {report['period']}"
        + (f", plan {report['plan']}" if report["plan"] else "")
        + (f", priority {report['priority']}" if report["priority"] else "")
        + (f", {report['theme']}" if report["theme"] else "")
        + f" as at {report['as_at']} (ledger position {report['position']})",
        f"{s['indicators']} indicators: {counts}; improving on a year ago: {s['share_improving'] or '-'}",
        "",
        "Exceptions (red, then amber):",
    ]
    columns = [
        "indicator",
        "period",
        "actual",
        "target",
        "rating",
        "direction_year",
        "escalation_stage",
        "data_quality",
        "benchmark",
    ]
    if report["groups"]:
        by_code = {r["indicator"]: r for r in report["rows"]}
        for group in report["groups"]:
            mine = [_flat(by_code[c]) for c in group["indicators"]
                    if by_code[c]["rating"] in ("red", "amber")]
            lines.append(f"Priority {group['priority']}: {group['title']} - improving on a year ago "
                         f"{group['summary']['shares']['improving'] or '-'}")
            lines.append(rows_text(mine, columns, "table", tty=False).rstrip("\n") if mine else "none")
        lines += ["", "Direction of travel on a year ago, by priority:",
                  rows_text(group_rows(report), GROUP_COLUMNS, "table", tty=False).rstrip("\n")]
    else:
        lines.append(
            rows_text([_flat(r) for r in report["exceptions"]], columns, "table", tty=False).rstrip("\n")
            if report["exceptions"]
            else "none"
        )
    lines += ["", "Good performance (green and improving):"]
    lines.append(
        rows_text(report["good"], ["indicator", "period", "actual", "target"], "table", tty=False).rstrip(
            "\n"
        )
        if report["good"]
        else "none"
    )
    lines += ["", "Restatements since the last issued report:"]
    lines.append(
        rows_text(report["restatements"], RESTATEMENT_COLUMNS, "table", tty=False).rstrip("\n")
        if report["restatements"]
        else "none"
    )
    lines += ["", "Major obstacles (escalations at stage 2 or above, and overdue responses):"]
    lines.append(
        rows_text(report["major_obstacles"], OBSTACLE_COLUMNS, "table", tty=False).rstrip("\n")
        if report["major_obstacles"]
        else "none"
    )
    return "\n".join(lines) + "\n"
