"""The RAG report as table, CSV, JSON, HTML or xlsx, and the diff between two dates.

Pure functions of the report data: the same data always renders to the same bytes,
which is what lets an issued report be regenerated and proven.
"""

from __future__ import annotations

from typing import Any

from projections.reports.render import coloured, csv_text, html, json_text, rows_text
from projections.reports.workbook import Sheet, xlsx_bytes

TABLE_COLUMNS = ["indicator", "period", "actual", "target", "rating", "direction", "direction_year",
                 "status", "outlook", "escalation_stage", "data_quality", "benchmark"]
OBSTACLE_COLUMNS = ["indicator", "escalation", "stage", "status", "due", "requires", "why"]
CSV_COLUMNS = ["indicator", "title", "period", "actual", "target", "rating", "direction",
               "direction_year", "status", "restated", "outlook", "escalation_stage", "data_quality",
               "commentary", "risks", "actions", "agreement", "stretch", "benchmark_year", "benchmark_group",
               "benchmark_median", "benchmark_quartile", "benchmark_rank"]
RESTATEMENT_COLUMNS = ["indicator", "period", "before", "after", "reason", "requested_by", "approved_by",
                       "adjustment", "position"]
JSON_FIELDS = ["indicator", "title", "period", "actual", "target", "rating", "direction",
               "direction_year", "status", "restated", "outlook", "escalation_stage", "data_quality", "risks",
               "actions", "agreement", "stretch", "benchmark"]
GROUP_COLUMNS = ["priority", "title", "plan", "theme", "indicators", "red", "amber", "green", "missing",
                 "none", "improving", "unchanged", "worsening"]


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
    if "scope" in report:
        shaped_report.update(scope=report["scope"], summary=report["summary"], groups=report["groups"])
    return json_text(shaped_report)


def benchmark_cells(row: dict[str, Any]) -> dict[str, Any]:
    """A row's benchmark as flat cells (csv, xlsx): the year, group, median, quartile and rank of n."""
    b = row.get("benchmark")
    if not b:
        return {}
    return {"benchmark_year": b["period"], "benchmark_group": b["group"], "benchmark_median": b["median"],
            "benchmark_quartile": b["quartile"],
            "benchmark_rank": f"{b['rank']} of {b['of']}" if b["rank"] is not None else None}


def benchmark_text(row: dict[str, Any]) -> str:
    """A row's benchmark in a few words for a table: ``Q2 of 4, median 45.2 (2022/23)``."""
    b = row.get("benchmark")
    if not b:
        return ""
    where = f"Q{b['quartile']}, " if b["quartile"] is not None else ""
    return f"{where}median {b['median']} ({b['period']})"


def _cells(row: dict[str, Any]) -> dict[str, Any]:
    return {**row, "data_quality": ";".join(row["data_quality"]), "risks": ";".join(row["risks"]),
            "actions": ";".join(row["actions"]), "restated": str(row["restated"]).lower(),
            "stretch": str(row["stretch"]).lower(), **benchmark_cells(row)}


def grouped_rows(report: dict[str, Any]) -> list[dict[str, Any]]:
    """The rows in report order: by priority (exceptions first in each) when grouped; an indicator in
    two priorities is listed under each."""
    if not report.get("groups"):
        return list(report["rows"])
    by_code = {r["indicator"]: r for r in report["rows"]}
    return [{**by_code[code], "priority": group["priority"]}
            for group in report["groups"] for code in group["indicators"]]


def group_rows(report: dict[str, Any]) -> list[dict[str, Any]]:
    """Each priority's counts and direction of travel, one row each, then the whole report's."""
    def counts(code: str, title: str, plan: str, theme: str, indicators: int,
               summary: dict[str, Any]) -> dict[str, Any]:
        return {"priority": code, "title": title, "plan": plan, "theme": theme, "indicators": indicators,
                **summary["ratings"], **summary["direction_year"]}
    rows = [counts(g["priority"], g["title"], g["plan"], g["theme"] or "", len(g["indicators"]), g["summary"])
            for g in report.get("groups", [])]
    total = counts("all", "every indicator in scope", "", "", report["summary"]["indicators"],
                   report["summary"])
    return [*rows, total]


def as_csv(report: dict[str, Any]) -> str:
    columns = ["priority", *CSV_COLUMNS] if report.get("groups") else CSV_COLUMNS
    return csv_text((_cells(row) for row in grouped_rows(report)), columns)


def as_table(report: dict[str, Any], colour: bool) -> str:
    def shown(row: dict[str, Any]) -> dict[str, Any]:
        found = dict(row)
        if colour:
            found["rating"] = coloured(row["rating"])
        if row["restated"]:
            found["actual"] = f"{row['actual']} (restated)"
        if row["stretch"]:
            found["target"] = f"{row['target']} (stretch)"
        found["benchmark"] = benchmark_text(row)
        return found

    heading = (f"RAG report for {report['period']} as at {report['as_at']} "
               f"(ledger position {report['position']})\n")
    if "scope" in report:
        heading += "Scope: " + ", ".join(f"{k} {v}" for k, v in report["scope"].items()) + "\n"
    heading += "\n"
    if report.get("groups"):
        by_code = {r["indicator"]: r for r in report["rows"]}
        body = ""
        for group in report["groups"]:
            travel = group["summary"]["shares"]
            body += (f"Priority {group['priority']}: {group['title']} (plan {group['plan']}"
                     + (f", theme {group['theme']}" if group["theme"] else "") + ")"
                     + f" - improving {travel['improving'] or '-'}, worsening {travel['worsening'] or '-'}"
                     + " on a year ago\n")
            mine = [shown(by_code[code]) for code in group["indicators"]]
            body += (rows_text(mine, TABLE_COLUMNS, "table", tty=colour) if mine else "no indicator\n") + "\n"
        body += "Direction of travel on a year ago, by priority:\n"
        body += rows_text(group_rows(report), GROUP_COLUMNS, "table", tty=colour)
    else:
        body = rows_text([shown(r) for r in report["rows"]], TABLE_COLUMNS, "table", tty=colour)
    since = report["restatements_since"]
    title = (f"Restatements since the report issued at position {since}" if since
             else "Restatements (all)")
    listed = (rows_text(report["restatements"], RESTATEMENT_COLUMNS, "table", tty=colour)
              if report["restatements"] else "none\n")
    obstacles = (rows_text(report["major_obstacles"], OBSTACLE_COLUMNS, "table", tty=colour)
                 if report["major_obstacles"]
                 else "none\n")
    return (heading + body + f"\n{title}:\n" + listed
            + "\nMajor obstacles (escalations at stage 2 or above, and overdue responses):\n" + obstacles)


def as_html(report: dict[str, Any]) -> str:
    counts = {r: sum(1 for row in report["rows"] if row["rating"] == r)
              for r in ("red", "amber", "green", "missing", "none")}
    return html("rag.html", report=report, counts=counts)


def as_xlsx(report: dict[str, Any]) -> bytes:
    """The RAG report as a workbook: its rows (with the basis in a sheet of its own), the
    restatements and the major obstacles, each a sheet."""
    rows = [_cells(row) for row in grouped_rows(report)]
    basis = [{"as_at": report["as_at"], "position": report["position"], "period": report["period"],
              "restatements_since": report["restatements_since"], **report.get("scope", {})}]
    columns = ["priority", *CSV_COLUMNS] if report.get("groups") else CSV_COLUMNS
    sheets: list[Sheet] = [("RAG " + report["period"].replace("/", "-"), rows, columns)]
    if report.get("groups"):
        sheets.append(("Direction of travel", group_rows(report), GROUP_COLUMNS))
    return xlsx_bytes([*sheets,
                       ("Restatements", report["restatements"], RESTATEMENT_COLUMNS),
                       ("Major obstacles", report["major_obstacles"], OBSTACLE_COLUMNS),
                       ("Basis", basis, ["as_at", "position", "period", "restatements_since",
                                         *report.get("scope", {})])])


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
