"""The RAG report as table, CSV, JSON, HTML or xlsx, and the diff between two dates.

Pure functions of the report data: the same data always renders to the same bytes,
which is what lets an issued report be regenerated and proven.
"""

from __future__ import annotations

from typing import Any

from projections.reports.render import coloured, csv_text, html, json_text, rows_text
from projections.reports.workbook import Sheet, xlsx_bytes

TABLE_COLUMNS = ["indicator", "period", "actual", "target", "rating", "direction", "direction_year",
                 "status", "outlook", "escalation_stage", "data_quality"]
OBSTACLE_COLUMNS = ["indicator", "escalation", "stage", "status", "due", "requires", "why"]
CSV_COLUMNS = ["indicator", "title", "period", "actual", "target", "rating", "direction",
               "direction_year", "status", "restated", "outlook", "escalation_stage", "data_quality",
               "commentary", "risks", "actions"]
RESTATEMENT_COLUMNS = ["indicator", "period", "before", "after", "reason", "requested_by", "approved_by",
                       "adjustment", "position"]
JSON_FIELDS = ["indicator", "title", "period", "actual", "target", "rating", "direction",
               "direction_year", "status", "restated", "outlook", "escalation_stage", "data_quality", "risks",
               "actions"]


def as_json(report: dict[str, Any]) -> str:
    rows = []
    for row in report["rows"]:
        shaped = {k: row[k] for k in JSON_FIELDS}
        for extra in ("proxies", "milestones"):
            if extra in row:
                shaped[extra] = row[extra]
        rows.append(shaped)
    shaped_report = {"as_at": report["as_at"], "position": report["position"],
                     "period": report["period"], "rows": rows, "restatements": report["restatements"],
                     "restatements_since": report["restatements_since"],
                     "major_obstacles": report["major_obstacles"]}
    return json_text(shaped_report)


def as_csv(report: dict[str, Any]) -> str:
    return csv_text(({**row, "data_quality": ";".join(row["data_quality"]), "risks": ";".join(row["risks"]),
                      "actions": ";".join(row["actions"]), "restated": str(row["restated"]).lower()}
                     for row in report["rows"]), CSV_COLUMNS)


def as_table(report: dict[str, Any], colour: bool) -> str:
    rows = []
    for row in report["rows"]:
        shown = dict(row)
        if colour:
            shown["rating"] = coloured(row["rating"])
        rows.append(shown)
        if row["restated"]:
            shown["actual"] = f"{row['actual']} (restated)"
    heading = (f"RAG report for {report['period']} as at {report['as_at']} "
               f"(ledger position {report['position']})\n\n")
    since = report["restatements_since"]
    title = (f"Restatements since the report issued at position {since}" if since
             else "Restatements (all)")
    listed = (rows_text(report["restatements"], RESTATEMENT_COLUMNS, "table", tty=colour)
              if report["restatements"] else "none\n")
    obstacles = (rows_text(report["major_obstacles"], OBSTACLE_COLUMNS, "table", tty=colour)
                 if report["major_obstacles"]
                 else "none\n")
    return (heading + rows_text(rows, TABLE_COLUMNS, "table", tty=colour) + f"\n{title}:\n" + listed
            + "\nMajor obstacles (escalations at stage 2 or above, and overdue responses):\n" + obstacles)


def as_html(report: dict[str, Any]) -> str:
    counts = {r: sum(1 for row in report["rows"] if row["rating"] == r)
              for r in ("red", "amber", "green", "missing", "none")}
    return html("rag.html", report=report, counts=counts)


def as_xlsx(report: dict[str, Any]) -> bytes:
    """The RAG report as a workbook: its rows (with the basis in a sheet of its own), the
    restatements and the major obstacles, each a sheet."""
    rows = [{**row, "data_quality": ";".join(row["data_quality"]), "risks": ";".join(row["risks"]),
             "actions": ";".join(row["actions"]), "restated": str(row["restated"]).lower()}
            for row in report["rows"]]
    basis = [{"as_at": report["as_at"], "position": report["position"], "period": report["period"],
              "restatements_since": report["restatements_since"]}]
    return xlsx_bytes([("RAG " + report["period"].replace("/", "-"), rows, CSV_COLUMNS),
                       ("Restatements", report["restatements"], RESTATEMENT_COLUMNS),
                       ("Major obstacles", report["major_obstacles"], OBSTACLE_COLUMNS),
                       ("Basis", basis, ["as_at", "position", "period", "restatements_since"])])


def rag_bytes(report: dict[str, Any], fmt: str) -> bytes:
    """The report's bytes in FMT: what is hashed when it is issued, and regenerated to prove it."""
    return as_xlsx(report) if fmt == "xlsx" else render_rag(report, fmt).encode("utf-8")


def render_rag(report: dict[str, Any], fmt: str, colour: bool = False) -> str:
    if fmt == "json":
        return as_json(report)
    if fmt == "csv":
        return as_csv(report)
    if fmt == "html":
        return as_html(report)
    return as_table(report, colour)


DIFF_COLUMNS = ["indicator", "period", "from", "to", "change", "reason", "requested_by", "approved_by",
                "positions"]
DIFF_CSV_COLUMNS = ["indicator", "period", "from", "to", "position", "recorded_at", "change", "value",
                    "adjustment", "reason", "justification", "evidence", "requested_by", "approved_by"]


def diff_rows(result: dict[str, Any]) -> list[dict[str, Any]]:
    """One row per event that explains a difference (the CSV and xlsx forms)."""
    return [{**{k: d[k] for k in ("indicator", "period", "from", "to")}, **c}
            for d in result["differences"] for c in d["changes"]]


def diff_sheets(result: dict[str, Any]) -> list[Sheet]:
    return [("Differences", diff_rows(result), DIFF_CSV_COLUMNS)]


def render_diff(result: dict[str, Any], fmt: str) -> str:
    """``report diff``: one row per figure that differs; JSON keeps every explaining event."""
    if fmt == "json":
        return json_text(result)
    if fmt == "csv":
        return rows_text(diff_rows(result), DIFF_CSV_COLUMNS, "csv")
    rows = []
    for d in result["differences"]:
        last = d["changes"][-1] if d["changes"] else {}
        rows.append({**d, "change": last.get("change"), "reason": last.get("reason"),
                     "requested_by": last.get("requested_by") or last.get("actor"),
                     "approved_by": last.get("approved_by"),
                     "positions": ", ".join(str(c["position"]) for c in d["changes"])})
    start, end = result["from"], result["to"]
    heading = (f"Figures that differ between {start['as_at']} (position {start['position']}) "
               f"and {end['as_at']} (position {end['position']})\n\n")
    return heading + rows_text(rows, DIFF_COLUMNS, "table")
