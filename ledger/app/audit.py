"""Use cases: internal audit's own acts (qualifying an indicator's data, drawing samples),
issued reports, and the proofs over the hash chain (digest, verify, prove).

The population of a sample is read by the caller from the views, caught up, at a
recorded position ``P`` (the views are bitemporal, so "the returns believed at P"
is the same answer whenever it is asked). The draw itself is the pure policy
``policies.sampling.draw``; this service records it, with its whole basis, so
``redraw`` can later recompute it from the same position and compare.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from ledger.app.usecase import Part, use_case
from ledger.domain.audit import Qualification, Sample, sample_id
from ledger.domain.issued_report import IssuedReport
from ledger.errors import Invalid, NotFound
from ledger.hints import command, option
from ledger.store import proofs
from ledger.store.chain import ChainRow, Digest
from ledger.store.verify import Verdict
from ledger.values import Period, PeriodKind
from policies.authorisation import Act
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


class Audit(Part):
    @use_case(Act.AUDIT_QUALIFY)
    def qualify(self, actor: str, code: str, year: Period, reason: str | None) -> None:
        """Mark CODE's data for YEAR qualified; a second qualification of the same year is refused."""
        check_year(year)
        self.core.indicator(code)
        if not (reason or "").strip():
            raise Invalid(f"a qualification needs {option('reason')}: say what is wrong with the data")
        earlier = self.core.load(Qualification, code, str(year))
        if earlier is not None:
            raise Invalid(f"{code} {year} was already qualified by {earlier.qualified_by} "
                          f"({earlier.reason}): a qualification is recorded once")
        self.core.save(Qualification(code=code, year=str(year), reason=(reason or "").strip(), actor=actor))

    def chain_at(self, position: int) -> str:
        """``SIZE:CHAINHEX`` of the ledger when it held ``position`` events."""
        rows = self.core.store.chain_rows(position - 1, 1)
        if not rows or rows[0].position != position:
            raise NotFound(f"the ledger has no position {position}")
        return f"{position}:{rows[0].chain}"

    @use_case(Act.AUDIT_SAMPLE)
    def draw_sample(self, actor: str, basis: SampleBasis, size: int, seed: str | None) -> Drawn:
        """Draw and record a sample; the default seed is the digest SIZE:CHAINHEX at the basis."""
        check_year(basis.year)
        if size < 1:
            raise Invalid(f"{option('size')} must be 1 or more, not {size}")
        if not basis.population:
            raise Invalid(f"there are no returns for periods in {basis.year}: nothing to sample")
        if seed is not None and not seed.strip():
            raise Invalid(f"{option('seed')} must not be empty (leave it out to seed from the digest)")
        chosen = seed if seed is not None else self.chain_at(basis.position)
        key = sample_id(str(basis.year), size, chosen, basis.position)
        earlier = self.core.load(Sample, key)
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
        self.core.save(sample)
        return Drawn(key, True, sample)

    def sample(self, key: str) -> Sample:
        """A recorded draw, read from the event store itself (not a view)."""
        found = self.core.load(Sample, key)
        if found is None:
            raise NotFound(f"unknown sample {key!r}: see {command('audit samples')}")
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

    # --- issued reports --------------------------------------------------------------
    @use_case(Act.REPORT_ISSUE)
    def issue_report(self, actor: str, kind: str, sha256: str, basis: dict[str, Any],
                     code_version: str) -> bool:
        """Record an issued report; False if these exact bytes were issued before."""
        if self.core.exists(IssuedReport, sha256):
            return False
        self.core.save(IssuedReport(kind=kind, sha256=sha256, basis=basis, code_version=code_version,
                                    actor=actor))
        return True

    def issued_report(self, sha256: str) -> IssuedReport | None:
        """The issue of these bytes, read from the event store itself (not a view)."""
        return self.core.load(IssuedReport, sha256)

    # --- the chain -------------------------------------------------------------------
    def head(self) -> ChainRow | None:
        return self.core.head()

    def digest(self) -> Digest:
        """``SIZE:CHAIN:ROOT``: the chain head and the Merkle root over the stored leaves."""
        try:
            return proofs.digest(self.core.store)
        except proofs.ProofError as error:
            raise Invalid(f"no digest can be given: {error}") from None

    def verify(self, digest: Digest | None = None, progress: Callable[[int], None] | None = None) -> Verdict:
        """Re-hash every stored event; with a digest, also prove the log still extends it."""
        return proofs.verify_full(self.core.store, digest, progress)

    def verify_since(self, digest: Digest, progress: Callable[[int], None] | None = None) -> Verdict:
        """Prove the log extends ``digest`` (with a root), re-hashing only the events after it."""
        return proofs.verify_since(self.core.store, digest, progress)

    def prove(self, position: int, since: Digest | None = None) -> proofs.InclusionProof:
        try:
            return proofs.prove(self.core.store, position, since)
        except proofs.ProofError as error:
            raise Invalid(str(error)) from None


__all__ = ["Audit", "Drawn", "SampleBasis", "check_year"]
