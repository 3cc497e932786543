"""Fixtures: every storage test runs on SQLite and on PostgreSQL.

PostgreSQL tests need PERFLEDGER_TEST_POSTGRES, e.g.
``postgresql://postgres@127.0.0.1:5432/test``; without it they skip and say so.
Each test gets its own schema, dropped afterwards.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest

PG_VAR = "PERFLEDGER_TEST_POSTGRES"


def _pg_admin_url() -> str | None:
    return os.environ.get(PG_VAR) or None


@pytest.fixture(params=["sqlite", "postgres"])
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A fresh, empty ledger URL on each backend."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'ledger.db'}"
        return
    base = _pg_admin_url()
    if base is None:
        pytest.skip(f"PostgreSQL tests skipped: set {PG_VAR}=postgresql://user@host:port/dbname")
    import psycopg

    schema = "t_" + uuid.uuid4().hex[:12]
    with psycopg.connect(base.split("?")[0], autocommit=True) as conn:
        conn.execute(f'CREATE SCHEMA "{schema}"')
    try:
        yield f"{base.split('?')[0]}?schema={schema}"
    finally:
        with psycopg.connect(base.split("?")[0], autocommit=True) as conn:
            conn.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')


@pytest.fixture
def app(store_url: str):  # type: ignore[no-untyped-def]
    """An initialised ledger with alice as administrator."""
    from ledger.app import LedgerApp
    from ledger.store.url import parse_store_url

    ledger = LedgerApp(parse_store_url(store_url))
    ledger.people.initialise("alice", "alice", Decimal(5))
    yield ledger
    ledger.close()
