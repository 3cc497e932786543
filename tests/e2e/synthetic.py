"""Report data of any size, made up, for rendering tests and benchmarks (no ledger needed)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

RATINGS = ("red", "amber", "green", "green", "amber", "none")


def performance_report(size: int) -> dict[str, Any]:
    """A performance report's data with SIZE indicators, each with eight quarters of trend."""
    rows = []
    for n in range(size):
        rating = RATINGS[n % len(RATINGS)]
        trend = [{"period": f"20{24 + q // 4:02d}/{25 + q // 4:02d}-Q{q % 4 + 1}",
                  "actual": str(Decimal(40) + Decimal(n % 7) + Decimal(q) / 2), "target": "44",
                  "band": "41.8", "monitoring_level": None, "restated": q == 5} for q in range(8)]
        rows.append({
            "indicator": f"NI {n + 1}", "title": f"Synthetic indicator number {n + 1} with a long enough title",
            "theme": ("Environment", "Safer communities", "Healthier communities")[n % 3],
            "period": "2025/26-Q4", "actual": trend[-1]["actual"], "target": "44", "rating": rating,
            "direction": "improving", "direction_year": ("improving", "worsening")[n % 2], "status": "final",
            "restated": False, "outlook": None, "escalation_stage": None, "data_quality": ["late"] if n % 5 else [],
            "unit": "percent", "polarity": "higher", "commentary": "Commentary on the quarter. " * 3,
            "due": "2026-04-30", "trend": trend, "cases": [], "risks": [], "actions": [],
        })
    counts = {r: sum(1 for row in rows if row["rating"] == r) for r in ("red", "amber", "green", "missing", "none")}
    return {
        "kind": "performance", "period": "2025/26-Q4", "as_at": "2026-05-31T22:59:59.999999+00:00",
        "position": 100_000, "digest": "100000:" + "ab" * 32, "theme": None, "themes": [],
        "summary": {"indicators": size, "ratings": counts,
                    "direction_year": {"improving": size // 2, "unchanged": 0, "worsening": size - size // 2},
                    "share_improving": "50%"},
        "exceptions": [r for r in rows if r["rating"] in ("red", "amber")],
        "good": [r for r in rows if r["rating"] == "green"], "rows": rows,
        "restatements": [], "restatements_since": 0, "major_obstacles": [],
    }
