"""Old ledgers open (issue 18, item 8): a ledger made by an early build, frozen as that build left
it, opens with this one, verifies to the same chain and reads the same figures.

The frozen ledgers were made by the first build with a command line (commit 7b1689b) running
``tests/fixtures/early-7b1689b.sh`` (8 commands, 10 events): ``early-7b1689b.db`` is its SQLite
file; ``early-7b1689b-postgres.sql`` is ``pg_dump --schema=pl_early --no-owner --no-privileges
--inserts`` of its PostgreSQL schema, where that build named the events table ``ledgerapp_events``
(the library names it after the application, then the class ``LedgerApp``; now ``ledger``).
Never regenerate them: a change that breaks this test needs a migration (ledger/store/migrate.py).
"""

from __future__ import annotations

import json
import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import postgres_schema
from tests.e2e.harness import Perfledger, refused

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
SQLITE = FIXTURES / "early-7b1689b.db"
DUMP = FIXTURES / "early-7b1689b-postgres.sql"
DUMPED_SCHEMA = "pl_early"
# the chain head the early build printed (audit digest) after its 10 events, on each backend
HEADS = {"sqlite": "10:bb345e4a54ce8186968a4eaeece22d817ebc1a246979950a33bf30e54ee5b9e3",
         "postgres": "10:aab9d7dacf27f0f0f25ce8abf655c8a00f6b20aba9b0103b3e8f5fe893cfb16c"}


def load_dump(url: str) -> None:
    """Load the frozen schema into the (empty) schema URL names: the dump's SQL with its schema's
    name replaced and psql's own commands (lines starting with a backslash) left out."""
    import psycopg

    schema = url.split("schema=")[1]
    lines = [line for line in DUMP.read_text().splitlines() if not line.startswith("\\")]
    sql = "\n".join(lines).replace(f"CREATE SCHEMA {DUMPED_SCHEMA};", "").replace(DUMPED_SCHEMA, schema)
    with psycopg.connect(url.split("?")[0], autocommit=True) as conn:
        conn.execute(sql.encode())


@pytest.fixture
def early(backend: str, tmp_path: Path) -> Iterator[Perfledger]:
    """A copy of the frozen early ledger of BACKEND."""
    if backend == "sqlite":
        copy = tmp_path / "early.db"
        shutil.copyfile(SQLITE, copy)
        yield Perfledger(f"sqlite:///{copy}")
        return
    with postgres_schema() as url:
        load_dump(url)
        yield Perfledger(url)


def test_an_early_ledger_opens_says_it_was_brought_up_to_date_and_verifies(early: Perfledger,
                                                                          backend: str) -> None:
    first = early.ok("audit", "verify")
    assert first.stdout.startswith(f"ok: 10 events verified; head {HEADS[backend]}:"), first.stdout
    notices = first.stderr.strip().splitlines()
    assert len(notices) == 1, first.stderr
    assert notices[0].startswith("notice: this ledger was made by an earlier build and has been brought up to "
                                 "date: "), notices[0]
    assert "(no event or chain row changed)" in notices[0]
    if backend == "postgres":
        assert "its events table ledgerapp_events is now ledger_events" in notices[0]
    again = early.ok("audit", "verify")  # brought up to date once: no notice the second time
    assert again.stderr == ""
    assert early.digest().startswith(HEADS[backend] + ":")


def test_an_early_ledger_reads_the_figures_it_was_given(early: Perfledger) -> None:
    rows = json.loads(early.ok("return", "list", "NI 192", "--format", "json").stdout)
    assert [(r["period"], r["value"], r["status"], r["version"], r["actor"]) for r in rows] == [
        ("2008/09-Q1", "38.9", "final", 2, "bob"), ("2008/09-Q2", "41.2", "provisional", 1, "bob")]
    report = json.loads(early.ok("report", "rag", "--period", "2008/09", "--format", "json").stdout)
    ni191 = next(r for r in report["rows"] if r["indicator"] == "NI 191")
    assert (ni191["period"], ni191["actual"], ni191["status"], ni191["rating"]) == (
        "2008/09", "702", "final", "none")  # the early build had no targets: nothing to rate against
    people = early.ok("people", "list", "--format", "csv").stdout
    assert "bob" in people
    assert "Halton BC" in people
    assert early.ok("audit", "replay").stdout.startswith("ok: ")


def test_an_early_ledger_takes_writes_that_chain_onto_its_events(early: Perfledger, backend: str) -> None:
    early.ok("return", "submit", "NI 192", "2008/09-Q3", "44.0", actor="bob")
    assert early.ok("audit", "verify").stdout.startswith("ok: 11 events verified")
    rows = json.loads(early.ok("return", "list", "NI 192", "--format", "json").stdout)
    assert [r["period"] for r in rows] == ["2008/09-Q1", "2008/09-Q2", "2008/09-Q3"]
    trail = json.loads(early.ok("audit", "trail", "--format", "json").stdout)
    assert [e["position"] for e in trail] == list(range(1, 12))


def test_a_read_only_login_is_told_the_owner_must_open_an_early_ledger_first(early: Perfledger,
                                                                            backend: str) -> None:
    if backend != "postgres":
        pytest.skip("logins are PostgreSQL's")
    import psycopg

    schema = early.url.split("schema=")[1]
    role = f"pl_reader_{uuid.uuid4().hex[:8]}"
    admin = early.url.split("?")[0]
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE ROLE "{role}" LOGIN')
        conn.execute(f'GRANT USAGE ON SCHEMA "{schema}" TO "{role}"')
        conn.execute(f'GRANT SELECT ON ALL TABLES IN SCHEMA "{schema}" TO "{role}"')
    try:
        reader = Perfledger(early.url.replace("postgres@", f"{role}@", 1))
        refused(reader("audit", "verify"), 1, f"this ledger (schema {schema}) was made by an earlier build and "
                "must be brought up to date once, by a login that may alter its tables (its owner)")
        early.ok("audit", "verify")  # the owner opens it: brought up to date
        assert reader.ok("audit", "verify").stdout.startswith("ok: 10 events verified")
    finally:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP OWNED BY "{role}"')
            conn.execute(f'DROP ROLE "{role}"')
