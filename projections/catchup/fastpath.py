"""Folding a page of the stored log, with a fast path for the hot event types.

Most of a ledger is ``Return.Submitted`` events. Decoding each into a domain event
(the transcoder's object hook, then the event object) costs as much as writing its
rows, so for these the rows are built straight from the stored JSON. The fast path
is taken only when the stored state has exactly the shape it knows (the same keys,
the expected type tags, no class_version, no cipher or compressor); anything else,
and every other event type, goes the general way: ``app.log_entry`` (which upcasts)
and ``projectors.registry.apply``. The rows are those of ``projectors.ledger.submitted_rows`` (written
as tuples in column order while the views have the columns below, else through it), and
a test folds every shape both ways, in both forms, and compares the tables.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from typing import Any

from ledger.store.port import LogRow
from ledger.values import Status
from projections import schema as t
from projections.catchup.source import EventSource
from projections.catchup.writer import PageWriter
from projections.projectors.base import PREFIX
from projections.projectors.ledger import period_columns, submitted_rows
from projections.projectors.registry import apply

FastHandler = Callable[[LogRow, Any, PageWriter], None]
_HEX = re.compile(r"[0-9a-f]{32}")
_STATUSES = frozenset(s.value for s in Status)


class NotFast(Exception):
    """This stored event is not of the shape the fast path knows: decode it the general way."""


def _data(obj: Any, tag: str) -> Any:
    """The ``_data_`` of a transcoded value ``{"_type_": tag, "_data_": ...}``."""
    if type(obj) is not dict or obj.get("_type_") != tag or len(obj) != 2 or "_data_" not in obj:
        raise NotFast(tag)
    return obj["_data_"]


def _decimal(obj: Any) -> str:
    data = _data(obj, "decimal_str")
    if type(data) is not str:
        raise NotFast("decimal")
    try:
        return str(Decimal(data))  # as the general path prints the decoded Decimal
    except InvalidOperation:
        raise NotFast("decimal") from None


def _optional_decimal(obj: Any) -> str | None:
    return None if obj is None else _decimal(obj)


def _text(obj: Any) -> str | None:
    if obj is None or type(obj) is str:
        return obj
    raise NotFast("text")


def _hex(originator_id: Any) -> str:
    if type(originator_id) is str and _HEX.fullmatch(originator_id):
        return originator_id
    raise NotFast("originator id")  # the general path parses (or refuses) it


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


def _submitted(row: LogRow, state: Any, w: PageWriter) -> None:
    # Every check comes before the first write: NotFast must leave the page untouched.
    if type(state) is not dict or state.keys() != SUBMITTED_KEYS or row[3] != 1:
        raise NotFast("Return.Submitted")
    indicator, actor, status = state["indicator"], state["actor"], _data(state["status"], "status")
    period_text, moment = _data(state["period"], "period"), _data(state["timestamp"], "datetime_iso")
    if type(moment) is not str or type(indicator) is not str or type(actor) is not str \
            or type(status) is not str or status not in _STATUSES or type(period_text) is not str:
        raise NotFast("Return.Submitted")
    period = period_columns(period_text)  # ValueError: the general path names the problem
    value, numerator = _decimal(state["value"]), _optional_decimal(state["numerator"])
    denominator, commentary = _optional_decimal(state["denominator"]), _text(state["commentary"])
    source, originator_id = _text(state["source"]), _hex(row[2])
    position, recorded_at = row[0], row[1]
    if not TUPLES:
        index = submitted_rows(w, position, recorded_at, indicator, period, value, numerator, denominator,
                               status, commentary, source, actor)
        w.insert(t.events, dict(zip(EVENT_COLUMNS, (
            position, recorded_at, actor, "Return.Submitted", originator_id, 1, indicator, index["period"],
            None, None, index["after"], status, None), strict=True)))
        return
    label, start, end, kind = period
    w.insert_values(t.return_versions, (
        indicator, label, 1, start, end, kind, value, numerator, denominator, status, commentary, source,
        actor, None, "submitted", None, recorded_at, recorded_at, position, None, None, position, None))
    after = value if numerator is None else f"{value} ({numerator}/{denominator})"
    w.insert_values(t.events, (
        position, recorded_at, actor, "Return.Submitted", originator_id, 1, indicator, label, None, None,
        after, status, None))


FAST: dict[str, FastHandler] = {PREFIX + "Return.Submitted": _submitted}


def fold(app: EventSource, rows: list[LogRow], w: PageWriter) -> None:
    """Apply every stored row in order: the fast path where it applies, else the general one."""
    fast = FAST if app.plain_json_state else {}
    for row in rows:
        handler = fast.get(row[4])
        if handler is not None:
            try:
                handler(row, _json(row[5]), w)
                continue
            except (NotFast, ValueError):  # raised before anything is written
                pass
        apply(app.log_entry(row), w)


_decode = json.JSONDecoder().raw_decode


def _json(state: bytes) -> Any:
    """The stored JSON, parsed without the transcoder's object hook (the library writes UTF-8)."""
    if type(state) is not bytes:
        raise NotFast("state")
    text = state.decode()
    found, end = _decode(text)
    if end != len(text):
        raise NotFast("trailing text")
    return found
