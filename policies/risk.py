"""Risk scoring (000 §6.6, 004): likelihood x impact, score bands, and which register a band belongs on.

The matrix is configuration: scales, bands (each a range of scores with the register its risks
belong on and how often they are reviewed), and the risk appetite. ``DEFAULT`` is the common
5 x 5 matrix; a council's own is a TOML file. Pure: no I/O, no clock.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from typing import Any

REGISTERS = ("project", "service", "directorate", "corporate")  # lowest to highest


class MatrixError(ValueError):
    """A matrix that cannot be used, with what is wrong."""


@dataclass(frozen=True)
class Band:
    name: str
    low: int
    high: int
    register: str  # the register a risk scoring in this band belongs on
    review_months: int  # how often its risks are reviewed

    def holds(self, score: int) -> bool:
        return self.low <= score <= self.high


@dataclass(frozen=True)
class Matrix:
    name: str
    likelihood: int  # the top of the likelihood scale (1..likelihood)
    impact: int  # the top of the impact scale
    bands: tuple[Band, ...]
    appetite: int  # the highest residual score the council accepts without further action

    def band(self, score: int) -> Band:
        for band in self.bands:
            if band.holds(score):
                return band
        raise MatrixError(f"score {score} is in no band of the {self.name} matrix")

    def check(self, likelihood: int, impact: int) -> list[str]:
        """Every way (LIKELIHOOD, IMPACT) falls outside the scales, naming the field."""
        found = []
        if not 1 <= likelihood <= self.likelihood:
            found.append(f"likelihood: {likelihood} is outside 1-{self.likelihood}")
        if not 1 <= impact <= self.impact:
            found.append(f"impact: {impact} is outside 1-{self.impact}")
        return found

    def as_dict(self) -> dict[str, Any]:
        return {"name": self.name, "likelihood": self.likelihood, "impact": self.impact,
                "appetite": self.appetite,
                "bands": [{"name": b.name, "low": b.low, "high": b.high, "register": b.register,
                           "review_months": b.review_months} for b in self.bands]}


DEFAULT = Matrix("default", 5, 5, (
    Band("low", 1, 4, "project", 12),
    Band("medium", 5, 9, "service", 6),
    Band("high", 10, 14, "directorate", 3),
    Band("extreme", 15, 25, "corporate", 1),
), appetite=9)


def from_dict(data: dict[str, Any]) -> Matrix:
    """A matrix from its TOML/JSON form; refused, naming every problem, if it cannot be used."""
    problems: list[str] = []
    try:
        likelihood, impact = int(data.get("likelihood", 5)), int(data.get("impact", 5))
        appetite = int(data.get("appetite", 0))
        bands = tuple(Band(str(b["name"]), int(b["low"]), int(b["high"]), str(b["register"]),
                           int(b.get("review_months", 3))) for b in data.get("bands", []))
    except (KeyError, TypeError, ValueError) as error:
        raise MatrixError(f"a band or scale is incomplete or not a number ({error})") from None
    if not bands:
        problems.append("it has no bands")
    top = likelihood * impact
    covered = sorted((b.low, b.high) for b in bands)
    expected = 1
    for low, high in covered:
        if low != expected:
            problems.append(f"scores {expected}-{low - 1} are in no band" if low > expected
                            else f"bands overlap at {low}")
        expected = max(expected, high + 1)
    if bands and expected <= top:
        problems.append(f"scores {expected}-{top} are in no band")
    for b in bands:
        if b.register not in REGISTERS:
            problems.append(f"band {b.name}: register {b.register!r} is not one of {', '.join(REGISTERS)}")
        if b.review_months < 1:
            problems.append(f"band {b.name}: review_months must be 1 or more")
    if problems:
        raise MatrixError("; ".join(problems))
    return Matrix(str(data.get("name", "custom")), likelihood, impact, bands, appetite)


def parse_toml(text: str) -> Matrix:
    try:
        return from_dict(tomllib.loads(text))
    except tomllib.TOMLDecodeError as error:
        raise MatrixError(f"not TOML: {error}") from None


def proposal(matrix: Matrix, register: str, residual: int) -> str | None:
    """The register a risk on REGISTER with this RESIDUAL score should move to, or None."""
    wanted = matrix.band(residual).register
    return None if wanted == register else wanted


def direction(current: str, wanted: str) -> str:
    """'escalate' (up the registers) or 'step down'."""
    return "escalate" if REGISTERS.index(wanted) > REGISTERS.index(current) else "step down"
