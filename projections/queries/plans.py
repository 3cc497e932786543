"""Plans, priorities, baskets, agreements and contributions as at a ledger position; and the scope of
a report (``--plan``, ``--priority``, ``--theme``): which indicators it covers, grouped by priority."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, select

from ledger.errors import NotFound
from ledger.hints import command
from projections import schema as t
from projections.queries import among, believed, natural_key


def plans(conn: Connection, position: int) -> list[dict[str, Any]]:
    rows = conn.execute(select(t.plans).where(t.plans.c.position <= position)).mappings()
    return sorted((dict(r) for r in rows), key=lambda r: (r["start"], natural_key(r["code"])))


def baskets(conn: Connection, position: int, priorities: Sequence[str] | None = None) -> dict[str, list[str]]:
    """Each priority's basket of indicators as at POSITION (PRIORITIES: only theirs)."""
    found: dict[str, list[str]] = defaultdict(list)
    links = t.priority_links
    for row in among(conn, select(links).where(believed(links, position)), links.c.priority, priorities):
        found[row["priority"]].append(row["indicator"])
    return {code: sorted(codes, key=natural_key) for code, codes in found.items()}


def priorities(conn: Connection, position: int, plan: str | None = None) -> list[dict[str, Any]]:
    """The priorities as at POSITION (of PLAN and the plans within it), each with its basket (a
    plan's read alone: a ledger of many councils' plans reads one council's links)."""
    within = None if plan is None else descendants(conn, position, plan)
    query = select(t.priorities).where(t.priorities.c.position <= position)
    if within is not None:
        query = query.where(t.priorities.c.plan.in_(sorted(within)))
    rows = [dict(r) for r in conn.execute(query).mappings()]
    held = baskets(conn, position, None if within is None else [r["code"] for r in rows])
    found = [{**r, "indicators": held.get(r["code"], [])} for r in rows]
    order = {p["code"]: i for i, p in enumerate(plans(conn, position))}
    return sorted(found, key=lambda r: (order.get(r["plan"], 0), natural_key(r["code"])))


def descendants(conn: Connection, position: int, plan: str) -> set[str]:
    """PLAN and every plan within it (by --parent), as at POSITION."""
    children: dict[str, list[str]] = defaultdict(list)
    known = set()
    for row in plans(conn, position):
        known.add(row["code"])
        if row["parent"]:
            children[row["parent"]].append(row["code"])
    if plan not in known:
        raise NotFound(f"unknown plan {plan!r} as at that time: see {command('plan list')}")
    found, todo = set(), [plan]
    while todo:
        code = todo.pop()
        if code not in found:
            found.add(code)
            todo.extend(children[code])
    return found


@dataclass
class Scope:
    """What a report covers: the indicators in scope and, when grouped, the priorities in order."""

    plan: str | None = None
    priority: str | None = None
    theme: str | None = None
    groups: list[dict[str, Any]] = field(default_factory=list)  # priority rows with their in-scope basket

    @property
    def grouped(self) -> bool:
        return self.plan is not None or self.priority is not None

    @property
    def narrowed(self) -> bool:
        return self.grouped or self.theme is not None

    def admits(self, code: str, theme: str | None) -> bool:
        if self.theme is not None and theme != self.theme:
            return False
        return not self.grouped or any(code in g["indicators"] for g in self.groups)

    def codes(self) -> list[str] | None:
        """The indicators a grouped scope can admit (None: not grouped, any indicator): what a
        report reads, so that a council's report reads its own rows, not the nation's."""
        if not self.grouped:
            return None
        return sorted({code for g in self.groups for code in g["indicators"]})

    def basis(self) -> dict[str, str]:
        """The scope's part of an issued report's basis (nothing when the report is not narrowed)."""
        given = {"plan": self.plan, "priority": self.priority, "theme": self.theme}
        return {k: v for k, v in given.items() if v is not None}


def scope(conn: Connection, position: int, plan: str | None, priority: str | None,
          theme: str | None) -> Scope:
    """The scope of ``--plan/--priority/--theme`` as at POSITION; an unknown name is refused."""
    found = Scope(plan, priority, theme)
    if not found.grouped:
        return found
    chosen = priorities(conn, position, plan)
    if priority is not None:
        chosen = [p for p in chosen if p["code"] == priority]
        if not chosen:
            where = f" in plan {plan}" if plan else ""
            raise NotFound(f"unknown priority {priority!r}{where} as at that time: see "
                           f"{command('priority list')}")
    found.groups = chosen
    return found


def agreed(conn: Connection, position: int,
           codes: Sequence[str] | None = None) -> dict[tuple[str, str], dict[str, Any]]:
    """(indicator, year) -> its agreed trajectory, stretch target and agreement, as at POSITION
    (CODES: of those indicators only)."""
    query = select(t.agreed_targets).where(believed(t.agreed_targets, position))
    rows = among(conn, query, t.agreed_targets.c.indicator, codes)
    return {(r["indicator"], r["year"]): dict(r) for r in rows}


def agreements(conn: Connection, position: int) -> list[dict[str, Any]]:
    rows = conn.execute(select(t.agreements).where(t.agreements.c.position <= position)).mappings()
    inside: dict[str, list[str]] = defaultdict(list)
    for row in conn.execute(select(t.agreement_indicators)
                            .where(believed(t.agreement_indicators, position))).mappings():
        inside[row["agreement"]].append(row["indicator"])
    return sorted(({**dict(r), "indicators": sorted(inside[r["code"]], key=natural_key)} for r in rows),
                  key=lambda r: natural_key(r["code"]))


def proposals(conn: Connection, position: int, agreement: str | None = None) -> list[dict[str, Any]]:
    query = select(t.target_proposals).where(believed(t.target_proposals, position))
    if agreement is not None:
        query = query.where(t.target_proposals.c.agreement == agreement)
    return [dict(r) for r in conn.execute(query.order_by(t.target_proposals.c.proposed_at,
                                                        t.target_proposals.c.id)).mappings()]


def refreshes(conn: Connection, position: int, agreement: str) -> list[dict[str, Any]]:
    table = t.agreement_refreshes
    return [dict(r) for r in conn.execute(select(table).where(table.c.position <= position,
                                                              table.c.agreement == agreement)
                                          .order_by(table.c.position)).mappings()]


def contributions(conn: Connection, position: int,
                  indicator: str | None = None) -> dict[tuple[str, str], list[dict[str, Any]]]:
    """(indicator, period) -> each contributing organisation's target and return, as at POSITION."""
    query = select(t.contributions).where(believed(t.contributions, position))
    if indicator is not None:
        query = query.where(t.contributions.c.indicator == indicator)
    found: dict[tuple[str, str], dict[str, dict[str, Any]]] = defaultdict(dict)
    for row in conn.execute(query).mappings():
        entry = found[(row["indicator"], row["period"])].setdefault(
            row["organisation"], {"organisation": row["organisation"], "target": None, "actual": None,
                                  "commentary": None})
        if row["kind"] == "target":
            entry["target"] = row["value"]
        else:
            entry["actual"] = row["value"]
            entry["commentary"] = row["commentary"]
    return {key: [orgs[name] for name in sorted(orgs)] for key, orgs in found.items()}
