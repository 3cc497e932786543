"""Use cases: the auditor's own acts, qualifying an indicator's data and drawing samples.

The population of a sample is read by the caller from the views, caught up, at a
recorded position ``P`` (the views are bitemporal, so "the returns believed at P"
is the same answer whenever it is asked). The draw itself is the pure policy
``policies.sampling.draw``; this service records it, with its whole basis, so
``redraw`` can later recompute it from the same position and compare.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ledger.application import LedgerCore
from ledger.domain.audit import Qualification, Sample, sample_id
from ledger.errors import Invalid, NotFound
from ledger.values import Period, PeriodKind
from policies.sampling import Candidate, draw, weight


@dataclass(frozen=True)
class SampleBasis:
    """What a draw depends on besides its size and seed: the year and its population at a position."""

    year: Period
    position: int
    population: Sequence[Candidate]


@dataclass(frozen=True)
class Drawn:
    key: str
    written: bool  # False: this exact draw was recorded before (nothing new was written)
    sample: Sample


def check_year(year: Period) -> None:
    if year.kind is not PeriodKind.YEAR:
        raise Invalid(f"{year} is not a financial year: give a year such as {year.financial_year}")


def items_of(drawn: Sequence[Candidate]) -> list[dict[str, object]]:
    return [{"indicator": c.indicator, "period": c.period, "version": c.version, "key": c.key,
             "weight": weight(c)} for c in drawn]


class Audit(LedgerCore):
    def qualify(self, actor: str, code: str, year: Period, reason: str | None) -> None:
        """Mark CODE's data for YEAR qualified; a second qualification of the same year is refused."""

        def command() -> None:
            self.authorise(actor, "audit qualify")
            check_year(year)
            self.indicator(code)
            if not (reason or "").strip():
                raise Invalid("a qualification needs --reason: say what is wrong with the data")
            earlier = self.load(Qualification, code, str(year))
            if earlier is not None:
                raise Invalid(f"{code} {year} was already qualified by {earlier.qualified_by} "
                              f"({earlier.reason}): a qualification is recorded once")
            self.save(Qualification(code=code, year=str(year), reason=(reason or "").strip(), actor=actor))

        self.run(command)

    def chain_at(self, position: int) -> str:
        """``SIZE:CHAINHEX`` of the ledger when it held ``position`` events."""
        rows = self.recorder.chain_rows(position - 1, 1)  # type: ignore[attr-defined]
        if not rows or rows[0].position != position:
            raise NotFound(f"the ledger has no position {position}")
        return f"{position}:{rows[0].chain}"

    def draw_sample(self, actor: str, basis: SampleBasis, size: int, seed: str | None) -> Drawn:
        """Draw and record a sample; the default seed is the digest SIZE:CHAINHEX at the basis."""

        def command() -> Drawn:
            self.authorise(actor, "audit sample")
            check_year(basis.year)
            if size < 1:
                raise Invalid(f"--size must be 1 or more, not {size}")
            if not basis.population:
                raise Invalid(f"there are no returns for periods in {basis.year}: nothing to sample")
            if seed is not None and not seed.strip():
                raise Invalid("--seed must not be empty (leave it out to seed from the digest)")
            chosen = seed if seed is not None else self.chain_at(basis.position)
            key = sample_id(str(basis.year), size, chosen, basis.position)
            earlier = self.load(Sample, key)
            if earlier is not None:
                return Drawn(key, False, earlier)
            drawn = draw(basis.population, size, chosen)
            sample = Sample(
                sample_id=key, year=str(basis.year), size=size, seed=chosen,
                seed_from_digest=seed is None, position=basis.position,
                population=len(basis.population),
                new=sorted({c.indicator for c in basis.population if c.new}),
                qualified=sorted({c.indicator for c in basis.population if c.qualified}),
                items=items_of(drawn), actor=actor,
            )
            self.save(sample)
            return Drawn(key, True, sample)

        return self.run(command)

    def sample(self, key: str) -> Sample:
        """A recorded draw, read from the event store itself (not a view)."""
        found = self.load(Sample, key)
        if found is None:
            raise NotFound(f"unknown sample {key!r}: see perfledger audit samples")
        return found

    def redraw(self, key: str, population: Sequence[Candidate]) -> list[str]:
        """Every way the recorded draw differs from a redraw over ``population`` (empty: identical)."""
        sample = self.sample(key)
        problems: list[str] = []
        if sample.seed_from_digest and sample.seed != self.chain_at(sample.position):
            problems.append(f"its seed is not the digest at position {sample.position}")
        if len(population) != sample.population:
            problems.append(f"the population at position {sample.position} is {len(population)} "
                            f"returns, not the {sample.population} recorded")
        redrawn = items_of(draw(population, sample.size, sample.seed)) if population else []
        if redrawn != sample.items:
            recorded = {(i["indicator"], i["period"]) for i in sample.items}
            differ = [f"{i['indicator']} {i['period']}" for i in redrawn
                      if (i["indicator"], i["period"]) not in recorded]
            problems.append("the redraw gives other returns" + (f" ({', '.join(differ[:3])})" if differ
                                                                 else " or another order"))
        return problems


__all__ = ["Audit", "Drawn", "SampleBasis", "check_year"]
