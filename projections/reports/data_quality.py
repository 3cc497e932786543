"""The annual data-quality review (000 §9.2.5) under the Audit Commission's six dimensions.

For a financial year, as believed at one ledger position: each dimension's measures,
and the exceptions behind them, each naming the positions of the events that show it
(``audit trail``, ``audit prove POSITION``). Pure of the clock: "now" is the as-at time.

- accuracy: queries raised, open and upheld; figures restated as error corrections;
- validity: returns received, validated (their current figure), not validated, and
  accepted with a validation warning (returns that fail validation are refused at entry
  and never recorded);
- reliability: revisions before a period closed, restatements by adjustment;
- timeliness: returns first recorded after their due date (the reporting lag after the
  period's end), by the ledger's recording time;
- completeness: returns due by the as-at time and missing;
- relevance: indicators in force with no return for the year, or whose pro forma was
  last registered or revised before the start of the previous financial year.
"""

from __future__ import annotations

from datetime import datetime, time
from typing import Any

from sqlalchemy import Connection, select

from ledger.errors import Invalid
from ledger.values import LONDON, Frequency, Period, PeriodKind, format_utc, own_kind, periods_between
from projections import schema as t
from projections.queries import believed, indicators, natural_key
from projections.queries.quality import (
    due_date,
    end_of_day,
    expected,
    query_rows,
    registered_on,
    validated_keys,
)

DIMENSIONS = ("accuracy", "validity", "reliability", "timeliness", "relevance", "completeness")


def year_periods(year: Period) -> list[str]:
    kinds = (PeriodKind.HALF, PeriodKind.QUARTER, PeriodKind.MONTH)
    return [str(year), *(str(p) for kind in kinds for p in periods_between(kind, year, year))]


def _exception(indicator: str, period: str | None, text: str, positions: list[int]) -> dict[str, Any]:
    return {"indicator": indicator, "period": period, "exception": text, "positions": positions}


def _order(row: dict[str, Any]) -> tuple[Any, ...]:
    period = Period.parse(row["period"]).sort_key if row["period"] else ()
    return natural_key(row["indicator"]), period, row["positions"]


def build(conn: Connection, year: Period, position: int, as_at: datetime) -> dict[str, Any]:
    if year.kind is not PeriodKind.YEAR:
        raise Invalid(f"--year {year} is not a financial year: give one like 2008/09")
    names = year_periods(year)
    rv, ev = t.return_versions, t.events
    current = list(conn.execute(select(rv).where(believed(rv, position), rv.c.period.in_(names))).mappings())
    events = list(
        conn.execute(
            select(ev).where(ev.c.position <= position, ev.c.period.in_(names)).order_by(ev.c.position)
        ).mappings()
    )
    targets = conn.execute(
        select(t.targets.c.period)
        .where(believed(t.targets, position), t.targets.c.period.in_(names))
        .limit(1)
    ).first()
    if not current and not events and targets is None:
        raise Invalid(
            f"no ledger data for {year} as at {format_utc(as_at)}: no returns, targets or queries "
            "for any of its periods; choose another --year"
        )
    live = [i for i in indicators(conn, position) if not i["retired"]]
    lags = {i["code"]: i["reporting_lag"] for i in indicators(conn, position, include_retired=True)}
    moment = format_utc(as_at)
    submitted = {
        (e["indicator"], e["period"]): e["position"] for e in events if e["event"] == "Return.Submitted"
    }
    sections: dict[str, dict[str, list[dict[str, Any]]]] = {
        d: {"measures": [], "exceptions": []} for d in DIMENSIONS
    }

    def measure(dimension: str, text: str, value: int) -> None:
        sections[dimension]["measures"].append({"measure": text, "value": value})

    def add(dimension: str, indicator: str, period: str | None, text: str, positions: list[int]) -> None:
        sections[dimension]["exceptions"].append(_exception(indicator, period, text, positions))

    # accuracy
    in_year = [q for q in query_rows(conn, position) if q["period"] in names]
    upheld = [q for q in in_year if q["outcome"] == "upheld"]
    corrections = [e for e in events if e["event"] == "Return.Restated" and e["reason"] == "error-correction"]
    measure("accuracy", "queries raised", len(in_year))
    measure("accuracy", "queries open", sum(1 for q in in_year if q["status"] == "open"))
    measure("accuracy", "queries upheld", len(upheld))
    measure("accuracy", "queries not upheld", sum(1 for q in in_year if q["outcome"] == "not-upheld"))
    measure("accuracy", "figures restated as error corrections", len(corrections))
    for q in in_year:
        if q["status"] == "open":
            add(
                "accuracy",
                q["indicator"],
                q["period"],
                f"query {q['id']} open: {q['note']}",
                [q["raised_position"]],
            )
        elif q["outcome"] == "upheld":
            add(
                "accuracy",
                q["indicator"],
                q["period"],
                f"query {q['id']} upheld: {q['resolution']}",
                [q["raised_position"], q["resolved_position"]],
            )
    for e in corrections:
        add(
            "accuracy",
            e["indicator"],
            e["period"],
            f"error correction {e['adjustment']}: {e['before']} -> {e['after']}",
            [e["position"]],
        )
    # validity
    figures = {(r["indicator"], r["period"]): r["figure_position"] for r in current}
    validated = validated_keys(conn, position, figures) if figures else set()
    warned = [e for e in events if e["event"] == "Return.Warned"]
    measure("validity", "returns received", len(current))
    measure("validity", "returns validated (their current figure)", len(validated))
    measure("validity", "returns not validated", len(current) - len(validated))
    measure("validity", "figures accepted with a validation warning", len(warned))
    for e in warned:
        add("validity", e["indicator"], e["period"], f"warned: {e['detail']}", [e["position"]])
    for r in current:
        if (r["indicator"], r["period"]) not in validated:
            add(
                "validity",
                r["indicator"],
                r["period"],
                f"not validated: {r['value']}",
                [r["figure_position"]],
            )
    # reliability
    revised = [e for e in events if e["event"] == "Return.Revised"]
    restated = [e for e in events if e["event"] == "Return.Restated"]
    measure("reliability", "revisions before the period closed", len(revised))
    measure("reliability", "returns revised", len({(e["indicator"], e["period"]) for e in revised}))
    measure("reliability", "figures restated by adjustment", len(restated))
    for e in revised:
        add(
            "reliability",
            e["indicator"],
            e["period"],
            f"revised {e['before']} -> {e['after']}: {e['reason']}",
            [e["position"]],
        )
    for e in restated:
        add(
            "reliability",
            e["indicator"],
            e["period"],
            f"restated {e['before']} -> {e['after']} by {e['adjustment']} ({e['reason']})",
            [e["position"]],
        )
    # timeliness
    late = []
    for r in current:
        due = due_date(Period.parse(r["period"]), lags.get(r["indicator"], 0))
        if r["first_recorded_at"] > end_of_day(due):
            late.append(r)
            key = (r["indicator"], r["period"])
            add(
                "timeliness",
                r["indicator"],
                r["period"],
                f"late: due {due.isoformat()}, first recorded {r['first_recorded_at']}",
                [submitted[key]] if key in submitted else [],
            )
    measure("timeliness", "returns received", len(current))
    measure("timeliness", "returns received on time", len(current) - len(late))
    measure("timeliness", "returns received late", len(late))
    # completeness
    held = {(r["indicator"], r["period"]) for r in current}
    registered = registered_on(conn, position)
    due_count = 0
    for ind in sorted(live, key=lambda i: natural_key(i["code"])):
        kind = own_kind(Frequency(ind["frequency"]))
        periods = [*periods_between(kind, year, year), *([year] if kind is not PeriodKind.YEAR else [])]
        for period in periods:
            due = due_date(period, ind["reporting_lag"])
            if moment <= end_of_day(due) or not expected(
                period, ind["reporting_lag"], registered.get(ind["code"])
            ):
                continue
            due_count += 1
            if (ind["code"], str(period)) not in held:
                add("completeness", ind["code"], str(period), f"missing: due {due.isoformat()}", [])
    measure("completeness", "returns due by the as-at time", due_count)
    measure("completeness", "returns missing", len(sections["completeness"]["exceptions"]))
    # relevance
    with_returns = {r["indicator"] for r in current}
    stale_before = format_utc(datetime.combine(year.year_earlier().start, time(0), tzinfo=LONDON))
    measure("relevance", "indicators in force", len(live))
    no_returns = [i for i in live if i["code"] not in with_returns]
    stale = [i for i in live if i["recorded_at"] < stale_before]
    measure("relevance", "indicators with no return for the year", len(no_returns))
    measure("relevance", "indicators not reviewed since the start of the previous year", len(stale))
    for i in no_returns:
        add("relevance", i["code"], None, "no return for the year", [i["from_position"]])
    for i in stale:
        add(
            "relevance",
            i["code"],
            None,
            f"pro forma last changed {i['recorded_at']} (revision {i['revision']})",
            [i["from_position"]],
        )
    for section in sections.values():
        section["exceptions"].sort(key=_order)
    return {
        "year": str(year),
        "as_at": moment,
        "position": position,
        "dimensions": [{"dimension": d, **sections[d]} for d in DIMENSIONS],
    }
