"""A read of a SQLite ledger whose views are current opens neither the application nor the event
store (issue 17: a typical read under 0.3 s; ``projections/catchup/glance.py``). These tests hold
what it must still do exactly as the full path does: refuse an actor without a role, see a role
revoked at once, catch views up that are behind, and refuse views that no longer follow the log."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from ledger.values import Role
from projections.catchup.glance import current_roles
from projections.schema import SCHEMA_VERSION
from tests.conftest import Demo
from tests.e2e.harness import Perfledger, partnership, refused


@pytest.fixture
def backend() -> str:
    return "sqlite"  # the glance is SQLite's: PostgreSQL reads take the full path


def returned(url: str) -> Perfledger:
    p = partnership(url)
    p.ok("return", "submit", "NI 192", "2008/09-Q1", "36.40", actor="bob")
    return p


@pytest.fixture
def pl(clone_of: Callable[[Callable[[str], Perfledger]], Perfledger]) -> Perfledger:
    return clone_of(returned)


def path_of(pl: Perfledger) -> Path:
    return Path(pl.url.removeprefix("sqlite:///"))


def imported(pl: Perfledger, *args: str) -> tuple[set[str], str]:
    """The modules a fresh ``perfledger --db URL --actor vic ARGS`` imports, and what it printed."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PERFLEDGER_")}
    done = subprocess.run([sys.executable, "-X", "importtime", "-m", "commands.cli", "--db", pl.url,
                           "--actor", "vic", *args], env=env, capture_output=True, text=True, timeout=60,
                          check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    modules = {line.split("|")[-1].strip() for line in done.stderr.splitlines()
               if line.startswith("import time:")}
    return modules, done.stdout


def test_a_read_of_current_views_opens_neither_the_application_nor_the_event_store(pl: Perfledger) -> None:
    for args in (("indicator", "show", "NI 192"), ("return", "list", "NI 192")):
        modules, shown = imported(pl, *args)
        assert "36.40" in shown or "Household waste recycled" in shown
        opened = {m for m in modules if m.split(".")[0] in {"eventsourcing", "cryptography"}
                  or m.startswith(("ledger.app", "ledger.domain"))}
        assert opened == set(), f"{' '.join(args)} imports {sorted(opened)}"


def test_a_report_of_current_views_builds_no_application(pl: Perfledger) -> None:
    """report rag as at now takes the store's clock without opening the store (0.42 -> 0.33 s)."""
    modules, shown = imported(pl, "report", "rag", "--period", "2008/09-Q1", "--format", "csv")
    assert "NI 192" in shown
    assert "36.40" in shown
    opened = {m for m in modules if m.startswith("ledger.app") or m.split(".")[0] == "cryptography"}
    assert opened == set(), f"report rag imports {sorted(opened)}"


def test_the_views_roles_are_the_rosters(pl: Perfledger) -> None:
    assert current_roles(path_of(pl), "bob", SCHEMA_VERSION) == {Role.IMPROVEMENT_MANAGER}
    assert current_roles(path_of(pl), "vic", SCHEMA_VERSION) == {Role.VIEWER}
    assert current_roles(path_of(pl), "mallory", SCHEMA_VERSION) is None


def test_an_actor_without_a_role_is_refused_as_before(pl: Perfledger) -> None:
    refused(pl("indicator", "show", "NI 192", actor="mallory"), 1, "mallory is not on the roster")


def test_a_role_revoked_is_gone_from_the_next_read(pl: Perfledger) -> None:
    pl.ok("return", "list", "NI 192", actor="vic")
    pl.ok("people", "revoke", "vic", "--role", "viewer", "--reason", "left the partnership")
    refused(pl("return", "list", "NI 192", actor="vic"), 1, "vic is not on the roster")


def test_views_behind_the_log_are_caught_up_by_the_read(pl: Perfledger) -> None:
    from ledger.app import LedgerApp
    from ledger.store.url import parse_store_url
    from tests.helpers import ret

    app = LedgerApp(parse_store_url(pl.url))  # a write whose catch-up never ran (a crash after the save)
    app.returns.submit("bob", ret("NI 192", "2008/09-Q2", "38.10"))
    app.close()
    assert current_roles(path_of(pl), "vic", SCHEMA_VERSION) is None  # behind: the full path reads
    rows = json.loads(pl.ok("return", "list", "NI 192", "--format", "json", actor="vic").stdout)
    assert [r["period"] for r in rows] == ["2008/09-Q1", "2008/09-Q2"]
    assert current_roles(path_of(pl), "vic", SCHEMA_VERSION) == {Role.VIEWER}  # caught up by that read


def test_views_that_no_longer_follow_the_log_are_refused_as_before(pl: Perfledger) -> None:
    with sqlite3.connect(path_of(pl)) as conn:  # the views' last event is not the log's any more
        conn.execute("UPDATE pl_events SET recorded_at = '2001-01-01T00:00:00.000000+00:00' "
                     "WHERE position = (SELECT MAX(position) FROM pl_events)")
    assert current_roles(path_of(pl), "vic", SCHEMA_VERSION) is None
    refused(pl("return", "list", "NI 192", actor="vic"), 1, "perfledger projections rebuild")


def test_views_of_another_schema_or_a_file_that_is_no_ledger_go_the_full_way(pl: Perfledger,
                                                                          tmp_path: Path) -> None:
    assert current_roles(path_of(pl), "vic", SCHEMA_VERSION + 1) is None
    other = tmp_path / "notes.db"
    with sqlite3.connect(other) as conn:
        conn.execute("CREATE TABLE notes (line TEXT)")
    assert current_roles(other, "vic", SCHEMA_VERSION) is None
    refused(Perfledger(f"sqlite:///{other}")("indicator", "list"), 1, "not initialised")
    with sqlite3.connect(other) as conn:  # the full path opened it as a ledger would; the glance wrote nothing
        names = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert not any(name.startswith("pl_") for name in names)


def test_on_the_demo_every_persons_roles_in_the_views_are_the_rosters(demo_sqlite: Demo) -> None:
    from ledger.app import LedgerApp
    from ledger.store.url import parse_store_url

    app = LedgerApp(parse_store_url(demo_sqlite.url))
    try:
        roster = app.core.roster()
        assert len(roster.people) > 5
        for name in roster.people:
            assert current_roles(Path(demo_sqlite.url.removeprefix("sqlite:///")), name,
                                 SCHEMA_VERSION) == (roster.roles_of(name) or None), name
    finally:
        app.close()
