"""The internal-audit evidence pack for a financial year, read as at one ledger position.

``build`` returns the pack's tables (rows in a fixed order) and its controls summary;
``write`` puts them in a folder with the chain digest and the inclusion proofs of the
adjustment decisions. Every row comes from the views believed at ``position``, and
"now" is the recording time of that position, so the same ledger always gives the
same pack, byte for byte.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any, Protocol

from sqlalchemy import Connection, select

from ledger.store.chain import Digest
from ledger.store.proofs import InclusionProof
from ledger.values import LONDON, Period
from policies.due import due_date, is_late, missing
from projections import schema as t
from projections.queries import actions as action_queries
from projections.queries import natural_key, recorded_at
from projections.queries import plans as plan_queries
from projections.queries.adjustments import adjustments
from projections.queries.escalations import cases
from projections.queries.quality import day_of, reporters, validated_keys
from projections.reports.render import csv_text, html

INDICATOR_COLUMNS = ["code", "revision", "title", "unit", "polarity", "frequency", "definition", "method",
                     "source", "decimals", "tracker", "cumulative", "tolerance", "reporting_lag", "rate_base",
                     "baseline", "proxy_for", "retired", "reason", "actor", "recorded_at", "from_position",
                     "until_position"]
TARGET_COLUMNS = ["indicator", "period", "value", "low", "high", "monitoring_level", "tolerance",
                  "agreed_with", "consent", "previous", "reason", "actor", "recorded_at", "from_position",
                  "until_position"]
RETURN_COLUMNS = ["indicator", "period", "version", "value", "numerator", "denominator", "status",
                  "change", "reason", "adjustment", "commentary", "source", "actor", "recorded_at",
                  "due", "on_time", "history", "from_position", "until_position"]
ADJUSTMENT_COLUMNS = ["id", "indicator", "periods", "status", "reason", "justification", "evidence",
                      "before", "after", "requested_by", "requested_at", "decided_by", "decided_at", "note"]
REFUSAL_COLUMNS = ["position", "recorded_at", "actor", "act", "arguments", "control", "message"]


@dataclass
class Pack:
    year: str
    position: int
    as_at: str
    indicators: list[dict[str, Any]] = field(default_factory=list)
    targets: list[dict[str, Any]] = field(default_factory=list)
    returns: list[dict[str, Any]] = field(default_factory=list)
    missing: list[dict[str, Any]] = field(default_factory=list)
    adjustments: list[dict[str, Any]] = field(default_factory=list)
    refusals: list[dict[str, Any]] = field(default_factory=list)
    summary: list[dict[str, Any]] = field(default_factory=list)
    qualified: list[str] = field(default_factory=list)
    samples: int = 0
    escalations: list[dict[str, Any]] = field(default_factory=list)
    validated: int = 0  # returns of the year whose current figure is validated
    risk_trail: list[dict[str, Any]] = field(default_factory=list)  # every risk event up to the position
    action_trail: list[dict[str, Any]] = field(default_factory=list)  # every action's reports
    target_proposals: list[dict[str, Any]] = field(default_factory=list)  # changes to agreed targets


def _in_year(period_text: str, year: Period) -> bool:
    return year.contains(Period.parse(period_text))


def build(conn: Connection, year: Period, position: int) -> Pack:
    """Everything the pack holds for ``year``, as the ledger stood at ``position`` (its head:
    adjustments are read in their current state)."""
    as_at = recorded_at(conn, position) or ""
    pack = Pack(str(year), position, as_at)
    versions = list(conn.execute(select(t.indicator_versions).where(
        t.indicator_versions.c.from_position <= position)).mappings())
    for v in sorted(versions, key=lambda r: (natural_key(r["code"]), r["from_position"])):
        until = v["until_position"] if v["until_position"] and v["until_position"] <= position else None
        pack.indicators.append({**{c: v[c] for c in INDICATOR_COLUMNS}, "until_position": until})
    owing = reporters(conn, position)
    today = day_of(as_at) if as_at else date.min
    targets = conn.execute(select(t.targets).where(t.targets.c.from_position <= position)).mappings()
    pack.targets = [_bounded(r, TARGET_COLUMNS, position) for r in
                    sorted((r for r in targets if _in_year(r["period"], year)), key=_period_order)]
    rows = conn.execute(select(t.return_versions).where(
        t.return_versions.c.from_position <= position)).mappings()
    held: set[tuple[str, str]] = set()
    figures: dict[tuple[str, str], int] = {}
    for r in sorted((r for r in rows if _in_year(r["period"], year)),
                    key=lambda r: (*_period_order(r), r["version"])):
        period, lag = Period.parse(r["period"]), owing[r["indicator"]].lag
        row = _bounded(r, RETURN_COLUMNS, position)
        late = is_late(period, lag, day_of(r["first_recorded_at"]), r["history"] is not None)
        row.update({"due": due_date(period, lag).isoformat(),
                    "on_time": None if r["history"] is not None else not late})
        pack.returns.append(row)
        held.add((r["indicator"], r["period"]))
        if row["until_position"] is None:
            figures[(r["indicator"], r["period"])] = r["figure_position"]
    pack.missing = [{"indicator": m.indicator, "period": str(m.period), "due": m.due.isoformat()} for m in
                    missing(sorted(owing.values(), key=lambda o: natural_key(o.code)), year, today, held)]
    pack.validated = len(validated_keys(conn, position, figures)) if figures else 0
    pack.adjustments = [
        {**a, "periods": ";".join(a["periods"]), "before": ";".join(str(b) for b in a["before"]),
         "after": ";".join(a["after"])}
        for a in adjustments(conn) if any(_in_year(p, year) for p in a["periods"])]
    refusals = conn.execute(select(t.refusals).where(t.refusals.c.position <= position)
                            .order_by(t.refusals.c.position)).mappings()
    pack.refusals = [{c: r[c] for c in REFUSAL_COLUMNS} for r in refusals]
    qualified = select(t.qualifications.c.indicator).where(
        t.qualifications.c.year == str(year), t.qualifications.c.from_position <= position)
    pack.qualified = sorted((r[0] for r in conn.execute(qualified)), key=natural_key)
    pack.samples = len(conn.execute(select(t.samples.c.id).where(
        t.samples.c.year == str(year), t.samples.c.from_position <= position)).all())
    today = datetime.fromisoformat(as_at).astimezone(LONDON).date() if as_at else date.min
    pack.escalations = cases(conn, position, today)
    pack.risk_trail, pack.action_trail = _risk_and_action_trails(conn, position, today)
    pack.target_proposals = plan_queries.proposals(conn, position)
    pack.summary = _summary(pack)
    return pack


def _risk_and_action_trails(conn: Connection, position: int, today: date
                            ) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Every risk event (added, assessed, proposed, moved, kept, closed) and every action with its
    progress reports, as recorded up to POSITION: the trails behind the registers and plans."""
    h = t.risk_history
    risks = [dict(r) for r in conn.execute(select(h).where(h.c.position <= position).order_by(h.c.position))
             .mappings()]
    reports: dict[str, list[str]] = {}
    for r in conn.execute(select(t.action_progress).where(t.action_progress.c.position <= position)
                          .order_by(t.action_progress.c.position)).mappings():
        reports.setdefault(r["id"], []).append(
            f"{r['recorded_at'][:10]} {r['percent']}% ({r['actor']}): {r['note']}")
    trail = [{**a, "reports": " | ".join(reports.get(a["id"], []))}
             for a in action_queries.actions(conn, position, today)]
    return risks, trail


def has_data(pack: Pack) -> bool:
    return bool(pack.returns or pack.targets or pack.adjustments)


def _bounded(row: Any, columns: list[str], position: int) -> dict[str, Any]:
    """The row's columns, with a belief that ended after ``position`` shown as still open."""
    shaped = {c: row.get(c) for c in columns}
    if "until_position" in shaped and shaped["until_position"] and shaped["until_position"] > position:
        shaped["until_position"] = None
    return shaped


def _period_order(row: Any) -> tuple[Any, ...]:
    period = Period.parse(row["period"])
    return natural_key(row["indicator"]), period.start, period.end


def _summary(pack: Pack) -> list[dict[str, Any]]:
    """The figures an annual audit of the framework asks for (000 §9.3.10)."""
    first = [r for r in pack.returns if r["version"] == 1]
    late = sum(1 for r in first if r["on_time"] is False)
    history = sum(1 for r in first if r["history"] is not None)
    lines: list[tuple[str, str, Any]] = [
        ("timeliness", "returns received", len(first)),
        ("timeliness", "returns received on time", len(first) - late - history),
        ("timeliness", "returns received late", late),
        ("timeliness", "returns imported as history", history),
        ("completeness", "returns due and missing", len(pack.missing)),
        ("reliability", "returns revised before the period closed",
         len({(r["indicator"], r["period"]) for r in pack.returns if r["change"] == "revised"})),
        ("validity", "returns validated", pack.validated),
        ("adjustment", "adjustments requested", len(pack.adjustments)),
    ]
    by_status = Counter(a["status"] for a in pack.adjustments)
    for status in ("approved", "rejected", "withdrawn", "pending"):
        lines.append(("adjustment", f"adjustments {status}", by_status.get(status, 0)))
    by_reason = Counter(a["reason"] for a in pack.adjustments)
    for reason in sorted(by_reason):
        lines.append(("adjustment", f"adjustments for {reason}", by_reason[reason]))
    lines.append(("adjustment", "adjustments without evidence",
                  sum(1 for a in pack.adjustments if not a["evidence"])))
    lines.append(("adjustment", "adjustments decided by their requester",
                  sum(1 for a in pack.adjustments if a["decided_by"] and a["decided_by"] == a["requested_by"]
                      and a["status"] in ("approved", "rejected"))))
    by_control = Counter(r["control"] for r in pack.refusals)
    lines.append(("refusals", "refused attempts (all, up to the pack's position)", len(pack.refusals)))
    for control in sorted(by_control):
        lines.append(("refusals", f"refused by {control}", by_control[control]))
    lines.append(("internal audit", "indicators qualified by internal audit", len(pack.qualified)))
    lines.append(("internal audit", "samples drawn", pack.samples))
    lines.append(("escalation", "escalations open", sum(1 for c in pack.escalations
                                                         if c["status"] != "closed")))
    lines.append(("escalation", "escalations at stage 2 or above", sum(
        1 for c in pack.escalations if c["status"] != "closed" and c["stage"] >= 2)))
    lines.append(("escalation", "overdue escalations",
                  sum(1 for c in pack.escalations if c["status"] == "overdue")))
    lines.append(("risk", "risk events recorded", len(pack.risk_trail)))
    lines.append(("risk", "moves proposed by the matrix",
                  sum(1 for r in pack.risk_trail if r["action"] == "proposed")))
    lines.append(("action", "actions", len(pack.action_trail)))
    lines.append(("action", "actions overdue", sum(1 for a in pack.action_trail if a["overdue"])))
    lines.append(("agreement", "changes to agreed targets proposed", len(pack.target_proposals)))
    approved = [p for p in pack.target_proposals if p["status"] == "approved"]
    lines.append(("agreement", "approved", len(approved)))
    lines.append(("agreement", "decided by their proposer (should be 0)",
                  sum(1 for p in pack.target_proposals if p["decided_by"] == p["proposed_by"])))
    return [{"area": area, "measure": measure, "value": value} for area, measure, value in lines]


PROPOSAL_COLUMNS = ["id", "agreement", "indicator", "year", "trajectory", "stretch", "previous", "reason",
                    "proposed_by", "proposed_at", "status", "decided_by", "decided_at", "note"]
FILES = {
    "indicators.csv": ("indicators", INDICATOR_COLUMNS),
    "targets.csv": ("targets", TARGET_COLUMNS),
    "returns.csv": ("returns", RETURN_COLUMNS),
    "missing.csv": ("missing", ["indicator", "period", "due"]),
    "adjustments.csv": ("adjustments", ADJUSTMENT_COLUMNS),
    "refusals.csv": ("refusals", REFUSAL_COLUMNS),
    "controls.csv": ("summary", ["area", "measure", "value"]),
    "risks.csv": ("risk_trail", ["position", "recorded_at", "code", "actor", "action", "register", "detail"]),
    "actions.csv": ("action_trail", ["id", "kind", "target", "indicator", "title", "lead", "due", "percent",
                                     "status", "overdue", "reports"]),
    "target-proposals.csv": ("target_proposals", PROPOSAL_COLUMNS),
}


class Proofs(Protocol):
    """The chain's proofs (the application's audit part): the digest now, a position's inclusion."""

    def digest(self) -> Digest: ...
    def prove(self, position: int, since: Digest | None = None) -> InclusionProof: ...


def _cells(row: dict[str, Any]) -> dict[str, Any]:
    return {k: "" if v is None else str(v).lower() if isinstance(v, bool) else v for k, v in row.items()}


def write(pack: Pack, chain: Proofs, output: Path) -> Digest:
    """Write PACK to the folder OUTPUT (new or empty): its tables, the digest, the proofs, an index."""
    digest = chain.digest()
    output.mkdir(parents=True, exist_ok=True)
    for name, (attribute, columns) in FILES.items():
        rows = (_cells(row) for row in getattr(pack, attribute))
        (output / name).write_text(csv_text(rows, columns), encoding="utf-8")
    (output / "digest.txt").write_text(f"{digest}\n", encoding="utf-8")
    proofs = output / "proofs"
    proofs.mkdir()
    proven = []
    decisions = [a for a in pack.adjustments if a["status"] == "approved"]
    for decision in sorted(decisions, key=lambda a: a["decided_position"]):
        place = int(decision["decided_position"])
        if place <= digest.size:
            name = f"position-{place}.json"
            (proofs / name).write_text(json.dumps(chain.prove(place).as_json(), indent=2, sort_keys=True)
                                       + "\n", encoding="utf-8")
            proven.append({"file": f"proofs/{name}", "position": place, "adjustment": decision["id"]})
    index = html("evidence.html", pack=pack, digest=str(digest), files=list(FILES), proven=proven)
    (output / "index.html").write_text(index, encoding="utf-8")
    return digest
