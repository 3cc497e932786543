"""perfledger audit benchmark: full verify, incremental verify, digest, proofs and export.

    python bench/bench_audit.py [--events 100000] [--new 10000] [--quick]

Builds a chained SQLite ledger of EVENTS raw events (through the chained recorder, so
every event has its leaf and chain row, as the ledger writes them), then measures:
full verification (target >= 50,000 events/s), the digest with its Merkle root,
incremental verification of NEW events appended after a digest (target < 0.5 s for
10,000 after 100,000), and proof sizes (hashes, against log2 of the ledger size). The
baseline is reading the same rows without hashing, measured in the same run.
"""

from __future__ import annotations

import argparse
import json
import math
import platform
import sqlite3
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any, TypeVar
from uuid import uuid4

from eventsourcing.persistence import StoredEvent

from ledger.app import LedgerApp
from ledger.store import proofs
from ledger.store.export import verify_export, write_export
from ledger.store.merkle import consistency_proof, inclusion_proof
from ledger.store.url import parse_store_url

T = TypeVar("T")
TARGET_VERIFY, TARGET_INCREMENTAL = 50_000.0, 0.5
CHUNK = 1000
STATE = json.dumps({"indicator": "BENCH 0001", "period": "2008-04", "value": "54.34",
                    "status": "provisional", "actor": "bench",
                    "commentary": "On track; the partnership's action plan is being delivered."}).encode()


def timed(fn: Callable[[], T]) -> tuple[T, float]:
    start = time.perf_counter()
    out = fn()
    return out, time.perf_counter() - start


def check(ok: bool, failure: str) -> None:
    if not ok:
        raise SystemExit(f"benchmark invalid: {failure}")


def chunks(n: int) -> Iterator[Sequence[StoredEvent]]:
    for start in range(0, n, CHUNK):
        yield [StoredEvent(uuid4(), 1, "perfledger/Bench.Reading", STATE + str(i).encode())
               for i in range(start, min(n, start + CHUNK))]


def append(app: LedgerApp, n: int) -> None:
    app.core.store.append_chunks(chunks(n))


def read_only(reader: Any) -> int:
    """The baseline: page through both streams as verification does, hashing nothing."""
    count = 0
    for _ in proofs.stream_events(reader):
        count += 1
    for _ in proofs.stream_rows(reader):
        pass
    return count


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=100_000, help="events before the digest")
    parser.add_argument("--new", type=int, default=10_000, help="events appended after the digest")
    parser.add_argument("--quick", action="store_true", help="10,000 + 1,000 events: a few seconds")
    args = parser.parse_args()
    base, new = (10_000, 1_000) if args.quick else (args.events, args.new)
    print(f"machine: {platform.machine()}, Python {platform.python_version()}, "
          f"SQLite {sqlite3.sqlite_version}", flush=True)
    with tempfile.TemporaryDirectory(prefix="perfledger-bench-audit-") as tmp:
        app = LedgerApp(parse_store_url(f"sqlite:///{Path(tmp) / 'ledger.db'}"))
        reader: Any = app.core.recorder
        _, build_s = timed(lambda: append(app, base))
        print(f"built {base:,} chained events in {build_s:.1f} s", file=sys.stderr)
        counted, read_s = timed(lambda: read_only(reader))
        full, full_s = timed(app.audit.verify)
        check(full.ok and full.size == counted == base, f"full verify: {full}")
        digest, digest_s = timed(app.audit.digest)
        check(digest == full.digest, "the digest differs from the verified one")
        _, append_s = timed(lambda: append(app, new))
        since, since_s = timed(lambda: app.audit.verify_since(digest))
        check(since.ok and since.size == base + new and since.resumed_at == base, f"incremental: {since}")
        again, again_s = timed(lambda: app.audit.verify(digest))
        check(again.ok and again.digest == since.digest, f"full against the digest: {again}")
        proof, prove_s = timed(lambda: app.audit.prove(base // 2, digest))
        folder = Path(tmp) / "export"
        _, export_s = timed(lambda: write_export(reader, folder))
        copy, copy_s = timed(lambda: verify_export(folder, digest))
        check(copy.ok, f"export: {copy}")
        source = proofs.leaf_source(reader)
        sizes = [s for s in (1_000, 10_000, 100_000) if s <= base + new]
        lengths = [(s, len(inclusion_proof(source, s // 3, s)), len(consistency_proof(source, s // 3, s)))
                   for s in sizes]
        app.close()

    full_rate = full.size / full_s
    ok = {True: "PASS", False: "FAIL"}
    print(f"\n{'measure':<52} {'value':>12}  {'target':<18} result")
    rows = [
        ("baseline: page through events + chain rows, no hashing", f"{base / read_s:,.0f}/s", "-", "-"),
        (f"full verify, {base:,} events", f"{full_rate:,.0f}/s", f">= {TARGET_VERIFY:,.0f}/s",
         f"{full_rate / TARGET_VERIFY:.2f} x target {ok[full_rate >= TARGET_VERIFY]}; "
         f"{read_s / full_s:.2f} x baseline"),
        (f"digest with Merkle root, {base:,} events", f"{digest_s:.3f} s", "-", "-"),
        (f"append {new:,} events (chained)", f"{append_s:.2f} s", "-", "-"),
        (f"incremental verify, {new:,} new after {base:,}", f"{since_s:.3f} s",
         f"< {TARGET_INCREMENTAL} s", f"{ok[since_s < TARGET_INCREMENTAL] if new >= 10_000 else '(quick)'}"),
        (f"full verify against the digest, {base + new:,} events", f"{again_s:.3f} s", "-",
         f"incremental is {again_s / since_s:.1f} x faster"),
        (f"prove one event with consistency, {base + new:,} events", f"{prove_s:.3f} s", "-", "-"),
        (f"export {base + new:,} events / verify the export", f"{export_s:.2f} s / {copy_s:.2f} s", "-",
         f"{(base + new) / copy_s:,.0f} events/s offline"),
    ]
    for size, inclusion, consistency in lengths:
        bound = math.ceil(math.log2(size))
        rows.append((f"proof size at {size:,} events (inclusion / consistency)",
                     f"{inclusion} / {consistency}", f"<= log2 = {bound}",
                     ok[inclusion <= bound and consistency <= bound + 1]))
    for name, value, target, result in rows:
        print(f"{name:<52} {value:>12}  {target:<18} {result}")
    print(f"\nproof example: {len(proof.path)} hashes in the inclusion path, "
          f"{len(proof.consistency.path) if proof.consistency else 0} in the consistency path")


if __name__ == "__main__":
    main()
