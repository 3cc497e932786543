"""A page writer: buffers inserts and writes them in bulk (COPY, executemany) before any read or update.

In a bulk replay (``projections rebuild``, ``audit replay``) the views' secondary indexes
are dropped and built at the end; a projector that queries through one calls
``need_index`` first, which builds it there and then (a bulk build over the rows so far),
so a replay never scans a whole view per event and one that never needs it never pays for
maintaining it row by row.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from operator import itemgetter
from typing import Any

from sqlalchemy import Connection, Index, RowMapping, Table, and_, select, text, update
from sqlalchemy.exc import DBAPIError

Row = dict[str, Any] | tuple[Any, ...] | list[Any]
_INSERTS: dict[str, str] = {}
_getters: dict[str, Callable[[dict[str, Any]], tuple[Any, ...]]] = {}


class PageWriter:
    def __init__(self, conn: Connection, deferred: dict[str, Index] | None = None) -> None:
        self._conn = conn
        self.deferred = deferred if deferred is not None else {}  # dropped for a bulk replay
        self._pending: dict[str, tuple[Table, list[Row]]] = {}
        self._order: list[str] = []
        self.taken = 0  # how many times buffered rows were taken to be written

    def insert(self, table: Table, row: dict[str, Any]) -> None:
        self._rows(table).append(row)

    def insert_values(self, table: Table, values: tuple[Any, ...] | list[Any]) -> None:
        """A row given as all its values in the table's column order (the fast path's form; a list
        may still be changed in place until the page is flushed)."""
        self._rows(table).append(values)

    def buffered(self, table: Table) -> int:
        """How many rows of TABLE are buffered, not yet handed to the database."""
        pending = self._pending.get(table.name)
        return len(pending[1]) if pending is not None else 0

    @property
    def conn(self) -> Connection:
        """The page's connection (a subclass may first wait for writes it has handed on)."""
        return self._conn

    def _rows(self, table: Table) -> list[Row]:
        pending = self._pending.get(table.name)
        if pending is None:
            pending = self._pending[table.name] = (table, [])
            self._order.append(table.name)
        return pending[1]

    def flush(self) -> None:
        batches = self.take()
        if batches:
            write(self.conn, batches)

    def take(self) -> list[Batch]:
        """The rows buffered so far, as the driver takes them (tuples: a row's list may still be
        changed in place by the fast path after this, which must not change what is written), and
        forget them."""
        batches = [_prepared(table, rows) for table, rows in (self._pending[n] for n in self._order) if rows]
        self._pending.clear()
        self._order.clear()
        self.taken += bool(batches)
        return batches

    def need_index(self, name: str) -> None:
        """Build the index ``name`` now if a bulk replay dropped it (shared by the replay's pages)."""
        index = self.deferred.pop(name, None)
        if index is not None:
            self.flush()
            if self.conn.dialect.name == "postgresql":  # as make_engine and the runner's index changes
                self.conn.execute(text("SELECT pg_advisory_xact_lock(7281)"))
            index.create(self.conn, checkfirst=True)

    def open_row(self, table: Table, **key: Any) -> RowMapping | None:
        """The row of ``table`` matching ``key`` that is still believed (until_position NULL)."""
        self.flush()
        conditions = [table.c[k] == v for k, v in key.items()] + [table.c.until_position.is_(None)]
        return self.conn.execute(select(table).where(and_(*conditions))).mappings().first()

    def close_rows(self, table: Table, at: int, extra: dict[str, Any] | None = None, **key: Any) -> int:
        """End the belief in the open rows matching ``key`` at position ``at``."""
        self.flush()
        conditions = [table.c[k] == v for k, v in key.items()] + [table.c.until_position.is_(None)]
        values = {"until_position": at, **(extra or {})}
        return self.conn.execute(update(table).where(and_(*conditions)).values(**values)).rowcount

    def scalar(self, statement: Any) -> Any:
        self.flush()
        return self.conn.execute(statement).scalar()


Batch = tuple[Table, list[str], list[Any]]  # (table, its column names, its rows as tuples)


def _prepared(table: Table, rows: list[Row]) -> Batch:
    columns = [c.name for c in table.columns]
    get = _getters.get(table.name)
    if get is None:
        get = _getters[table.name] = itemgetter(*columns)
    try:
        values = [get(row) if isinstance(row, dict) else row if type(row) is tuple else tuple(row)
                  for row in rows]  # the driver takes tuples only
    except KeyError:
        values = [tuple(row.get(c) for c in columns) if isinstance(row, dict) else tuple(row)
                  for row in rows]
    return table, columns, values


def write(conn: Connection, batches: list[Batch]) -> None:
    """Insert prepared rows: plain tuples straight to the driver (SQLAlchemy's per-row parameter
    processing costs more than the insert itself in a rebuild): one prepared INSERT on SQLite,
    COPY on PostgreSQL (one round trip for the lot, where an executemany pipelines one per row)."""
    dialect = conn.dialect.name
    for table, columns, values in batches:
        if dialect == "postgresql":
            _copy(conn, table.name, columns, values)
        elif dialect == "sqlite":
            sql = _INSERTS.get(table.name)
            if sql is None:
                names, marks = ", ".join(columns), ", ".join("?" * len(columns))
                sql = _INSERTS[table.name] = f"INSERT INTO {table.name} ({names}) VALUES ({marks})"
            conn.exec_driver_sql(sql, values)
        else:
            conn.execute(table.insert(), [dict(zip(columns, row, strict=True)) for row in values])


def _copy(conn: Connection, name: str, columns: list[str], values: list[Any]) -> None:
    names = ", ".join(f'"{c}"' for c in columns)
    sql = f'COPY "{name}" ({names}) FROM STDIN'
    driver = conn.dialect.loaded_dbapi
    try:
        cursor: Any = conn.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
        with cursor, cursor.copy(sql) as copy:
            for row in values:
                copy.write_row(row)
    except driver.Error as error:  # as SQLAlchemy would raise it (the runner retries on a conflict)
        raise DBAPIError.instance(sql, None, error, driver.Error) from error


class Behind:
    """One worker thread that runs a bulk catch-up's statements on the page's connection, in the
    order they were handed to it, while the caller folds the next page (psycopg waits for the
    server without the GIL). A failed job fails every job after it, unrun; ``drain`` waits for
    all, raising the first failure."""

    def __init__(self) -> None:
        self._worker = ThreadPoolExecutor(1, thread_name_prefix="perfledger-views")
        self._last: Future[None] | None = None

    def submit(self, job: Callable[[], None]) -> Future[None]:
        before = self._last

        def run() -> None:
            if before is not None:
                before.result()  # raises the failure of any job before this one
            job()

        self._last = self._worker.submit(run)
        return self._last

    def drain(self) -> None:
        if self._last is not None:
            self._last.result()

    def __enter__(self) -> Behind:
        return self

    def __exit__(self, *_: object) -> None:
        self._worker.shutdown(wait=True)  # nothing may still be using the connection after this


class BehindWriter(PageWriter):
    """A page writer whose writes run behind (``Behind``): ``flush`` hands the buffered rows (as
    tuples, taken now) to the worker and returns; any other use of the connection (a read, an
    update, an index built, a general projector) first waits until everything handed on has run,
    so every statement reaches the database in the order the plain ``PageWriter`` would send it.
    ``begin`` (the page's transaction and its position check) is handed on before the page's
    first statement; ``finish`` hands on its last writes and ``end`` (the position and the commit)."""

    def __init__(self, conn: Connection, deferred: dict[str, Index] | None, behind: Behind,
                 begin: Callable[[], None]) -> None:
        super().__init__(conn, deferred)
        self._behind, self._begin = behind, begin
        self._begun = False

    def _start(self) -> None:
        if not self._begun:
            self._begun = True
            self._behind.submit(self._begin)

    @property
    def conn(self) -> Connection:
        self._start()
        self._behind.drain()
        return self._conn

    def flush(self) -> None:
        batches = self.take()
        if batches:
            self._start()
            conn = self._conn
            self._behind.submit(lambda: write(conn, batches))

    def finish(self, end: Callable[[], None]) -> Future[None]:
        self.flush()
        self._start()
        return self._behind.submit(end)
