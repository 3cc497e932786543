"""The annual data-quality review (000 §9.2.5) under the Audit Commission's six dimensions.

For a financial year, as believed at one ledger position: each dimension's measures,
and the exceptions behind them, each naming the positions of the events that show it
(``audit trail``, ``audit prove POSITION``). Pure of the clock: "now" is the as-at time.

- accuracy: queries raised, open and upheld; figures restated as error corrections;
- validity: returns received, validated (their current figure), not validated, and
  accepted with a validation warning (returns that fail validation are refused at entry
  and never recorded), and figures that contradict their year's others (a year-end figure
  the entry rules would refuse beside them, e.g. after a quarter was restated alone);
- reliability: revisions before a period closed, restatements by adjustment;
- timeliness: returns first recorded after their due date (the reporting lag after the
  period's end), by the ledger's recording time; returns imported as history (with the
  date of their source record) are counted apart, neither on time nor late;
- completeness: returns due by the as-at time and missing;
- relevance: indicators in force with no return for the year, or whose pro forma was
  last registered or revised before the start of the previous financial year.

What is due, missing and late is ``policies.due``'s one rule, which every report shares.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any

from sqlalchemy import Connection, RowMapping, select

from ledger.errors import Invalid
from ledger.hints import option
from ledger.values import LONDON, Frequency, Period, PeriodKind, Unit, format_utc, own_kind, periods_between
from policies import quality
from policies.due import Reporter, due_date, is_late, missing
from projections import schema as t
from projections.queries import believed, indicators, natural_key
from projections.queries.quality import day_of, query_rows, reporters, validated_keys


def year_periods(year: Period) -> list[str]:
    kinds = (PeriodKind.HALF, PeriodKind.QUARTER, PeriodKind.MONTH)
    return [str(year), *(str(p) for kind in kinds for p in periods_between(kind, year, year))]


@dataclass
class Facts:
    """What every dimension reads: the year's returns and events as believed at a position."""

    conn: Connection
    year: Period
    names: list[str]
    position: int
    moment: str
    current: list[RowMapping]
    events: list[RowMapping]
    live: list[RowMapping]
    reporters: dict[str, Reporter]  # every indicator registered by the position, retired ones too
    today: date  # the as-at time's day, in Europe/London

    def of(self, event: str) -> list[RowMapping]:
        return [e for e in self.events if e["event"] == event]


@dataclass
class Section:
    """One dimension: its measures and the exceptions behind them."""

    measures: list[dict[str, Any]] = field(default_factory=list)
    exceptions: list[dict[str, Any]] = field(default_factory=list)

    def measure(self, text: str, value: int) -> None:
        self.measures.append({"measure": text, "value": value})

    def add(self, indicator: str, period: str | None, text: str, positions: list[int]) -> None:
        self.exceptions.append({"indicator": indicator, "period": period, "exception": text,
                                "positions": positions})


def _order(row: dict[str, Any]) -> tuple[Any, ...]:
    period = Period.parse(row["period"]).sort_key if row["period"] else ()
    return natural_key(row["indicator"]), period, row["positions"]


def accuracy(facts: Facts) -> Section:
    section = Section()
    in_year = [q for q in query_rows(facts.conn, facts.position) if q["period"] in facts.names]
    corrections = [e for e in facts.of("Return.Restated") if e["reason"] == "error-correction"]
    section.measure("queries raised", len(in_year))
    section.measure("queries open", sum(1 for q in in_year if q["status"] == "open"))
    section.measure("queries upheld", sum(1 for q in in_year if q["outcome"] == "upheld"))
    section.measure("queries not upheld", sum(1 for q in in_year if q["outcome"] == "not-upheld"))
    section.measure("figures restated as error corrections", len(corrections))
    for q in in_year:
        if q["status"] == "open":
            section.add(q["indicator"], q["period"], f"query {q['id']} open: {q['note']}",
                        [q["raised_position"]])
        elif q["outcome"] == "upheld":
            section.add(q["indicator"], q["period"], f"query {q['id']} upheld: {q['resolution']}",
                        [q["raised_position"], q["resolved_position"]])
    for e in corrections:
        section.add(e["indicator"], e["period"],
                    f"error correction {e['adjustment']}: {e['before']} -> {e['after']}", [e["position"]])
    return section


def validity(facts: Facts) -> Section:
    section = Section()
    figures = {(r["indicator"], r["period"]): r["figure_position"] for r in facts.current}
    validated = validated_keys(facts.conn, facts.position, figures) if figures else set()
    warned = facts.of("Return.Warned")
    section.measure("returns received", len(facts.current))
    section.measure("returns validated (their current figure)", len(validated))
    section.measure("returns not validated", len(facts.current) - len(validated))
    section.measure("figures accepted with a validation warning", len(warned))
    inconsistent = inconsistent_years(facts)
    section.measure("figures inconsistent with their year", len(inconsistent))
    for e in warned:
        section.add(e["indicator"], e["period"], f"warned: {e['detail']}", [e["position"]])
    for code, period, problem, positions in inconsistent:
        section.add(code, period, f"inconsistent: {problem}", positions)
    for r in facts.current:
        if (r["indicator"], r["period"]) not in validated:
            section.add(r["indicator"], r["period"], f"not validated: {r['value']}", [r["figure_position"]])
    return section


def inconsistent_years(facts: Facts) -> list[tuple[str, str, str, list[int]]]:
    """(indicator, period, problem, positions) for each figure of the year that the year-end rules at
    entry would refuse beside the year's others as they stand (e.g. a quarter restated alone)."""
    figures: dict[str, dict[Period, tuple[Decimal, int]]] = {}
    for r in facts.current:
        figures.setdefault(r["indicator"], {})[Period.parse(r["period"])] = (
            Decimal(r["value"]), r["figure_position"])
    found = []
    for i in facts.live:
        held = figures.get(i["code"], {})
        if facts.year not in held:
            continue
        shape = quality.Shape(Unit(i["unit"]), own_kind(Frequency(i["frequency"])), bool(i["cumulative"]))
        values = {p: v for p, (v, _) in held.items()}
        read = sorted(position for _, position in held.values())  # every figure the rule read
        for period, value in sorted(values.items(), key=lambda item: item[0].sort_key):
            others = {p: v for p, v in values.items() if p != period}
            for problem in quality.year_end(shape, period, value, others, in_file=True, year_in_file=True):
                found.append((i["code"], str(period), problem.message, read))
    return found


def reliability(facts: Facts) -> Section:
    section = Section()
    revised, restated = facts.of("Return.Revised"), facts.of("Return.Restated")
    section.measure("revisions before the period closed", len(revised))
    section.measure("returns revised", len({(e["indicator"], e["period"]) for e in revised}))
    section.measure("figures restated by adjustment", len(restated))
    for e in revised:
        section.add(e["indicator"], e["period"], f"revised {e['before']} -> {e['after']}: {e['reason']}",
                    [e["position"]])
    for e in restated:
        section.add(e["indicator"], e["period"],
                    f"restated {e['before']} -> {e['after']} by {e['adjustment']} ({e['reason']})",
                    [e["position"]])
    return section


def timeliness(facts: Facts) -> Section:
    section = Section()
    submitted = {(e["indicator"], e["period"]): e["position"] for e in facts.of("Return.Submitted")}
    late = history = 0
    for r in facts.current:
        period, lag = Period.parse(r["period"]), facts.reporters[r["indicator"]].lag
        due = due_date(period, lag)
        key = (r["indicator"], r["period"])
        positions = [submitted[key]] if key in submitted else []
        if r["history"] is not None:
            history += 1
            section.add(r["indicator"], r["period"],
                        f"imported as history, from a record dated {r['history']} (first recorded "
                        f"{r['first_recorded_at']}): neither on time nor late", positions)
        elif is_late(period, lag, day_of(r["first_recorded_at"]), history=False):
            late += 1
            section.add(r["indicator"], r["period"],
                        f"late: due {due.isoformat()}, first recorded {r['first_recorded_at']}", positions)
    section.measure("returns received", len(facts.current))
    section.measure("returns received on time", len(facts.current) - late - history)
    section.measure("returns received late", late)
    section.measure("returns imported as history", history)
    return section


def completeness(facts: Facts) -> Section:
    """Returns of the year due by the as-at time, and those missing (``policies.due``'s rule)."""
    section = Section()
    held = {(r["indicator"], r["period"]) for r in facts.current}
    owing = sorted(facts.reporters.values(), key=lambda r: natural_key(r.code))
    for item in missing(owing, facts.year, facts.today, held):
        section.add(item.indicator, str(item.period), f"missing: due {item.due.isoformat()}", [])
    section.measure("returns due by the as-at time", len(missing(owing, facts.year, facts.today, set())))
    section.measure("returns missing", len(section.exceptions))
    return section


def relevance(facts: Facts) -> Section:
    section = Section()
    with_returns = {r["indicator"] for r in facts.current}
    stale_before = format_utc(datetime.combine(facts.year.year_earlier().start, time(0), tzinfo=LONDON))
    no_returns = [i for i in facts.live if i["code"] not in with_returns]
    stale = [i for i in facts.live if i["recorded_at"] < stale_before]
    section.measure("indicators in force", len(facts.live))
    section.measure("indicators with no return for the year", len(no_returns))
    section.measure("indicators not reviewed since the start of the previous year", len(stale))
    for i in no_returns:
        section.add(i["code"], None, "no return for the year", [i["from_position"]])
    for i in stale:
        section.add(i["code"], None, f"pro forma last changed {i['recorded_at']} (revision {i['revision']})",
                    [i["from_position"]])
    return section


# The six dimensions, in the order the review shows them (and the order they are computed is free).
DIMENSIONS: dict[str, Callable[[Facts], Section]] = {
    "accuracy": accuracy, "validity": validity, "reliability": reliability,
    "timeliness": timeliness, "relevance": relevance, "completeness": completeness,
}


def facts(conn: Connection, year: Period, position: int, as_at: datetime) -> Facts:
    """The year's returns, events and indicators as believed at POSITION (refused if there are none)."""
    if year.kind is not PeriodKind.YEAR:
        raise Invalid(f"{option('year')} {year} is not a financial year: give one like 2008/09")
    names = year_periods(year)
    rv, ev = t.return_versions, t.events
    current = list(conn.execute(select(rv).where(believed(rv, position), rv.c.period.in_(names))).mappings())
    events = list(conn.execute(select(ev).where(ev.c.position <= position, ev.c.period.in_(names))
                               .order_by(ev.c.position)).mappings())
    targets = conn.execute(select(t.targets.c.period).where(believed(t.targets, position),
                                                            t.targets.c.period.in_(names)).limit(1)).first()
    if not current and not events and targets is None:
        raise Invalid(f"no ledger data for {year} as at {format_utc(as_at)}: no returns, targets or queries "
                      f"for any of its periods; choose another {option('year')}")
    return Facts(conn, year, names, position, format_utc(as_at), current, events,
                 [i for i in indicators(conn, position) if not i["retired"]], reporters(conn, position),
                 as_at.astimezone(LONDON).date())


def build(conn: Connection, year: Period, position: int, as_at: datetime) -> dict[str, Any]:
    found = facts(conn, year, position, as_at)
    dimensions = []
    for name, dimension in DIMENSIONS.items():
        section = dimension(found)
        section.exceptions.sort(key=_order)
        dimensions.append({"dimension": name, "measures": section.measures, "exceptions": section.exceptions})
    return {"year": str(year), "as_at": found.moment, "position": position, "dimensions": dimensions}
