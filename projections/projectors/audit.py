"""Projectors for the auditor's own acts: qualifications and drawn samples."""

from __future__ import annotations

from typing import Any

from ledger.app.core import LogEntry
from projections import schema as t
from projections.catchup.writer import PageWriter
from projections.projectors.base import Handler, registrar

HANDLERS: dict[str, Handler] = {}
handles = registrar(HANDLERS)


@handles("Audit.Qualified")
def _qualified(entry: LogEntry, w: PageWriter) -> dict[str, Any]:
    e: Any = entry.event
    w.insert(t.qualifications, {"indicator": e.code, "year": e.year, "reason": e.reason, "actor": e.actor,
                                "recorded_at": entry.recorded_at, "from_position": entry.position})
    return {"indicator": e.code, "period": e.year, "reason": e.reason, "after": "qualified",
            "detail": f"{e.code} {e.year} qualified by {e.actor} (internal audit focus, 000 §9.3.4)"}


@handles("Audit.SampleDrawn")
def _sample_drawn(entry: LogEntry, w: PageWriter) -> dict[str, Any]:
    e: Any = entry.event
    w.insert(t.samples, {
        "id": e.sample_id, "year": e.year, "size": e.size, "drawn": len(e.items),
        "population": e.population, "seed": e.seed, "seed_from_digest": e.seed_from_digest,
        "basis_position": e.position, "new": ",".join(e.new), "qualified": ",".join(e.qualified),
        "actor": e.actor, "recorded_at": entry.recorded_at, "from_position": entry.position,
    })
    for rank, item in enumerate(e.items, start=1):
        w.insert(t.sample_items, {"id": e.sample_id, "rank": rank, "indicator": item["indicator"],
                                  "period": item["period"], "version": item["version"],
                                  "weight": item["weight"]})
    seed = "the digest at that position" if e.seed_from_digest else f"seed {e.seed!r}"
    return {"period": e.year, "after": f"{len(e.items)} of {e.population} returns",
            "detail": f"{e.sample_id} drawn by {e.actor} from the returns believed at position "
                      f"{e.position}, {seed}"}
