"""What the fast path shares: decoding transcoded values from the stored JSON, and the page.

A ``Page`` is the fast path's memory of one page of the log being folded:

- **subjects**: the indicator (and period) each aggregate is about, by originator id. The
  general path looks up the aggregate's first event in ``pl_events`` for every later event;
  the page learns it from the first events it folds itself, and fetches the rest for the whole
  page in one query (``IN`` lists of up to ``CHUNK``).
- **open rows** of ``pl_return_versions`` and ``pl_targets``: the row still believed for a
  return (indicator, period) or a target. Fetched for the rest of the page in one query the
  first time one is missing (on PostgreSQL the keys go as two arrays), without writing the
  page's rows first: a row the page wrote itself is its pending list in the writer's buffer,
  closed in place (its ``until_position`` set before it is ever written); a row already in
  the views is closed by an UPDATE on its primary key (on PostgreSQL one UPDATE a column a
  page), run before the page's rows are written.

Whenever an event goes the general way, ``sync`` writes everything first and ``forget`` drops
the open rows (a general handler may change them, e.g. ``Return.Warned``): the general path
always sees the views exactly as if every earlier event had gone its way.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from sqlalchemy import Column, Connection, Table, and_, bindparam, select, tuple_, update
from sqlalchemy import text as sql_text

from ledger.store.port import LogRow
from projections import schema as t
from projections.catchup.writer import PageWriter

CHUNK = 500  # keys per IN list
_HEX = re.compile(r"[0-9a-f]{32}")
Key = tuple[str, str]


class NotFast(Exception):
    """This stored event is not of the shape the fast path knows: decode it the general way."""


# --- transcoded values --------------------------------------------------------------
def data(obj: Any, tag: str) -> Any:
    """The ``_data_`` of a transcoded value ``{"_type_": tag, "_data_": ...}``."""
    if type(obj) is not dict or obj.get("_type_") != tag or len(obj) != 2 or "_data_" not in obj:
        raise NotFast(tag)
    return obj["_data_"]


def decimal(obj: Any) -> str:
    found = data(obj, "decimal_str")
    if type(found) is not str:
        raise NotFast("decimal")
    try:
        return str(Decimal(found))  # as the general path prints the decoded Decimal
    except InvalidOperation:
        raise NotFast("decimal") from None


def optional_decimal(obj: Any) -> str | None:
    return None if obj is None else decimal(obj)


def text(obj: Any) -> str | None:
    if obj is None or type(obj) is str:
        return obj
    raise NotFast("text")


def string(obj: Any) -> str:
    if type(obj) is str:
        return obj
    raise NotFast("string")


def integer(obj: Any) -> int:
    if type(obj) is int:
        return obj
    raise NotFast("integer")


def hex_id(originator_id: Any) -> str:
    if type(originator_id) is str and _HEX.fullmatch(originator_id):
        return originator_id
    raise NotFast("originator id")  # the general path parses (or refuses) it


# --- the page ---------------------------------------------------------------------------
@dataclass
class OpenRow:
    """A row still believed: all its values in column order if ``pending`` (the writer's own
    list), else at least its primary key."""

    values: list[Any]
    pending: bool


@dataclass(frozen=True)
class Believed:
    """A bitemporal view the fast path closes rows of: its key columns and primary key."""

    table: Table
    key: tuple[str, str]
    primary: tuple[str, str, str]

    def index(self, column: str) -> int:
        return [c.name for c in self.table.columns].index(column)


Wants = Callable[["Page", LogRow, Any], "tuple[Believed, Key] | None"]
RETURNS = Believed(t.return_versions, ("indicator", "period"), ("indicator", "period", "version"))
TARGETS = Believed(t.targets, ("indicator", "period"), ("indicator", "period", "from_position"))


class Page:
    def __init__(self, w: PageWriter, rows: list[LogRow], states: list[Any],
                 wants: dict[str, Wants]) -> None:
        self.w = w
        self.rows, self.states = rows, states  # states: each row's parsed JSON (None: not parsed)
        self.wants = wants  # by topic: the open row an event of that topic will need
        self.at = 0  # the index in ``rows`` of the event being folded
        self.subjects: dict[str, tuple[str, str | None]] = {}
        self.open: dict[Believed, dict[Key, OpenRow | None]] = {RETURNS: {}, TARGETS: {}}
        self.updates: dict[tuple[Believed, str], list[dict[str, Any]]] = {}  # of rows in the views
        self.added = {RETURNS: 0, TARGETS: 0}  # rows added (buffered, in ``open``) since the last sync
        self._taken = w.taken  # the writer's takes at the last sync: until it takes again, a pending
        # row is still in its buffer (an index built on the way takes them without a sync)
        self._fetched_subjects = False

    # subjects
    def subject(self, row: LogRow, fetch: bool = True) -> tuple[str, str | None]:
        found = self.subjects.get(row[2])
        if found is None and fetch and not self._fetched_subjects:
            self._fetch_subjects()
            found = self.subjects.get(row[2])
        if found is None:
            raise NotFast("subject")
        return found

    def _fetch_subjects(self) -> None:
        self._fetched_subjects = True
        wanted = sorted({r[2] for r in self.rows[self.at:] if r[3] > 1 and r[2] not in self.subjects})
        if not wanted:
            return
        self.w.need_index(t.EVENTS_BY_ORIGINATOR)
        e = t.events
        for start in range(0, len(wanted), CHUNK):
            query = select(e.c.originator_id, e.c.indicator, e.c.period).where(
                e.c.version == 1, e.c.originator_id.in_(wanted[start:start + CHUNK]))
            for originator, indicator, period in self.w.conn.execute(query):
                if indicator is not None:
                    self.subjects.setdefault(originator, (indicator, period))

    # open rows
    def open_row(self, kind: Believed, key: Key) -> OpenRow:
        if self.w.taken != self._taken:
            self.sync()  # the rows taken are written: no longer pending, closed by UPDATE from now on
        rows = self.open[kind]
        if key not in rows:
            self._fetch_open(kind, key)
        found = rows.get(key)
        if found is None:
            raise NotFast("no open row")
        return found

    def _fetch_open(self, kind: Believed, key: Key) -> None:
        """The open rows of ``key`` and of every key the rest of the page will ask for, as the views
        hold them. None of them is a row this page holds unwritten (every row the page adds is in
        ``open`` until ``forget``, which comes after a ``sync``), nor one an update it holds is of
        (those too are of rows in ``open``): the page's rows stay in its buffer, and stay pending.
        Rows of the view buffered some other way (the general path's, a submission's in the dict
        form) are written first (``sync``), as the views must show them."""
        if self.w.buffered(kind.table) != self.added[kind]:
            self.sync()
        rows = self.open[kind]
        wanted = {key}
        for i in range(self.at + 1, len(self.rows)):
            want = self.wants.get(self.rows[i][4])
            if want is not None:
                try:
                    found = want(self, self.rows[i], self.states[i])
                except (NotFast, ValueError, LookupError, TypeError):
                    continue
                if found is not None and found[0] is kind and found[1] not in rows:
                    wanted.add(found[1])
        for k in wanted:
            rows[k] = None
        table = kind.table
        columns = [table.c[c] for c in kind.primary] if kind is TARGETS else list(table.columns)
        for found in _open_rows(self.w.conn, kind, columns, sorted(wanted)):
            rows[(found[0], found[1])] = OpenRow(list(found), pending=False)

    def close(self, kind: Believed, row: OpenRow, at: int) -> None:
        self.set(kind, row, "until_position", at)

    def set(self, kind: Believed, row: OpenRow, column: str, value: Any) -> None:
        """Set a column of an open row: in place if the page wrote it, else by an UPDATE on its key."""
        at = kind.index(column)
        if at < len(row.values):  # the page reads it again (a target fetched is its key alone)
            row.values[at] = value
        if not row.pending:
            key = {f"k_{c}": row.values[i] for i, c in enumerate(kind.primary)}
            self.updates.setdefault((kind, column), []).append({"v": value, **key})

    def add(self, kind: Believed, values: list[Any]) -> None:
        """A new open row (its key its first two values), written with the page."""
        self.w.insert_values(kind.table, values)
        self.open[kind][(values[0], values[1])] = OpenRow(values, pending=True)
        self.added[kind] += 1

    # consistency with the general path
    def sync(self) -> None:
        """Write the updates and every buffered row: the views now show every event folded so far
        (the updates first: they are of rows already in the views, by their primary keys)."""
        for (kind, column), updates in self.updates.items():
            _update(self.w.conn, kind, column, updates)
        self.updates.clear()
        self.w.flush()
        self.added = dict.fromkeys(self.added, 0)
        self._taken = self.w.taken
        for rows in self.open.values():
            for found in rows.values():
                if found is not None:
                    found.pending = False

    def forget(self) -> None:
        """Drop the open rows known: a general handler may have changed them."""
        for rows in self.open.values():
            rows.clear()


def _open_rows(conn: Connection, kind: Believed, columns: list[Column[Any]],
               keys: list[Key]) -> Iterator[Any]:
    """The rows of KIND still believed for KEYS: on PostgreSQL in one query, the keys sent as two
    arrays (a tuple IN list of 500 pairs costs more to plan than to run); elsewhere by IN lists."""
    table, (a, b) = kind.table, kind.key
    if conn.dialect.name == "postgresql":
        names = ", ".join(f'r."{c.name}"' for c in columns)
        yield from conn.execute(sql_text(
            f'SELECT {names} FROM "{table.name}" r '
            f"JOIN unnest(CAST(:a AS TEXT[]), CAST(:b AS TEXT[])) AS k(a, b) "
            f'ON r."{a}" = k.a AND r."{b}" = k.b WHERE r.until_position IS NULL'),
            {"a": [k[0] for k in keys], "b": [k[1] for k in keys]})
        return
    for start in range(0, len(keys), CHUNK):
        yield from conn.execute(select(*columns).where(
            table.c.until_position.is_(None), tuple_(table.c[a], table.c[b]).in_(keys[start:start + CHUNK])))


def _update(conn: Connection, kind: Believed, column: str, updates: list[dict[str, Any]]) -> None:
    """Set COLUMN of rows of KIND by primary key, in order (the last value for a row wins): on
    PostgreSQL one UPDATE joined to the keys and values sent as arrays, elsewhere an executemany."""
    table = kind.table
    if conn.dialect.name != "postgresql":
        conn.execute(update(table).where(and_(*[table.c[c] == bindparam(f"k_{c}") for c in kind.primary]))
                     .values({column: bindparam("v")}), updates)
        return
    last = {tuple(u[f"k_{c}"] for c in kind.primary): u["v"] for u in updates}
    names = [*kind.primary, column]
    arrays = ", ".join(f"CAST(:p{i} AS {table.c[c].type.compile(dialect=conn.dialect)}[])"
                       for i, c in enumerate(names))
    aliases = ", ".join(f"p{i}" for i in range(len(names)))
    match = " AND ".join(f'r."{c}" = k.p{i}' for i, c in enumerate(kind.primary))
    params = {f"p{i}": [key[i] for key in last] for i in range(len(kind.primary))}
    params[f"p{len(kind.primary)}"] = list(last.values())
    conn.execute(sql_text(f'UPDATE "{table.name}" AS r SET "{column}" = k.p{len(kind.primary)} '
                          f"FROM unnest({arrays}) AS k({aliases}) WHERE {match}"), params)
