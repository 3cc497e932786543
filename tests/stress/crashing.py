"""Builders of the crash tests: a ledger with many indicators, a large CSV of returns for it, and
``perfledger`` run as a real OS process (so it can be killed with SIGKILL at a chosen moment)."""

from __future__ import annotations

import csv
import os
import signal
import subprocess
import sys
import time
from collections import Counter
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from ledger.app import LedgerApp
from ledger.domain.indicator import ProForma
from ledger.store.url import parse_store_url
from ledger.values import Frequency, Period, Polarity, Unit

MONTHLY = ProForma("Households in temporary accommodation", Unit.COUNT, Polarity.LOWER, Frequency.MONTHLY)
FIRST_MONTH = Period.month(1980, 4)  # every month of the file has ended (the last: 2024-11 at most)
SUBMITTED = "perfledger/Return.Submitted"


def codes(count: int) -> list[str]:
    return [f"TA {n:03d}" for n in range(1, count + 1)]


def set_up(url: str, indicators: int) -> None:
    app = LedgerApp(parse_store_url(url))
    try:
        app.people.initialise("alice", "alice", Decimal(5))
        for code in codes(indicators):
            app.indicators.register("alice", code, MONTHLY)
    finally:
        app.close()


def write_csv(path: Path, rows: int, indicators: int) -> None:
    """ROWS returns: every indicator's months from April 1980 on, in turn (steady figures)."""
    per = -(-rows // indicators)
    months = [FIRST_MONTH]
    while len(months) < per:
        months.append(months[-1].next())
    assert months[-1] < Period.month(2024, 12), "the file would hold a month that has not ended"
    with path.open("w", newline="") as handle:
        out = csv.writer(handle)
        out.writerow(["indicator", "period", "value"])
        written = 0
        for code in codes(indicators):
            for n, month in enumerate(months):
                if written == rows:
                    return
                out.writerow([code, str(month), 100 + n % 5])
                written += 1


def submitted(app: LedgerApp) -> Counter[str]:
    """How many Return.Submitted events each return (by its aggregate id) has."""
    found: Counter[str] = Counter()
    after = 0
    while rows := app.core.log_rows(after, 5000):
        found.update(row[2] for row in rows if row[4] == SUBMITTED)
        after = rows[-1][0]
    return found


@dataclass(frozen=True)
class Run:
    returncode: int  # -9: killed
    seconds: float
    stderr: str


def perfledger(url: str, *args: str, kill_after: float | None = None) -> Run:
    """Run ``perfledger --db URL --actor alice ARGS`` as a process; SIGKILL it KILL_AFTER seconds
    after it started, if it is still running then."""
    command = [sys.executable, "-c", "from commands.cli import main; main()", "--db", url,
               "--actor", "alice", *args]
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    started = time.monotonic()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, env=env)
    try:
        if kill_after is not None:
            try:
                process.wait(timeout=kill_after)
            except subprocess.TimeoutExpired:
                process.send_signal(signal.SIGKILL)
        _, stderr = process.communicate(timeout=600)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    return Run(process.returncode, time.monotonic() - started, stderr)
