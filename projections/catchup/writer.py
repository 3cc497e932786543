"""A page writer: buffers inserts for executemany, flushing before any read or update.

In a bulk replay (``projections rebuild``, ``audit replay``) the views' secondary indexes
are dropped and built at the end; a projector that queries through one calls
``need_index`` first, which builds it there and then (a bulk build over the rows so far),
so a replay never scans a whole view per event and one that never needs it never pays for
maintaining it row by row.
"""

from __future__ import annotations

from collections.abc import Callable
from operator import itemgetter
from typing import Any

from sqlalchemy import Connection, Index, RowMapping, Table, and_, select, text, update
from sqlalchemy.exc import DBAPIError

Row = dict[str, Any] | tuple[Any, ...] | list[Any]
_INSERTS: dict[str, str] = {}
_getters: dict[str, Callable[[dict[str, Any]], tuple[Any, ...]]] = {}


class PageWriter:
    def __init__(self, conn: Connection, deferred: dict[str, Index] | None = None) -> None:
        self.conn = conn
        self.deferred = deferred if deferred is not None else {}  # dropped for a bulk replay
        self._pending: dict[str, tuple[Table, list[Row]]] = {}
        self._order: list[str] = []

    def insert(self, table: Table, row: dict[str, Any]) -> None:
        self._rows(table).append(row)

    def insert_values(self, table: Table, values: tuple[Any, ...] | list[Any]) -> None:
        """A row given as all its values in the table's column order (the fast path's form; a list
        may still be changed in place until the page is flushed)."""
        self._rows(table).append(values)

    def _rows(self, table: Table) -> list[Row]:
        pending = self._pending.get(table.name)
        if pending is None:
            pending = self._pending[table.name] = (table, [])
            self._order.append(table.name)
        return pending[1]

    def flush(self) -> None:
        for name in self._order:
            table, rows = self._pending[name]
            if rows:
                self._insert_many(table, rows)
        self._pending.clear()
        self._order.clear()

    def _insert_many(self, table: Table, rows: list[Row]) -> None:
        columns = [c.name for c in table.columns]
        dialect = self.conn.dialect.name
        if dialect not in ("sqlite", "postgresql"):
            self.conn.execute(table.insert(), [
                row if isinstance(row, dict) else dict(zip(columns, row, strict=True)) for row in rows])
            return
        # Plain tuples straight to the driver (SQLAlchemy's per-row parameter processing costs
        # more than the insert itself in a rebuild): one prepared INSERT on SQLite, COPY on
        # PostgreSQL (one round trip for the lot, where an executemany pipelines one per row).
        get = _getters.get(table.name)
        if get is None:
            get = _getters[table.name] = itemgetter(*columns)
        try:
            values = [get(row) if isinstance(row, dict) else row if type(row) is tuple else tuple(row)
                      for row in rows]  # the driver takes tuples only
        except KeyError:
            values = [tuple(row.get(c) for c in columns) if isinstance(row, dict) else tuple(row)
                      for row in rows]
        if dialect == "postgresql":
            self._copy(table.name, columns, values)
            return
        sql = _INSERTS.get(table.name)
        if sql is None:
            sql = f"INSERT INTO {table.name} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})"
            _INSERTS[table.name] = sql
        self.conn.exec_driver_sql(sql, values)

    def _copy(self, name: str, columns: list[str], values: list[Any]) -> None:
        names = ", ".join(f'"{c}"' for c in columns)
        sql = f'COPY "{name}" ({names}) FROM STDIN'
        driver = self.conn.dialect.loaded_dbapi
        try:
            cursor: Any = self.conn.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
            with cursor, cursor.copy(sql) as copy:
                for row in values:
                    copy.write_row(row)
        except driver.Error as error:  # as SQLAlchemy would raise it (the runner retries on a conflict)
            raise DBAPIError.instance(sql, None, error, driver.Error) from error

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
