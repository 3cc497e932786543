"""The integrated performance report (issue 14): what a board reads, as at a ledger position.

Built on the RAG report's rows (so both rate alike), it adds a one-page summary (counts by rating,
direction of travel), the exceptions first - red, then amber - each with its trend, commentary,
outlook, escalation and data-quality flags; the good news (green and improving); the
restatements since the last issued report; the major obstacles; and every indicator in a closing
table. A pure function of (position, period, as-at time, theme, digest): regenerated from its
basis it gives the same bytes, which is what lets it be issued and proven.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import Connection

from ledger.values import Frequency, Period, Polarity, own_kind
from policies import rag as rating
from projections import schema as t
from projections.queries import actions as action_queries
from projections.queries import escalations, indicators
from projections.queries import plans as plan_queries
from projections.queries import risks as risk_queries
from projections.queries.plans import Scope
from projections.reports import grouping, rag
from projections.reports.charts import Point

TREND_LENGTH = 8  # periods in each chart, the row's own and those before it
RATINGS = ("red", "amber", "green", "missing", "none")


def build(
    conn: Connection,
    position: int,
    as_at: datetime,
    period: Period,
    scope: Scope | None = None,
    digest: str | None = None,
) -> dict[str, Any]:
    scope = scope or Scope()
    base = rag.build(conn, position, as_at, period, scope)
    live = {i["code"]: i for i in indicators(conn, position)}
    rows = base["rows"]
    themes = sorted({i["theme"] for i in live.values() if i["theme"]})
    trends = _trends(conn, position, rows, live)
    today = escalations.as_at_date(as_at)
    cases = escalations.cases(conn, position, today)
    risks = risk_queries.linked(conn, position, today)
    plans = action_queries.by_indicator(conn, position, today)
    shares = plan_queries.contributions(conn, position)
    for row in rows:
        row["contributions"] = shares.get((row["indicator"], row["period"]), [])
        row["risks"] = [{k: r[k] for k in ("code", "title", "register", "residual", "band", "proposed")}
                        for r in risks.get(row["indicator"], [])]
        row["actions"] = [{k: a[k] for k in ("id", "title", "lead", "due", "percent", "overdue")}
                          for a in plans.get(row["indicator"], [])]
        row["theme"] = live[row["indicator"]]["theme"]
        row["trend"] = [_point_json(p) for p in trends[row["indicator"]]]
        row["cases"] = _cases(
            conn,
            position,
            [c for c in cases if c["indicator"] == row["indicator"] and c["status"] != "closed"],
        )
    exceptions = [r for r in grouping.exceptions_first(rows) if r["rating"] in ("red", "amber")]
    good = [
        r for r in rows if r["rating"] == "green" and "improving" in (r["direction"], r["direction_year"])
    ]
    codes = {r["indicator"] for r in rows}
    since = max(rag.last_issued(conn, "rag", position), rag.last_issued(conn, "performance", position))
    return {
        "kind": "performance",
        "period": base["period"],
        "as_at": base["as_at"],
        "position": position,
        "digest": digest,
        "theme": scope.theme,
        "plan": scope.plan,
        "priority": scope.priority,
        "themes": themes,
        "summary": grouping.summary(rows),
        "groups": grouping.groups(rows, scope) if scope.grouped else [],
        "exceptions": exceptions,
        "good": good,
        "rows": rows,
        "restatements": [r for r in rag.restatements(conn, since, position) if r["indicator"] in codes],
        "restatements_since": since,
        "major_obstacles": [o for o in base["major_obstacles"] if o["indicator"] in codes],
    }


def _cases(conn: Connection, position: int, found: list[dict[str, Any]]) -> list[dict[str, Any]]:
    shown = []
    for case in found:
        responses = [
            {"actor": h["actor"], "note": h["note"], "plan": h.get("plan"), "at": h["recorded_at"]}
            for h in escalations.history(conn, case["id"], position)
            if h["action"] == "responded"
        ]
        shown.append(
            {
                "id": case["id"],
                "stage": case["stage"],
                "status": case["status"],
                "due": case["due"],
                "requires": case.get("requires"),
                "responses": responses,
            }
        )
    return shown


def _trends(
    conn: Connection, position: int, rows: list[dict[str, Any]], live: dict[str, Any]
) -> dict[str, list[Point]]:
    """Each row's last TREND_LENGTH periods of its own kind, as believed at POSITION."""
    wanted: dict[str, list[Period]] = {}
    for row in rows:
        # the indicator's own periods up to the row's (a year-end row charts the quarters before it)
        kind = own_kind(Frequency(live[row["indicator"]]["frequency"]))
        end = Period.parse(row["period"]).end
        last = Period.containing(kind, end)
        periods = [last]
        while len(periods) < TREND_LENGTH:
            periods.insert(0, periods[0].previous())
        wanted[row["indicator"]] = periods
    names = sorted({str(q) for periods in wanted.values() for p in periods for q in [p, *p.enclosing()]})
    returns = {
        (r["indicator"], r["period"]): r for r in rag.believed_in(conn, t.return_versions, position, names)
    }
    targets = {(r["indicator"], r["period"]): r for r in rag.believed_in(conn, t.targets, position, names)}
    rules = rag.rating_rules(conn, position)
    found: dict[str, list[Point]] = {}
    for code, periods in wanted.items():
        ind = live[code]
        found[code] = [
            _point(ind, p, returns.get((code, str(p))), _target(ind, p, targets), rules) for p in periods
        ]
    return found


def _target(ind: Any, period: Period, targets: dict[tuple[str, str], Any]) -> Any:
    own = targets.get((ind["code"], str(period)))
    if own is not None or ind["unit"] not in rag.LEVEL_UNITS or ind["tracker"]:
        return own
    return next(
        (targets[(ind["code"], str(p))] for p in period.enclosing() if (ind["code"], str(p)) in targets), None
    )


def _point(
    ind: Any, period: Period, got: Any, target: Any, rules: list[tuple[Period | None, Decimal]]
) -> Point:
    actual = Decimal(got["value"]) if got else None
    restated = bool(got and got["adjustment"])
    if target is None or target["value"] is None:  # none, or a range: no single line to draw
        return Point(str(period), actual, restated=restated)
    value = Decimal(target["value"])
    level = Decimal(target["monitoring_level"]) if target["monitoring_level"] is not None else None
    if level is not None:
        band = level
    else:
        tolerance = rating.tolerance_for(
            Decimal(target["tolerance"]) if target["tolerance"] else None,
            Decimal(ind["tolerance"]) if ind["tolerance"] else None,
            rating.default_tolerance(rules, period),
        )
        width = abs(value) * tolerance / Decimal(100)
        band = value - width if Polarity(ind["polarity"]) is Polarity.HIGHER else value + width
    return Point(str(period), actual, value, band, level, restated)


def _point_json(point: Point) -> dict[str, Any]:
    def text(v: Decimal | None) -> str | None:
        return None if v is None else str(v)

    return {
        "period": point.period,
        "actual": text(point.actual),
        "target": text(point.target),
        "band": text(point.band),
        "monitoring_level": text(point.level),
        "restated": point.restated,
    }


def points(row: dict[str, Any]) -> list[Point]:
    """A row's trend, back from its JSON form, for the chart."""

    def dec(v: str | None) -> Decimal | None:
        return None if v is None else Decimal(v)

    return [
        Point(
            p["period"],
            dec(p["actual"]),
            dec(p["target"]),
            dec(p["band"]),
            dec(p["monitoring_level"]),
            p["restated"],
        )
        for p in row["trend"]
    ]
