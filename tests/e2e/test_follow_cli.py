"""``perfledger projections follow``: a long-lived process keeps a PostgreSQL ledger's views caught up;
while it runs, writers leave the views to it and reads wait for it (read-your-writes)."""

from __future__ import annotations

import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from ledger.app import LedgerApp
from ledger.store.url import parse_store_url
from projections.catchup.engine import make_engine
from projections.catchup.follow import follower_live, views_position
from tests.conftest import postgres_schema
from tests.e2e.harness import Perfledger, partnership, refused

PERFLEDGER = str(Path(sys.executable).parent / "perfledger")


@pytest.fixture
def pg() -> Iterator[str]:
    with postgres_schema() as url:
        yield url


class Ledger:
    """The ledger's head and its views' position, read directly (no command's catch-up)."""

    def __init__(self, url: str) -> None:
        self.app, self.engine = LedgerApp(parse_store_url(url)), make_engine(parse_store_url(url))

    def head(self) -> int:
        found = self.app.core.head()
        return found.position if found is not None else 0

    def views(self) -> int:
        return views_position(self.engine)

    def close(self) -> None:
        self.engine.dispose()
        self.app.close()


@pytest.fixture
def ledger(pg: str) -> Iterator[tuple[Perfledger, Ledger]]:
    pl = partnership(pg)
    found = Ledger(pg)
    yield pl, found
    found.close()


def _until(check: Callable[[], bool], seconds: float = 15) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(0.05)
    return False


@pytest.fixture
def follower(ledger: tuple[Perfledger, Ledger]) -> Iterator[subprocess.Popen[str]]:
    pl, found = ledger
    process = subprocess.Popen([PERFLEDGER, "--db", pl.url, "--actor", "alice", "projections", "follow"],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert _until(lambda: follower_live(found.engine)), "the follower did not start"
        yield process
    finally:
        if process.poll() is None:
            process.kill()
        process.wait(timeout=10)


def _submit(pl: Perfledger, period: str, value: str) -> None:
    pl.ok("return", "submit", "NI 154", period, value, actor="bob")


def test_the_views_follow_writes_that_leave_them_to_the_follower(
        ledger: tuple[Perfledger, Ledger], follower: subprocess.Popen[str]) -> None:
    pl, found = ledger
    _submit(pl, "2008/09-Q1", "120")
    assert _until(lambda: found.views() == found.head())  # the follower applied it
    follower.send_signal(signal.SIGSTOP)  # paused: whatever applies the next write, it is not the writer
    try:
        _submit(pl, "2008/09-Q2", "130")
        time.sleep(0.3)
        assert found.views() < found.head()  # the writer left the views to the follower
    finally:
        follower.send_signal(signal.SIGCONT)
    assert _until(lambda: found.views() == found.head())
    follower.send_signal(signal.SIGTERM)
    assert follower.wait(timeout=10) == 0
    lines = follower.stderr.read().strip().splitlines() if follower.stderr else []
    assert lines[0].startswith("following the ledger's events from position")
    assert lines[-1] == f"stopped following: the views stand at position {found.head()}"
    assert not follower_live(found.engine)
    _submit(pl, "2008/09-Q3", "140")  # no follower: the writer catches the views up itself again
    assert found.views() == found.head()


def test_a_read_waits_for_the_follower_to_apply_the_writes_before_it(
        ledger: tuple[Perfledger, Ledger], follower: subprocess.Popen[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    pl, found = ledger
    follower.send_signal(signal.SIGSTOP)
    _submit(pl, "2008/09-Q1", "120")
    assert found.views() < found.head()
    threading.Timer(0.5, follower.send_signal, (signal.SIGCONT,)).start()
    started = time.monotonic()
    shown = pl.ok("return", "list", "NI 154")
    assert time.monotonic() - started >= 0.4  # it waited for the follower ...
    assert "2008/09-Q1" in shown.stdout
    assert "120" in shown.stdout
    assert "notice" not in shown.stderr
    # A follower that does not keep up: after PERFLEDGER_FOLLOW_WAIT seconds the read catches up itself.
    follower.send_signal(signal.SIGSTOP)
    try:
        _submit(pl, "2008/09-Q2", "130")
        monkeypatch.setenv("PERFLEDGER_FOLLOW_WAIT", "0.2")
        shown = pl.ok("return", "list", "NI 154")
        assert "2008/09-Q2" in shown.stdout
        assert "had not applied position" in shown.stderr
        assert "caught up here instead" in shown.stderr
        monkeypatch.setenv("PERFLEDGER_FOLLOW_WAIT", "soon")
        _submit(pl, "2008/09-Q3", "140")
        refused(pl("return", "list", "NI 154"), 1, "PERFLEDGER_FOLLOW_WAIT='soon' is not a number of seconds")
    finally:
        follower.send_signal(signal.SIGCONT)


def test_a_killed_follower_leaves_writers_consistent(
        ledger: tuple[Perfledger, Ledger], follower: subprocess.Popen[str]) -> None:
    pl, found = ledger
    _submit(pl, "2008/09-Q1", "120")
    follower.send_signal(signal.SIGKILL)
    follower.wait(timeout=10)
    assert _until(lambda: not follower_live(found.engine))  # its lock went with its session
    _submit(pl, "2008/09-Q2", "130")
    assert found.views() == found.head()
    assert "2008/09-Q2" in pl.ok("return", "list", "NI 154").stdout


def test_one_follower_per_ledger(ledger: tuple[Perfledger, Ledger], follower: subprocess.Popen[str]) -> None:
    pl, _ = ledger
    refused(pl("projections", "follow"), 1, "another perfledger projections follow is already following")
    assert follower.poll() is None


def test_on_sqlite_there_is_nothing_to_follow(tmp_path: Path) -> None:
    pl = Perfledger(f"sqlite:///{tmp_path / 'ledger.db'}")
    pl.ok("init", "--admin", "alice")
    refused(pl("projections", "follow"), 1, "projections follow is for PostgreSQL ledgers")
