"""Fixtures: every storage test runs on SQLite and on PostgreSQL; one demo ledger per session.

PostgreSQL tests need PERFLEDGER_TEST_POSTGRES, e.g.
``postgresql://postgres@127.0.0.1:5432/test``; without it they skip and say so.
Each test gets its own schema, dropped afterwards.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

PG_VAR = "PERFLEDGER_TEST_POSTGRES"


def _pg_admin_url() -> str | None:
    return os.environ.get(PG_VAR) or None


@pytest.fixture(params=["sqlite", "postgres"])
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A fresh, empty ledger URL on each backend."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'ledger.db'}"
        return
    with postgres_schema() as url:
        yield url


@contextmanager
def postgres_schema() -> Iterator[str]:
    """A PostgreSQL URL naming a new schema, dropped afterwards (skips without PERFLEDGER_TEST_POSTGRES)."""
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


@dataclass(frozen=True)
class Demo:
    """A demo ledger built once for the session, and what ``perfledger demo`` printed building it.

    Tests given it only read it (a test that writes builds or copies its own).
    """

    url: str
    output: Result


def _build_demo(url: str) -> Demo:
    from commands.cli import cli

    result = CliRunner().invoke(cli, ["--actor", "demo-user", "demo", "--db", url])
    assert result.exit_code == 0, result.stderr
    return Demo(url, result)


@pytest.fixture(scope="session")
def demo_sqlite(tmp_path_factory: pytest.TempPathFactory) -> Demo:
    """The session's demo ledger on SQLite."""
    return _build_demo(f"sqlite:///{tmp_path_factory.mktemp('demo') / 'demo.db'}")


@pytest.fixture(scope="session", params=["sqlite", "postgres"])
def demo(request: pytest.FixtureRequest) -> Iterator[Demo]:
    """The session's demo ledger, on each backend (read only)."""
    if request.param == "sqlite":
        yield request.getfixturevalue("demo_sqlite")
        return
    with postgres_schema() as url:
        yield _build_demo(url)


@pytest.fixture
def app(store_url: str):  # type: ignore[no-untyped-def]
    """An initialised ledger with alice as administrator."""
    from ledger.app import LedgerApp
    from ledger.store.url import parse_store_url

    ledger = LedgerApp(parse_store_url(store_url))
    ledger.people.initialise("alice", "alice", Decimal(5))
    yield ledger
    ledger.close()
