"""Fixtures: every storage test runs on SQLite and on PostgreSQL; one demo ledger per session.

PostgreSQL tests need PERFLEDGER_TEST_POSTGRES, e.g.
``postgresql://postgres@127.0.0.1:5432/test``; without it they skip and say so.
Each test gets its own schema, dropped afterwards.
"""

from __future__ import annotations

import os
import sqlite3
import time
import uuid
from collections.abc import Callable, Iterator
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
def backend(request: pytest.FixtureRequest) -> str:
    """Each backend in turn; PostgreSQL skips, naming the variable, when it is not set."""
    if request.param == "postgres" and _pg_admin_url() is None:
        pytest.skip(f"PostgreSQL tests skipped: set {PG_VAR}=postgresql://user@host:port/dbname")
    return str(request.param)


@pytest.fixture
def store_url(backend: str, tmp_path: Path) -> Iterator[str]:
    """A fresh, empty ledger URL on each backend."""
    if backend == "sqlite":
        yield f"sqlite:///{tmp_path / 'ledger.db'}"
        return
    with postgres_schema() as url:
        yield url


class Templates:
    """Ledgers built once per session and backend, and cloned for each test that starts from one.

    On SQLite a clone is a copy of the file (SQLite's backup); on PostgreSQL a new database
    made from the template database (``CREATE DATABASE ... TEMPLATE``), dropped afterwards.
    A test thus starts from the same ledger as if its fixture had built it, in milliseconds.
    """

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.built: dict[tuple[str, str], str] = {}
        self.databases: list[str] = []

    def template(self, backend: str, name: str, build: Callable[[str], object]) -> str:
        key = (backend, name)
        if key not in self.built:
            url = f"sqlite:///{self.folder / (uuid.uuid4().hex + '.db')}"
            if backend == "postgres":
                url = self._database("tpl_" + uuid.uuid4().hex[:12])
            build(url)
            self.built[key] = url
        return self.built[key]

    @contextmanager
    def clone(self, backend: str, name: str, build: Callable[[str], object], folder: Path) -> Iterator[str]:
        source = self.template(backend, name, build)
        if backend == "sqlite":
            target = folder / f"{uuid.uuid4().hex[:8]}.db"
            with sqlite3.connect(source.removeprefix("sqlite:///")) as original, sqlite3.connect(target) as copy:
                original.backup(copy)
            yield f"sqlite:///{target}"
            return
        import psycopg

        database = "t_" + uuid.uuid4().hex[:12]
        for attempt in range(20):  # a pool closing its last connection to the template may lag a moment
            try:
                with psycopg.connect(_admin(), autocommit=True) as conn:
                    conn.execute(f'CREATE DATABASE "{database}" TEMPLATE "{source.rsplit("/", 1)[1]}"')
                break
            except psycopg.errors.ObjectInUse:
                if attempt == 19:
                    raise
                time.sleep(0.1)
        try:
            yield _on(database)
        finally:
            with psycopg.connect(_admin(), autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')

    def _database(self, name: str) -> str:
        import psycopg

        with psycopg.connect(_admin(), autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        self.databases.append(name)
        return _on(name)

    def drop(self) -> None:
        if not self.databases:
            return
        import psycopg

        with psycopg.connect(_admin(), autocommit=True) as conn:
            for name in self.databases:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _admin() -> str:
    base = _pg_admin_url()
    assert base is not None
    return base.split("?")[0]


def _on(database: str) -> str:
    """The admin URL, naming another database on the same server."""
    return _admin().rsplit("/", 1)[0] + "/" + database


@pytest.fixture(scope="session")
def templates(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Templates]:
    found = Templates(tmp_path_factory.mktemp("templates"))
    yield found
    found.drop()


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
