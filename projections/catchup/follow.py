"""Projections that follow: one long-lived process keeps a PostgreSQL ledger's views caught up.

``perfledger projections follow`` runs ``follow_events``: it holds a session-level advisory lock for
the ledger's schema (``FOLLOW_LOCK``, the second key from the schema's name) for as long as it
runs, LISTENs on the ledger's channel (``ledger.store.port.follow_channel``: every append
NOTIFYs it on commit, with the chain's last position), and catches the views up (the same
``runner.catch_up``, page by page, each page and its position in one transaction) whenever a
notification arrives, or every ``idle`` seconds if none does.

Other processes see the lock in ``pg_locks`` (``follower_live``): while it is held, a writer
does not catch the views up itself after its write, and a read that finds the views behind
waits (``wait_for``, bounded) for the follower to reach the position the read needs (the log's
head when it starts, so every write before it, this process's own included) instead of folding
events itself. The lock goes with the follower's session, so a follower killed outright
(SIGKILL, a lost connection) stops counting at once and writers catch up for themselves again.
"""

from __future__ import annotations

import time
import zlib
from collections.abc import Callable
from typing import Any

from sqlalchemy import Engine, select, text

from ledger.store.port import follow_channel
from projections import schema as t
from projections.catchup.runner import NAME, catch_up
from projections.catchup.source import EventSource

FOLLOW_LOCK = 7282  # the advisory lock's first key (make_engine's DDL lock is 7281)
IDLE = 1.0  # seconds between catch-ups when no notification arrives (and between checks to stop)


class AlreadyFollowing(Exception):
    """Another follower holds the ledger's lock."""


def _key(schema: str) -> int:
    return zlib.crc32(schema.encode()) & 0x7FFFFFFF


def _schema(engine: Engine) -> str:
    with engine.connect() as conn:
        return str(conn.execute(text("SELECT current_schema()")).scalar_one())


def follower_live(engine: Engine) -> bool:
    """Whether a ``projections follow`` process holds this ledger's lock now (PostgreSQL only)."""
    if engine.dialect.name != "postgresql":
        return False
    with engine.connect() as conn:
        schema = str(conn.execute(text("SELECT current_schema()")).scalar_one())
        found = conn.execute(text(
            "SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND granted AND objsubid = 2 "
            "AND classid = :a AND objid = :b AND database = (SELECT oid FROM pg_database "
            "WHERE datname = current_database())"), {"a": FOLLOW_LOCK, "b": _key(schema)}).first()
    return found is not None


def views_position(engine: Engine) -> int:
    with engine.connect() as conn:
        found = conn.execute(select(t.position.c.position).where(t.position.c.name == NAME)).scalar()
    return int(found or 0)


def wait_for(engine: Engine, position: int, timeout: float) -> int:
    """Wait until the views have applied POSITION, or TIMEOUT seconds; the views' position then."""
    deadline = time.monotonic() + timeout
    pause = 0.01
    while True:
        seen = views_position(engine)
        if seen >= position or time.monotonic() >= deadline:
            return seen
        time.sleep(min(pause, max(deadline - time.monotonic(), 0)))
        pause = min(pause * 2, 0.2)


def follow_events(engine: Engine, app: EventSource, stop: Callable[[], bool],
           applied: Callable[[int, int], None] | None = None,
           started: Callable[[int], None] | None = None, idle: float = IDLE) -> int:
    """Catch the views up as events arrive until ``stop()``; return how many events were applied.

    ``started(position)`` is told once the lock is held and the channel listened to, with the
    views' position; ``applied(count, position)`` of each catch-up that applied events. Raises
    ``AlreadyFollowing`` if another follower runs for this ledger.
    """
    schema = _schema(engine)
    raw = engine.raw_connection()
    driver: Any = raw.driver_connection
    try:
        driver.autocommit = True
        got = driver.execute("SELECT pg_try_advisory_lock(%s, %s)", (FOLLOW_LOCK, _key(schema))).fetchone()
        if not got or not got[0]:
            raise AlreadyFollowing(schema)
        driver.execute(f'LISTEN "{follow_channel(schema)}"')
        if started is not None:
            started(views_position(engine))
        total = 0
        while not stop():
            count = catch_up(engine, app)
            if count:
                total += count
                if applied is not None:
                    applied(count, views_position(engine))
            for _ in driver.notifies(timeout=idle, stop_after=1):
                pass  # woken by a commit (or the timeout): catch up again
        return total
    finally:
        raw.invalidate()  # closes the session: the lock and the LISTEN go with it
