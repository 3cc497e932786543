"""RFC 9162 Merkle trees: the reference vectors, every proof for small trees, adversarial proofs."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable

import pytest

from ledger.store.merkle import (
    EMPTY_ROOT,
    RootBuilder,
    consistency_proof,
    inclusion_proof,
    root_from_inclusion,
    root_of,
    verify_consistency,
    verify_inclusion,
)

# The Certificate Transparency reference vectors (RFC 6962 / RFC 9162 hashing), as published in
# transparency-dev/merkle proof/verify_test.go: eight inputs, the root after each, and proofs.
INPUTS = [bytes.fromhex(h) for h in ["", "00", "10", "2021", "3031", "40414243", "5051525354555657",
                                    "606162636465666768696a6b6c6d6e6f"]]
ROOTS = [
    "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
    "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
    "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
    "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
    "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
    "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
    "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
]
INCLUSION = [  # (1-based leaf, tree size, path)
    (1, 8, ["96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"]),
    (6, 8, ["bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
            "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
            "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"]),
    (3, 3, ["fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125"]),
    (2, 5, ["6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b"]),
]
CONSISTENCY = [  # (first, second, path)
    (1, 8, ["96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"]),
    (6, 8, ["0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
            "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
            "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"]),
    (2, 5, ["5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b"]),
    (6, 7, ["0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
            "b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f",
            "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"]),
]
SOME_HASH = bytes.fromhex("abacaba000000000000000000000000000000000000000000060061e00123456")
LEAVES = [hashlib.sha256(b"\x00" + data).digest() for data in INPUTS]


def source(leaves: list[bytes]):  # type: ignore[no-untyped-def]
    def read(start: int, end: int) -> Iterable[bytes]:
        assert 0 <= start < end <= len(leaves), (start, end)
        return leaves[start:end]

    return read


def naive_root(leaves: list[bytes]) -> bytes:
    """RFC 9162 §2.1.1 as written: the recursive definition."""
    if not leaves:
        return EMPTY_ROOT
    if len(leaves) == 1:
        return leaves[0]
    k = 1
    while k * 2 < len(leaves):
        k *= 2
    return hashlib.sha256(b"\x01" + naive_root(leaves[:k]) + naive_root(leaves[k:])).digest()


def test_empty_root_is_the_hash_of_nothing():
    assert EMPTY_ROOT.hex() == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
    assert root_of([]) == EMPTY_ROOT


def test_reference_roots():
    for n in range(1, 9):
        assert root_of(LEAVES[:n]).hex() == ROOTS[n - 1], n


@pytest.mark.parametrize(("leaf", "size", "path"), INCLUSION)
def test_reference_inclusion_proofs(leaf: int, size: int, path: list[str]):
    proof = inclusion_proof(source(LEAVES), leaf - 1, size)
    assert [p.hex() for p in proof] == path
    assert verify_inclusion(leaf - 1, size, LEAVES[leaf - 1], proof, bytes.fromhex(ROOTS[size - 1]))


@pytest.mark.parametrize(("first", "second", "path"), CONSISTENCY)
def test_reference_consistency_proofs(first: int, second: int, path: list[str]):
    proof = consistency_proof(source(LEAVES), first, second)
    assert [p.hex() for p in proof] == path
    assert verify_consistency(first, second, bytes.fromhex(ROOTS[first - 1]),
                              bytes.fromhex(ROOTS[second - 1]), proof)


MANY = [hashlib.sha256(b"\x00" + i.to_bytes(4, "big")).digest() for i in range(70)]


def test_streaming_roots_match_the_recursive_definition_for_every_size():
    builder = RootBuilder()
    for n in range(len(MANY) + 1):
        assert builder.root() == naive_root(MANY[:n]), n
        assert root_of(MANY[:n]) == naive_root(MANY[:n]), n
        if n < len(MANY):
            builder.add(MANY[n])


def test_chunked_extend_matches_leaf_by_leaf():
    leaves = [hashlib.sha256(i.to_bytes(4, "big")).digest() for i in range(3000)]
    one = RootBuilder()
    for leaf in leaves:
        one.add(leaf)
    for cut in (0, 1, 1023, 1024, 1025, 2048, 2999):
        chunked = RootBuilder()
        chunked.extend(leaves[:cut])
        chunked.extend(leaves[cut:])
        assert chunked.root() == one.root(), cut
        assert chunked.size == 3000


def _flip(proof: list[bytes], i: int) -> list[bytes]:
    bad = list(proof)
    bad[i] = bytes([bad[i][0] ^ 8]) + bad[i][1:]
    return bad


def test_every_inclusion_proof_verifies_and_every_corruption_fails():
    read = source(MANY[:40])
    for size in range(1, 41):
        root = naive_root(MANY[:size])
        for index in range(size):
            proof = inclusion_proof(read, index, size)
            assert len(proof) <= (size - 1).bit_length()
            leaf = MANY[index]
            assert verify_inclusion(index, size, leaf, proof, root), (index, size)
            bad: list[tuple[int, int, bytes, list[bytes], bytes]] = [
                (index + 1, size, leaf, proof, root),
                (index, size * 2, leaf, proof, root),
                (index, size, SOME_HASH, proof, root),
                (index, size, leaf, proof, SOME_HASH),
                (index, size, leaf, proof, EMPTY_ROOT),
                (index, size, leaf, [*proof, root], root),
                (index, size, leaf, [root, *proof], root),
                (index, size, leaf, [*proof, b""], root),
                (index, size, leaf[:31], proof, root),
                (index, size, leaf, proof, root + b"\x00"),
                (size, size, leaf, proof, root),
                (-1, size, leaf, proof, root),
            ]
            if index > 0:
                bad.append((index - 1, size, leaf, proof, root))
            if size > 1:
                bad.append((index, size // 2, leaf, proof, root))
            if proof:
                bad.append((index, size, leaf, proof[:-1], root))
                bad.extend((index, size, leaf, _flip(proof, i), root) for i in range(len(proof)))
            for args in bad:
                assert not verify_inclusion(*args), (index, size, args[:2])


def test_every_consistency_proof_verifies_and_every_corruption_fails():
    read = source(MANY[:33])
    roots = [naive_root(MANY[:n]) for n in range(34)]
    for second in range(1, 34):
        for first in range(second + 1):
            proof = consistency_proof(read, first, second)
            r1, r2 = roots[first], roots[second]
            assert verify_consistency(first, second, r1, r2, proof), (first, second)
            if first in (0, second):
                assert proof == []
                assert not verify_consistency(first, second, r1, r2, [r1])
                continue
            bad: list[tuple[int, int, bytes, bytes, list[bytes]]] = [
                (first - 1, second, r1, r2, proof),
                (first + 1, second, r1, r2, proof),
                (first, second * 2, r1, r2, proof),
                (first, second, SOME_HASH, r2, proof),
                (first, second, r1, SOME_HASH, proof),
                (first, second, r2, r1, proof),
                (first, second, r1, r2, []),
                (first, second, r1, r2, [*proof, r1]),
                (first, second, r1, r2, [*proof, r2]),
                (first, second, r1, r2, [r1, *proof]),
                (first, second, r1, r2, [proof[0], *proof]),
                (first, second, r1, r2, [*proof, b""]),
                (first, second, r1, r2, proof[:-1]),
                (second, first, r2, r1, proof),
            ]
            bad.extend((first, second, r1, r2, _flip(proof, i)) for i in range(len(proof)))
            for args in bad:
                if args[0] == args[1] and args[2] == args[3] and not args[4]:
                    continue
                assert not verify_consistency(*args), (first, second, args[:2])


@pytest.mark.parametrize(
    "args",
    [
        (0, 0, SOME_HASH, []),
        (1, 0, SOME_HASH, []),
        (True, 2, SOME_HASH, [SOME_HASH]),
        (0, 2, "ab" * 32, [SOME_HASH]),
        (0, 2, SOME_HASH, ["ab" * 32]),
        (0, 1 << 70, SOME_HASH, [SOME_HASH] * 70),
    ],
)
def test_malformed_inclusion_inputs_fail_closed(args):  # type: ignore[no-untyped-def]
    assert root_from_inclusion(*args) is None or not verify_inclusion(*args, SOME_HASH)  # type: ignore[call-arg]


def test_generators_refuse_impossible_requests():
    read = source(MANY[:8])
    with pytest.raises(ValueError, match="outside"):
        inclusion_proof(read, 8, 8)
    with pytest.raises(ValueError, match="no consistency proof"):
        consistency_proof(read, 5, 4)
