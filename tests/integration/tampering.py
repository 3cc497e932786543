"""The adversarial suite's ledger and its plain-SQL tamperer, shared by the verifier's tests
(test_chain_tamper.py) and the proofs' (test_proofs.py)."""

from __future__ import annotations

import sqlite3
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

from ledger.app import LedgerApp
from ledger.app.returns import ReturnInput
from ledger.domain.indicator import ProForma
from ledger.store.chain import GENESIS, ChainRow, Digest, RawEvent, chain_hash, leaf_hash
from ledger.store.url import parse_store_url
from ledger.store.verify import Verdict
from ledger.values import Frequency, Period, Polarity, Role, Status, Unit

EPOCH = datetime(2009, 1, 5, 9, 0, tzinfo=UTC)


def ticking_clock() -> Callable[[], datetime]:
    """Each call one second later: every transaction gets its own, increasing recorded_at."""
    state = {"n": 0}

    def clock() -> datetime:
        state["n"] += 1
        return EPOCH + timedelta(seconds=state["n"])

    return clock


# --- plain-SQL access to the stored rows -----------------------------------------------
def events_table(url: str) -> str:
    """The events table a ledger at URL uses (the library names it per backend)."""
    return "stored_events" if url.startswith("sqlite") else "ledger_events"


class Tamperer:
    """A separate connection that edits the event and chain tables directly."""

    def __init__(self, url: str, events_table: str) -> None:
        self.config = parse_store_url(url)
        self.backend = self.config.backend
        if self.backend == "sqlite":
            assert self.config.path is not None
            self.conn: Any = sqlite3.connect(self.config.path, isolation_level=None)
            self.events = f'"{events_table}"'
            self.chain = "perfledger_chain"
            self.nid = "rowid"
        else:
            import psycopg

            self.conn = psycopg.connect(url.split("?")[0], autocommit=True)
            schema = self.config.schema or "public"
            self.events = f'"{schema}"."{events_table}"'
            self.chain = f'"{schema}".perfledger_chain'
            self.nid = "notification_id"

    def close(self) -> None:
        self.conn.close()

    def sql(self, statement: str, params: tuple[Any, ...] = ()) -> list[Any]:
        """Run ``statement``; ``{E}``, ``{C}``, ``{N}`` name the tables and id column; ``?`` binds."""
        text = statement.format(E=self.events, C=self.chain, N=self.nid)
        if self.backend == "postgres":
            text = text.replace("?", "%s")
        cursor = self.conn.execute(text, params)
        return [] if cursor.description is None else list(cursor.fetchall())

    def oid(self, value: str | uuid.UUID) -> str:
        """An originator id in the form the backend stores it."""
        hexed = uuid.UUID(str(value)).hex
        return hexed if self.backend == "sqlite" else str(uuid.UUID(hexed))

    # reading
    def row(self, position: int) -> ChainRow:
        found = self.sql(
            "SELECT position, notification_id, recorded_at, leaf, chain, login, signature FROM {C} "
            "WHERE position = ?",
            (position,),
        )
        assert found, f"no chain row at position {position}"
        return ChainRow(*found[0])

    def rows(self) -> list[ChainRow]:
        return [
            ChainRow(*r)
            for r in self.sql(
                "SELECT position, notification_id, recorded_at, leaf, chain, login, signature FROM {C} "
                "ORDER BY position"
            )
        ]

    def event(self, nid: int) -> RawEvent:
        found = self.sql(
            "SELECT {N}, originator_id, originator_version, topic, state FROM {E} WHERE {N} = ?",
            (nid,),
        )
        assert found, f"no event #{nid}"
        r = found[0]
        return RawEvent(r[0], uuid.UUID(str(r[1])).hex, int(r[2]), str(r[3]), bytes(r[4]))

    def event_at(self, position: int) -> RawEvent:
        return self.event(self.row(position).notification_id)

    def count_events(self) -> int:
        return int(self.sql("SELECT COUNT(*) FROM {E}")[0][0])

    def count_rows(self) -> int:
        return int(self.sql("SELECT COUNT(*) FROM {C}")[0][0])

    def max_nid(self) -> int:
        return int(self.sql("SELECT MAX({N}) FROM {E}")[0][0])

    # writing
    def set_state(self, nid: int, state: bytes) -> None:
        self.sql("UPDATE {E} SET state = ? WHERE {N} = ?", (state, nid))

    def insert_event(self, event: RawEvent, nid: int | None = None) -> int:
        values = (self.oid(event.originator_id), event.originator_version, event.topic, event.state)
        if nid is None:
            self.sql(
                "INSERT INTO {E} (originator_id, originator_version, topic, state) VALUES (?,?,?,?)",
                values,
            )
            return self.max_nid()
        self.sql(
            "INSERT INTO {E} ({N}, originator_id, originator_version, topic, state) "
            "VALUES (?,?,?,?,?)",
            (nid, *values),
        )
        return nid

    def insert_row(self, row: ChainRow) -> None:
        self.sql(
            "INSERT INTO {C} (position, notification_id, recorded_at, leaf, chain, login, signature) "
            "VALUES (?,?,?,?,?,?,?)",
            (row.position, row.notification_id, row.recorded_at, row.leaf, row.chain, row.login, row.signature),
        )

    def rechain_from(self, position: int) -> None:
        """What an attacker with write access does: recompute every leaf and link from here on."""
        previous = GENESIS if position == 1 else bytes.fromhex(self.row(position - 1).chain)
        for row in self.rows():
            if row.position < position:
                continue
            leaf = leaf_hash(row.position, row.recorded_at, self.event(row.notification_id), row.login)
            previous = chain_hash(previous, leaf)
            self.sql(
                "UPDATE {C} SET leaf = ?, chain = ? WHERE position = ?",
                (leaf.hex(), previous.hex(), row.position),
            )


# --- the ledger under attack -------------------------------------------------------------
@dataclass
class Built:
    url: str
    backend: str
    events_table: str
    digest: Digest
    digests: dict[int, Digest] = field(default_factory=dict)

    @property
    def size(self) -> int:
        return self.digest.size

    def reopen(self) -> LedgerApp:
        return LedgerApp(parse_store_url(self.url))

    def verify(self, digest: Digest | None = None) -> Verdict:
        app = self.reopen()
        try:
            return app.audit.verify(digest)
        finally:
            app.close()


COUNT_PF = ProForma("Households in temporary accommodation", Unit.COUNT, Polarity.LOWER,
                    Frequency.MONTHLY)
PERCENT_PF = ProForma("Customer satisfaction", Unit.PERCENT, Polarity.HIGHER, Frequency.QUARTERLY)


def build_ledger(url: str) -> Built:
    """15 events: init (3), a person (1), two indicators (2), eight returns (8), a revision (1)."""
    app = LedgerApp(parse_store_url(url), clock=ticking_clock())
    digests: dict[int, Digest] = {}

    def snap() -> None:
        d = app.audit.digest()
        digests[d.size] = d

    try:
        app.people.initialise("alice", "alice", Decimal(5))
        snap()
        app.people.add("alice", "bob", [Role.PERFORMANCE_SUPPORT], "Housing")
        snap()
        app.indicators.register("alice", "NI 156", COUNT_PF)
        snap()
        app.indicators.register("alice", "LPI 7", PERCENT_PF)
        snap()
        for month in range(4, 10):
            app.returns.submit("bob", ReturnInput("NI 156", Period.month(2008, month),
                                                 Decimal(100 + month)))
            snap()
        for quarter in (1, 2):
            app.returns.submit("bob", ReturnInput("LPI 7", Period.quarter(2008, quarter),
                                                 Decimal("71.5") + quarter))
            snap()
        outcome = app.returns.submit("bob", ReturnInput(
            "NI 156", Period.month(2008, 5), Decimal(99), status=Status.FINAL,
            reason="late data from the hostel"))
        assert outcome == "revised"
        snap()
        events_table = app.core.recorder.events_table_name  # type: ignore[attr-defined]
        digest = app.audit.digest()
    finally:
        app.close()
    return Built(url, parse_store_url(url).backend, events_table, digest, digests)


N = 15  # events in the built ledger
