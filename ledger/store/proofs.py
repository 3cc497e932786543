"""The digest with its Merkle root, incremental verification and proofs, read from a chain store.

Everything here reads the store in pages through ``ChainReader`` (both recorders
implement it), so memory stays flat however long the log is. The pure work is in
``merkle`` and ``verify``.
"""

from __future__ import annotations

import base64
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any, Protocol

from ledger.hints import command, option
from ledger.store.chain import GENESIS, Census, ChainRow, Digest, RawEvent
from ledger.store.identity import Signatures
from ledger.store.merkle import (
    EMPTY_ROOT,
    RootBuilder,
    consistency_proof,
    inclusion_proof,
    root_from_inclusion,
    root_of,
)
from ledger.store.verify import Resume, Verdict, check_prefix, verify_streams

PAGE = 5000


class ProofError(ValueError):
    """A proof cannot be given: a position out of range, or stored leaves that are malformed."""


class ChainReader(Protocol):
    def head(self) -> ChainRow | None: ...
    def chain_rows(self, after: int, limit: int) -> list[ChainRow]: ...
    def raw_events(self, after: int, limit: int) -> list[RawEvent]: ...
    def leaves(self, after: int, limit: int) -> list[tuple[int, str]]: ...
    def leaf_block(self, after: int, limit: int) -> tuple[int, int, int, str]: ...
    def census(self) -> Census: ...


def stream_events(reader: ChainReader, after: int = 0) -> Iterator[RawEvent]:
    while page := reader.raw_events(after, PAGE):
        yield from page
        after = page[-1].notification_id


def stream_rows(reader: ChainReader, after: int = 0) -> Iterator[ChainRow]:
    while page := reader.chain_rows(after, PAGE):
        yield from page
        after = page[-1].position


def leaf_pages(reader: ChainReader, after: int = 0, stop: int | None = None,
               page_size: int = PAGE) -> Iterator[list[tuple[int, str]]]:
    while page := reader.leaves(after, page_size if stop is None else max(1, min(page_size, stop - after))):
        yield page
        after = page[-1][0]
        if stop is not None and after >= stop:
            return


def stream_leaves(reader: ChainReader, after: int = 0, stop: int | None = None) -> Iterator[tuple[int, str]]:
    for page in leaf_pages(reader, after, stop):
        yield from page


def leaf_source(reader: ChainReader) -> Callable[[int, int], Iterable[bytes]]:
    """Leaves by 0-based index range, read in pages; a gap or a malformed leaf is a ProofError."""

    def read(start: int, end: int) -> Iterator[bytes]:
        expected = start + 1
        for position, leaf_hex in stream_leaves(reader, start, end):
            if position > end:
                return
            leaf = _leaf(position, leaf_hex)
            if position != expected:
                raise ProofError(f"position {expected}: chain row missing: run {command('audit verify')}")
            expected += 1
            yield leaf
        if expected != end + 1:
            raise ProofError(f"position {expected}: chain row missing: run {command('audit verify')}")

    return read


def _leaf(position: int, leaf_hex: str) -> bytes:
    try:
        leaf = bytes.fromhex(leaf_hex)
    except (TypeError, ValueError):
        leaf = b""
    if len(leaf) != 32:
        raise ProofError(f"position {position}: the stored leaf hash is malformed: "
                         f"run {command('audit verify')}")
    return leaf


BLOCK = 20_000


def prefix_tree(reader: ChainReader, size: int) -> RootBuilder | None:
    """The Merkle tree of the first ``size`` stored leaves, fetched in big blocks of hex.

    None if a block is not exactly the next positions with well-formed leaves: the caller
    then takes the row-by-row path, which names the position.
    """
    tree = RootBuilder()
    after = 0
    while after < size:
        limit = min(BLOCK, size - after)
        count, first, last, text = reader.leaf_block(after, limit)
        if (count, first, last) != (limit, after + 1, after + limit):
            return None
        try:
            block = bytes.fromhex(text)
        except ValueError:
            return None
        if len(block) != 32 * limit:
            return None
        tree.extend([block[i : i + 32] for i in range(0, len(block), 32)])
        after += limit
    return tree


def root_at(reader: ChainReader, size: int) -> bytes:
    """The Merkle root of the first ``size`` stored leaves; a gap or bad leaf is a ProofError."""
    tree = prefix_tree(reader, size)
    return tree.root() if tree is not None else root_of(leaf_source(reader)(0, size))


def digest(reader: ChainReader, head: ChainRow | None = None) -> Digest:
    """``SIZE:CHAIN:ROOT`` of the stored chain (the root over the stored leaf column)."""
    head = head or reader.head()
    if head is None:
        return Digest(0, GENESIS.hex(), EMPTY_ROOT.hex())
    return Digest(head.position, head.chain, root_at(reader, head.position).hex())


def verify_full(reader: ChainReader, expected: Digest | None = None,
                progress: Callable[[int], None] | None = None,
                identity: Signatures | None = None) -> Verdict:
    return verify_streams(stream_events(reader), stream_rows(reader), expected, progress, identity=identity)


def verify_since(reader: ChainReader, expected: Digest,
                 progress: Callable[[int], None] | None = None,
                 identity: Signatures | None = None) -> Verdict:
    """The quick check: prove the store extends ``expected`` (which has a root), re-hashing only
    the events after it.

    The first ``expected.size`` leaves must have the digest's Merkle root and the chain row at
    that size its chain hash; the store is counted so that every position still has exactly
    one stored event (none deleted, none inserted); the events after it are checked in full.
    The bodies of the events up to it are NOT re-read: a stored event altered while its leaf
    column is left alone is found only by the full verification. ``identity``, if given, must
    hold the identity state as at the digest (its signatures are checked after it only).
    """
    if expected.root is None:
        raise ValueError("an incremental verification needs a digest with a Merkle root")
    if expected.size == 0:
        return verify_full(reader, expected, progress, identity)
    fast = prefix_tree(reader, expected.size)
    prefix: RootBuilder | tuple[int, str]
    if fast is not None and fast.root().hex() == expected.root:
        prefix = fast
    else:  # row by row, to name the first bad position
        prefix = check_prefix(leaf_pages(reader, 0, expected.size, 4 * PAGE), expected)
    if isinstance(prefix, tuple):
        position, problem = prefix
        return Verdict(False, 0, GENESIS.hex(), problem, position)
    found = reader.chain_rows(expected.size - 1, 1)
    row = found[0] if found else None
    if row is None or row.position != expected.size or row.chain.lower() != expected.chain:
        return Verdict(False, 0, GENESIS.hex(), f"position {expected.size}: the chain differs from "
                       "the published digest (history rewritten)", expected.size)
    resume = Resume(expected.size, row.notification_id, bytes.fromhex(expected.chain),
                    row.recorded_at, prefix)
    verdict = verify_streams(stream_events(reader, row.notification_id),
                             stream_rows(reader, expected.size), expected, progress, resume, identity)
    if not verdict.ok:
        return verdict
    # The bodies up to the digest were not read: count them, so none is missing or extra.
    counted = reader.census().problem(expected.size)
    if counted is not None:
        return Verdict(False, verdict.size, verdict.head, counted[1], counted[0], verdict.root)
    return verdict


# --- proofs -------------------------------------------------------------------------------
@dataclass(frozen=True)
class Consistency:
    first: Digest
    second: Digest
    path: list[str]


@dataclass(frozen=True)
class InclusionProof:
    position: int
    event: dict[str, Any]
    leaf: str
    tree: Digest
    path: list[str]
    consistency: Consistency | None

    def as_json(self) -> dict[str, Any]:
        document: dict[str, Any] = {
            "format": "perfledger-proof-1",
            "position": self.position,
            "event": self.event,
            "leaf": self.leaf,
            "tree_size": self.tree.size,
            "tree_chain": self.tree.chain,
            "root": self.tree.root,
            "path": self.path,
            "consistency": None,
        }
        if self.consistency is not None:
            document["consistency"] = {
                "from": str(self.consistency.first),
                "to": str(self.consistency.second),
                "path": self.consistency.path,
            }
        return document


def _row(reader: ChainReader, position: int) -> ChainRow:
    found = reader.chain_rows(position - 1, 1)
    if not found or found[0].position != position:
        raise ProofError(f"position {position}: chain row missing: run {command('audit verify')}")
    return found[0]


def _event(reader: ChainReader, row: ChainRow) -> RawEvent:
    found = reader.raw_events(row.notification_id - 1, 1)
    if not found or found[0].notification_id != row.notification_id:
        raise ProofError(f"position {row.position}: the event is missing: run {command('audit verify')}")
    return found[0]


def _tree(reader: ChainReader, size: int) -> Digest:
    row = _row(reader, size)
    return Digest(size, row.chain.lower(), root_at(reader, size).hex())


def prove(reader: ChainReader, position: int, since: Digest | None = None) -> InclusionProof:
    """An inclusion proof for the event at ``position``; with ``since``, one it can be checked against.

    If ``since`` covers the position the proof is in the tree of ``since.size`` leaves (checkable
    against that digest directly), else in the current tree; either way, with ``since``, a
    consistency proof from it to the current tree is included.
    """
    head = reader.head()
    size = head.position if head else 0
    if not 1 <= position <= size:
        raise ProofError(f"position {position} is outside the ledger's 1..{size}")
    source = leaf_source(reader)
    current = Digest(size, head.chain.lower() if head else GENESIS.hex(), root_at(reader, size).hex())
    consistency = None
    tree = current
    if since is not None:
        if since.size > size:
            raise ProofError(f"the digest names {since.size} events but the ledger holds {size} "
                             f"(truncated?): run {command('audit verify ' + option('digest'))}")
        stored = _tree(reader, since.size) if since.size else Digest(0, GENESIS.hex(), EMPTY_ROOT.hex())
        if stored.chain != since.chain or (since.root is not None and stored.root != since.root):
            raise ProofError(f"the ledger no longer extends the digest {since.head}...: "
                             f"run {command('audit verify ' + option('digest'))}")
        path = [h.hex() for h in consistency_proof(source, since.size, size)]
        consistency = Consistency(stored, current, path)
        if position <= since.size:
            tree = stored
    row = _row(reader, position)
    event = _event(reader, row)
    leaf = _leaf(position, row.leaf)
    proof = inclusion_proof(source, position - 1, tree.size)
    if root_from_inclusion(position - 1, tree.size, leaf, proof) != bytes.fromhex(tree.root or ""):
        raise ProofError("the stored leaves changed while the proof was made: try again")
    return InclusionProof(position, event_json(row, event), leaf.hex(), tree, [h.hex() for h in proof],
                          consistency)


def event_json(row: ChainRow, event: RawEvent) -> dict[str, Any]:
    """An event as the proof and the export carry it: enough to recompute its leaf hash."""
    document: dict[str, Any] = {
        "position": row.position,
        "notification_id": event.notification_id,
        "originator_id": event.originator_id,
        "version": event.originator_version,
        "topic": event.topic,
        "state": base64.b64encode(bytes(event.state)).decode("ascii"),
        "recorded_at": row.recorded_at,
    }
    if row.login:  # in the leaf only where a login was recorded (PostgreSQL)
        document["login"] = row.login
    return document
