"""A glance at a SQLite ledger before a read: are its views at the log's head, and which roles does
the actor hold there? Read with the standard library alone, so a read whose views are current
needs neither the application nor eventsourcing (issue 17: a read under 0.3 s).

What the full path (``Ledger.read`` in ``commands/support/context.py``) would learn by building the
application - the store is of this build's shape, the ledger is initialised, the views follow the
log (``runner.check_follows``) and stand at its head (``runner.lag``), and the roster grants the
actor's roles - this learns from the same file in six small queries. The views follow every event,
so at the head their roles are the roster's. Anything else (views behind or of another schema, a
store an earlier build made, a file that is no ledger, an actor without a role) gives None, and the
full path decides and says what is wrong, exactly as before.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from ledger.store.chain import CHAIN_TABLE, IDENTITY_COLUMNS, SEALS_TABLE
from ledger.values import Role

SQLITE_EVENTS = "stored_events"  # the library's events table on SQLite (eventsourcing.sqlite's default)
VIEWS = "views"  # the views' position row in pl_position (runner.NAME)
SCHEMA = "schema"  # the views' schema version row (engine.SCHEMA)


def current_roles(path: Path, actor: str, schema_version: int) -> set[Role] | None:
    """ACTOR's roles, if the ledger at PATH has views of SCHEMA_VERSION standing at its head and
    following its log; None if anything is otherwise (the full path then decides)."""
    if not path.is_file():
        return None
    try:  # only SELECTs follow; the file exists, so connecting creates nothing
        conn = sqlite3.connect(path, timeout=30)
    except sqlite3.Error:
        return None
    try:
        return _roles(conn, actor, schema_version)
    except (sqlite3.Error, ValueError):  # no ledger, a damaged file, a role this build does not know
        return None
    finally:
        conn.close()


def _roles(conn: sqlite3.Connection, actor: str, schema_version: int) -> set[Role] | None:
    chain = {row[1] for row in conn.execute(f"PRAGMA table_info({CHAIN_TABLE})")}
    seals = conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (SEALS_TABLE,))
    if not chain >= set(IDENTITY_COLUMNS) or seals.fetchone() is None:
        return None  # a store an earlier build made: opening it brings it up to date, and says so
    found = conn.execute(
        "SELECT (SELECT position FROM pl_position WHERE name = ?), (SELECT position FROM pl_position "
        f"WHERE name = ?), (SELECT MAX(position) FROM {CHAIN_TABLE})", (SCHEMA, VIEWS)).fetchone()
    schema, seen, head = found
    if schema != schema_version or not seen or seen != head:
        return None
    logged = conn.execute(
        f"SELECT c.recorded_at, e.originator_id, e.originator_version FROM {CHAIN_TABLE} c "
        f"JOIN {SQLITE_EVENTS} e ON e.rowid = c.notification_id WHERE c.position = ?", (seen,)).fetchone()
    applied = conn.execute("SELECT recorded_at, originator_id, version FROM pl_events WHERE position = ?",
                           (seen,)).fetchone()
    if logged is None or applied is None or tuple(logged) != tuple(applied):
        return None  # the full path names what the views applied and what the log holds
    rows = conn.execute("SELECT role FROM pl_person_roles WHERE name = ? AND until_position IS NULL",
                        (actor,)).fetchall()
    return {Role(row[0]) for row in rows} or None
