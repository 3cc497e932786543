"""RFC 9162 Merkle trees over the chain's leaf hashes: roots, inclusion and consistency proofs.

Pure (hashlib only). The chain's leaves are already RFC 9162 leaf hashes,
``SHA-256(0x00 || canonical(event))``; an interior node is
``SHA-256(0x01 || left || right)`` and the root of the empty tree is
``SHA-256("")`` (RFC 9162 §2.1.1).

Memory stays flat: a root is computed streaming, with a stack of at most
log2(n) subtree hashes (``RootBuilder``); a proof is generated from subtree
roots over ranges of leaves that a ``LeafSource`` reads in pages, so a proof
costs O(n) hashing but holds only O(log n) hashes. Verifiers (RFC 9162
§2.1.3.2 and §2.1.4.2) fail closed: any malformed input is ``False``.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Callable, Iterable, Sequence

HASH_SIZE = 32
EMPTY_ROOT = hashlib.sha256(b"").digest()
CHUNK_HEIGHT = 10  # whole subtrees of 1024 leaves are hashed level by level
CHUNK = 1 << CHUNK_HEIGHT

# leaves(start, end) -> an iterable over the leaf hashes with 0-based indices start..end-1
LeafSource = Callable[[int, int], Iterable[bytes]]


def node(left: bytes, right: bytes) -> bytes:
    return hashlib.sha256(b"\x01" + left + right).digest()


def _perfect(level: list[bytes]) -> bytes:
    """The root of a perfect subtree (len(level) a power of two), level by level."""
    sha = hashlib.sha256
    while len(level) > 1:
        level = [sha(b"\x01" + a + b).digest() for a, b in zip(level[::2], level[1::2], strict=True)]
    return level[0]


class RootBuilder:
    """The Merkle Tree Hash of a stream of leaves: append leaves, ask for the root at any time."""

    __slots__ = ("_stack", "size")

    def __init__(self) -> None:
        self._stack: list[tuple[int, bytes]] = []  # (height, hash), heights strictly decreasing
        self.size = 0

    def _push(self, height: int, digest: bytes) -> None:
        stack = self._stack
        while stack and stack[-1][0] == height:
            digest = node(stack.pop()[1], digest)
            height += 1
        stack.append((height, digest))

    def add(self, leaf: bytes) -> None:
        self._push(0, leaf)
        self.size += 1

    def extend(self, leaves: Sequence[bytes]) -> None:
        i, n = 0, len(leaves)
        while i < n:
            if self.size % CHUNK == 0 and n - i >= CHUNK:
                self._push(CHUNK_HEIGHT, _perfect(list(leaves[i : i + CHUNK])))
                self.size += CHUNK
                i += CHUNK
            else:
                self.add(leaves[i])
                i += 1

    def root(self) -> bytes:
        if not self._stack:
            return EMPTY_ROOT
        digest = self._stack[-1][1]
        for _, left in reversed(self._stack[:-1]):
            digest = node(left, digest)
        return digest


def root_of(leaves: Iterable[bytes]) -> bytes:
    builder = RootBuilder()
    batch: list[bytes] = []
    for leaf in leaves:
        batch.append(leaf)
        if len(batch) == CHUNK:
            builder.extend(batch)
            batch = []
    builder.extend(batch)
    return builder.root()


def _split(n: int) -> int:
    """The largest power of two smaller than n (n >= 2)."""
    return 1 << ((n - 1).bit_length() - 1)


def _range_root(leaves: LeafSource, start: int, end: int) -> bytes:
    return root_of(leaves(start, end))


def inclusion_proof(leaves: LeafSource, index: int, size: int) -> list[bytes]:
    """PATH(index, D[0:size]) of RFC 9162 §2.1.3.1, leaf-side first."""
    if not 0 <= index < size:
        raise ValueError(f"index {index} is outside a tree of {size} leaves")
    path: list[bytes] = []
    start, n, m = 0, size, index
    while n > 1:
        k = _split(n)
        if m < k:
            path.append(_range_root(leaves, start + k, start + n))
            n = k
        else:
            path.append(_range_root(leaves, start, start + k))
            start, n, m = start + k, n - k, m - k
    path.reverse()
    return path


def consistency_proof(leaves: LeafSource, first: int, second: int) -> list[bytes]:
    """PROOF(first, D[0:second]) of RFC 9162 §2.1.4.1 (empty when first is 0 or equals second)."""
    if not 0 <= first <= second:
        raise ValueError(f"no consistency proof from {first} to {second} leaves")
    if first in (0, second):
        return []
    path: list[bytes] = []
    start, n, m, whole = 0, second, first, True
    while m != n:
        k = _split(n)
        if m <= k:
            path.append(_range_root(leaves, start + k, start + n))
            n = k
        else:
            path.append(_range_root(leaves, start, start + k))
            start, n, m, whole = start + k, n - k, m - k, False
    if not whole:
        path.append(_range_root(leaves, start, start + n))
    path.reverse()
    return path


def _well_formed(*hashes: object) -> bool:
    return all(isinstance(h, bytes) and len(h) == HASH_SIZE for h in hashes)


def _valid_size(*numbers: object) -> bool:
    return all(isinstance(x, int) and not isinstance(x, bool) and x >= 0 for x in numbers)


def root_from_inclusion(index: int, size: int, leaf: bytes, path: Sequence[bytes]) -> bytes | None:
    """RFC 9162 §2.1.3.2: the root the path leads to, or None if the proof is malformed."""
    if not _valid_size(index, size) or index >= size or not _well_formed(leaf, *path):
        return None
    fn, sn, digest = index, size - 1, leaf
    for sibling in path:
        if sn == 0:
            return None  # the path is too long
        if fn & 1 or fn == sn:
            digest = node(sibling, digest)
            while not fn & 1 and fn != 0:
                fn >>= 1
                sn >>= 1
        else:
            digest = node(digest, sibling)
        fn >>= 1
        sn >>= 1
    return digest if sn == 0 else None  # sn != 0: the path is too short


def verify_inclusion(index: int, size: int, leaf: bytes, path: Sequence[bytes], root: bytes) -> bool:
    found = root_from_inclusion(index, size, leaf, path)
    return found is not None and _well_formed(root) and hmac.compare_digest(found, root)


def verify_consistency(
    first: int, second: int, first_root: bytes, second_root: bytes, path: Sequence[bytes]
) -> bool:
    """RFC 9162 §2.1.4.2: does the tree of ``second`` leaves extend the tree of ``first``?"""
    if not _valid_size(first, second) or first > second or not _well_formed(first_root, second_root, *path):
        return False
    if first == second:
        return not path and hmac.compare_digest(first_root, second_root)
    if first == 0:
        return not path and hmac.compare_digest(first_root, EMPTY_ROOT)
    if not path:
        return False
    proof = list(path)
    if first & (first - 1) == 0:  # an exact power of two: the old root is the first node
        proof.insert(0, first_root)
    fn, sn = first - 1, second - 1
    while fn & 1:
        fn >>= 1
        sn >>= 1
    fr = sr = proof[0]
    for c in proof[1:]:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            fr = node(c, fr)
            sr = node(c, sr)
            while not fn & 1 and fn != 0:
                fn >>= 1
                sn >>= 1
        else:
            sr = node(sr, c)
        fn >>= 1
        sn >>= 1
    return sn == 0 and hmac.compare_digest(fr, first_root) and hmac.compare_digest(sr, second_root)
