"""Audit samples (000 §9.3.4): a weighted draw without replacement, reproducible from its seed.

Each return in the population has a stable ``key`` (its aggregate id). Its uniform
number is ``u = (h + 1) / 2**64``, where ``h`` is the first 8 bytes of
``SHA-256(seed || 0x00 || key)`` read big-endian: ``u`` lies in (0, 1]. Efraimidis and
Spirakis: with weight ``w``, the sample of size N is the N items with the largest
``u ** (1 / w)``.

No floating point is used. With ``L`` the least common multiple of the weights,
``u ** (1/w)`` orders as ``u ** (L/w)``, and ``(h + 1) ** (L/w) * 2 ** (64 * (L - L/w))``
orders the same way as an exact integer. The draw is therefore identical on every
platform and Python version; ties (equal integers: practically never) fall to the key.

Weights (internal audit focuses on new and qualified indicators):

================================= ======
the return's indicator is          weight
================================= ======
ordinary                            1
new                                 3
qualified                           3
new and qualified                   5
================================= ======
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Sequence
from dataclasses import dataclass

ORDINARY, NEW, QUALIFIED, BOTH = 1, 3, 3, 5
BITS = 64


@dataclass(frozen=True)
class Candidate:
    """One return that may be drawn: its stable key and what makes it interesting."""

    key: str
    indicator: str
    period: str
    version: int = 0  # the return's version believed when the population was read
    new: bool = False
    qualified: bool = False


def weight(candidate: Candidate) -> int:
    if candidate.new and candidate.qualified:
        return BOTH
    if candidate.new:
        return NEW
    if candidate.qualified:
        return QUALIFIED
    return ORDINARY


def draw_number(seed: str, key: str) -> int:
    """``h + 1`` in 1..2**64: the numerator of the item's uniform number u = (h + 1) / 2**64."""
    digest = hashlib.sha256(seed.encode("utf-8") + b"\x00" + key.encode("utf-8")).digest()
    return int.from_bytes(digest[: BITS // 8], "big") + 1


def draw(population: Sequence[Candidate], size: int, seed: str) -> list[Candidate]:
    """The ``size`` items with the largest ``u ** (1/w)``, in draw order (strongest first).

    A size at least the population's draws every item. Size 0 or less is refused, as is a
    population with the same key twice.
    """
    if size < 1:
        raise ValueError(f"the sample size must be 1 or more, not {size}")
    keys = [c.key for c in population]
    if len(set(keys)) != len(keys):
        raise ValueError("the population holds the same item twice")
    if not population:
        return []
    common = math.lcm(*{weight(c) for c in population})

    def strength(candidate: Candidate) -> int:
        power = common // weight(candidate)
        return int(draw_number(seed, candidate.key) ** power) << (BITS * (common - power))

    ranked = sorted(population, key=lambda c: (-strength(c), c.key))
    return ranked[:size]


__all__ = ["BOTH", "NEW", "ORDINARY", "QUALIFIED", "Candidate", "draw", "draw_number", "weight"]
