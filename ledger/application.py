"""The application service: one method per use case, get -> decide -> save.

It knows the event store only through the library's ``Application`` and our
store module; it does no other I/O.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any, TypeVar
from uuid import UUID, uuid4

from eventsourcing.application import AggregateNotFoundError, Application
from eventsourcing.domain import Aggregate, DomainEventProtocol
from eventsourcing.persistence import (
    IntegrityError,
    JSONTranscoder,
    OperationalError,
    StoredEvent,
)
from eventsourcing.utils import Environment, EnvType

from ledger.domain.indicator import Indicator, ProForma
from ledger.domain.ledger_settings import Ledger
from ledger.domain.refusal import Refusal
from ledger.domain.roster import Roster
from ledger.domain.transcodings import FastJSONTranscoder, register_all
from ledger.errors import Busy, Invalid, NotFound, NotInitialised, Refused
from ledger.store import proofs
from ledger.store.chain import ChainRow, Digest
from ledger.store.url import StoreConfig
from ledger.store.verify import Verdict
from ledger.values import Role
from policies import authorisation

T = TypeVar("T")
A = TypeVar("A", bound=Aggregate)
PAGE = 1000
ATTEMPTS = 6


LogRow = tuple[int, str, str, int, str, bytes]


@dataclass(frozen=True)
class LogEntry:
    position: int
    recorded_at: str
    event: DomainEventProtocol[Any]


class LedgerCore(Application[UUID]):
    """Infrastructure, retries, authorisation and the log; use cases live in mixins."""

    name = "ledger"

    def __init__(self, config: StoreConfig, clock: Callable[[], datetime] | None = None) -> None:
        self.config = config
        super().__init__(env=config.env)
        if clock is not None:
            self.recorder.clock = clock  # type: ignore[attr-defined]

    def construct_env(self, name: str, env: EnvType | None = None) -> Environment:
        # Pinned: the operating-system environment must not change where events go.
        return Environment(name, dict(env or {}))

    def construct_transcoder(self) -> FastJSONTranscoder:
        transcoder = FastJSONTranscoder()
        self.register_transcodings(transcoder)
        return transcoder

    def register_transcodings(self, transcoder: JSONTranscoder) -> None:
        super().register_transcodings(transcoder)
        register_all(transcoder)

    # --- retries -------------------------------------------------------------
    def run(self, command: Callable[[], T]) -> T:
        """Run a command, retrying it on a write conflict or a busy database."""
        for attempt in range(ATTEMPTS):
            try:
                return command()
            except (IntegrityError, OperationalError):
                if attempt == ATTEMPTS - 1:
                    break
                time.sleep(0.05 * (2**attempt))
        raise Busy("the ledger stayed busy with other writers: nothing was written; try again")

    # --- loading -------------------------------------------------------------
    def load(self, cls: type[A], *key: Any) -> A | None:
        try:
            return self.repository.get(cls.create_id(*key))
        except AggregateNotFoundError:
            return None

    def exists(self, cls: type[Aggregate], *key: Any) -> bool:
        events = self.recorder.select_events(cls.create_id(*key), limit=1)
        return bool(events)

    def indicator(self, code: str) -> Indicator:
        found = self.load(Indicator, code)
        if found is None:
            raise NotFound(f"unknown indicator {code!r}: see perfledger indicator list")
        return found

    def is_initialised(self) -> bool:
        return self.exists(Ledger)

    def is_empty(self) -> bool:
        return self.head() is None

    def settings(self) -> Ledger:
        found = self.load(Ledger)
        if found is None:
            raise NotInitialised("this ledger is not initialised: run perfledger init first")
        return found

    # --- authorisation -------------------------------------------------------
    def roster(self) -> Roster:
        found = self.load(Roster)
        if found is None:
            raise NotInitialised("this ledger is not initialised: run perfledger init first")
        return found

    def authorise(self, actor: str, act: str) -> Roster:
        roster = self.roster()
        roles = roster.roles_of(actor)
        if not roles:
            raise Refused(
                f"{actor} is not on the roster with any role: ask an administrator to run "
                f"perfledger people add {actor!r} --role ROLE (or act as someone else with --actor)",
                control="permission",
            )
        if not authorisation.may(roles, act):
            raise Refused(
                f"{actor} may not {authorisation.action(act)}: it needs {authorisation.needs(act)} "
                f"({actor} holds {', '.join(sorted(r.value for r in roles))})",
                control="permission",
            )
        return roster

    def record_refusal(self, actor: str, act: str, arguments: list[str], control: str, message: str) -> None:
        """Keep a refused attempt as evidence: exactly one event, whoever the actor is."""
        if not self.is_initialised():
            return  # nothing to record it in
        self.save(Refusal(key=uuid4().hex, act=act, arguments=arguments, control=control, message=message,
                          actor=actor))

    # --- init ----------------------------------------------------------------
    def initialise(
        self, actor: str, administrator: str, tolerance: Decimal, *, demo: bool = False
    ) -> bool:
        """Create the ledger and its first administrator; False if it already exists."""
        if not Decimal(0) <= tolerance <= Decimal(100):
            raise Invalid(f"--tolerance {tolerance} is outside 0-100 (a percentage of the target)")
        if not administrator.strip():
            raise Invalid("--admin needs a name")

        def command() -> bool:
            if self.is_initialised():
                return False
            ledger = Ledger(actor=actor, administrator=administrator, tolerance=tolerance, demo=demo)
            roster = Roster(actor=actor)
            roster.add(administrator, [Role.ADMINISTRATOR], None, actor)
            self.save(ledger, roster)
            return True

        return self.run(command)

    # --- the log -------------------------------------------------------------
    def head(self) -> ChainRow | None:
        return self.recorder.head()  # type: ignore[attr-defined,no-any-return]

    def digest(self) -> Digest:
        """``SIZE:CHAIN:ROOT``: the chain head and the Merkle root over the stored leaves."""
        try:
            return proofs.digest(self.recorder)  # type: ignore[arg-type]
        except proofs.ProofError as error:
            raise Invalid(f"no digest can be given: {error}") from None

    def read_log(self, after: int, limit: int = PAGE, stop: int | None = None) -> list[LogEntry]:
        entries = []
        for row in self.log_rows(after, limit):
            if stop is not None and row[0] > stop:
                break
            entries.append(self.log_entry(row))
        return entries

    def log_rows(self, after: int, limit: int = PAGE) -> list[LogRow]:
        """The stored log after a position, undecoded: (position, recorded_at, originator id hex,
        version, topic, state)."""
        return self.recorder.log_events(after, limit)  # type: ignore[attr-defined,no-any-return]

    def log_entry(self, row: LogRow) -> LogEntry:
        """Decode one stored row (upcasting included) into its domain event."""
        position, recorded_at, originator_id, version, topic, state = row
        stored = StoredEvent(UUID(originator_id), version, topic, state)
        return LogEntry(position, recorded_at, self.mapper.to_domain_event(stored))

    @property
    def plain_json_state(self) -> bool:
        """Whether stored states are the transcoder's plain JSON (no cipher, no compressor)."""
        return self.mapper.cipher is None and self.mapper.compressor is None

    def verify(self, digest: Digest | None = None, progress: Callable[[int], None] | None = None) -> Verdict:
        """Re-hash every stored event; with a digest, also prove the log still extends it."""
        return proofs.verify_full(self.recorder, digest, progress)  # type: ignore[arg-type]

    def verify_since(self, digest: Digest, progress: Callable[[int], None] | None = None) -> Verdict:
        """Prove the log extends ``digest`` (with a root), re-hashing only the events after it."""
        return proofs.verify_since(self.recorder, digest, progress)  # type: ignore[arg-type]

    def prove(self, position: int, since: Digest | None = None) -> proofs.InclusionProof:
        try:
            return proofs.prove(self.recorder, position, since)  # type: ignore[arg-type]
        except proofs.ProofError as error:
            raise Invalid(str(error)) from None


def pro_forma_changes(current: ProForma, **options: Any) -> dict[str, Any]:
    """The options a user gave (not None) that name pro forma fields."""
    return {k: v for k, v in options.items() if v is not None and hasattr(current, k)}
