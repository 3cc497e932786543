"""Replay verification: rebuild every view from the events in scratch space and compare it with the live one.

Scratch space is on the live ledger's own backend, so the replay runs exactly the code
and database semantics (types, collations, constraints) that built the live views:

- **SQLite**: a new SQLite file in a fresh temporary folder (``tempfile``), never next to
  the user's ledger, deleted afterwards. Written with no journal and no fsync: it is
  thrown away whatever happens.
- **PostgreSQL**: a new schema ``pl_replay_<random>`` in the same database, created and
  dropped (``CASCADE``) in a ``finally``. The same database means the same server, version
  and collations as the live views, so a difference can only come from the rows. It needs
  the CREATE privilege on the database. The schema is named after the server process of a
  connection held for the whole replay (``pl_replay_<pid>_<random>``), so if the replay is
  killed mid-way the next one drops it (its server process is gone) and no running replay's.

A SQLite scratch folder is named after the replaying process likewise, and the next replay
deletes any whose process is gone.

The live views are only ever read (after the usual catch-up), in one snapshot
(REPEATABLE READ on PostgreSQL, one read transaction on SQLite), so writers may carry on.
Both sides are streamed in primary-key order and merge-compared row by row, so memory
stays flat however large the tables. Text keys are ordered by code point on both
backends (``COLLATE "C"`` on PostgreSQL, SQLite's BINARY), the order Python compares in.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import Column, Connection, Engine, Row, String, Table, create_engine, event, select, text
from sqlalchemy.exc import SQLAlchemyError

from projections import schema as t
from projections.catchup.fastpath import fold
from projections.catchup.runner import NAME, REBUILD_PAGE, catch_up
from projections.catchup.source import EventSource
from projections.catchup.writer import PageWriter

SHOWN = 50  # differences kept (and printed) per table; all are counted
STREAM = 1000  # rows fetched at a time from each side
POSITION_VIEW = t.position.name
Progress = Callable[[str], None]


class ReplayError(Exception):
    """The replay could not be carried out (not a difference: nothing was compared)."""


@dataclass(frozen=True)
class Difference:
    table: str
    key: tuple[tuple[str, Any], ...]
    kind: str  # "changed" | "only-live" | "only-replay" | "position"
    changes: tuple[tuple[str, Any, Any], ...] = ()  # (column, live, replay)
    note: str = ""

    def describe(self) -> str:
        key = ", ".join(f"{k}={_show(v)}" for k, v in self.key)
        where = f"{self.table} ({key})" if key else self.table
        if self.kind == "changed":
            what = "; ".join(f"{c}: live {_show(a)}, replay {_show(b)}" for c, a, b in self.changes)
        elif self.kind == "only-live":
            what = "only in the live view (no event produces this row)"
        elif self.kind == "only-replay":
            what = "missing from the live view (the replay has this row)"
        else:
            what = self.note
        return f"{where}: {what}"


@dataclass
class TableResult:
    table: str
    count: int = 0
    shown: list[Difference] = field(default_factory=list)

    def add(self, difference: Difference, cap: int) -> None:
        self.count += 1
        if len(self.shown) < cap:
            self.shown.append(difference)


@dataclass
class ReplayResult:
    position: int  # the live views' position: the events replayed were 1..position
    head: int  # the event store's last position
    replayed: int  # events actually replayed (fewer than position if the store has fewer)
    tables: list[TableResult]
    views: int = len(t.ALL_VIEWS)
    warning: str | None = None  # why the live views could not be caught up first, if they could not

    @property
    def differences(self) -> int:
        return sum(table.count for table in self.tables)

    @property
    def differing(self) -> list[TableResult]:
        return [table for table in self.tables if table.count]

    @property
    def ok(self) -> bool:
        return self.differences == 0


def _show(value: Any, limit: int = 80) -> str:
    shown = "NULL" if value is None else repr(value) if isinstance(value, str) else str(value)
    return shown if len(shown) <= limit else shown[: limit - 3] + "..."


# --- scratch space -------------------------------------------------------------------
@contextmanager
def scratch(live: Engine) -> Iterator[Engine]:
    """Empty views in scratch space on the live engine's backend; removed on the way out."""
    if live.dialect.name == "sqlite":
        _sweep_folders()
        folder = Path(tempfile.mkdtemp(prefix=f"{FOLDER_PREFIX}{os.getpid()}-"))
        engine = create_engine(f"sqlite:///{folder / 'replay.db'}")

        @event.listens_for(engine, "connect")
        def _pragmas(dbapi_conn: Any, _record: Any) -> None:
            dbapi_conn.execute("PRAGMA journal_mode = OFF")
            dbapi_conn.execute("PRAGMA synchronous = OFF")
            dbapi_conn.execute("PRAGMA cache_size = -16384")

        try:
            _create(engine)
            yield engine
        finally:
            engine.dispose()
            shutil.rmtree(folder, ignore_errors=True)
        return
    with live.connect() as guard:  # held open for the whole replay: its server process names the schema
        pid = int(guard.execute(text("SELECT pg_backend_pid()")).scalar_one())
        guard.commit()
        _sweep_schemas(guard)
        schema = f"{SCHEMA_PREFIX}{pid}_{uuid.uuid4().hex[:8]}"
        try:
            with guard.begin():
                guard.execute(text(f'CREATE SCHEMA "{schema}"'))
        except SQLAlchemyError as error:
            cause = error.orig if hasattr(error, "orig") and error.orig else error
            first = str(cause).strip().splitlines()[0]
            raise ReplayError(f"cannot create a scratch schema for the replay ({first}): "
                              "the database user needs the CREATE privilege on the database") from None
        engine = create_engine(live.url, connect_args={"options": f"-csearch_path={schema}"}, pool_size=1)
        try:
            _create(engine)
            yield engine
        finally:
            engine.dispose()
            with guard.begin():
                guard.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))


FOLDER_PREFIX = "perfledger-replay-"
SCHEMA_PREFIX = "pl_replay_"


def _sweep_folders() -> None:
    """Delete the scratch folders of replays whose process is gone (killed mid-way)."""
    for folder in Path(tempfile.gettempdir()).glob(f"{FOLDER_PREFIX}*"):
        pid = folder.name.removeprefix(FOLDER_PREFIX).split("-")[0]
        if folder.is_dir() and not (pid.isdigit() and _alive(int(pid))):
            shutil.rmtree(folder, ignore_errors=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _sweep_schemas(conn: Connection) -> None:
    """Drop the scratch schemas of replays whose server process is gone (killed mid-way)."""
    names = list(conn.execute(text(
        "SELECT nspname FROM pg_namespace WHERE nspname LIKE 'pl\\_replay\\_%'")).scalars())
    running = set(conn.execute(text("SELECT pid FROM pg_stat_activity")).scalars())
    conn.commit()
    for name in names:
        pid = str(name).removeprefix(SCHEMA_PREFIX).split("_")[0]
        if not (pid.isdigit() and int(pid) in running):
            with suppress(SQLAlchemyError), conn.begin():  # another user's: left to them
                conn.execute(text(f'DROP SCHEMA IF EXISTS "{name}" CASCADE'))


def _create(engine: Engine) -> None:
    """The view tables without their secondary indexes (as a rebuild runs: a bulk fill is faster)."""
    with engine.connect() as conn, conn.begin():
        t.metadata.create_all(conn, tables=t.ALL_VIEWS)
        for table in t.ALL_VIEWS:
            for index in table.indexes:
                index.drop(conn)


# --- replay -----------------------------------------------------------------------------
def replay_events(engine: Engine, app: EventSource, upto: int, progress: Progress | None = None) -> int:
    """Fold events 1..upto into the (empty) views of ``engine``; return how many were applied."""
    after = 0
    deferred = {str(index.name): index for table in t.ALL_VIEWS for index in table.indexes}
    while after < upto:
        rows = [row for row in app.log_rows(after, REBUILD_PAGE) if row[0] <= upto]
        if not rows:
            break
        with engine.connect() as conn, conn.begin():
            writer = PageWriter(conn, deferred)  # _create dropped the indexes
            try:
                fold(app, rows, writer)
                writer.flush()
            except Exception as error:  # a projector that cannot fold the events from scratch
                first = (str(error).strip().splitlines() or [type(error).__name__])[0]
                raise ReplayError(f"the replay failed at or before position {rows[-1][0]}: "
                                  f"{first}") from error
        after = rows[-1][0]
        if progress:
            progress(f"replayed {after} of {upto} events")
    return after


# --- comparison ---------------------------------------------------------------------
def _ordered(conn: Connection, table: Table) -> Iterator[Row[Any]]:
    keys: list[Any] = []
    for column in table.primary_key.columns:
        keys.append(column.collate("C") if conn.dialect.name == "postgresql"
                    and isinstance(column.type, String) else column)
    result = conn.execution_options(yield_per=STREAM).execute(select(table).order_by(*keys))
    yield from result


def _rank(value: Any) -> tuple[int, Any]:
    """Order values as SQLite does across storage classes (NULL, numbers, text, blobs).

    Only a hand-edited SQLite file can hold text in an integer key; it must come out as a
    difference, never as a crash comparing str with int.
    """
    if value is None:
        return (0, 0)
    if isinstance(value, bool | int | float):
        return (1, value)
    if isinstance(value, str):
        return (2, value)
    return (3, bytes(value)) if isinstance(value, bytes | bytearray | memoryview) else (4, repr(value))


Keyed = tuple[tuple[tuple[int, Any], ...], tuple[Any, ...], Row[Any]]  # (order, key, row)


def _keyed(rows: Iterator[Row[Any]], at: list[int], side: str, table: str) -> Iterator[Keyed]:
    previous: tuple[tuple[int, Any], ...] | None = None
    for row in rows:
        key = tuple(row[i] for i in at)
        order = tuple(_rank(v) for v in key)
        if previous is not None and order < previous:
            raise ReplayError(f"the {side} rows of {table} did not come back in key order")
        previous = order
        yield order, key, row


def compare_table(live: Connection, replayed: Connection, table: Table, cap: int = SHOWN) -> TableResult:
    """Merge-compare one view, both sides streamed in primary-key order."""
    result = TableResult(table.name)
    columns: list[Column[Any]] = list(table.columns)
    names = [c.name for c in columns]
    key_names = [c.name for c in table.primary_key.columns]
    at = [names.index(name) for name in key_names]
    left = _keyed(_ordered(live, table), at, "live", table.name)
    right = _keyed(_ordered(replayed, table), at, "replayed", table.name)
    a = next(left, None)
    b = next(right, None)
    while a is not None or b is not None:
        if b is None or (a is not None and a[0] < b[0]):
            assert a is not None
            result.add(Difference(table.name, tuple(zip(key_names, a[1], strict=True)), "only-live"), cap)
            a = next(left, None)
        elif a is None or b[0] < a[0]:
            result.add(Difference(table.name, tuple(zip(key_names, b[1], strict=True)), "only-replay"), cap)
            b = next(right, None)
        else:
            changes = tuple((n, x, y) for n, x, y in zip(names, a[2], b[2], strict=True)
                            if type(x) is not type(y) or x != y)
            if changes:
                result.add(Difference(table.name, tuple(zip(key_names, a[1], strict=True)), "changed",
                                      changes), cap)
            a = next(left, None)
            b = next(right, None)
    return result


# --- the whole check ----------------------------------------------------------------
def _live_position(conn: Connection) -> int:
    found = conn.execute(select(t.position.c.position).where(t.position.c.name == NAME)).scalar()
    return int(found or 0)


def _head(app: EventSource) -> int:
    row = app.head()
    return row.position if row is not None else 0


@contextmanager
def _snapshot(engine: Engine) -> Iterator[Connection]:
    with engine.connect() as conn:
        if conn.dialect.name == "postgresql":
            conn = conn.execution_options(isolation_level="REPEATABLE READ")
        with conn.begin():
            if conn.dialect.name == "postgresql":
                # Held to the end: a rebuild's TRUNCATE (runner.clear) would empty the views under
                # the snapshot (TRUNCATE is not MVCC-safe); with these held it deletes, unseen here.
                names = ", ".join(f'"{table.name}"' for table in t.ALL_VIEWS)
                conn.execute(text(f"LOCK TABLE {names} IN ACCESS SHARE MODE"))
            yield conn


def verify_views(app: EventSource, live: Engine, progress: Progress | None = None,
                 cap: int = SHOWN, attempts: int = 3) -> ReplayResult:
    """Bring the live views up to date, replay the events up to their position, compare every view."""
    for attempt in range(attempts):
        warning = None
        try:
            catch_up(live, app)
        except Exception as error:  # e.g. pl_position set back: the events after it are in the views
            warning = (str(error).strip().splitlines() or [type(error).__name__])[0]
        with _snapshot(live) as conn:
            position = _live_position(conn)
            head = _head(app)
            if position != head and warning is None and attempt + 1 < attempts:
                continue  # another process wrote between the catch-up and the snapshot: again
            with scratch(live) as engine:
                replayed = replay_events(engine, app, position, progress)
                tables = []
                with engine.connect() as other, other.begin():
                    for table in t.ALL_VIEWS:
                        if progress:
                            progress(f"comparing {table.name}")
                        tables.append(compare_table(conn, other, table, cap))
        if position != head:
            moved = TableResult(POSITION_VIEW)
            note = (f"the live views say they hold events 1..{position}, but the event store's head is "
                    f"{head}")
            moved.add(Difference(POSITION_VIEW, (("name", NAME),), "position", note=note), cap)
            tables.append(moved)
        return ReplayResult(position, head, replayed, tables, warning=warning)
    raise ReplayError("the ledger kept changing during the replay: try again")  # pragma: no cover
