"""Reports grouped by priority (``--plan``/``--priority``): each priority's rows, exceptions first (red,
then amber, then the rest by code), with its own counts and direction of travel - the Direction of
Travel self-assessment (002 §6.5) by priority and overall."""

from __future__ import annotations

from typing import Any

from projections.queries import natural_key
from projections.queries.plans import Scope

RATINGS = ("red", "amber", "green", "missing", "none")
TRAVEL = ("improving", "unchanged", "worsening")
EXCEPTION_ORDER = {"red": 0, "amber": 1}


def exceptions_first(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return sorted(rows, key=lambda r: (EXCEPTION_ORDER.get(r["rating"], 2), natural_key(r["indicator"])))


def summary(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """Counts by rating, and the share improving, unchanged and worsening on a year ago."""
    counts = {r: sum(1 for row in rows if row["rating"] == r) for r in RATINGS}
    travel = {d: sum(1 for row in rows if row["direction_year"] == d) for d in TRAVEL}
    judged = sum(travel.values())
    shares = {d: f"{round(100 * n / judged)}%" if judged else None for d, n in travel.items()}
    return {"indicators": len(rows), "ratings": counts, "direction_year": travel,
            "share_improving": shares["improving"], "shares": shares}


def groups(rows: list[dict[str, Any]], scope: Scope) -> list[dict[str, Any]]:
    """One group per priority in scope, with the codes of its rows in report order."""
    by_code = {r["indicator"]: r for r in rows}
    found = []
    for priority in scope.groups:
        mine = exceptions_first([by_code[c] for c in priority["indicators"] if c in by_code])
        found.append({"priority": priority["code"], "title": priority["title"], "plan": priority["plan"],
                      "theme": priority["theme"], "indicators": [r["indicator"] for r in mine],
                      "summary": summary(mine)})
    return found
