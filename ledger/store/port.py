"""The chained recorder, as the application sees it: one Protocol both stores satisfy.

``ChainedSQLiteApplicationRecorder`` and ``ChainedPostgresApplicationRecorder`` add the
hash chain, the log and the bulk paths to the library's application recorder;
the application calls them only through this interface (``Core.store``), so no
call needs a ``type: ignore``. ``tests/unit/test_store_port.py`` holds both
classes to it.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Protocol
from uuid import UUID

from eventsourcing.persistence import Notification, StoredEvent

from ledger.store.chain import Census, ChainRow, RawEvent
from ledger.store.migrate import Migration
from ledger.store.signing import Signer


def follow_channel(schema: str) -> str:
    """The PostgreSQL channel a ledger's writers NOTIFY with each commit (the payload: the chain's
    last position) and ``perfledger projections follow`` LISTENs on: one per schema, within the
    63 bytes of an identifier."""
    return "perfledger_" + hashlib.sha256(schema.encode()).hexdigest()[:16]


LogRow = tuple[int, str, str, int, str, bytes]
"""One stored event of the log, undecoded: (position, recorded_at, originator id hex, version,
topic, state)."""


class ChainedRecorder(Protocol):
    """What the application needs of its store beyond saving aggregates."""

    clock: Callable[[], datetime]
    signer: Signer | None  # signed identity: the key that seals what is written now
    signer_name: str
    migration: Migration  # what opening a ledger made by an earlier build changed (ledger/store/migrate.py)

    def session_login(self) -> str: ...  # PostgreSQL's session_user; "" on SQLite

    # the chain (also ``proofs.ChainReader``)
    def head(self) -> ChainRow | None: ...
    def chain_rows(self, after: int, limit: int) -> list[ChainRow]: ...
    def raw_events(self, after: int, limit: int) -> list[RawEvent]: ...
    def leaves(self, after: int, limit: int) -> list[tuple[int, str]]: ...
    def leaf_block(self, after: int, limit: int) -> tuple[int, int, int, str]: ...
    def census(self) -> Census: ...

    # the log, in pages
    def log_events(self, after: int, limit: int) -> list[LogRow]: ...
    def log_page(self, after: int, limit: int) -> list[tuple[ChainRow, RawEvent]]: ...

    def drop(self) -> None: ...

    # the database's refusal of rewriting (PostgreSQL; SQLite refuses with a one-line reason)
    def writer_grants(self, view_tables: Sequence[str]) -> list[str]: ...
    def apply(self, statements: Sequence[str]) -> None: ...
    def grant_writer(self, login: str, admin: bool) -> str: ...

    # bulk paths
    def append_chunks(self, chunks: Iterable[Sequence[StoredEvent]]) -> int: ...
    def existing(self, ids: list[UUID]) -> set[UUID]: ...
    def events_of(self, ids: list[UUID]) -> dict[UUID, list[StoredEvent]]: ...

    # the library's own recorder API that the application uses directly
    def select_events(self, originator_id: UUID | str, *, gt: int | None = None, lte: int | None = None,
                      desc: bool = False, limit: int | None = None) -> Sequence[StoredEvent]: ...
    def select_notifications(self, start: int | None, limit: int, stop: int | None = None,
                             topics: Sequence[str] = (), *,
                             inclusive_of_start: bool = True) -> Sequence[Notification]: ...


if TYPE_CHECKING:  # mypy holds both stores to the port
    from ledger.store.postgres import ChainedPostgresApplicationRecorder
    from ledger.store.sqlite import ChainedSQLiteApplicationRecorder

    def _sqlite(recorder: ChainedSQLiteApplicationRecorder) -> ChainedRecorder:
        return recorder

    def _postgres(recorder: ChainedPostgresApplicationRecorder) -> ChainedRecorder:
        return recorder
