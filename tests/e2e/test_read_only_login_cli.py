"""A read-only database login can read (issue 18, item 6): a PostgreSQL login granted only USAGE on
the schema and SELECT on its tables runs the reads (return list, report rag, audit verify, ...)
without failing on writes it may not make: opening writes nothing to a current ledger, views
already up to date are read as they are, and views behind are read as they stand, said in one line.
PostgreSQL only: logins are PostgreSQL's."""

from __future__ import annotations

import json
import os
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from urllib.parse import urlsplit

import pytest

from ledger.app import LedgerApp, parse_store_url
from ledger.app.returns import ReturnInput
from ledger.values import Period
from tests.e2e.harness import Perfledger, partnership, refused


@pytest.fixture
def backend() -> str:
    if not os.environ.get("PERFLEDGER_TEST_POSTGRES"):
        pytest.skip("PostgreSQL tests skipped: set PERFLEDGER_TEST_POSTGRES=postgresql://user@host:port/dbname")
    return "postgres"


def returned(url: str) -> Perfledger:
    """The partnership with NI 192's Q1 returned by bob (views caught up by the CLI)."""
    p = partnership(url)
    p.ok("return", "submit", "NI 192", "2008/09-Q1", "36.40", actor="bob")
    return p


@dataclass
class ReadOnly:
    owner: Perfledger
    reader: Perfledger  # the same ledger, through the read-only login


@pytest.fixture
def ledgers(clone_of: Callable[[Callable[[str], Perfledger]], Perfledger]) -> Iterator[ReadOnly]:
    import psycopg

    owner = clone_of(returned)
    role = f"pl_reader_{uuid.uuid4().hex[:8]}"
    parts = urlsplit(owner.url)
    reader_url = parts._replace(netloc=f"{role}@{parts.hostname}:{parts.port or 5432}").geturl()
    with psycopg.connect(owner.url, autocommit=True) as conn:
        conn.execute(f'CREATE ROLE "{role}" LOGIN')
        conn.execute(f'GRANT USAGE ON SCHEMA public TO "{role}"')
        conn.execute(f'GRANT SELECT ON ALL TABLES IN SCHEMA public TO "{role}"')
    try:
        yield ReadOnly(owner, Perfledger(reader_url))
    finally:
        with psycopg.connect(owner.url, autocommit=True) as conn:
            conn.execute(f'DROP OWNED BY "{role}"')
            conn.execute(f'DROP ROLE "{role}"')


def values(pl: Perfledger, actor: str = "vic") -> list[tuple[str, str]]:
    rows = json.loads(pl.ok("return", "list", "NI 192", "--format", "json", actor=actor).stdout)
    return [(r["period"], r["value"]) for r in rows]


def test_a_read_only_login_reads_views_that_are_up_to_date(ledgers: ReadOnly) -> None:
    reader = ledgers.reader
    listed = reader("return", "list", "NI 192", "--format", "json", actor="vic")
    assert listed.exit_code == 0, listed.stderr
    assert listed.stderr == ""
    assert values(reader) == [("2008/09-Q1", "36.40")]
    report = json.loads(reader.ok("report", "rag", "--period", "2008/09-Q1", "--format", "json",
                                  actor="vic").stdout)
    assert [(r["indicator"], r["actual"]) for r in report["rows"]] == [("NI 154", None), ("NI 192", "36.40")]
    verified = reader.ok("audit", "verify", actor="vic")
    assert verified.stdout.startswith("ok: 8 events verified")
    assert verified.stderr == ""
    for read in (("audit", "trail"), ("people", "list"), ("indicator", "list")):
        result = reader.ok(*read, actor="vic")
        assert result.stderr == "", (read, result.stderr)


def test_views_behind_are_read_as_they_stand_and_said_to_be(ledgers: ReadOnly) -> None:
    app = LedgerApp(parse_store_url(ledgers.owner.url))  # a write whose views were not caught up
    try:
        app.returns.submit("bob", ReturnInput("NI 192", Period.parse("2008/09-Q2"), Decimal("38.10")))
    finally:
        app.close()
    result = ledgers.reader("return", "list", "NI 192", "--format", "json", actor="vic")
    assert result.exit_code == 0, result.stderr
    lines = result.stderr.strip().splitlines()
    assert lines == ["notice: this login may only read: the views stand at position 8 of the ledger's 9, so "
                     "what was recorded after position 8 is not shown; a login that may write (the ledger's "
                     "owner) brings them up to date with any command"]
    assert [r["period"] for r in json.loads(result.stdout)] == ["2008/09-Q1"]
    assert ledgers.reader.ok("audit", "verify", actor="vic").stdout.startswith("ok: 9 events verified")
    assert values(ledgers.owner) == [("2008/09-Q1", "36.40"), ("2008/09-Q2", "38.10")]  # the owner catches up
    after = ledgers.reader("return", "list", "NI 192", actor="vic")
    assert after.stderr == ""


def test_a_read_only_login_cannot_write_and_says_so_in_one_line(ledgers: ReadOnly) -> None:
    before = ledgers.owner.digest()
    refused(ledgers.reader("return", "submit", "NI 192", "2008/09-Q2", "38.10", actor="bob"), 1,
            "permission denied")
    assert ledgers.owner.digest() == before
