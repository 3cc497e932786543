"""Recompute the hash chain from the stored rows and name the first bad position.

Pure: it walks two streams (events in notification order, chain rows in
position order) side by side, so memory stays flat however long the log is.
"""

from __future__ import annotations

import hmac
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime

from ledger.store.chain import GENESIS, ChainRow, Digest, RawEvent, chain_hash, leaf_hash


@dataclass(frozen=True)
class Verdict:
    ok: bool
    size: int
    head: str
    problem: str | None = None
    position: int | None = None

    @property
    def digest(self) -> Digest:
        return Digest(self.size, self.head)


def _bad(position: int, problem: str, size: int, head: bytes) -> Verdict:
    return Verdict(False, size, head.hex(), f"position {position}: {problem}", position)


def _valid_time(text: str) -> bool:
    try:
        parsed = datetime.fromisoformat(text)
    except (TypeError, ValueError):
        return False
    return parsed.tzinfo is not None and len(text) == 32


def verify_streams(
    events: Iterable[RawEvent],
    rows: Iterable[ChainRow],
    digest: Digest | None = None,
    progress: object = None,
) -> Verdict:
    """Check every event against its chain row; stop at the first problem."""
    event_iter: Iterator[RawEvent] = iter(events)
    row_iter: Iterator[ChainRow] = iter(rows)
    previous = GENESIS
    last_time = ""
    expected = 0
    while True:
        event = next(event_iter, None)
        row = next(row_iter, None)
        if event is None and row is None:
            break
        expected += 1
        if row is None:
            return _bad(expected, "an event has no chain row (inserted or chain truncated)",
                        expected - 1, previous)
        if row.position != expected:
            if row.position > expected:
                return _bad(expected, f"chain row missing (next row is {row.position})",
                            expected - 1, previous)
            return _bad(expected, f"chain row out of order (found {row.position})",
                        expected - 1, previous)
        if event is None:
            return _bad(expected, "the chain row's event is missing (deleted)", expected - 1, previous)
        if row.notification_id != event.notification_id:
            return _bad(
                expected,
                f"chain row names event #{row.notification_id} but the next stored event is "
                f"#{event.notification_id} (an event was deleted, inserted or reordered)",
                expected - 1, previous,
            )
        if not _valid_time(row.recorded_at) or row.recorded_at < last_time:
            return _bad(expected, "recorded time is malformed or goes backwards", expected - 1, previous)
        try:
            leaf = leaf_hash(row.position, row.recorded_at, event)
        except ValueError:
            return _bad(expected, "the stored event is malformed", expected - 1, previous)
        if not hmac.compare_digest(leaf.hex(), row.leaf.lower()):
            return _bad(expected, "the stored event does not match its leaf hash (modified)",
                        expected - 1, previous)
        current = chain_hash(previous, leaf)
        if not hmac.compare_digest(current.hex(), row.chain.lower()):
            return _bad(expected, "the chain hash does not follow from the previous one",
                        expected - 1, previous)
        if digest is not None and expected == digest.size and current.hex() != digest.chain:
            return _bad(expected, "the chain differs from the published digest (history rewritten)",
                        expected, current)
        previous = current
        last_time = row.recorded_at
        if callable(progress):
            progress(expected)
    size = expected
    if digest is not None:
        if digest.size > size:
            return Verdict(
                False, size, previous.hex(),
                f"position {size + 1}: the log holds {size} events but the digest names "
                f"{digest.size} (truncated)", size + 1,
            )
        if digest.size == 0 and digest.chain != GENESIS.hex():
            return Verdict(False, size, previous.hex(), "the digest of an empty log is malformed", 0)
    return Verdict(True, size, previous.hex())
