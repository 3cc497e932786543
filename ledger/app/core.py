"""The small core every part of the application shares: the store, loading and saving,
retries, authorisation, the log, and the changes a use case saved (for the reactions).

It is the library's ``Application`` (named ``ledger``: table names and tracking derive
from it; never rename), pinned to the store chosen by ``--db``. The parts
(``ledger/app/*.py``) each hold a ``Core`` and nothing else of the application;
``ledger/app/__init__.py`` composes them.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, TypeVar, cast
from uuid import UUID, uuid4

from eventsourcing.application import AggregateNotFoundError, Application
from eventsourcing.domain import Aggregate, DomainEventProtocol, MutableOrImmutableAggregate
from eventsourcing.persistence import (
    IntegrityError,
    JSONTranscoder,
    OperationalError,
    Recording,
    StoredEvent,
)
from eventsourcing.utils import Environment, EnvType, get_topic

from ledger.app.identity import Identity
from ledger.app.reactions import Change, Reactions, subject_of
from ledger.domain import load_all
from ledger.domain.calendar import Calendar
from ledger.domain.designations import Designations
from ledger.domain.indicator import Indicator
from ledger.domain.ledger_settings import Ledger
from ledger.domain.refusal import Refusal
from ledger.domain.returns import PeriodReturn
from ledger.domain.roster import Roster
from ledger.domain.transcodings import FastJSONTranscoder, register_all
from ledger.errors import Busy, Invalid, NotFound, NotInitialised, Refused
from ledger.hints import command, option
from ledger.store.chain import ChainRow
from ledger.store.port import ChainedRecorder, LogRow
from ledger.store.url import StoreConfig
from ledger.values import LONDON, Role
from policies import authorisation, designation
from policies.authorisation import Act

T = TypeVar("T")
A = TypeVar("A", bound=Aggregate)
PAGE = 1000

# The retry budget of one use case against other writers (a write conflict, or SQLite's "database is
# locked"): at most ATTEMPTS tries, waiting between them a jittered, doubling time (half of it fixed,
# half drawn at random, so writers that collided spread out instead of colliding again in step),
# from BACKOFF_FIRST up to BACKOFF_CAP seconds. The waits add up to at most ``budget()`` seconds
# (about 6.3 s), bounded whatever the load; then the use case gives up with Busy, nothing written.
# Measured: with 8 processes writing at once no use case gives up (tests/stress/test_load.py).
ATTEMPTS = 12
BACKOFF_FIRST = 0.02
BACKOFF_CAP = 1.0

__all__ = ["ATTEMPTS", "BACKOFF_CAP", "BACKOFF_FIRST", "PAGE", "Core", "LogEntry", "LogRow", "backoff",
           "budget"]


def backoff(number: int, draw: Callable[[float, float], float] = random.uniform) -> float:
    """The wait (seconds) after failed try NUMBER (0-based): between half and all of
    min(BACKOFF_CAP, BACKOFF_FIRST * 2**NUMBER), drawn by DRAW."""
    ceiling = min(BACKOFF_CAP, BACKOFF_FIRST * 2.0**number)
    return ceiling / 2 + draw(0.0, ceiling / 2)


def budget() -> float:
    """The longest a use case can wait in all before it gives up (every wait at its ceiling)."""
    return sum(min(BACKOFF_CAP, BACKOFF_FIRST * 2.0**n) for n in range(ATTEMPTS - 1))


TEXT_LIMIT = 20_000  # characters in one field of an event: pages of commentary, not a file pasted in


def check_text_sizes(event: object) -> None:
    """Refuse (nothing written) an event with a text field longer than ``TEXT_LIMIT``."""
    for name, value in vars(event).items():
        if isinstance(value, str) and len(value) > TEXT_LIMIT:
            raise Invalid(f"the {name} is {len(value):,} characters long: at most {TEXT_LIMIT:,} are kept; "
                          "shorten it, and keep long documents outside the ledger (name them in "
                          f"{option('evidence')})")


@dataclass(frozen=True)
class LogEntry:
    position: int
    recorded_at: str
    event: DomainEventProtocol[Any]


class Core(Application[UUID]):
    """The event store and what every use case needs of it."""

    name = "ledger"  # fixed: table names and tracking derive from it; never rename

    def __init__(self, config: StoreConfig, clock: Callable[[], datetime] | None = None) -> None:
        self.config = config
        super().__init__(env=config.env)
        self.store: ChainedRecorder = cast(ChainedRecorder, self.recorder)  # the port: ledger/store/port.py
        if clock is not None:
            self.store.clock = clock
        self.reactions = Reactions()
        self._changes: list[Change] | None = None
        self.identity = Identity(self.store.session_login)
        self._rules: tuple[int, Ledger | None, Roster | None] | None = None
        self.retries = 0  # tries repeated because of other writers, in this process (for measurement)
        self.gave_up = 0  # use cases that gave up Busy
        self.most_retries = 0  # the most tries one use case repeated before it got through

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

    # --- saving, and what was saved ------------------------------------------------
    def save(
        self, *objs: MutableOrImmutableAggregate[UUID] | DomainEventProtocol[UUID] | None, **kwargs: Any,
    ) -> list[Recording[UUID]]:
        pending = [e for o in objs if isinstance(o, Aggregate) for e in o.pending_events]
        for e in pending:
            check_text_sizes(e)
        events = [(get_topic(type(e)), str(getattr(e, "actor", ""))) for e in pending
                  if isinstance(getattr(e, "actor", None), str)]
        with self.signing(events):
            recordings = super().save(*objs, **kwargs)
        if self._changes is not None:
            by_id = {o.id: o for o in objs if isinstance(o, Aggregate)}
            self._changes.extend(
                Change(r.notification.topic, subject_of(by_id.get(r.domain_event.originator_id)))
                for r in recordings)
        return recordings

    @contextmanager
    def signing(self, events: list[tuple[str, str]]) -> Iterator[None]:
        """Prove who writes EVENTS ((topic, actor) each) and seal what the block writes with their
        key; Unproven (before anything is written) where the ledger requires a key not held."""
        proven = self.identity.prove(events, *self.rules()) if events else None
        self.store.signer, self.store.signer_name = (proven[0], proven[1]) if proven else (None, "")
        try:
            yield
        finally:
            self.store.signer, self.store.signer_name = None, ""

    def rules(self) -> tuple[Ledger | None, Roster | None]:
        """The ledger's settings and roster as they stand (re-read whenever the log has grown)."""
        head = self.store.head()
        position = head.position if head is not None else 0
        if self._rules is None or self._rules[0] != position:
            self._rules = (position, self.load(Ledger), self.load(Roster))
        return self._rules[1], self._rules[2]

    def note(self, changes: Iterable[Change]) -> None:
        """Changes written other than by ``save`` (a bulk import's chunks), for the reactions."""
        if self._changes is not None:
            self._changes.extend(changes)

    @contextmanager
    def recording(self) -> Iterator[list[Change]]:
        """Collect the changes saved inside the block (a use case's), then stop collecting."""
        outer, self._changes = self._changes, []
        try:
            yield self._changes
        finally:
            self._changes = outer

    # --- retries -------------------------------------------------------------------
    def run(self, attempt: Callable[[], T]) -> T:
        """Run ``attempt``, again on a write conflict or a busy database (see ``ATTEMPTS``); then
        give up cleanly."""
        for number in range(ATTEMPTS):
            try:
                found = attempt()
            except (IntegrityError, OperationalError):
                if number == ATTEMPTS - 1:
                    break
                self.retries += 1
                time.sleep(backoff(number))
            else:
                self.most_retries = max(self.most_retries, number)
                return found
        self.gave_up += 1
        raise Busy("the ledger stayed busy with other writers: nothing was written; try again")

    # --- loading -------------------------------------------------------------------
    def load(self, cls: type[A], *key: Any) -> A | None:
        try:
            return self.repository.get(cls.create_id(*key))
        except AggregateNotFoundError:
            return None

    def exists(self, cls: type[Aggregate], *key: Any) -> bool:
        return bool(self.store.select_events(cls.create_id(*key), limit=1))

    def load_returns(self, ids: list[UUID]) -> dict[UUID, PeriodReturn]:
        """Returns by id, read in batches from the store (absent ids are left out)."""
        return self.load_many(PeriodReturn, ids)

    def load_many(self, cls: type[A], ids: list[UUID]) -> dict[UUID, A]:
        """Aggregates of CLS by id, read from the store in one query for many ids (a few on
        SQLite), each folded from its events as ``load`` folds it; absent ids are left out."""
        found: dict[UUID, A] = {}
        for key, events in self.store.events_of(ids).items():
            aggregate: Any = None
            for stored in events:
                event: Any = self.mapper.to_domain_event(stored)  # the class: imported here
                aggregate = event.mutate(aggregate)
            if isinstance(aggregate, cls):
                found[key] = aggregate
        return found

    def indicator(self, code: str) -> Indicator:
        found = self.load(Indicator, code)
        if found is None:
            raise NotFound(f"unknown indicator {code!r}: see {command('indicator list')}")
        return found

    def indicator_codes(self) -> list[str]:
        """Every registered indicator's code, from the events."""
        return self.codes_of("perfledger/Indicator.Registered")

    def codes_of(self, topic: str) -> list[str]:
        """The ``code`` of every event stored under TOPIC (a creation event: each aggregate's key)."""
        found: set[str] = set()
        last = 0
        while True:
            page = self.store.select_notifications(start=last, limit=PAGE, topics=[topic],
                                                   inclusive_of_start=False)
            if not page:
                return sorted(found)
            found.update(cast(Any, self.mapper.to_domain_event(n)).code for n in page)
            last = page[-1].id

    def calendar(self, actor: str | None = None) -> Calendar:
        """The calendar of closed periods (a new one, opened by ACTOR, if none was ever saved)."""
        return self.load(Calendar) or Calendar(actor=actor)

    def today(self) -> date:
        """Today, by the ledger's recording clock, in Europe/London."""
        return self.store.clock().astimezone(LONDON).date()

    def is_initialised(self) -> bool:
        return self.exists(Ledger)

    def is_empty(self) -> bool:
        return self.head() is None

    def settings(self) -> Ledger:
        found = self.load(Ledger)
        if found is None:
            raise NotInitialised(f"this ledger is not initialised: run {command('init')} first")
        return found

    # --- authorisation -------------------------------------------------------------
    def roster(self) -> Roster:
        found = self.load(Roster)
        if found is None:
            raise NotInitialised(f"this ledger is not initialised: run {command('init')} first")
        return found

    def authorise(self, actor: str, act: Act) -> Roster:
        """Refuse (control "permission") unless ACTOR's roles grant ACT; the roster read."""
        roster = self.roster()
        roles = roster.roles_of(actor)
        if not roles:
            raise Refused(
                f"{actor} is not on the roster with any role: ask an administrator to run "
                f"{command(f'people add {actor!r} ' + option('role') + ' ROLE')} (or act as someone "
                f"else with {option('actor')})",
                control="permission", recorded=act is not Act.READ,
            )
        if not authorisation.may(roles, act):
            raise Refused(
                f"{actor} may not {authorisation.action(act)}: it needs {authorisation.needs(act)} "
                f"({actor} holds {', '.join(sorted(r.value for r in roles))})",
                control="permission", recorded=act is not Act.READ,
            )
        return roster

    def acting(self, claimed: str, explicit: bool) -> str:
        """Who this session acts as: on PostgreSQL, the person bound to its login where the
        ledger binds logins (a claim to be someone else is refused); else the claimed name."""
        if self.identity.login is None:
            return claimed
        roster = self.load(Roster) if self.is_initialised() else None
        return self.identity.acting(claimed, roster, explicit)

    def held(self, code: str) -> dict[str, list[str]]:
        """Each designation of CODE and its holders now (from the events, never a view)."""
        record = self.load(Designations, code)
        return {role: list(names) for role, names in record.held.items()} if record else {}

    def held_for(self, act: Act, code: str) -> dict[str, list[str]]:
        """CODE's designations, each with only the holders whose roles grant ACT now: a
        designated director who is on the roster as a viewer cannot do it, so is not named."""
        roster = self.roster()
        return {role: [n for n in names if authorisation.may(roster.roles_of(n), act)]
                for role, names in self.held(code).items()}

    def designation_refusal(self, actor: str, roles: set[Role], act: Act, code: str,
                            cache: dict[str, dict[str, list[str]]] | None = None) -> str | None:
        """Why ACTOR may not do ACT on CODE by its designations (None: they may)."""
        if designation.NARROWED.get(act) is None or roles & designation.OVERRIDE:
            return None
        if cache is None:
            return designation.refusal(act, actor, roles, code, self.held_for(act, code))
        if code not in cache:
            cache[code] = self.held_for(act, code)
        return designation.refusal(act, actor, roles, code, cache[code])

    def check_designation(self, actor: str, act: Act, code: str) -> None:
        """Refuse (control "designation") unless ACTOR may do ACT on CODE's designations."""
        why = self.designation_refusal(actor, self.roster().roles_of(actor), act, code)
        if why is not None:
            raise Refused(why, control="designation")

    def record_refusal(self, actor: str, act: str, arguments: list[str], control: str, message: str,
                       indicator: str | None = None, period: str | None = None) -> None:
        """Keep a refused attempt as evidence: exactly one event, whoever the actor is, with the
        indicator and period it concerned where it named them."""
        if not self.is_initialised():
            return  # nothing to record it in
        self.save(Refusal(key=uuid4().hex, act=act, arguments=arguments, control=control, message=message,
                          actor=actor, indicator=indicator, period=period))

    def discard(self) -> None:
        """Delete this ledger's events and chain whole, and close: only for rebuilding the demo."""
        self.store.drop()
        self.close()

    # --- the log -------------------------------------------------------------------
    def head(self) -> ChainRow | None:
        return self.store.head()

    def read_log(self, after: int, limit: int = PAGE, stop: int | None = None) -> list[LogEntry]:
        entries = []
        for row in self.log_rows(after, limit):
            if stop is not None and row[0] > stop:
                break
            entries.append(self.log_entry(row))
        return entries

    def log_rows(self, after: int, limit: int = PAGE) -> list[LogRow]:
        """The stored log after a position, undecoded (see ``LogRow``)."""
        return self.store.log_events(after, limit)

    def log_entry(self, row: LogRow) -> LogEntry:
        """Decode one stored row (upcasting included) into its domain event."""
        load_all()  # every topic known, whichever parts this process has loaded
        position, recorded_at, originator_id, version, topic, state = row
        stored = StoredEvent(UUID(originator_id), version, topic, state)
        return LogEntry(position, recorded_at, self.mapper.to_domain_event(stored))

    @property
    def plain_json_state(self) -> bool:
        """Whether stored states are the transcoder's plain JSON (no cipher, no compressor)."""
        return self.mapper.cipher is None and self.mapper.compressor is None
