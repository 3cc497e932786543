"""SQLite: the library's application recorder, extended to write the hash chain.

The events are inserted first (which takes SQLite's write lock), then the chain
head is read and the chain rows inserted, all in the library's one transaction.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import UTC, datetime
from typing import Any
from uuid import UUID

from eventsourcing.persistence import StoredEvent
from eventsourcing.sqlite import SQLiteApplicationRecorder, SQLiteCursor

from ledger.errors import Invalid
from ledger.hints import command
from ledger.store.chain import (
    CHAIN_TABLE,
    IDENTITY_COLUMNS,
    SEALS_TABLE,
    Census,
    ChainRow,
    RawEvent,
    Seal,
    link,
    utc_now,
)
from ledger.store.migrate import Migration, identity_steps
from ledger.store.signing import Signer, seal_batch

NO_LOGINS = ("database logins are PostgreSQL's: a SQLite file has none to bind or grant; prove who "
             f"acts there with personal signing keys ({command('key new')}, {command('people key')})")


SEALS_DDL = (f"CREATE TABLE IF NOT EXISTS {SEALS_TABLE} (signer TEXT NOT NULL, key TEXT NOT NULL, "
             "position INTEGER NOT NULL, link TEXT NOT NULL, signature TEXT NOT NULL, "
             "PRIMARY KEY (signer, key))")


def stamp(clock: Callable[[], datetime], head_time: str | None) -> str:
    """The recording time: the clock, never earlier than the head's."""
    now = clock().astimezone(UTC).isoformat(timespec="microseconds")
    return max(now, head_time) if head_time else now


class ChainedSQLiteApplicationRecorder(SQLiteApplicationRecorder):
    clock: Callable[[], datetime] = staticmethod(utc_now)
    signer: Signer | None = None  # signed identity: whose key signs what is written now
    signer_name: str = ""
    migration: Migration = Migration()  # what opening an earlier ledger changed (ledger/store/migrate.py)

    def construct_create_table_statements(self) -> list[str]:
        statements = super().construct_create_table_statements()
        statements.append(
            f"CREATE TABLE IF NOT EXISTS {CHAIN_TABLE} ("
            "position INTEGER PRIMARY KEY, "
            "notification_id INTEGER NOT NULL UNIQUE, "
            "recorded_at TEXT NOT NULL, "
            "leaf TEXT NOT NULL, "
            "chain TEXT NOT NULL, "
            "login TEXT NOT NULL DEFAULT '', "
            "signature TEXT NOT NULL DEFAULT '')"
        )
        statements.append(SEALS_DDL)
        return statements

    def create_table(self) -> None:
        super().create_table()
        columns = {row[1] for row in self._query(f"PRAGMA table_info({CHAIN_TABLE})", ())}
        missing = [column for column in IDENTITY_COLUMNS if column not in columns]
        seals = self._query("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (SEALS_TABLE,))
        if missing or not seals:  # a ledger made before identity was recorded: add what it lacks, once
            with self.datastore.transaction(commit=True) as c:
                c.execute(f"PRAGMA table_info({CHAIN_TABLE})")
                for column in missing if len(c.fetchall()) == len(columns) else ():
                    c.execute(f"ALTER TABLE {CHAIN_TABLE} ADD COLUMN {column} TEXT NOT NULL DEFAULT ''")
                c.execute(SEALS_DDL)
            self.migration = Migration(tuple(identity_steps(columns, bool(seals))))

    def _insert_events(
        self, c: SQLiteCursor, stored_events: Sequence[StoredEvent], **kwargs: Any
    ) -> Sequence[int] | None:
        ids = super()._insert_events(c, stored_events, **kwargs)
        assert ids is not None
        c.execute(f"SELECT position, chain, recorded_at FROM {CHAIN_TABLE} ORDER BY position DESC LIMIT 1")
        head = c.fetchone()
        raws = [
            RawEvent(nid, _hex(s.originator_id), s.originator_version, s.topic, s.state)
            for nid, s in zip(ids, stored_events, strict=True)
        ]
        rows = link(
            head["position"] if head else 0,
            bytes.fromhex(head["chain"]) if head else bytes(32),
            stamp(self.clock, head["recorded_at"] if head else None),
            raws,
        )
        if self.signer is not None and rows:
            key = (self.signer_name, self.signer.public_hex)
            c.execute(f"SELECT position, link, signature FROM {SEALS_TABLE} WHERE signer = ? AND key = ?",
                      key)
            found = c.fetchone()
            rows, sealed = seal_batch(rows, self.signer, self.signer_name,
                                      Seal(found[0], found[1], found[2]) if found else None)
            c.execute(f"INSERT INTO {SEALS_TABLE} (signer, key, position, link, signature) "
                      "VALUES (?,?,?,?,?) "
                      "ON CONFLICT (signer, key) DO UPDATE SET position = excluded.position, "
                      "link = excluded.link, signature = excluded.signature",
                      (*key, sealed.position, sealed.link, sealed.signature))
        c.executemany(
            f"INSERT INTO {CHAIN_TABLE} VALUES (?,?,?,?,?,?,?)",
            [(r.position, r.notification_id, r.recorded_at, r.leaf, r.chain, r.login, r.signature)
             for r in rows],
        )
        return ids

    def append_chunks(self, chunks: Iterable[Sequence[StoredEvent]]) -> int:
        """Insert many chunks of events in ONE transaction; return the new head position."""
        count = 0
        with self.datastore.transaction(commit=True) as c:
            for chunk in chunks:
                if chunk:
                    self._insert_events(c, chunk)
                    count += len(chunk)
        return count

    def drop(self) -> None:
        """Delete the events and the chain whole (a demo ledger, before it is built again)."""
        with self.datastore.transaction(commit=True) as c:
            c.execute(f"DROP TABLE IF EXISTS {self.events_table_name}")
            c.execute(f"DROP TABLE IF EXISTS {CHAIN_TABLE}")

    def session_login(self) -> str:
        """SQLite has no logins: identity there is a signing key's."""
        return ""

    def writer_grants(self, view_tables: Sequence[str]) -> list[str]:
        raise Invalid(NO_LOGINS)

    def apply(self, statements: Sequence[str]) -> None:
        raise Invalid(NO_LOGINS)

    def grant_writer(self, login: str, admin: bool) -> str:
        raise Invalid(NO_LOGINS)

    # --- reading -----------------------------------------------------------------
    def existing(self, ids: list[UUID]) -> set[UUID]:
        """Which of these aggregates already have events (one query for many ids)."""
        found: set[UUID] = set()
        for start in range(0, len(ids), 500):
            batch = [i.hex for i in ids[start : start + 500]]
            rows = self._query(
                f"SELECT DISTINCT originator_id FROM {self.events_table_name} "
                f"WHERE originator_id IN ({','.join('?' * len(batch))})",
                tuple(batch),
            )
            found.update(UUID(r[0]) for r in rows)
        return found

    def events_of(self, ids: list[UUID]) -> dict[UUID, list[StoredEvent]]:
        """Every stored event of these aggregates, in version order (one query per 500 ids)."""
        found: dict[UUID, list[StoredEvent]] = {}
        for start in range(0, len(ids), 500):
            batch = [i.hex for i in ids[start : start + 500]]
            rows = self._query(
                f"SELECT originator_id, originator_version, topic, state FROM {self.events_table_name} "
                f"WHERE originator_id IN ({','.join('?' * len(batch))}) ORDER BY originator_id, "
                "originator_version",
                tuple(batch),
            )
            for r in rows:
                key = UUID(r[0])
                found.setdefault(key, []).append(StoredEvent(key, r[1], r[2], bytes(r[3])))
        return found

    def census(self) -> Census:
        """How many chain rows, stored events and matched pairs there are, and the last position."""
        rows = self._query(
            f"SELECT (SELECT COUNT(*) FROM {CHAIN_TABLE}), (SELECT COUNT(*) FROM {self.events_table_name}), "
            f"(SELECT COUNT(*) FROM {CHAIN_TABLE} c JOIN {self.events_table_name} e "
            "ON e.rowid = c.notification_id), "
            f"(SELECT COALESCE(MAX(position), 0) FROM {CHAIN_TABLE}), "
            f"(SELECT COALESCE(MIN(c.position), 0) FROM {CHAIN_TABLE} c WHERE NOT EXISTS "
            f"(SELECT 1 FROM {self.events_table_name} e WHERE e.rowid = c.notification_id))",
            (),
        )
        return Census(*(_int(cell) for cell in rows[0]))

    def head(self) -> ChainRow | None:
        rows = self._query(f"SELECT * FROM {CHAIN_TABLE} ORDER BY position DESC LIMIT 1", ())
        return _chain_row(rows[0]) if rows else None

    def chain_rows(self, after: int, limit: int) -> list[ChainRow]:
        rows = self._query(
            f"SELECT * FROM {CHAIN_TABLE} WHERE position > ? ORDER BY position LIMIT ?", (after, limit)
        )
        return [_chain_row(r) for r in rows]

    def leaves(self, after: int, limit: int) -> list[tuple[int, str]]:
        """(position, leaf hex) of the chain rows after a position: the Merkle tree's leaves."""
        rows: list[tuple[int, str]] = self._query(
            f"SELECT position, leaf FROM {CHAIN_TABLE} WHERE position > ? ORDER BY position LIMIT ?",
            (after, limit),
        )
        return rows  # position is the rowid (always an integer); a leaf of another type fails to parse

    def leaf_block(self, after: int, limit: int) -> tuple[int, int, int, str]:
        """(count, first position, last position, the leaves' hex concatenated in order) after a position."""
        rows = self._query(
            "SELECT COUNT(*), MIN(position), MAX(position), group_concat(leaf, '') FROM "
            f"(SELECT position, leaf FROM {CHAIN_TABLE} WHERE position > ? ORDER BY position LIMIT ?)",
            (after, limit),
        )
        count, first, last, text = rows[0][0], rows[0][1], rows[0][2], rows[0][3]
        return _int(count), _int(first), _int(last), text if isinstance(text, str) else ""

    def raw_events(self, after: int, limit: int) -> list[RawEvent]:
        rows = self._query(
            f"SELECT rowid, originator_id, originator_version, topic, state FROM {self.events_table_name} "
            "WHERE rowid > ? ORDER BY rowid LIMIT ?",
            (after, limit),
        )
        return [RawEvent(r[0], _text(r[1]), _int(r[2]), _text(r[3]), _blob(r[4])) for r in rows]

    def log_events(self, after: int, limit: int) -> list[tuple[int, str, str, int, str, bytes]]:
        """(position, recorded_at, originator id, version, topic, state) after a position."""
        with self.datastore.transaction(commit=False) as c:
            c.sqlite_cursor.row_factory = None  # plain tuples, on this cursor only (catch-up reads all)
            c.execute(
                f"SELECT c.position, c.recorded_at, e.originator_id, e.originator_version, e.topic, e.state "
                f"FROM {CHAIN_TABLE} c JOIN {self.events_table_name} e ON e.rowid = c.notification_id "
                "WHERE c.position > ? ORDER BY c.position LIMIT ?",
                (after, limit),
            )
            return list(c.fetchall())

    def log_page(self, after: int, limit: int) -> list[tuple[ChainRow, RawEvent]]:
        rows = self._query(
            f"SELECT c.position, c.notification_id, c.recorded_at, c.leaf, c.chain, "
            f"e.originator_id, e.originator_version, e.topic, e.state, c.login, c.signature "
            f"FROM {CHAIN_TABLE} c "
            f"JOIN {self.events_table_name} e ON e.rowid = c.notification_id "
            "WHERE c.position > ? ORDER BY c.position LIMIT ?",
            (after, limit),
        )
        return [
            (
                ChainRow(r[0], r[1], r[2], r[3], r[4], _text(r[9]), _text(r[10])),
                RawEvent(r[1], str(r[5]), int(r[6]), str(r[7]), bytes(r[8])),
            )
            for r in rows
        ]

    def _query(self, sql: str, params: tuple[Any, ...]) -> list[Any]:
        with self.datastore.transaction(commit=False) as c:
            c.execute(sql, params)
            return list(c.fetchall())


def _hex(originator_id: UUID | str) -> str:
    return originator_id.hex if isinstance(originator_id, UUID) else str(originator_id)


def _chain_row(r: Any) -> ChainRow:
    # SELECT * gives the columns in table order: position, notification_id, recorded_at, leaf, chain,
    # login, signature
    position, nid, recorded_at, leaf, chain, login, signature = r[0], r[1], r[2], r[3], r[4], r[5], r[6]
    if type(position) is int and type(nid) is int and type(recorded_at) is str and type(leaf) is str \
            and type(chain) is str and type(login) is str and type(signature) is str:
        return ChainRow(position, nid, recorded_at, leaf, chain, login, signature)
    return ChainRow(_int(position), _int(nid), _text(recorded_at), _text(leaf), _text(chain), _text(login),
                    _text(signature))


# Cells of the wrong type (a tamperer's UPDATE can store any type in SQLite) become values
# that cannot match their hashes, so the verifier names the position instead of crashing.
def _int(cell: Any) -> int:
    return cell if isinstance(cell, int) else -1


def _text(cell: Any) -> str:
    return cell if isinstance(cell, str) else f"\x00<{type(cell).__name__}>"


def _blob(cell: Any) -> bytes:
    return bytes(cell) if isinstance(cell, bytes | memoryview) else f"\x00<{type(cell).__name__}>".encode()
