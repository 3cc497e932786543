"""Folding a page of the stored log, with a fast path for the hot event types.

Most of a ledger is ``Return.Submitted`` events, with revisions, finalisations, validations
and targets after them. Decoding each into a domain event (the transcoder's object hook, then
the event object) costs as much as writing its rows, and the general handlers look up the
aggregate's subject and the open row one query at a time; so for these the rows are built
straight from the stored JSON, with the subjects and open rows fetched a page at a time
(``fastpage.Page``; the handlers after a submission are in ``fastchanges``). The fast path is
taken only when the stored state has exactly the shape it knows (the same keys, the expected
type tags, no class_version, no cipher or compressor); anything else, and every other event
type, goes the general way: ``app.log_entry`` (which upcasts) and ``projectors.registry.apply``,
after the page has written everything so far. The rows are those of the general handlers
(``projectors.ledger.submitted_rows`` and the handlers ``fastchanges`` names), written as
tuples or lists in column order while the views have the columns below; should a view gain a
column, only ``Return.Submitted`` stays fast, written through ``submitted_rows``. Tests fold
every shape and a mixed ledger both ways, on both backends, and compare the tables.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from ledger.store.port import LogRow
from ledger.values import Status
from projections import schema as t
from projections.catchup import fastchanges
from projections.catchup.fastpage import (
    RETURNS,
    NotFast,
    Page,
    Wants,
    data,
    decimal,
    hex_id,
    optional_decimal,
    text,
)
from projections.catchup.source import EventSource
from projections.catchup.writer import PageWriter
from projections.projectors.base import PREFIX
from projections.projectors.ledger import period_columns, submitted_rows
from projections.projectors.registry import apply

FastHandler = Callable[[LogRow, Any, Page], None]
_STATUSES = frozenset(s.value for s in Status)
__all__ = ["FAST", "TUPLES", "NotFast", "fold"]


SUBMITTED_KEYS = frozenset({"timestamp", "originator_topic", "indicator", "period", "value", "numerator",
                            "denominator", "status", "commentary", "source", "actor"})


# The views' columns as the tuple form below writes them. Should a table gain a column, the
# fast path writes dicts through ``submitted_rows`` instead (slower, equally correct).
RETURN_COLUMNS = ("indicator", "period", "version", "period_start", "period_end", "period_kind", "value",
                  "numerator", "denominator", "status", "commentary", "source", "actor", "reason", "change",
                  "adjustment", "recorded_at", "first_recorded_at", "figure_position", "warnings",
                  "history", "from_position", "until_position")
EVENT_COLUMNS = ("position", "recorded_at", "actor", "event", "originator_id", "version", "indicator",
                 "period", "reason", "before", "after", "detail", "adjustment")
TUPLES = (tuple(c.name for c in t.return_versions.columns) == RETURN_COLUMNS
          and tuple(c.name for c in t.events.columns) == EVENT_COLUMNS)


def _submitted(row: LogRow, state: Any, page: Page) -> None:
    # Every check comes before the first write: NotFast must leave the page untouched.
    if type(state) is not dict or state.keys() != SUBMITTED_KEYS or row[3] != 1:
        raise NotFast("Return.Submitted")
    indicator, actor, status = state["indicator"], state["actor"], data(state["status"], "status")
    period_text, moment = data(state["period"], "period"), data(state["timestamp"], "datetime_iso")
    if type(moment) is not str or type(indicator) is not str or type(actor) is not str \
            or type(status) is not str or status not in _STATUSES or type(period_text) is not str:
        raise NotFast("Return.Submitted")
    period = period_columns(period_text)  # ValueError: the general path names the problem
    value, numerator = decimal(state["value"]), optional_decimal(state["numerator"])
    denominator, commentary = optional_decimal(state["denominator"]), text(state["commentary"])
    source, originator_id = text(state["source"]), hex_id(row[2])
    position, recorded_at, w = row[0], row[1], page.w
    page.subjects[originator_id] = (indicator, period[0])
    if not TUPLES:
        index = submitted_rows(w, position, recorded_at, indicator, period, value, numerator, denominator,
                               status, commentary, source, actor)
        w.insert(t.events, dict(zip(EVENT_COLUMNS, (
            position, recorded_at, actor, "Return.Submitted", originator_id, 1, indicator, index["period"],
            None, None, index["after"], status, None), strict=True)))
        return
    label, start, end, kind = period
    page.add(RETURNS, [
        indicator, label, 1, start, end, kind, value, numerator, denominator, status, commentary, source,
        actor, None, "submitted", None, recorded_at, recorded_at, position, None, None, position, None])
    after = value if numerator is None else f"{value} ({numerator}/{denominator})"
    w.insert_values(t.events, (
        position, recorded_at, actor, "Return.Submitted", originator_id, 1, indicator, label, None, None,
        after, status, None))


SUBMITTED = PREFIX + "Return.Submitted"
FAST: dict[str, FastHandler] = {SUBMITTED: _submitted}
if TUPLES and fastchanges.SHAPES_KNOWN:
    FAST.update({PREFIX + name: handler for name, handler in fastchanges.HANDLERS.items()})
WANTS: dict[str, Wants] = {PREFIX + name: want for name, want in fastchanges.WANTS.items()}


def fold(app: EventSource, rows: list[LogRow], w: PageWriter) -> None:
    """Apply every stored row in order: the fast path where it applies, else the general one."""
    fast = FAST if app.plain_json_state else {}
    states = [_state(row) if row[4] in fast else None for row in rows]
    wants: dict[str, Wants] = WANTS if len(fast) > 1 else {}
    page = Page(w, rows, states, wants)
    for at, row in enumerate(rows):
        page.at = at
        handler = fast.get(row[4])
        if handler is not None and states[at] is not None:
            try:
                handler(row, states[at], page)
                continue
            except (NotFast, ValueError):  # raised before anything of this event is written
                pass
        page.sync()  # the general path sees the views exactly as the events so far made them
        page.forget()
        apply(app.log_entry(row), w)
    page.sync()


def _state(row: LogRow) -> Any:
    try:
        return _json(row[5])
    except (NotFast, ValueError):
        return None


_decode = json.JSONDecoder().raw_decode


def _json(state: bytes) -> Any:
    """The stored JSON, parsed without the transcoder's object hook (the library writes UTF-8).

    With orjson (about 2.5 times as fast as ``json`` here) where it is installed. It refuses what
    ``json`` would read differently or not at all (NaN, infinities, lone surrogates, trailing text:
    a ValueError, so the general way); the one value it reads differently, an integer beyond 64
    bits (a float), is refused by every fast handler's type checks, so it goes the general way too."""
    if type(state) is not bytes:
        raise NotFast("state")
    if _orjson_loads is not None:
        return _orjson_loads(state)
    text = state.decode()
    found, end = _decode(text)
    if end != len(text):
        raise NotFast("trailing text")
    return found


_orjson_loads: Callable[[bytes], Any] | None
try:
    from orjson import loads as _orjson_loads
except ImportError:  # pragma: no cover - a dependency; the standard library does the same, slower
    _orjson_loads = None
