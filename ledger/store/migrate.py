"""Ledgers made by earlier builds open: what their store names otherwise, or lacks, is put right
when they are opened, once, in one transaction, and said in one line (``Migration.notice``).

What earlier builds left (each frozen in ``tests/fixtures`` and opened by ``tests/integration/
test_early_ledgers.py``):

- the first build with a command line (7b1689b) named the PostgreSQL events table after the
  application's class, ``ledgerapp_events`` (the library names it ``<application name>_events``,
  and the name was later fixed to ``ledger``: ``ledger_events``). SQLite's events table was
  always ``stored_events``. The table, its sequence, key and index are renamed; the library's
  insert function, which named the old table and is never used (database functions are pinned
  off), is dropped. Nothing in a row changes, so every leaf and link of the chain still holds;
- ledgers made before logins and signatures were recorded have a chain table without the
  ``login`` and ``signature`` columns and no seals table: they gain them (empty), on both backends.

Nothing is written when nothing is missing, so a login that may only read opens a current
ledger; an earlier one must first be opened once by a login that may alter its tables.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from eventsourcing.persistence import PersistenceError

from ledger.errors import Invalid
from ledger.store.chain import CHAIN_TABLE, IDENTITY_COLUMNS, SEALS_TABLE

LEGACY_EVENTS_TABLES = ("ledgerapp_events",)  # PostgreSQL events tables of earlier builds


@dataclass(frozen=True)
class Migration:
    """What opening a ledger changed in its store (nothing, for a current ledger)."""

    steps: tuple[str, ...] = ()

    @property
    def notice(self) -> str | None:
        if not self.steps:
            return None
        return ("this ledger was made by an earlier build and has been brought up to date: "
                + "; ".join(self.steps) + " (no event or chain row changed)")


def identity_steps(columns: set[str], seals: bool) -> list[str]:
    missing = [column for column in IDENTITY_COLUMNS if column not in columns]
    steps = [f"the chain table gained the {' and '.join(missing)} column{'s' if len(missing) > 1 else ''}"
             ] if missing else []
    return steps + ([] if seals else ["a seals table was added"])


def refused(schema: str, error: Exception) -> Invalid:
    first = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
    return Invalid(f"this ledger (schema {schema}) was made by an earlier build and must be brought up to "
                   "date once, by a login that may alter its tables (its owner), before this login can use "
                   f"it: open it once as that login ({first})")


# --- PostgreSQL ------------------------------------------------------------------------------
Query = Callable[[str, Sequence[Any]], list[dict[str, Any]]]


def postgres_state(query: Query, schema: str, events_table: str) -> tuple[bool, str | None, set[str], bool]:
    """(whether the events table exists, the legacy events table found if it does not, the chain
    table's columns, whether the seals table exists), read without writing."""
    found = query("SELECT c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                  "WHERE n.nspname = %s AND c.relkind = 'r' AND c.relname = ANY(%s)",
                  (schema, [events_table, SEALS_TABLE, *LEGACY_EVENTS_TABLES]))
    names = {str(r["name"]) for r in found}
    legacy = next((name for name in LEGACY_EVENTS_TABLES if name in names), None)
    columns = {str(r["column_name"]) for r in query(
        "SELECT column_name FROM information_schema.columns WHERE table_schema = %s AND table_name = %s",
        (schema, CHAIN_TABLE))}
    has_events = events_table in names
    return has_events, None if has_events else legacy, columns, SEALS_TABLE in names


def postgres_statements(schema: str, events_table: str, legacy: str | None, columns: set[str],
                        seals_ddl: str) -> list[str]:
    """The statements that bring an earlier ledger in SCHEMA up to date (none for a current one)."""
    def qualified(name: str) -> str:
        return f'"{schema}"."{name}"'

    statements: list[str] = []
    if legacy is not None:
        statements += [
            f'ALTER TABLE {qualified(legacy)} RENAME TO "{events_table}"',
            f'ALTER SEQUENCE IF EXISTS {qualified(legacy + "_notification_id_seq")} '
            f'RENAME TO "{events_table}_notification_id_seq"',
            f'ALTER INDEX IF EXISTS {qualified(legacy + "_pkey")} RENAME TO "{events_table}_pkey"',
            f'ALTER INDEX IF EXISTS {qualified(legacy + "_notification_id_idx")} '
            f'RENAME TO "{events_table}_notification_id_idx"',
            f'DROP FUNCTION IF EXISTS "{schema}".es_insert_events_uuid("{schema}".stored_event_uuid[])',
        ]
    statements += [f'ALTER TABLE {qualified(CHAIN_TABLE)} ADD COLUMN IF NOT EXISTS "{column}" text '
                   "NOT NULL DEFAULT ''" for column in IDENTITY_COLUMNS if column not in columns]
    return [*statements, seals_ddl]


def postgres_steps(legacy: str | None, events_table: str, columns: set[str], seals: bool) -> list[str]:
    renamed = [f"its events table {legacy} is now {events_table}"] if legacy is not None else []
    return renamed + identity_steps(columns, seals)


def postgres(datastore: Any, events_table: str, seals_ddl: Any, read: Query) -> Migration:
    """Bring the ledger in DATASTORE's schema up to date (``datastore`` a ``PostgresDatastore``,
    ``seals_ddl`` the seals table's ``psycopg.sql`` statement, ``read`` a query outside any write):
    one transaction under an advisory lock, re-reading what is missing once it holds it."""
    schema: str = datastore.schema
    present, legacy, columns, seals = postgres_state(read, schema, events_table)
    if present and set(IDENTITY_COLUMNS) <= columns and seals:
        return Migration()
    try:
        with datastore.transaction(commit=True) as curs:
            curs.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", (f"perfledger-migrate:{schema}",))

            def query(sql: str, params: Sequence[Any]) -> list[dict[str, Any]]:
                curs.execute(sql.encode(), tuple(params))
                return list(curs.fetchall())

            present, legacy, columns, seals = postgres_state(query, schema, events_table)
            for statement in postgres_statements(schema, events_table, legacy, columns,
                                                 seals_ddl.as_string(curs)):
                curs.execute(statement.encode())
    except PersistenceError as error:
        raise refused(schema, error) from None
    return Migration(tuple(postgres_steps(legacy, events_table, columns, seals)))
