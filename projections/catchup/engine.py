"""The SQLAlchemy engine for the read models, from the same store configuration."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event, insert, inspect, select, text

from ledger.store.url import StoreConfig
from projections.schema import SCHEMA_VERSION, metadata, position

SCHEMA = "schema"


def _check_schema(conn: Connection) -> None:
    """Views of an older shape are dropped: they are rebuilt from the events by the next catch-up."""
    if not inspect(conn).has_table(position.name):
        return
    found = conn.execute(select(position.c.position).where(position.c.name == SCHEMA)).scalar()
    if found != SCHEMA_VERSION:
        metadata.drop_all(conn)


def _standby(engine: Engine) -> bool:
    """Whether this is a hot standby (a read replica), which refuses the lock and DDL below."""
    with engine.connect() as conn:
        return bool(conn.execute(text("SELECT pg_is_in_recovery()")).scalar())


def make_engine(config: StoreConfig) -> Engine:
    if config.backend == "sqlite":
        engine = create_engine(config.sqlalchemy_url, connect_args={"timeout": 30})

        @event.listens_for(engine, "connect")
        def _pragmas(dbapi_conn: Any, _record: Any) -> None:
            # Let SQLAlchemy issue BEGIN itself, so a page is one real transaction.
            dbapi_conn.isolation_level = None
            dbapi_conn.execute("PRAGMA busy_timeout = 30000")
            # The views can always be rebuilt from the events: in WAL mode NORMAL never
            # corrupts, it only may lose the last pages on power loss (then caught up again).
            dbapi_conn.execute("PRAGMA synchronous = NORMAL")
            # Room for the views' B-trees: random-order inserts stay in memory.
            dbapi_conn.execute("PRAGMA cache_size = -16384")

        @event.listens_for(engine, "begin")
        def _begin(conn: Any) -> None:
            # Writers take the lock at BEGIN, so a page never fails half-way on SQLITE_BUSY.
            immediate = conn.get_execution_options().get("immediate", False)
            conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")

    else:
        # As SQLite's synchronous = NORMAL above: a view transaction need not wait for its WAL flush.
        # A crash may lose the last pages applied (each with its position), never half a page, and
        # the next catch-up applies them again. The events are written on other connections, durably.
        options = " ".join([*([f"-csearch_path={config.schema}"] if config.schema else []),
                            "-csynchronous_commit=off"])
        engine = create_engine(
            config.sqlalchemy_url,
            connect_args={"options": options},
            pool_size=2,
            max_overflow=2,
        )
    if config.backend == "postgres" and _standby(engine):
        return engine  # a read replica: its views are the primary's, as replicated (docs/scaling.md)
    # Created under the write lock, so two processes opening a new ledger never collide.
    with engine.connect() as conn:
        conn = conn.execution_options(immediate=True)
        with conn.begin():
            if config.backend == "postgres":
                conn.execute(text("SELECT pg_advisory_xact_lock(7281)"))
            _check_schema(conn)
            metadata.create_all(conn)
            if conn.execute(select(position.c.position).where(position.c.name == SCHEMA)).first() is None:
                conn.execute(insert(position).values(name=SCHEMA, position=SCHEMA_VERSION))
            for table in metadata.sorted_tables:
                for index in table.indexes:  # back after an interrupted rebuild
                    index.create(conn, checkfirst=True)
    return engine
