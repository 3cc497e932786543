"""Recompute the hash chain from the stored rows and name the first bad position.

Pure: it walks two streams (events in notification order, chain rows in
position order) side by side, so memory stays flat however long the log is.
"""

from __future__ import annotations

import hmac
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime

from ledger.store.chain import GENESIS, ChainRow, Digest, RawEvent, chain_hash, leaf_hash
from ledger.store.identity import Broken, Forged, Signatures
from ledger.store.merkle import CHUNK, EMPTY_ROOT, RootBuilder


@dataclass(frozen=True)
class Verdict:
    ok: bool
    size: int
    head: str
    problem: str | None = None
    position: int | None = None
    root: str | None = None
    resumed_at: int = 0  # incremental: the events up to here were checked by their leaves only
    forged: bool = False  # the chain holds, but an event is not signed by its actor's key

    @property
    def digest(self) -> Digest:
        return Digest(self.size, self.head, self.root)


@dataclass
class Resume:
    """Where an incremental verification picks up: a prefix already proven against a digest."""

    position: int
    notification_id: int
    chain: bytes
    recorded_at: str
    tree: RootBuilder


def _bad(position: int, problem: str, size: int, head: bytes, tree: RootBuilder | None = None) -> Verdict:
    root = tree.root().hex() if tree is not None else None
    return Verdict(False, size, head.hex(), f"position {position}: {problem}", position, root)


def _identity(error: Forged | Broken, size: int, head: bytes, tree: RootBuilder) -> Verdict:
    return Verdict(False, size, head.hex(), str(error), error.position, tree.root().hex(),
                   forged=isinstance(error, Forged))


def _flush(tree: RootBuilder, pending: list[bytes]) -> RootBuilder:
    tree.extend(pending)
    pending.clear()
    return tree


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
    resume: Resume | None = None,
    identity: Signatures | None = None,
) -> Verdict:
    """Check every event against its chain row; stop at the first problem.

    With ``resume``, the streams start after ``resume.position`` (an incremental check). With
    ``identity``, each event's signature is checked too (signed identity: ``FORGED``).
    """
    event_iter: Iterator[RawEvent] = iter(events)
    row_iter: Iterator[ChainRow] = iter(rows)
    previous = resume.chain if resume else GENESIS
    last_time = resume.recorded_at if resume else ""
    expected = resume.position if resume else 0
    tree = resume.tree if resume else RootBuilder()
    pending: list[bytes] = []  # leaves not yet in the tree: added a chunk at a time
    while True:
        event = next(event_iter, None)
        row = next(row_iter, None)
        if event is None and row is None:
            break
        expected += 1
        if row is None:
            return _bad(expected, "an event has no chain row (inserted or chain truncated)",
                        expected - 1, previous, _flush(tree, pending))
        if row.position != expected:
            if row.position > expected:
                return _bad(expected, f"chain row missing (next row is {row.position})",
                            expected - 1, previous, _flush(tree, pending))
            return _bad(expected, f"chain row out of order (found {row.position})",
                        expected - 1, previous, _flush(tree, pending))
        if event is None:
            return _bad(expected, "the chain row's event is missing (deleted)", expected - 1, previous,
                        _flush(tree, pending))
        if row.notification_id != event.notification_id:
            return _bad(
                expected,
                f"chain row names event #{row.notification_id} but the next stored event is "
                f"#{event.notification_id} (an event was deleted, inserted or reordered)",
                expected - 1, previous, _flush(tree, pending),
            )
        if not _valid_time(row.recorded_at) or row.recorded_at < last_time:
            return _bad(expected, "recorded time is malformed or goes backwards",
                        expected - 1, previous, _flush(tree, pending))
        try:
            leaf = leaf_hash(row.position, row.recorded_at, event, row.login)
        except ValueError:
            return _bad(expected, "the stored event is malformed", expected - 1, previous,
                        _flush(tree, pending))
        if not hmac.compare_digest(leaf.hex(), row.leaf.lower()):
            return _bad(expected, "the stored event does not match its leaf hash (modified)",
                        expected - 1, previous, _flush(tree, pending))
        current = chain_hash(previous, leaf)
        if not hmac.compare_digest(current.hex(), row.chain.lower()):
            return _bad(expected, "the chain hash does not follow from the previous one",
                        expected - 1, previous, _flush(tree, pending))
        if identity is not None:
            try:
                identity.see(row, event, leaf)
            except (Forged, Broken) as error:
                return _identity(error, expected - 1, previous, _flush(tree, pending))
        pending.append(leaf)
        if len(pending) == CHUNK:
            _flush(tree, pending)
        if digest is not None and expected == digest.size:
            _flush(tree, pending)
            if current.hex() != digest.chain:
                return _bad(expected, "the chain differs from the published digest (history rewritten)",
                            expected, current, _flush(tree, pending))
            if digest.root is not None and tree.root().hex() != digest.root:
                return _bad(expected, "the Merkle root differs from the published digest "
                            "(history rewritten)", expected, current, _flush(tree, pending))
        previous = current
        last_time = row.recorded_at
        if callable(progress):
            progress(expected)
    size = expected
    root = _flush(tree, pending).root().hex()
    if identity is not None:
        try:
            identity.finish(size)
        except (Forged, Broken) as error:
            return _identity(error, size, previous, tree)
    if digest is not None:
        if digest.size > size:
            return Verdict(
                False, size, previous.hex(),
                f"position {size + 1}: the log holds {size} events but the digest names "
                f"{digest.size} (truncated)", size + 1, root,
            )
        if digest.size == 0 and (
            digest.chain != GENESIS.hex() or digest.root not in (None, EMPTY_ROOT.hex())
        ):
            return Verdict(False, size, previous.hex(), "the digest of an empty log is malformed", 0, root)
    return Verdict(True, size, previous.hex(), root=root, resumed_at=resume.position if resume else 0)


def check_prefix(pages: Iterable[Sequence[tuple[int, str]]], digest: Digest) -> RootBuilder | tuple[int, str]:
    """The tree of the first ``digest.size`` stored leaves, or why it does not match the digest.

    ``pages`` yields lists of (position, leaf hex) in position order; only the leaf column is
    read, so this is cheap: the events themselves are not re-hashed.
    """
    tree = RootBuilder()
    for page in pages:
        rows = [r for r in page if r[0] <= digest.size] if page[-1][0] > digest.size else page
        if not rows:
            break
        first = tree.size + 1
        if rows[0][0] != first or rows[-1][0] != first + len(rows) - 1:
            # positions are unique and ascending, so the ends name any gap
            missing = next(first + i for i, r in enumerate(rows) if r[0] != first + i)
            return missing, f"position {missing}: chain row missing or out of order"
        try:
            block = bytes.fromhex("".join([leaf for _, leaf in rows]))
        except (TypeError, ValueError):
            block = b""
        if len(block) != 32 * len(rows):
            bad = next((p for p, leaf in rows if not _is_leaf(leaf)), first)
            return bad, f"position {bad}: the stored leaf hash is malformed"
        tree.extend([block[i : i + 32] for i in range(0, len(block), 32)])
        if tree.size >= digest.size:
            break
    if tree.size < digest.size:
        return tree.size + 1, (f"position {tree.size + 1}: the log holds {tree.size} chain rows but "
                               f"the digest names {digest.size} (truncated)")
    if digest.root is not None and tree.root().hex() != digest.root:
        return digest.size, (f"position {digest.size}: the first {digest.size} stored leaves do not "
                             "have the digest's Merkle root (history rewritten)")
    return tree


def _is_leaf(text: object) -> bool:
    try:
        return isinstance(text, str) and len(bytes.fromhex(text)) == 32
    except ValueError:
        return False
