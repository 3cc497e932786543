"""The RAG report as at a ledger position: a pure function of (position, arguments, as-at time).

Every figure is read "as believed at the position" from the bitemporal views, so the report
costs the same whether the ledger holds one year or ten, and an explicit ``--as-at`` always
gives byte-identical output.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any

from sqlalchemy import Connection, RowMapping, select

from ledger.values import LONDON, Frequency, Period, PeriodKind, Polarity, Target, format_utc, own_kind
from policies import rag
from policies.due import Reporter, due_date, is_late, is_missing
from projections import schema as t
from projections.queries import actions as action_queries
from projections.queries import among, believed, escalations, indicators, natural_key
from projections.queries import benchmarks as benchmark_queries
from projections.queries import plans as plan_queries
from projections.queries import risks as risk_queries
from projections.queries.plans import Scope
from projections.queries.quality import add_flags, day_of, reporters
from projections.reports import grouping

LEVEL_UNITS = {"percent", "rate", "ratio", "days", "number", "currency"}


def default_period(as_at: datetime) -> Period:
    """The last quarter that ended on or before the as-at time."""
    local = as_at.astimezone(LONDON)
    quarter = Period.containing(PeriodKind.QUARTER, local.date())
    if not (quarter.end == local.date() and local.time() >= time(23, 59, 59)):
        quarter = quarter.previous()
    return quarter


def row_period(frequency: Frequency, report: Period) -> Period:
    """The indicator's latest own period ending on or before the end of the report period."""
    if frequency is Frequency.ANNUAL and report.kind is PeriodKind.YEAR:
        return report
    kind = own_kind(frequency)
    found = Period.containing(kind, report.end)
    return found if found.end <= report.end else found.previous()


def _dec(value: str | None) -> Decimal | None:
    return None if value is None else Decimal(value)


def _goal(row: RowMapping | None) -> Target | None:
    if row is None:
        return None
    return Target(_dec(row["value"]), _dec(row["low"]), _dec(row["high"]),
                    _dec(row["monitoring_level"]), _dec(row["monitoring_low"]),
                    _dec(row["monitoring_high"]))


def _target_text(row: RowMapping | None) -> str | None:
    if row is None:
        return None
    return f"{row['low']}..{row['high']}" if row["low"] is not None else row["value"]


def _by_key(rows: Iterable[RowMapping], *keys: str) -> dict[tuple[str, ...], RowMapping]:
    return {tuple(r[k] for k in keys): r for r in rows}


def build(conn: Connection, position: int, as_at: datetime, period: Period | None = None,
          scope: Scope | None = None) -> dict[str, Any]:
    """The report's data, shaped as CLI.md's JSON.

    ``restatements`` lists the adjustments approved after the basis of the last report of
    this kind issued at or before ``position`` (all of them if none was issued yet). A SCOPE
    (``--plan``, ``--priority``, ``--theme``) narrows the rows and, by priority, groups them.
    """
    report_period = period or default_period(as_at)
    scope = scope or Scope()
    only = scope.codes()  # a plan's or a priority's report reads its own indicators' rows, not every one
    live = [i for i in indicators(conn, position, codes=only)
            if not i["retired"] and scope.admits(i["code"], i["theme"])]
    plans: dict[str, tuple[Period, list[Period]]] = {}
    for ind in live:
        own = row_period(Frequency(ind["frequency"]), report_period)
        related = [own, own.previous(), own.year_earlier()]
        if report_period.kind is PeriodKind.YEAR:  # the year's outturn and the year before, for direction
            related += [report_period, report_period.previous()]
        plans[ind["code"]] = (own, related + own.enclosing())
    wanted = sorted({str(p) for _, periods in plans.values() for p in periods})
    returns = _by_key(believed_in(conn, t.return_versions, position, wanted, only), "indicator", "period")
    targets = _by_key(believed_in(conn, t.targets, position, wanted, only), "indicator", "period")
    outlooks = _by_key(among(conn, select(t.outlooks).where(believed(t.outlooks, position)),
                             t.outlooks.c.indicator, only), "indicator", "year")
    milestones = among(conn, select(t.milestones).where(believed(t.milestones, position))
                       .order_by(t.milestones.c.due, t.milestones.c.id), t.milestones.c.indicator, only)
    rules = rating_rules(conn, position)
    as_at_text = format_utc(as_at)
    today = as_at.astimezone(LONDON).date()
    owing = reporters(conn, position, only)
    rows = []
    agreed = plan_queries.agreed(conn, position, only)
    for ind in sorted(live, key=lambda i: natural_key(i["code"])):
        code = ind["code"]
        own, _ = plans[code]
        if report_period.kind is PeriodKind.YEAR and (code, str(report_period)) in returns:
            own = report_period  # a year-end report rates the year's own return, its outturn
        row = _row(ind, own, returns, targets, outlooks, rules, owing[code], today)
        held = agreed.get((code, str(own.financial_year)))
        agreed_with = row.pop("agreed_with")
        row["agreement"] = held["agreement"] if held and agreed_with == held["agreement"] else None
        row["stretch"] = bool(held and held["stretch"] is not None and row["target"] == held["stretch"])
        rows.append(row)
    add_flags(conn, position, rows, returns)
    by_code = {r["indicator"]: r for r in rows}
    for ind in live:
        if ind["proxy_for"] and ind["proxy_for"] in by_code:
            proxy = by_code[ind["code"]]
            by_code[ind["proxy_for"]].setdefault("proxies", []).append(
                {"indicator": ind["code"], "period": proxy["period"], "actual": proxy["actual"],
                 "rating": proxy["rating"]})
    for m in milestones:
        if m["indicator"] in by_code:
            by_code[m["indicator"]].setdefault("milestones", []).append(
                {"id": m["id"], "title": m["title"], "due": m["due"], "status": m["status"]})
    add_benchmarks(conn, position, rows, {i["code"]: i for i in live}, report_period, only)
    stages = escalations.open_stages(conn, position)
    today = escalations.as_at_date(as_at)
    risks = risk_queries.linked(conn, position, today)
    planned = action_queries.by_indicator(conn, position, today)
    for row in rows:
        row["escalation_stage"] = stages.get(row["indicator"])
        exception = row["rating"] in (rag.RED, rag.AMBER)  # what is being done, for red and amber rows
        row["risks"] = [r["code"] for r in risks.get(row["indicator"], [])] if exception else []
        row["actions"] = [a["id"] for a in planned.get(row["indicator"], [])] if exception else []
    in_force = {ind["code"] for ind in live}
    obstacles = [o for o in escalations.major_obstacles(
        escalations.cases(conn, position, escalations.as_at_date(as_at))) if o["indicator"] in in_force]
    since = last_issued(conn, "rag", position)
    restated = restatements(conn, since, position)
    if scope.narrowed:
        restated = [r for r in restated if r["indicator"] in in_force]
    report = {"as_at": as_at_text, "position": position, "period": str(report_period), "rows": rows,
              "restatements": restated, "restatements_since": since, "major_obstacles": obstacles}
    if scope.narrowed:
        report["scope"] = scope.basis()
        report["summary"] = grouping.summary(rows)
        report["groups"] = grouping.groups(rows, scope) if scope.grouped else []
    return report


def add_benchmarks(conn: Connection, position: int, rows: list[dict[str, Any]],
                   live: dict[str, RowMapping], report_period: Period, only: list[str] | None = None) -> None:
    """Give each row its benchmark: the latest published year ending by the report period's end
    (``latest_benchmarks``), and where the council stands - by the ledger's own figure for that year
    (the year's return, else its last own period's, as a year-end report rates it), else by its
    published value - with the group's n, median and quartiles counting the council's figure among
    the others' (as ``benchmark show`` does); None where no benchmark is held."""
    found = benchmark_queries.latest_benchmarks(conn, position, [r["indicator"] for r in rows], report_period)
    wanted: set[str] = set()
    for code, figures in found.items():
        year = Period.parse(figures.period)
        wanted |= {figures.period, str(row_period(Frequency(live[code]["frequency"]), year))}
    held = _by_key(believed_in(conn, t.return_versions, position, sorted(wanted), only),
                   "indicator", "period")
    for row in rows:
        row["benchmark"] = None
        if row["indicator"] not in found:
            continue
        figures = found[row["indicator"]]
        year = Period.parse(figures.period)
        own = [held.get((row["indicator"], str(p))) for p in
               (year, row_period(Frequency(live[row["indicator"]]["frequency"]), year))]
        mine = next((r for r in own if r is not None and r["value"] is not None), None)
        figure = Decimal(mine["value"]) if mine is not None else figures.own_published
        standing = figures.standing(figure, Polarity(row["polarity"])) if figure is not None else None
        spread = standing.summary if standing else figures  # the council's figure among them, when held
        row["benchmark"] = {
            "period": figures.period, "group": figures.group, "n": spread.n, "q1": str(spread.q1),
            "median": str(spread.median), "q3": str(spread.q3),
            "figure": None if figure is None else str(figure),
            "figure_from": None if figure is None else (f"ledger {mine['period']}" if mine is not None
                                                        else "published"),
            "quartile": standing.quartile if standing else None, "rank": standing.rank if standing else None,
            "of": standing.n if standing else None,
        }


def last_issued(conn: Connection, kind: str, position: int) -> int:
    """The basis position of the last report of ``kind`` issued at or before ``position`` (0: none)."""
    basis = conn.execute(select(t.issued_reports.c.basis).where(
        t.issued_reports.c.kind == kind, t.issued_reports.c.position <= position)
        .order_by(t.issued_reports.c.position.desc()).limit(1)).scalar()
    return int(json.loads(basis)["position"]) if basis else 0


def restatements(conn: Connection, since: int, position: int) -> list[dict[str, Any]]:
    """Every figure restated by an adjustment approved in (since, position], in approval order."""
    a, i = t.adjustments, t.adjustment_items
    query = (select(a.c.id, a.c.indicator, a.c.reason, a.c.justification, a.c.evidence, a.c.revision,
                    a.c.requested_by, a.c.decided_by, a.c.decided_at, a.c.decided_position, i.c.period,
                    i.c.before, i.c.value)
             .join(i, i.c.id == a.c.id)
             .where(a.c.status == "approved", a.c.decided_position > since, a.c.decided_position <= position))
    found = sorted(conn.execute(query).mappings(),
                   key=lambda r: (r["decided_position"], natural_key(r["indicator"]),
                                  Period.parse(r["period"]).start))
    return [{"adjustment": r["id"], "indicator": r["indicator"], "period": r["period"],
             "before": r["before"], "after": r["value"], "reason": r["reason"],
             "justification": r["justification"],
             "evidence": r["evidence"] or f"indicator revision {r['revision']}",
             "requested_by": r["requested_by"], "approved_by": r["decided_by"],
             "approved_at": r["decided_at"], "position": r["decided_position"]} for r in found]


def believed_in(conn: Connection, table: Any, position: int, periods: list[str],
                codes: Sequence[str] | None = None) -> list[RowMapping]:
    """TABLE's rows for PERIODS believed at POSITION (CODES: of those indicators only)."""
    found: list[RowMapping] = []
    for start in range(0, len(periods), 500):
        query = select(table).where(table.c.period.in_(periods[start:start + 500]),
                                    believed(table, position))
        found.extend(among(conn, query, table.c.indicator, codes))
    return found


def rating_rules(conn: Connection, position: int) -> list[tuple[Period | None, Decimal]]:
    initial = conn.execute(select(t.settings.c.value).where(
        t.settings.c.key == "tolerance", believed(t.settings, position))).scalar()
    rules: list[tuple[Period | None, Decimal]] = [(None, Decimal(initial or "5"))]
    query = select(t.rag_rules).where(t.rag_rules.c.position <= position).order_by(t.rag_rules.c.position)
    for rule in conn.execute(query).mappings():
        start = Period.parse(rule["from_period"]) if rule["from_period"] else None
        rules.append((start, Decimal(rule["tolerance"])))
    return rules


def _row(ind: RowMapping, own: Period, returns: dict[tuple[str, ...], RowMapping],
         targets: dict[tuple[str, ...], RowMapping], outlooks: dict[tuple[str, ...], RowMapping],
         rules: list[tuple[Period | None, Decimal]], reporter: Reporter, today: date) -> dict[str, Any]:
    code = ind["code"]
    polarity = Polarity(ind["polarity"])
    got = returns.get((code, str(own)))
    actual = _dec(got["value"]) if got else None
    target_row = targets.get((code, str(own)))
    if target_row is None and ind["unit"] in LEVEL_UNITS and not ind["tracker"]:
        target_row = next((targets[(code, str(p))] for p in own.enclosing()
                           if (code, str(p)) in targets), None)
    goal = _goal(target_row)
    due = due_date(own, ind["reporting_lag"])
    if ind["tracker"]:
        rating = rag.NONE
    elif actual is None:
        rating = rag.MISSING if is_missing(reporter, own, today, held=False) else rag.NONE
    elif goal is None:
        rating = rag.NONE
    else:
        tolerance = rag.tolerance_for(_dec(target_row["tolerance"]) if target_row else None,
                                      _dec(ind["tolerance"]), rag.default_tolerance(rules, own))
        rating = rag.rate(actual, goal, polarity, tolerance)
    previous = returns.get((code, str(own.previous())))
    year_ago = returns.get((code, str(own.year_earlier())))
    cumulative = bool(ind["cumulative"]) and own.kind is not PeriodKind.YEAR
    quality = []
    if got is not None:
        if got["status"] == "estimate":
            quality.append("estimated")
        if is_late(own, ind["reporting_lag"], day_of(got["first_recorded_at"]), got["history"] is not None):
            quality.append("late")
    outlook = outlooks.get((code, str(own.financial_year)))
    return {
        "indicator": code, "title": ind["title"], "period": str(own),
        "actual": got["value"] if got else None, "target": _target_text(target_row),
        "rating": rating,
        "direction": None if cumulative else rag.direction(
            actual, _dec(previous["value"]) if previous else None, polarity, goal),
        "direction_year": rag.direction(actual, _dec(year_ago["value"]) if year_ago else None,
                                        polarity, goal),
        "status": got["status"] if got else None, "restated": bool(got and got["adjustment"]),
        "outlook": outlook["outlook"] if outlook else None, "escalation_stage": None,
        "data_quality": quality, "unit": ind["unit"], "polarity": ind["polarity"],
        "commentary": got["commentary"] if got else None, "due": due.isoformat(),
        "agreed_with": target_row["agreed_with"] if target_row is not None else None,
    }
