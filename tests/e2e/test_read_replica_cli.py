"""Reports from a read replica (issue 17, item 5; docs/scaling.md, "Read replicas for reports"): a
real PostgreSQL hot standby - a server in recovery, which refuses every write as a streaming
replica does - serves the reads and the audit's verification, says how far its views stand when
they are behind, and refuses a write in one line that names the primary.

The session starts its own server (initdb, then ``standby.signal``) beside the one the other
PostgreSQL tests use, so it needs that server's binaries (``pg_ctl``, ``initdb``) besides
PERFLEDGER_TEST_POSTGRES; without either it skips, saying which.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import pytest

from ledger.app import LedgerApp, parse_store_url
from ledger.app.returns import ReturnInput
from ledger.values import Period
from tests.e2e.harness import Perfledger, partnership, refused


def server_binaries() -> Path | None:
    """The folder holding initdb and pg_ctl (on PATH, or Debian's /usr/lib/postgresql/N/bin)."""
    found = shutil.which("initdb")
    if found:
        return Path(found).parent
    candidates = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"), reverse=True)
    return candidates[0].parent if candidates else None


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Standby:
    url: str
    rag: str  # report rag --format json as the primary gave it, before it became the standby
    digest: str


def _as_server(*command: str) -> None:
    """Run a server command as this user, or as postgres when root (the server refuses root)."""
    prefix = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
    done = subprocess.run([*prefix, *command], capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, f"{' '.join(command)}: {done.stderr.strip() or done.stdout.strip()}"


@pytest.fixture(scope="module")
def standby() -> Iterator[Standby]:
    if not os.environ.get("PERFLEDGER_TEST_POSTGRES"):
        pytest.skip("PostgreSQL tests skipped: set PERFLEDGER_TEST_POSTGRES=postgresql://user@host:port/dbname")
    binaries = server_binaries()
    if binaries is None or (os.geteuid() == 0 and shutil.which("runuser") is None):
        pytest.skip("read replica tests skipped: no PostgreSQL server binaries (initdb, pg_ctl) to start one")
    folder = Path(tempfile.mkdtemp(prefix="perfledger-standby-"))  # not under pytest's root-only folder
    if os.geteuid() == 0:
        shutil.chown(folder, "postgres")
    data, port = folder / "data", free_port()
    options = f"-p {port} -k {folder} -c listen_addresses=127.0.0.1 -c fsync=off"
    _as_server(str(binaries / "initdb"), "-D", str(data), "-A", "trust", "-U", "postgres")
    _as_server(str(binaries / "pg_ctl"), "-D", str(data), "-o", options, "-l", str(folder / "log"), "-w",
               "start")
    try:
        url = f"postgresql://postgres@127.0.0.1:{port}/postgres"
        pl = partnership(url)
        pl.ok("return", "submit", "NI 192", "2008/09-Q1", "36.40", actor="bob")
        pl.ok("target", "set", "NI 192", "2008/09", "38", "--reason", "LAA year 1")
        rag = pl.ok("report", "rag", "--period", "2008/09-Q1", "--format", "json", actor="vic").stdout
        app = LedgerApp(parse_store_url(url))  # a write the views have not caught up with yet
        app.returns.submit("bob", ReturnInput("NI 192", Period.parse("2008/09-Q2"), Decimal("38.10")))
        app.close()
        digest = pl.digest()
        _as_server(str(binaries / "pg_ctl"), "-D", str(data), "-w", "stop")
        (data / "standby.signal").touch()
        if os.geteuid() == 0:
            shutil.chown(data / "standby.signal", "postgres")
        _as_server(str(binaries / "pg_ctl"), "-D", str(data), "-o", f"{options} -c hot_standby=on",
                   "-l", str(folder / "log"), "-w", "start")
        yield Standby(url, rag, digest)
    finally:
        if (data / "postmaster.pid").exists():
            _as_server(str(binaries / "pg_ctl"), "-D", str(data), "-m", "immediate", "-w", "stop")
        shutil.rmtree(folder, ignore_errors=True)


def test_the_server_is_a_hot_standby(standby: Standby) -> None:
    import psycopg

    with psycopg.connect(standby.url) as conn:
        assert conn.execute("SELECT pg_is_in_recovery()").fetchone() == (True,)


def test_a_report_from_the_replica_is_the_primarys(standby: Standby) -> None:
    replica = Perfledger(standby.url)
    result = replica("report", "rag", "--period", "2008/09-Q1", "--format", "json", actor="vic")
    assert result.exit_code == 0, result.stderr
    given, primary = json.loads(result.stdout), json.loads(standby.rag)
    assert given.pop("as_at") != primary.pop("as_at")  # each as at the moment it ran
    assert given == primary  # the same position, rows and ratings
    assert given["rows"]
    assert given["position"] == 10


def test_the_replicas_views_behind_its_log_are_read_as_they_stand_and_said_to_be(standby: Standby) -> None:
    result = Perfledger(standby.url)("return", "list", "NI 192", "--format", "json", actor="vic")
    assert result.exit_code == 0, result.stderr
    assert [r["period"] for r in json.loads(result.stdout)] == ["2008/09-Q1"]
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("notice: this database is a read replica (a hot standby): its views stand at "
                               "position 10 of the ledger's 11")
    assert "primary" in lines[0]


def test_the_audit_verifies_the_replicas_copy_of_the_chain(standby: Standby) -> None:
    replica = Perfledger(standby.url)
    verified = replica.ok("audit", "verify", actor="vic")
    assert verified.stdout.startswith("ok: 11 events verified")
    assert replica.ok("audit", "digest", actor="vic").stdout.strip() == standby.digest


def test_a_write_to_the_replica_is_refused_in_one_line_naming_the_primary(standby: Standby) -> None:
    replica = Perfledger(standby.url)
    refused(replica("return", "submit", "NI 192", "2008/09-Q3", "39.00", actor="bob"), 1,
            "read replica")
    viewer = replica("return", "submit", "NI 192", "2008/09-Q3", "39.00", actor="vic")
    assert viewer.exit_code == 1  # refused by its role; the refusal's own record cannot be written here
    assert viewer.stderr.splitlines() == [
        "warning: the refusal could not be recorded (this database is a read replica (a hot standby))",
        "error: vic may not submit returns: it needs one of the roles administrator, improvement-manager, "
        "performance-support (vic holds viewer)"]
    assert replica.ok("audit", "digest", actor="vic").stdout.strip() == standby.digest  # nothing written
