"""audit replay from the command line: ok on a clean ledger, DIFFERENT lines and exit 1 on a modified view."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from sqlalchemy import update

from ledger.store.url import parse_store_url
from projections import schema as t
from projections.catchup.engine import make_engine
from tests.e2e.harness import Perfledger, refused


def build_pl(store_url: str) -> Perfledger:
    p = Perfledger(store_url)
    p.ok("init", "--admin", "alice")
    p.ok("people", "add", "vic", "--role", "viewer")
    p.ok("indicator", "register", "NI 192", "--title", "Household waste recycled", "--unit", "percent",
         "--polarity", "higher", "--frequency", "quarterly", "--decimals", "2")
    for quarter in (1, 2):
        p.ok("return", "submit", "NI 192", f"2008/09-Q{quarter}", f"5{quarter}.5")
    return p


@pytest.fixture
def pl(clone_of: Callable[[Callable[[str], Perfledger]], Perfledger]) -> Perfledger:
    return clone_of(build_pl)


def test_a_clean_ledger_replays_ok_for_every_role(pl: Perfledger) -> None:
    size = int(pl.digest().split(":")[0])
    result = pl.ok("audit", "replay", actor="vic")
    assert result.stdout == f"ok: {len(t.ALL_VIEWS)} views match a replay of {size} events\n"
    assert result.stderr == ""


def test_a_modified_view_is_listed_and_exits_1(pl: Perfledger) -> None:
    engine = make_engine(parse_store_url(pl.url))
    with engine.begin() as conn:
        table = t.return_versions
        conn.execute(update(table).where(table.c.period == "2008/09-Q2").values(value="99", actor="mallory"))
        conn.execute(update(t.events).where(t.events.c.position == 1).values(actor="mallory"))
    engine.dispose()
    result = pl("audit", "replay", actor="vic")
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert lines == [
        "DIFFERENT: pl_events (position=1): actor: live 'mallory', replay 'alice'",
        "DIFFERENT: pl_return_versions (indicator='NI 192', period='2008/09-Q2', version=1): "
        "value: live '99', replay '52.5'; actor: live 'mallory', replay 'alice'",
    ]
    assert result.stderr.strip() == ("error: 2 difference(s) in 2 view(s): the views do not follow from "
                                     "the events; run perfledger projections rebuild")
    assert "Traceback" not in result.output
    pl.ok("projections", "rebuild")
    assert pl.ok("audit", "replay").stdout.startswith("ok: ")


def test_someone_off_the_roster_is_refused(pl: Perfledger) -> None:
    refused(pl("audit", "replay", actor="mallory"), 1, "mallory is not on the roster")


def test_a_killed_replays_scratch_space_is_cleaned_up_by_the_next(pl: Perfledger) -> None:
    """Before: a killed replay left its scratch folder or pl_replay_* schema behind for good."""
    import os
    import tempfile
    from pathlib import Path

    import psycopg

    if pl.url.startswith("sqlite"):
        stale = Path(tempfile.mkdtemp(prefix="perfledger-replay-999999999-"))  # no such process
        mine = Path(tempfile.mkdtemp(prefix=f"perfledger-replay-{os.getpid()}-"))  # a replay still running
        pl.ok("audit", "replay")
        assert not stale.exists()
        assert mine.exists()
        mine.rmdir()
        return
    config = parse_store_url(pl.url)
    with psycopg.connect(pl.url.split("?")[0], autocommit=True) as conn, \
            psycopg.connect(pl.url.split("?")[0], autocommit=True) as running:
        pid = running.execute("SELECT pg_backend_pid()").fetchone()[0]  # type: ignore[index]
        conn.execute('CREATE SCHEMA "pl_replay_999999_dead"')
        conn.execute(f'CREATE SCHEMA "pl_replay_{pid}_live"')
        pl.ok("audit", "replay")
        names = {r[0] for r in conn.execute("SELECT nspname FROM pg_namespace WHERE nspname LIKE 'pl_replay_%'")}
        assert "pl_replay_999999_dead" not in names
        assert f"pl_replay_{pid}_live" in names
        conn.execute(f'DROP SCHEMA "pl_replay_{pid}_live"')
    assert config.backend == "postgres"
