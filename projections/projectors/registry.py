"""The one registry of projectors: the modules, once each, and their handlers merged.

Adding a projector module is one line in ``MODULES``.
"""

from __future__ import annotations

from types import ModuleType

from ledger.app.core import LogEntry
from projections import schema as t
from projections.catchup.writer import PageWriter
from projections.projectors import (
    actions,
    adjustments,
    audit,
    benchmarks,
    escalations,
    ledger,
    plans,
    quality,
    risks,
    targets,
)
from projections.projectors.base import Handler, event_name

MODULES: tuple[ModuleType, ...] = (
    ledger,
    targets,
    adjustments,
    escalations,
    quality,
    audit,
    risks,
    actions,
    plans,
    benchmarks,
)
HANDLERS: dict[str, Handler] = {name: fn for module in MODULES for name, fn in module.HANDLERS.items()}


def apply(entry: LogEntry, w: PageWriter) -> None:
    """Fold one event into the tables and index it for the audit trail."""
    event = entry.event
    handler = HANDLERS.get(event_name(event))
    index = handler(entry, w) if handler else {}
    w.insert(
        t.events,
        {
            "position": entry.position,
            "recorded_at": entry.recorded_at,
            "actor": getattr(event, "actor", None),
            "event": event_name(event),
            "originator_id": event.originator_id.hex,
            "version": event.originator_version,
            "indicator": index.get("indicator"),
            "period": index.get("period"),
            "reason": index.get("reason", getattr(event, "reason", None)),
            "before": index.get("before"),
            "after": index.get("after"),
            "detail": index.get("detail"),
            "adjustment": index.get("adjustment"),
        },
    )
