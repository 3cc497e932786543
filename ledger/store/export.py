"""An export of the log for offline audit: events and chain rows as JSON lines, with the digest.

``events.jsonl`` holds the stored events in notification order, ``chain.jsonl`` the chain
rows in position order, exactly as the database holds them (tampering and all), and
``digest.txt`` the digest ``SIZE:CHAIN:ROOT`` of the stored chain. ``read_export`` parses
them strictly and feeds the same pure verifier the database uses; any line that does not
parse is an ``ExportError`` naming the file and the line.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ledger.hints import option
from ledger.store.chain import GENESIS, ChainRow, Digest, RawEvent
from ledger.store.identity import Signatures
from ledger.store.merkle import RootBuilder
from ledger.store.proofs import ChainReader, stream_events, stream_rows
from ledger.store.verify import Verdict, verify_streams

EVENTS, CHAIN, DIGEST = "events.jsonl", "chain.jsonl", "digest.txt"
MAX_LINE = 64 * 1024 * 1024


class ExportError(ValueError):
    """The export folder cannot be written, or an exported file does not parse."""


def write_export(reader: ChainReader, directory: Path) -> Digest:
    """Write the three files into ``directory`` (absent or empty); return the digest written."""
    if directory.exists() and (not directory.is_dir() or any(directory.iterdir())):
        raise ExportError(f"{directory} exists and is not an empty folder: choose a new {option('output')}")
    head = reader.head()
    size = head.position if head is not None else 0
    tree = RootBuilder()
    try:
        directory.mkdir(parents=True, exist_ok=True)
        with (directory / CHAIN).open("w", encoding="utf-8") as out:
            for row in stream_rows(reader):
                if row.position > size:
                    break
                tree.add(_leaf_or_zero(row.leaf))
                out.write(json.dumps({"position": row.position, "notification_id": row.notification_id,
                                      "recorded_at": row.recorded_at, "leaf": row.leaf,
                                      "chain": row.chain, "login": row.login,
                                      "signature": row.signature}, ensure_ascii=True) + "\n")
        # The digest of the rows as stored: if they are broken, verifying the copy says where.
        stamp = Digest(size, head.chain if head is not None else GENESIS.hex(), tree.root().hex())
        with (directory / EVENTS).open("w", encoding="utf-8") as out:
            last_id = head.notification_id if head is not None else 0
            moved: bool | None = None
            rows = stream_rows(reader)
            for ordinal, event in enumerate(stream_events(reader), start=1):
                paired = next(rows, None)
                same = paired is not None and paired.notification_id == event.notification_id
                recorded_at = paired.recorded_at if paired is not None and same else None
                if event.notification_id > last_id and moved is None:
                    # past the chain's head: appended since (left for the next export), or
                    # events with no chain row, which are copied so the verifier reports them
                    after = reader.head()
                    moved = (after.position if after else 0) != stamp.size
                if moved:
                    break
                out.write(json.dumps({
                    "position": ordinal, "notification_id": event.notification_id,
                    "originator_id": event.originator_id, "version": event.originator_version,
                    "topic": event.topic, "state": base64.b64encode(bytes(event.state)).decode("ascii"),
                    "recorded_at": recorded_at,
                }, ensure_ascii=True) + "\n")
        (directory / DIGEST).write_text(f"{stamp}\n", encoding="utf-8")
    except OSError as error:
        raise ExportError(f"cannot write the export to {directory}: {error.strerror or error}") from None
    return stamp


def _leaf_or_zero(text: str) -> bytes:
    try:
        leaf = bytes.fromhex(text)
    except (TypeError, ValueError):
        return bytes(32)
    return leaf if len(leaf) == 32 else bytes(32)


def _lines(path: Path) -> Iterator[tuple[int, dict[str, Any]]]:
    try:
        handle = path.open("rb")
    except OSError as error:
        raise ExportError(f"cannot read {path.name}: {error.strerror or error}") from None
    with handle:
        for number, raw in enumerate(handle, start=1):
            where = f"{path.name} line {number}"
            if len(raw) > MAX_LINE:
                raise ExportError(f"{where}: the line is too long")
            try:
                record = json.loads(raw.decode("utf-8"))
            except (UnicodeDecodeError, ValueError):
                raise ExportError(f"{where}: not a JSON object") from None
            if not isinstance(record, dict):
                raise ExportError(f"{where}: not a JSON object")
            yield number, record


def _field(record: dict[str, Any], name: str, kind: type, where: str) -> Any:
    value = record.get(name)
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        raise ExportError(f"{where}: {name} is missing or not a {kind.__name__}")
    return value


def read_events(directory: Path, times: dict[int, str] | None = None) -> Iterator[RawEvent]:
    """The exported events; each line's recorded_at (informational) goes into ``times``."""
    for number, record in _lines(directory / EVENTS):
        where = f"{EVENTS} line {number}"
        recorded_at = record.get("recorded_at")
        if recorded_at is not None and not isinstance(recorded_at, str):
            raise ExportError(f"{where}: recorded_at is not text")
        if times is not None and recorded_at is not None:
            times[number] = recorded_at
        if _field(record, "position", int, where) != number:
            raise ExportError(f"{where}: position {record['position']} is out of place (reordered?)")
        try:
            state = base64.b64decode(_field(record, "state", str, where), validate=True)
        except (binascii.Error, ValueError):
            raise ExportError(f"{where}: state is not base64") from None
        yield RawEvent(_field(record, "notification_id", int, where),
                       _field(record, "originator_id", str, where),
                       _field(record, "version", int, where), _field(record, "topic", str, where), state)


def _optional(record: dict[str, Any], name: str, where: str) -> str:
    """A text field that exports made before it existed leave out ("")."""
    return str(_field(record, name, str, where)) if name in record else ""


def read_rows(directory: Path, times: dict[int, str] | None = None) -> Iterator[ChainRow]:
    """The exported chain rows; an event line's recorded_at must agree with its row's."""
    for number, record in _lines(directory / CHAIN):
        where = f"{CHAIN} line {number}"
        row = ChainRow(_field(record, "position", int, where), _field(record, "notification_id", int, where),
                       _field(record, "recorded_at", str, where), _field(record, "leaf", str, where),
                       _field(record, "chain", str, where), _optional(record, "login", where),
                       _optional(record, "signature", where))
        shown = times.pop(number, None) if times is not None else None
        if shown is not None and shown != row.recorded_at:
            raise ExportError(f"{EVENTS} line {number}: recorded_at differs from {CHAIN}'s (modified)")
        yield row


def read_digest(directory: Path) -> Digest:
    try:
        text = (directory / DIGEST).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        raise ExportError(f"cannot read {DIGEST} in {directory}: is it an export?") from None
    try:
        return Digest.parse(text)
    except ValueError as error:
        raise ExportError(f"{DIGEST}: {error}") from None


def check_folder(directory: Path) -> None:
    if not directory.is_dir():
        raise ExportError(f"{directory} is not a folder: give the folder audit export wrote")
    missing = [n for n in (EVENTS, CHAIN, DIGEST) if not (directory / n).is_file()]
    if missing:
        raise ExportError(f"{directory} is not an export: {', '.join(missing)} missing")


def verify_export(directory: Path, expected: Digest | None = None,
                  identity: Signatures | None = None) -> Verdict:
    """Verify an export with no database: every line re-hashed, ending exactly at its digest.txt.

    With ``expected`` (a digest the auditor holds), the export must also extend it.
    A folder that is not an export, or a file that does not parse, is an ``ExportError``;
    a line that parses but does not verify is a failed ``Verdict``.
    """
    check_folder(directory)
    stamp = read_digest(directory)
    try:
        times: dict[int, str] = {}
        verdict = verify_streams(read_events(directory, times), read_rows(directory, times),
                                 expected or stamp, identity=identity)
    except ExportError as error:
        return Verdict(False, 0, GENESIS.hex(), str(error))
    if not verdict.ok:
        return verdict
    if verdict.digest != stamp:
        if verdict.size == stamp.size and stamp.root is not None and verdict.head == stamp.chain:
            problem = f"position {stamp.size}: {DIGEST} names another Merkle root (modified)"
        elif verdict.size < stamp.size:
            problem = (f"position {verdict.size + 1}: the export holds {verdict.size} events but its "
                       f"{DIGEST} names {stamp.size} (truncated)")
        else:
            problem = (f"position {min(verdict.size, stamp.size)}: the export's chain does not end at "
                       f"its {DIGEST} {stamp.head} (lines added, or {DIGEST} replaced)")
        return Verdict(False, verdict.size, verdict.head, problem, min(verdict.size, stamp.size) or None,
                       verdict.root)
    return verdict
