"""PostgreSQL: the library's application recorder, writing the hash chain under its lock.

The library's database functions are disabled (the factory pins
POSTGRES_ENABLE_DB_FUNCTIONS off), so every insert comes through
``insert_events`` here: take the library's ``LOCK TABLE ... IN EXCLUSIVE MODE``,
insert the events, read the chain head and insert the chain rows, in one
transaction.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import datetime
from typing import Any
from uuid import UUID

from eventsourcing.persistence import (
    DatabaseError,
    IntegrityError,
    InterfaceError,
    OperationalError,
    StoredEvent,
)
from eventsourcing.postgres import PostgresApplicationRecorder, PostgresDatastore
from eventsourcing.utils import retry
from psycopg import Cursor
from psycopg.rows import DictRow, tuple_row
from psycopg.sql import SQL, Identifier, Literal

from ledger.store import migrate
from ledger.store.chain import CHAIN_TABLE, SEALS_TABLE, Census, ChainRow, RawEvent, Seal, link, utc_now
from ledger.store.port import follow_channel
from ledger.store.signing import Signer, seal_batch
from ledger.store.sqlite import stamp

WRITER = "perfledger_writer"  # the role every bound login is granted (cluster-wide)


class ChainedPostgresApplicationRecorder(PostgresApplicationRecorder):
    clock: Callable[[], datetime] = staticmethod(utc_now)
    signer: Signer | None = None  # signed identity: whose key signs what is written now
    signer_name: str = ""
    migration: migrate.Migration = migrate.Migration()  # what opening an earlier ledger changed

    def __init__(self, datastore: PostgresDatastore, *, events_table_name: str = "stored_events"):
        super().__init__(datastore, events_table_name=events_table_name)
        self.chain_table = SQL("{0}.{1}").format(
            Identifier(self.datastore.schema), Identifier(CHAIN_TABLE)
        )
        self.events_table = SQL("{0}.{1}").format(
            Identifier(self.datastore.schema), Identifier(self.events_table_name)
        )
        self.sql_create_statements.append(
            SQL(
                "CREATE TABLE IF NOT EXISTS {0} ("
                "position bigint PRIMARY KEY, "
                "notification_id bigint NOT NULL UNIQUE, "
                "recorded_at text NOT NULL, "
                "leaf text NOT NULL, "
                "chain text NOT NULL, "
                "login text NOT NULL DEFAULT '', "
                "signature text NOT NULL DEFAULT '')"
            ).format(self.chain_table)
        )
        self.seals_table = SQL("{0}.{1}").format(Identifier(self.datastore.schema), Identifier(SEALS_TABLE))
        self.seals_ddl = SQL(
            "CREATE TABLE IF NOT EXISTS {0} (signer text NOT NULL, key text NOT NULL, "
            "position bigint NOT NULL, link text NOT NULL, signature text NOT NULL, "
            "PRIMARY KEY (signer, key))").format(self.seals_table)
        self.sql_create_statements.append(self.seals_ddl)
        # The library's insert function is never used (database functions are pinned off), and
        # CREATE OR REPLACE FUNCTION from two processes at once fails: leave it out.
        del self.sql_create_statements[self.create_insert_function_statement_index]
        self.insert_returning = SQL(
            "INSERT INTO {0} (originator_id, originator_version, topic, state) "
            "SELECT originator_id, originator_version, topic, state "
            "FROM unnest(%s::{1}.{2}[]) RETURNING notification_id, originator_id, originator_version"
        ).format(
            self.events_table,
            Identifier(self.datastore.schema),
            Identifier(self.stored_event_type_name),
        )

    def create_table(self) -> None:
        """Create the tables once; later opens only register the composite type, and bring a ledger
        made by an earlier build up to date (``ledger/store/migrate.py``)."""
        with self.datastore.transaction(commit=False) as curs:
            curs.execute("SELECT to_regclass(%s) AS found", (f"{self.datastore.schema}.{CHAIN_TABLE}",))
            row = curs.fetchone()
        if row is not None and row["found"] is not None:
            self.datastore.register_type_adapters()
            self._migrate()
            return
        try:
            super().create_table()
        except (IntegrityError, DatabaseError):
            # Another process created them at the same moment: theirs will do.
            self.datastore.register_type_adapters()

    def _migrate(self) -> None:
        self.migration = migrate.postgres(self.datastore, self.events_table_name, self.seals_ddl,
                                          lambda sql, params: self._query(sql, tuple(params)))

    def session_login(self) -> str:
        """The database login of this connection (``session_user``), as the server says."""
        with self.datastore.transaction(commit=False) as curs:
            curs.execute("SELECT session_user AS login")
            row = curs.fetchone()
        return str(row["login"]) if row else ""

    @retry((InterfaceError, OperationalError), max_attempts=10, wait=0.2)
    def insert_events(self, stored_events: Sequence[StoredEvent], **kwargs: Any) -> Sequence[int] | None:
        if not stored_events:
            return []
        with self.datastore.transaction(commit=True) as curs:
            return self._append(curs, stored_events)

    def append_chunks(self, chunks: Iterable[Sequence[StoredEvent]]) -> int:
        """Insert many chunks of events in ONE transaction."""
        count = 0
        with self.datastore.transaction(commit=True) as curs:
            for chunk in chunks:
                if chunk:
                    self._append(curs, chunk)
                    count += len(chunk)
        return count

    def drop(self) -> None:
        """Delete the events and the chain whole (a demo ledger, before it is built again)."""
        with self.datastore.transaction(commit=True) as curs:
            for table in (self.events_table_name, CHAIN_TABLE):
                curs.execute(SQL("DROP TABLE IF EXISTS {0}.{1}").format(Identifier(self.datastore.schema),
                                                                      Identifier(table)))

    def _append(self, curs: Cursor[DictRow], stored_events: Sequence[StoredEvent]) -> list[int]:
        # Writers are serialised (insert order = commit order, as the library's table lock does) by
        # a transaction-level advisory lock: a login with INSERT and SELECT only on the event table
        # may not take the library's EXCLUSIVE table lock (it needs UPDATE, DELETE or TRUNCATE).
        curs.execute("SELECT pg_advisory_xact_lock(hashtext(%s)), session_user AS login",
                     (f"perfledger-append:{self.datastore.schema}.{self.events_table_name}",))
        locked = curs.fetchone()
        login = str(locked["login"]) if locked else ""
        pg_events = [
            self.construct_pg_stored_event(s.originator_id, s.originator_version, s.topic, s.state)
            for s in stored_events
        ]
        curs.execute(self.insert_returning, (pg_events,))
        returned = {
            (str(r["originator_id"]), r["originator_version"]): r["notification_id"]
            for r in curs.fetchall()
        }
        ids = [returned[(str(s.originator_id), s.originator_version)] for s in stored_events]
        curs.execute(
            SQL("SELECT position, chain, recorded_at FROM {0} ORDER BY position DESC LIMIT 1").format(
                self.chain_table
            )
        )
        head = curs.fetchone()
        raws = sorted(
            (
                RawEvent(nid, _hex(s.originator_id), s.originator_version, s.topic, bytes(s.state))
                for nid, s in zip(ids, stored_events, strict=True)
            ),
            key=lambda e: e.notification_id,
        )
        rows = link(
            head["position"] if head else 0,
            bytes.fromhex(head["chain"]) if head else bytes(32),
            stamp(self.clock, head["recorded_at"] if head else None),
            raws,
            login,
        )
        if self.signer is not None and rows:
            key = (self.signer_name, self.signer.public_hex)
            curs.execute(SQL("SELECT position, link, signature FROM {0} WHERE signer = %s AND key = %s")
                         .format(self.seals_table), key)
            found = curs.fetchone()
            previous = Seal(found["position"], found["link"], found["signature"]) if found else None
            rows, sealed = seal_batch(rows, self.signer, self.signer_name, previous)
            curs.execute(SQL("INSERT INTO {0} (signer, key, position, link, signature) "
                             "VALUES (%s, %s, %s, %s, %s) "
                             "ON CONFLICT (signer, key) DO UPDATE SET position = excluded.position, "
                             "link = excluded.link, signature = excluded.signature").format(self.seals_table),
                         (*key, sealed.position, sealed.link, sealed.signature))
        curs.executemany(
            SQL("INSERT INTO {0} VALUES (%s, %s, %s, %s, %s, %s, %s)").format(self.chain_table),
            [(r.position, r.notification_id, r.recorded_at, r.leaf, r.chain, r.login, r.signature)
             for r in rows],
        )
        if rows:  # delivered on commit, to a running ``projections follow``; nothing if none listens
            curs.execute("SELECT pg_notify(%s, %s)", (follow_channel(self.datastore.schema),
                                                      str(rows[-1].position)))
        return ids

    # --- the database's own refusal of rewriting (logins bound to people) ----------------
    def writer_grants(self, view_tables: Sequence[str]) -> list[str]:
        """The SQL that makes the writer role: INSERT and SELECT only on the events and the chain
        (UPDATE, DELETE and TRUNCATE refused by the database), and the views its own."""
        schema = Identifier(self.datastore.schema)
        events, chain = self.events_table, self.chain_table
        with self.datastore.transaction(commit=False) as curs:
            curs.execute("SELECT pg_get_serial_sequence(%s, 'notification_id') AS seq",
                         (f'"{self.datastore.schema}"."{self.events_table_name}"',))
            found = curs.fetchone()
            sequence = str(found["seq"]) if found and found["seq"] else None
            role = Identifier(WRITER)
            statements = [
                SQL("DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = {0}) THEN "
                    "CREATE ROLE {1} NOLOGIN; END IF; END $$").format(Literal(WRITER), role),
                SQL("GRANT USAGE, CREATE ON SCHEMA {0} TO {1}").format(schema, role),
                SQL("REVOKE ALL ON {0}, {1} FROM PUBLIC, {2}").format(events, chain, role),
                SQL("GRANT SELECT, INSERT ON {0}, {1} TO {2}").format(events, chain, role),
                # each writer's last seal: an accelerator the verifier never trusts (it recomputes)
                SQL("GRANT SELECT, INSERT, UPDATE ON {0} TO {1}").format(self.seals_table, role),
            ]
            if sequence is not None:
                statements.append(SQL("GRANT USAGE, SELECT ON SEQUENCE {0} TO {1}").format(
                    SQL(sequence), role))
            statements += [SQL("ALTER TABLE {0}.{1} OWNER TO {2}").format(schema, Identifier(t), role)
                           for t in view_tables]
            return [statement.as_string(curs) for statement in statements]

    def apply(self, statements: Sequence[str]) -> None:
        """Run SQL statements in one transaction (the grants); a refusal is a DatabaseError."""
        with self.datastore.transaction(commit=True) as curs:
            for statement in statements:
                curs.execute(statement.encode())

    def grant_writer(self, login: str, admin: bool) -> str:
        """Make LOGIN a member of the writer role (with the right to pass it on, for an
        administrator); returns the statement."""
        statement = SQL("GRANT {0} TO {1}{2}").format(
            Identifier(WRITER), Identifier(login), SQL(" WITH ADMIN OPTION" if admin else ""))
        with self.datastore.transaction(commit=True) as curs:
            curs.execute(SQL("SELECT 1 FROM pg_roles WHERE rolname = {0}").format(Literal(WRITER)))
            if curs.fetchone() is None:
                curs.execute(SQL("CREATE ROLE {0} NOLOGIN").format(Identifier(WRITER)))
            text = statement.as_string(curs)
            curs.execute(statement)
        return text

    # --- reading -----------------------------------------------------------------
    def existing(self, ids: list[UUID]) -> set[UUID]:
        """Which of these aggregates already have events (one query for many ids)."""
        if not ids:
            return set()
        rows = self._query(  # each id looked up in the primary key (= ANY(...) of many ids scanned the table)
            SQL("SELECT u.id AS originator_id FROM unnest(%s::uuid[]) AS u(id) "
                "WHERE EXISTS (SELECT 1 FROM {0} e WHERE e.originator_id = u.id)").format(self.events_table),
            (_uuid_array(ids),),
        )
        return {r["originator_id"] for r in rows}

    def events_of(self, ids: list[UUID]) -> dict[UUID, list[StoredEvent]]:
        """Every stored event of these aggregates, in version order (one query for many ids)."""
        found: dict[UUID, list[StoredEvent]] = {}
        if not ids:
            return found
        rows = self._query(  # in the primary key's order: an index scan (a join on unnest chose a merge join)
            SQL("SELECT originator_id, originator_version, topic, state FROM {0} "
                "WHERE originator_id = ANY(%s::uuid[]) ORDER BY originator_id, originator_version"
                ).format(self.events_table),
            (_uuid_array(ids),),
        )
        for r in rows:
            raw = r["originator_id"]
            key = raw if isinstance(raw, UUID) else UUID(str(raw))
            found.setdefault(key, []).append(StoredEvent(key, r["originator_version"], r["topic"],
                                                         bytes(r["state"])))
        return found

    def census(self) -> Census:
        """How many chain rows, stored events and matched pairs there are, and the last position."""
        rows = self._query(
            SQL(
                "SELECT (SELECT COUNT(*) FROM {0}) AS chain_rows, (SELECT COUNT(*) FROM {1}) AS events, "
                "(SELECT COUNT(*) FROM {0} c JOIN {1} e ON e.notification_id = c.notification_id) AS joined, "
                "(SELECT COALESCE(MAX(position), 0) FROM {0}) AS last, "
                "(SELECT COALESCE(MIN(c.position), 0) FROM {0} c WHERE NOT EXISTS "
                "(SELECT 1 FROM {1} e WHERE e.notification_id = c.notification_id)) AS orphan"
            ).format(self.chain_table, self.events_table),
            (),
        )
        r = rows[0]
        return Census(int(r["chain_rows"]), int(r["events"]), int(r["joined"]), int(r["last"]),
                      int(r["orphan"]))

    def head(self) -> ChainRow | None:
        query = SQL("SELECT * FROM {0} ORDER BY position DESC LIMIT 1").format(self.chain_table)
        rows = self._query(query, ())
        return _chain_row(rows[0]) if rows else None

    def chain_rows(self, after: int, limit: int) -> list[ChainRow]:
        rows = self._query(
            SQL("SELECT * FROM {0} WHERE position > %s ORDER BY position LIMIT %s").format(self.chain_table),
            (after, limit),
        )
        return [_chain_row(r) for r in rows]

    def leaves(self, after: int, limit: int) -> list[tuple[int, str]]:
        """(position, leaf hex) of the chain rows after a position: the Merkle tree's leaves."""
        rows = self._query(
            SQL("SELECT position, leaf FROM {0} WHERE position > %s ORDER BY position LIMIT %s").format(
                self.chain_table
            ),
            (after, limit),
        )
        return [(r["position"], r["leaf"]) for r in rows]  # dict rows: the typed columns

    def leaf_block(self, after: int, limit: int) -> tuple[int, int, int, str]:
        """(count, first position, last position, the leaves' hex concatenated in order) after a position."""
        rows = self._query(
            SQL(
                "SELECT COUNT(*) AS n, MIN(position) AS lo, MAX(position) AS hi, "
                "string_agg(leaf, '' ORDER BY position) AS leaves FROM "
                "(SELECT position, leaf FROM {0} WHERE position > %s ORDER BY position LIMIT %s) AS page"
            ).format(self.chain_table),
            (after, limit),
        )
        r = rows[0]
        return int(r["n"]), int(r["lo"] or 0), int(r["hi"] or 0), str(r["leaves"] or "")

    def raw_events(self, after: int, limit: int) -> list[RawEvent]:
        rows = self._query(
            SQL(
                "SELECT notification_id, originator_id, originator_version, topic, state FROM {0} "
                "WHERE notification_id > %s ORDER BY notification_id LIMIT %s"
            ).format(self.events_table),
            (after, limit),
        )
        return [
            RawEvent(
                r["notification_id"], _hex(r["originator_id"]), int(r["originator_version"]),
                str(r["topic"]), bytes(r["state"] or b""),
            )
            for r in rows
        ]

    def log_events(self, after: int, limit: int) -> list[tuple[int, str, str, int, str, bytes]]:
        """(position, recorded_at, originator id, version, topic, state) after a position.

        Read as a catch-up reads every event: plain tuples, in binary (the state arrives as its
        bytes, not as hex to decode), the originator id's hex made by the server."""
        query = SQL(
            "SELECT c.position, c.recorded_at, encode(uuid_send(e.originator_id), 'hex'), "
            "e.originator_version, e.topic, e.state FROM {0} c "
            "JOIN {1} e ON e.notification_id = c.notification_id "
            "WHERE c.position > %s ORDER BY c.position LIMIT %s"
        ).format(self.chain_table, self.events_table)
        with self.datastore.transaction(commit=False) as curs, \
                curs.connection.cursor(row_factory=tuple_row) as plain:
            plain.execute(query, (after, limit), binary=True)
            return plain.fetchall()

    def log_page(self, after: int, limit: int) -> list[tuple[ChainRow, RawEvent]]:
        rows = self._query(
            SQL(
                "SELECT c.position, c.notification_id, c.recorded_at, c.leaf, c.chain, c.login, c.signature, "
                "e.originator_id, e.originator_version, e.topic, e.state FROM {0} c "
                "JOIN {1} e ON e.notification_id = c.notification_id "
                "WHERE c.position > %s ORDER BY c.position LIMIT %s"
            ).format(self.chain_table, self.events_table),
            (after, limit),
        )
        return [
            (
                ChainRow(r["position"], r["notification_id"], r["recorded_at"], r["leaf"], r["chain"],
                         r["login"], r["signature"]),
                RawEvent(
                    r["notification_id"], _hex(r["originator_id"]), int(r["originator_version"]),
                    str(r["topic"]), bytes(r["state"]),
                ),
            )
            for r in rows
        ]

    def _query(self, sql: Any, params: tuple[Any, ...]) -> list[Any]:
        with self.datastore.transaction(commit=False) as curs:
            curs.execute(sql, params)
            return list(curs.fetchall())


def _uuid_array(ids: list[UUID]) -> str:
    """IDS (each once) as one array literal: a third of the time psycopg takes to send one UUID at a time."""
    return "{" + ",".join(map(str, dict.fromkeys(ids))) + "}"


def _hex(originator_id: UUID | str) -> str:
    return originator_id.hex if isinstance(originator_id, UUID) else UUID(originator_id).hex


def _chain_row(r: Any) -> ChainRow:
    return ChainRow(r["position"], r["notification_id"], r["recorded_at"], r["leaf"], r["chain"],
                    r.get("login", ""), r.get("signature", ""))
