"""The hash chain: pure functions over stored bytes (no database here).

leaf_i  = SHA-256(0x00 || canonical(i, recorded_at_i, originator id, version, topic, state[, login]))
chain_i = SHA-256(0x01 || chain_{i-1} || leaf_i), with chain_0 = 32 zero bytes.

The login (PostgreSQL's ``session_user`` for the writing transaction) is a seventh field
only where one was recorded, so the leaves of events recorded before logins were (and of
every SQLite event) are unchanged. A row's ``signature`` (signed identity) is not in the
leaf: it is a signature over leaves, checked by the verifier against the enrolled key.

``canonical`` length-prefixes every field, so no two different tuples of fields
encode to the same bytes. The originator id is normalised to 32 lower-case hex
digits, so SQLite (which stores hex) and PostgreSQL (which stores a uuid) hash
the same event identically.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from uuid import UUID

GENESIS = bytes(32)
CHAIN_TABLE = "perfledger_chain"


@dataclass(frozen=True, slots=True)
class RawEvent:
    """One stored event exactly as the database holds it."""

    notification_id: int
    originator_id: str
    originator_version: int
    topic: str
    state: bytes


@dataclass(frozen=True, slots=True)
class ChainRow:
    position: int
    notification_id: int
    recorded_at: str
    leaf: str
    chain: str
    login: str = ""  # the database login that wrote it (PostgreSQL); "" where none was recorded
    signature: str = ""  # signed identity: "@LAST" inside a batch, "FIRST:HEX:SIGNER" at its end


@dataclass(frozen=True, slots=True)
class Census:
    """What the store holds, counted: chain rows, stored events, rows whose event exists, and more."""

    chain_rows: int
    events: int
    joined: int
    last_position: int
    first_orphan: int  # the first position whose stored event is missing; 0 if none

    def problem(self, size: int) -> tuple[int | None, str] | None:
        """(position, why) positions 1..``size`` do not each have exactly one stored event, or None."""
        if self.joined != self.chain_rows:
            return self.first_orphan, (f"position {self.first_orphan}: the chain row's event is missing "
                                       f"(deleted; {self.chain_rows - self.joined} in all)")
        if self.last_position != self.chain_rows:
            return None, (f"the chain has {self.chain_rows} rows but its last position is "
                          f"{self.last_position} (a chain row deleted or inserted): verify without "
                          "--quick to name the position")
        if self.events != self.chain_rows:
            return None, (f"the store holds {self.events} events but the chain {self.chain_rows} rows "
                          "(an event inserted without its chain row): verify without --quick to name "
                          "the position")
        if self.chain_rows < size:
            return self.chain_rows + 1, (f"position {self.chain_rows + 1}: the log holds {self.chain_rows} "
                                         f"events but the digest names {size} (truncated)")
        return None


@dataclass(frozen=True, slots=True)
class Digest:
    """A published chain head: ``SIZE:CHAINHEX``, or ``SIZE:CHAINHEX:ROOTHEX`` with the Merkle root."""

    size: int
    chain: str
    root: str | None = None

    def __str__(self) -> str:
        return f"{self.size}:{self.chain}" + (f":{self.root}" if self.root is not None else "")

    @property
    def head(self) -> str:
        """The chain-head form ``SIZE:CHAINHEX`` (without the root)."""
        return f"{self.size}:{self.chain}"

    @classmethod
    def parse(cls, text: str) -> Digest:
        usage = "use SIZE:CHAINHEX:ROOTHEX (or SIZE:CHAINHEX) as printed by audit digest"
        parts = text.strip().split(":")
        if len(parts) not in (2, 3):
            raise ValueError(f"malformed digest {text!r}: {usage}")
        size_text, chain_hex = parts[0], parts[1].lower()
        if not size_text.isdigit() or len(chain_hex) != 64 or not _is_hex(chain_hex):
            raise ValueError(f"malformed digest {text!r}: {usage}")
        root = None
        if len(parts) == 3:
            root = parts[2].lower()
            if len(root) != 64 or not _is_hex(root):
                raise ValueError(f"malformed digest {text!r}: the root must be 64 hex digits")
        return cls(int(size_text), chain_hex, root)


_HEX = re.compile(r"[0-9a-f]*")


def _is_hex(text: str) -> bool:
    return _HEX.fullmatch(text) is not None


def normalise_originator_id(value: str | UUID) -> str:
    """Exactly 32 lower-case hex digits, as stored; anything else (an alias) is a ValueError.

    SQLite stores ids as text, and the library finds an aggregate's events by that exact
    text, so an id re-spelt in upper case or with dashes would hide events from their
    aggregate: such a spelling must fail verification, not be normalised away.
    """
    if isinstance(value, UUID):
        return value.hex
    if len(value) != 32 or not _is_hex(value):
        raise ValueError(f"originator id {value!r} is not in canonical form")
    return value


def canonical(position: int, recorded_at: str, event: RawEvent, login: str = "") -> bytes:
    # Each field length-prefixed (8 bytes, big-endian), written out: verification calls this per event.
    p = str(position).encode()
    r = recorded_at.encode()
    o = normalise_originator_id(event.originator_id).encode()
    v = str(event.originator_version).encode()
    t = event.topic.encode()
    s = bytes(event.state)
    fields = b"".join((
        len(p).to_bytes(8, "big"), p, len(r).to_bytes(8, "big"), r, len(o).to_bytes(8, "big"), o,
        len(v).to_bytes(8, "big"), v, len(t).to_bytes(8, "big"), t, len(s).to_bytes(8, "big"), s,
    ))
    if login:
        w = login.encode()
        fields += len(w).to_bytes(8, "big") + w
    return fields


def leaf_hash(position: int, recorded_at: str, event: RawEvent, login: str = "") -> bytes:
    return hashlib.sha256(b"\x00" + canonical(position, recorded_at, event, login)).digest()


def chain_hash(previous: bytes, leaf: bytes) -> bytes:
    return hashlib.sha256(b"\x01" + previous + leaf).digest()


def link(
    head_position: int, head_chain: bytes, recorded_at: str, events: list[RawEvent], login: str = ""
) -> list[ChainRow]:
    """Chain rows for ``events`` appended after the given head, in order."""
    rows: list[ChainRow] = []
    previous = head_chain
    position = head_position
    for event in events:
        position += 1
        leaf = leaf_hash(position, recorded_at, event, login)
        previous = chain_hash(previous, leaf)
        rows.append(ChainRow(position, event.notification_id, recorded_at, leaf.hex(), previous.hex(), login))
    return rows


def utc_now() -> datetime:
    """Now, in UTC: the clock that stamps each chain row's recording time (the stores' ``clock``,
    unless a test sets its own)."""
    return datetime.now(UTC)


SEALS_TABLE = "perfledger_seals"  # each writer's last link and signature: found at once by the next write
IDENTITY_COLUMNS = ("login", "signature")  # the chain's columns that identity added (ledger/store/migrate.py)


@dataclass(frozen=True, slots=True)
class Seal:
    """The last batch a person signed with one key: where it ends, its link and its signature."""

    position: int
    link: str
    signature: str
