"""Use cases: internal audit's own acts (qualifying an indicator's data, drawing samples),
issued reports, and the proofs over the hash chain (digest, verify, prove).

The population of a sample is read by the caller from the views, caught up, at a
recorded position ``P`` (the views are bitemporal, so "the returns believed at P"
is the same answer whenever it is asked). The draw itself is the pure policy
``policies.sampling.draw``; this service records it, with its whole basis, so
``redraw`` can later recompute it from the same position and compare.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Sequence
from contextlib import suppress
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from eventsourcing.persistence import Notification

from ledger.app.usecase import Part, use_case
from ledger.domain.audit import Qualification, Sample, sample_id
from ledger.domain.escalation import LADDER_ACTS
from ledger.domain.issued_report import IssuedReport
from ledger.domain.returns import PeriodReturn
from ledger.domain.risk import MATRIX_ACTS
from ledger.errors import Invalid, NotFound
from ledger.hints import command, option
from ledger.store import proofs, signing
from ledger.store.chain import ChainRow, Digest
from ledger.store.export import ExportError, verify_export, write_export
from ledger.store.identity import WATCHED, Broken, Forged, Signatures
from ledger.store.proofcheck import BadProof, check_proof
from ledger.store.verify import Verdict
from ledger.values import Period, PeriodKind
from policies.authorisation import Act
from policies.sampling import Candidate, draw, weight

REACTION_ACTS = LADDER_ACTS | MATRIX_ACTS  # written by a reaction on someone else's behalf


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
    def draw_sample(self, actor: str, basis: SampleBasis | Callable[[], SampleBasis], size: int,
                    seed: str | None) -> Drawn:
        """Draw and record a sample; the default seed is the digest SIZE:CHAINHEX at the basis.

        BASIS is the population at a position, or how to read it once the actor is authorised.
        """
        if not isinstance(basis, SampleBasis):
            basis = basis()
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

    @use_case(Act.READ, retry=False)
    def check_sample(self, actor: str, key: str,
                     population_at: Callable[[Period, int], Sequence[Candidate]]) -> tuple[Sample, list[str]]:
        """``audit sample --check``: the recorded draw, and every way a redraw from its basis differs."""
        recorded = self.sample(key)
        population = population_at(Period.parse(recorded.year), recorded.position)
        return recorded, self.redraw(key, population)

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
                     code_version: str, figures: Sequence[tuple[str, Period]] = ()) -> bool:
        """Record an issued report; False if these exact bytes were issued before. Each return
        among FIGURES (indicator, period) is marked reported in the same transaction, the first
        time a report shows it: from then on changing it needs an adjustment."""
        if self.core.exists(IssuedReport, sha256):
            return False
        held = self.core.load_returns([PeriodReturn.create_id(code, period) for code, period in figures])
        marked = [r for r in held.values() if r.reported(sha256, kind, actor)]
        self.core.save(IssuedReport(kind=kind, sha256=sha256, basis=basis, code_version=code_version,
                                    actor=actor), *marked)
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

    def head_at(self, position: int) -> str | None:
        """``SIZE:CHAINHEX``: the chain head as it stood at POSITION (None before the first event)."""
        rows = self.core.store.chain_rows(position - 1, 1) if position > 0 else []
        return str(Digest(position, rows[0].chain)) if rows else None

    def verify(self, digest: Digest | None = None, progress: Callable[[int], None] | None = None) -> Verdict:
        """Re-hash every stored event and check who wrote it (signatures, logins); with a
        digest, also prove the log still extends it."""
        return proofs.verify_full(self.core.store, digest, progress, Signatures(reactions=REACTION_ACTS))

    def require_intact(self, what: str, progress: Callable[[int], None] | None = None) -> int:
        """Re-hash the whole chain before WHAT is built from it; refuse if it fails. Returns its size."""
        verdict = self.verify(None, progress)
        if not verdict.ok:
            raise Invalid(f"{what} refused: the chain fails verification ({verdict.problem}); views are "
                          f"built only from verified events: run {command('audit verify')} and restore "
                          "the ledger from a verified copy")
        return verdict.size

    def verify_since(self, digest: Digest, progress: Callable[[int], None] | None = None) -> Verdict:
        """Prove the log extends ``digest`` (with a root), re-hashing only the events after it. The
        identity rules as at the digest come from its identity events, and each writer's chain of
        signed batches from the chain rows (bodies before the digest are not re-read)."""
        identity = Signatures(reactions=REACTION_ACTS)
        store = self.core.store
        rows = store.chain_rows(digest.size - 1, 1) if digest.size else []
        upto = rows[0].notification_id if rows and rows[0].position == digest.size else 0
        watched = self._identity_events(upto)
        pending = next(watched, None)
        if pending is not None:  # keys or logins exist: follow the chain rows up to the digest
            after = 0
            while after < digest.size and (page := store.chain_rows(after, 5000)):
                for row in page:
                    if row.position > digest.size:
                        break
                    with suppress(ValueError, Forged, Broken):  # the prefix: the Merkle root checks it
                        identity.see(row, None, bytes.fromhex(row.leaf))
                    while pending is not None and pending.id <= row.notification_id:
                        identity.seed(row.position, pending.topic, pending.state)
                        pending = next(watched, None)
                after = page[-1].position
        return proofs.verify_since(store, digest, progress, identity)

    def _identity_events(self, upto: int) -> Iterator[Notification]:
        """The key, login and identity-mode events up to a notification id, a page at a time."""
        last = 0
        while upto and (page := self.core.store.select_notifications(
                start=last, limit=1000, stop=upto, topics=WATCHED, inclusive_of_start=False)):
            yield from page
            last = page[-1].id

    def prove(self, position: int, since: Digest | None = None) -> proofs.InclusionProof:
        try:
            return proofs.prove(self.core.store, position, since)
        except proofs.ProofError as error:
            raise Invalid(str(error)) from None

    # --- the auditor's reads of the chain ----------------------------------------------
    @use_case(Act.READ, retry=False)
    def published_digest(self, actor: str, key: Path | None = None) -> str:
        """The digest to publish, and its Ed25519 signature by KEY on a second line."""
        stamp = self.digest()
        return f"{stamp}\n" + (f"{signing.sign(stamp, key)}\n" if key is not None else "")

    def verify_ledger(self, actor: str, expected: Digest | None = None, *, quick: bool = False,
                      progress: Callable[[int], None] | None = None) -> Verdict:
        """``audit verify``: the chain checked from the raw rows before anything is decoded (a
        tampered event may not even decode), and tamper found is reported whoever asks; a
        clean verdict goes only to someone who may read the ledger.

        Every event body is re-hashed unless ``quick`` (asked for by name, with a digest that
        has its Merkle root): then the events up to the digest are checked by their leaves and
        counted, and only those after it are re-read."""
        if quick and (expected is None or expected.root is None):
            raise Invalid(f"{option('quick')} needs {option('digest')} SIZE:CHAINHEX:ROOTHEX "
                          "(with the Merkle root), as printed by audit digest")
        if expected is not None and expected.root is not None and quick:
            verdict = self.verify_since(expected, progress)
        else:
            verdict = self.verify(expected, progress)
        if verdict.ok:
            self.core.settings()
            self.core.authorise(actor, Act.READ)
        return verdict

    @use_case(Act.READ, retry=False)
    def proof(self, actor: str, position: int, since: Digest | None = None) -> proofs.InclusionProof:
        """``audit prove``: the inclusion proof of POSITION (and consistency from SINCE)."""
        return self.prove(position, since)

    @use_case(Act.READ, retry=False)
    def export(self, actor: str, output: Path) -> Digest:
        """``audit export``: the events and chain rows as JSON lines, with the digest, for offline checks."""
        try:
            return write_export(self.core.store, output)
        except (ExportError, proofs.ProofError) as error:
            raise Invalid(str(error)) from None


def check_signature(expected: Digest, signature: str, public_key: Path) -> None:
    """Refuse unless SIGNATURE (hex) is PUBLIC_KEY's signature of EXPECTED."""
    signing.check(expected, signature, public_key)


def verify_copy(directory: Path, expected: Digest | None = None) -> Verdict:
    """``audit verify --export DIR``: verify a copy written by ``audit export``; no database."""
    try:
        return verify_export(directory, expected, Signatures(reactions=REACTION_ACTS))
    except ExportError as error:
        raise Invalid(str(error)) from None


MAX_PROOF_BYTES = 1024 * 1024


def check_proof_file(file: Path, trusted: Digest) -> str:
    """``audit check-proof``: what a proof in FILE proves against a digest you hold; no database."""
    if trusted.root is None:
        raise Invalid("the digest has no Merkle root: give SIZE:CHAINHEX:ROOTHEX as printed by audit digest")
    try:
        with file.open("rb") as handle:
            raw = handle.read(MAX_PROOF_BYTES + 1)
    except OSError as error:
        raise Invalid(f"cannot read {file}: {error.strerror or error}") from None
    if len(raw) > MAX_PROOF_BYTES:
        raise Invalid(f"proof rejected: {file} is larger than any proof")
    try:
        return check_proof(json.loads(raw.decode("utf-8")), trusted)
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise Invalid(f"proof rejected: {file} is not JSON as printed by audit prove "
                      f"{option('format')} json") from None
    except RecursionError:
        raise Invalid(f"proof rejected: {file} is nested too deeply") from None
    except BadProof as error:
        raise Invalid(f"proof rejected: {error}") from None


__all__ = [
    "Audit",
    "Digest",
    "Drawn",
    "SampleBasis",
    "Verdict",
    "check_proof_file",
    "check_year",
    "verify_copy",
]
