"""Crash: ``perfledger return import`` of a 50,000-row CSV and ``perfledger projections rebuild``
killed with SIGKILL part-way, as real OS processes.

An import validates the whole file, then writes every row in ONE transaction (in chunks of 1,000
events, ``ledger/app/imports.py``; ``append_chunks`` in ``ledger/store``): killed, it has written
all rows or none; a re-run completes it (or, had it landed, says the file was imported already),
no row is doubled, and the chain verifies. A rebuild empties the views and replays the events a
page at a time, each page with its position: killed, the views are part-built, and the next
command's catch-up heals them - they then equal a fresh replay from the events.

The kill points are drawn from a seeded generator (printed with the figures). The import's are
moments in each third of the run (until one lands after its commit); the rebuild's is a moment after its first page landed (watched through the
views' position), so it always falls mid-replay. On PostgreSQL the file has 20,000 rows (50,000
there would add some 15 s to every CI run); on SQLite, 50,000.
"""

from __future__ import annotations

import random
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import Engine, inspect, select

from commands.cli import cli
from ledger.app import LedgerApp
from ledger.store.url import parse_store_url
from projections import schema as t
from projections.catchup.engine import make_engine
from projections.catchup.replay import verify_views
from projections.catchup.runner import NAME, _secondary_indexes
from tests.stress.conftest import Figures
from tests.stress.crashing import Run, perfledger, set_up, submitted, write_csv

pytestmark = pytest.mark.stress

SEED = 18_11
INDICATORS = 100
ROWS = {"sqlite": 50_000, "postgres": 20_000}
IMPORT_KILLS = 3  # kill points tried (until one lands after the commit) before the import is run again
IMPORT_WINDOW = (1.0, 4.0)  # seconds after start: one kill point in each third (validation, writing, catch-up)
REBUILD_WINDOW = 0.1  # seconds after the rebuild's first page landed: well inside it (PostgreSQL rebuilds
# the 20,000-row ledger in under a second; its commits trail the fold by one page)


def views_position(engine: Engine) -> int | None:
    with engine.connect() as conn:
        found = conn.execute(select(t.position.c.position).where(t.position.c.name == NAME)).scalar()
    return None if found is None else int(found)


def head(url: str) -> int:
    app = LedgerApp(parse_store_url(url))
    try:
        row = app.core.head()
        return row.position if row else 0
    finally:
        app.close()


def check_whole_or_nothing(url: str, rows: int) -> int:
    """The rows of the import the ledger holds: all or none, none twice."""
    app = LedgerApp(parse_store_url(url))
    try:
        found = submitted(app)
    finally:
        app.close()
    assert set(found.values()) <= {1}, "a row was written twice"
    assert len(found) in (0, rows), f"{len(found)} of {rows} rows landed: an import is all or nothing"
    return len(found)


def kill_mid_rebuild(url: str, engine: Engine, delay: float, size: int) -> tuple[Run, int | None]:
    """Start a rebuild; once its first page has landed (views' position between 0 and SIZE),
    wait DELAY seconds and SIGKILL it. Returns the run and the position seen at the kill."""
    import signal
    import subprocess
    import sys

    process = subprocess.Popen([sys.executable, "-c", "from commands.cli import main; main()", "--db", url,
                                "--actor", "alice", "projections", "rebuild"],
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    started = time.monotonic()
    seen: int | None = None
    cleared = False
    try:
        while process.poll() is None and time.monotonic() - started < 120:
            position = views_position(engine)
            cleared = cleared or position is None or position < size
            if cleared and position is not None and 0 < position < size:
                time.sleep(delay)
                seen = views_position(engine)
                process.send_signal(signal.SIGKILL)
                break
            time.sleep(0.01)
        _, stderr = process.communicate(timeout=60)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    return Run(process.returncode, time.monotonic() - started, stderr), seen


def next_command_heals(url: str, engine: Engine, app: LedgerApp, size: int) -> Engine:
    """Run the next command (a read, through the CLI); then the views hold every event, every
    index is there, and they equal a fresh replay. Returns the engine to go on with."""
    result = CliRunner().invoke(cli, ["--db", url, "--actor", "alice", "indicator", "list"])
    assert result.exit_code == 0, result.stderr
    assert views_position(engine) == size, "the next command did not catch the views up"
    engine.dispose()
    engine = make_engine(parse_store_url(url))  # as any next command does
    with engine.connect() as conn:
        indexes = {i["name"] for table in t.ALL_VIEWS for i in inspect(conn).get_indexes(table.name)}
    assert {str(i.name) for i in _secondary_indexes()} <= indexes, "an index the rebuild dropped is gone"
    replay = verify_views(app.core, engine)
    assert replay.ok, [d.describe() for table in replay.tables for d in table.shown][:10]
    assert (replay.position, replay.head) == (size, size)
    return engine


def test_a_killed_import_lands_whole_or_not_at_all_and_a_killed_rebuild_heals(
    store_url: str, backend: str, tmp_path: Path, figures: Figures
) -> None:
    rng = random.Random(f"{SEED}-{backend}")
    rows = ROWS[backend]
    set_up(store_url, INDICATORS)
    before = head(store_url)
    file = tmp_path / "returns.csv"
    write_csv(file, rows, INDICATORS)

    # --- the import, killed at seeded moments, then run again --------------------------------
    kills: list[str] = []
    landed = 0
    low, high = IMPORT_WINDOW
    third = (high - low) / IMPORT_KILLS
    for n in range(IMPORT_KILLS):
        at = rng.uniform(low + n * third, low + (n + 1) * third)
        run = perfledger(store_url, "return", "import", str(file), kill_after=at)
        landed = check_whole_or_nothing(store_url, rows)
        kills.append(f"{at:.2f} s ({'killed' if run.returncode == -9 else f'exit {run.returncode}'}, "
                     f"{'all' if landed else 'no'} rows in)")
        if landed:
            break
    began = time.monotonic()
    again = perfledger(store_url, "return", "import", str(file))
    if landed:  # the killed run had committed: the re-run says so and writes nothing
        assert again.returncode == 1, again.stderr
        assert "the file was imported already" in again.stderr
    else:
        assert again.returncode == 0, again.stderr
        assert f"imported {rows} rows" in again.stderr
    rerun = time.monotonic() - began
    assert check_whole_or_nothing(store_url, rows) == rows
    size = head(store_url)
    assert size == before + rows, "events other than the rows' were written"

    app = LedgerApp(parse_store_url(store_url))
    engine = make_engine(parse_store_url(store_url))
    try:
        verdict = app.audit.verify()
        assert verdict.ok is True, verdict
        assert verdict.size == size
        # a killed run may have committed and died catching up; the next command heals the views
        lagging = views_position(engine)
        engine = next_command_heals(store_url, engine, app, size)

        # --- the rebuild, killed mid-replay; the next command's catch-up heals the views ----------
        delay = rng.uniform(0.0, REBUILD_WINDOW)
        run, seen = kill_mid_rebuild(store_url, engine, delay, size)
        assert run.returncode == -9, f"the rebuild was not killed mid-way: {run}"
        left = views_position(engine)
        assert left is not None
        assert 0 < left < size, f"the kill did not land mid-replay (the views' position is {left} of {size})"
        engine = next_command_heals(store_url, engine, app, size)
    finally:
        engine.dispose()
        app.close()

    figures(f"{rows:,}-row import (seed {SEED}): kill points {'; '.join(kills)}; the re-run took {rerun:.1f} s; "
            f"{size:,} events, chain verifies; views then at {lagging} of {size:,}, healed by the next command")
    figures(f"rebuild killed {delay:.2f} s after its first page, at {left:,} of {size:,} events "
            f"(seen {seen}); the next command caught up, views equal a fresh replay")
