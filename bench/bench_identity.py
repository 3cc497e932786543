"""perfledger benchmark: what signed identity costs, against the same work unsigned in the same run.

    python bench/bench_identity.py [--returns 50000] [--submits 1000] [--quick]

Two SQLite ledgers are built alike, one with claimed identity and one with signed identity
(the administrator and the importer hold enrolled Ed25519 keys). On each it times, in this
process: ``return import`` of the same CSV file (one transaction, one signature per chunk),
SUBMITS single ``return submit`` commands (one signature each), and ``audit verify`` of the
whole ledger; then ``audit verify`` of a ledger written one command at a time (2 x SUBMITS
single submits, no import: a signed batch per event, the verifier's worst case). It prints the
rates and the signed / unsigned ratios; the issue's target is a cost of at most 2x, i.e. a
ratio of at least 0.5.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench import MONTHS, code, month, stage_setup

TARGET = 0.5


def build(work: Path, n: int, signed: bool) -> tuple[Any, Path]:
    """A ledger set up by bench.py's stage (its indicators, its CSV), then made signed if asked."""
    from ledger.app import LedgerApp
    from ledger.app.identity import new_key, public_key_of
    from ledger.store.url import parse_store_url

    tag = "signed" if signed else "claimed"
    db, csv_path = work / f"{tag}.db", work / f"{tag}.csv"
    stage_setup(str(db), str(csv_path), n)
    app = LedgerApp(parse_store_url(f"sqlite:///{db}"))
    if signed:
        key = work / "bench.key"
        if not key.exists():
            new_key(key)
        app.core.identity.hold_file(key)
        roster = app.core.roster()
        roster.enrol_key("bench", public_key_of(Path(f"{key}.pub")), "benchmark", "bench")
        app.core.save(roster)
        app.people.require_signatures("bench", "benchmark")
    return app, csv_path


def measure(work: Path, n: int, submits: int, signed: bool) -> dict[str, float]:
    from commands.support.csvfile import read_returns
    from ledger.app.returns import ReturnInput
    from ledger.values import Period

    app, csv_path = build(work, n, signed)
    start = time.perf_counter()
    result = app.imports.returns("bench", lambda: read_returns(csv_path),
                                 rows_again=lambda: read_returns(csv_path, trusted=True))
    imported = time.perf_counter() - start
    start = time.perf_counter()
    for i in range(submits):  # revisions of provisional imported returns, one command each
        item = ReturnInput(code(0), Period.parse(month(3 * (i % (MONTHS // 3)))), Decimal(i % 100) + 1,
                           reason="benchmark revision")
        app.returns.submit("bench", item)
    submitted = time.perf_counter() - start
    start = time.perf_counter()
    verdict = app.audit.verify()
    verified = time.perf_counter() - start
    if not verdict.ok:
        raise SystemExit(f"verify failed ({'signed' if signed else 'claimed'}): {verdict.problem}")
    app.close()
    return {"import": result.rows / imported, "submit": submits / submitted,
            "verify": verdict.size / verified, "events": verdict.size}


def commands_only(work: Path, submits: int, signed: bool) -> dict[str, float]:
    """The verifier's worst case: a ledger written one command at a time (a batch, and on a signed
    ledger a signature, per event), with no bulk import."""
    from ledger.app.returns import ReturnInput
    from ledger.values import Period

    folder = work / ("commands-signed" if signed else "commands-claimed")
    folder.mkdir()
    app, _ = build(folder, MONTHS, signed)
    for i in range(submits):
        item = ReturnInput(code(0), Period.parse(month(i % MONTHS)), Decimal(i % 100) + 1,
                           reason="benchmark revision" if i >= MONTHS else None)
        app.returns.submit("bench", item)
    best = 0.0
    for _ in range(3):  # the best of three: the first pays for the page cache
        start = time.perf_counter()
        verdict = app.audit.verify()
        best = max(best, verdict.size / (time.perf_counter() - start))
        if not verdict.ok:
            raise SystemExit(f"verify failed: {verdict.problem}")
    app.close()
    return {"verify_commands": best}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--returns", type=int, default=50_000)
    parser.add_argument("--submits", type=int, default=1000)
    parser.add_argument("--quick", action="store_true", help="10,000 returns and 200 submits")
    args = parser.parse_args()
    n, submits = (10_000, 200) if args.quick else (args.returns, args.submits)
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        claimed = measure(work, n, submits, signed=False) | commands_only(work, 2 * submits, signed=False)
        signed = measure(work, n, submits, signed=True) | commands_only(work, 2 * submits, signed=True)
    print(f"signed identity vs claimed, {n} imported returns + {submits} single submits "
          f"({int(signed['events'])} events); rates are per second")
    print(f"{'stage':<28}{'claimed':>12}{'signed':>12}{'ratio':>8}  target")
    for stage, label in (("import", "import (rows/s)"), ("submit", "return submit (commands/s)"),
                         ("verify", "audit verify (events/s)"),
                         ("verify_commands", "verify, one event/command")):
        ratio = signed[stage] / claimed[stage]
        ok = "ok" if ratio >= TARGET else "OVER 2x"
        print(f"{label:<28}{claimed[stage]:>12,.0f}{signed[stage]:>12,.0f}{ratio:>8.2f}  >= {TARGET} {ok}")


if __name__ == "__main__":
    main()
