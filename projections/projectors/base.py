"""What every projector shares: the handler type, a per-module registrar, and small helpers.

A projector module keeps its handlers in its own ``HANDLERS`` dict (filled by
``handles = registrar(HANDLERS)``); ``projections/projectors/registry.py`` lists the
modules once and merges their dicts. Nothing registers by being imported.
"""

from __future__ import annotations

from collections.abc import Callable
from enum import Enum
from typing import Any

from sqlalchemy import select

from ledger.app.core import LogEntry
from projections import schema as t
from projections.catchup.writer import PageWriter

PREFIX = "perfledger/"
Handler = Callable[[LogEntry, PageWriter], dict[str, Any]]


def registrar(handlers: dict[str, Handler]) -> Callable[..., Callable[[Handler], Handler]]:
    """A ``@handles("Aggregate.Event", ...)`` decorator that files handlers in HANDLERS."""

    def handles(*names: str) -> Callable[[Handler], Handler]:
        def register(fn: Handler) -> Handler:
            for name in names:
                handlers[name] = fn
            return fn

        return register

    return handles


def text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, Enum):
        return str(value.value)
    return str(value)


def event_name(event: Any) -> str:
    topic: str = type(event).TOPIC
    return topic.removeprefix(PREFIX)


def subject(w: PageWriter, entry: LogEntry) -> tuple[str | None, str | None]:
    """The indicator (and period) an event's aggregate is about, from its first event."""
    w.need_index(t.EVENTS_BY_ORIGINATOR)
    w.flush()
    row = w.conn.execute(
        select(t.events.c.indicator, t.events.c.period).where(
            t.events.c.originator_id == entry.event.originator_id.hex, t.events.c.version == 1
        )
    ).first()
    return (row[0], row[1]) if row else (None, None)
