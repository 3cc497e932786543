"""Check a proof printed by ``audit prove --format json`` against a digest the auditor holds.

Pure and offline: no database. It fails closed: anything malformed, out of range,
inconsistent or unexpected raises ``BadProof`` with a one-line reason. On success
it says what was proven.

What is proven: the event in the document (its fields, re-hashed here into its leaf)
is at ``position`` in a Merkle tree that is either the trusted digest's own tree or a
tree that the document's consistency proof shows extends it.
"""

from __future__ import annotations

import base64
import binascii
from typing import Any

from ledger.hints import option
from ledger.store.chain import Digest, RawEvent, leaf_hash
from ledger.store.merkle import verify_consistency, verify_inclusion

FORMAT = "perfledger-proof-1"
MAX_PATH = 64
KEYS = {"format", "position", "event", "leaf", "tree_size", "tree_chain", "root", "path", "consistency"}
EVENT_KEYS = {"position", "notification_id", "originator_id", "version", "topic", "state", "recorded_at"}


class BadProof(ValueError):
    """The proof does not parse, does not verify, or does not connect to the trusted digest."""


def _int(value: Any, name: str) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or value < 0 or value >= 1 << 63:
        raise BadProof(f"{name} is not a non-negative whole number")
    return value


def _hash(value: Any, name: str) -> bytes:
    if not isinstance(value, str) or len(value) != 64:
        raise BadProof(f"{name} is not 64 hex digits")
    try:
        return bytes.fromhex(value)
    except ValueError:
        raise BadProof(f"{name} is not 64 hex digits") from None


def _path(value: Any, name: str) -> list[bytes]:
    if not isinstance(value, list) or len(value) > MAX_PATH:
        raise BadProof(f"{name} is not a list of at most {MAX_PATH} hashes")
    return [_hash(h, f"{name}[{i}]") for i, h in enumerate(value)]


def _digest(value: Any, name: str) -> Digest:
    try:
        parsed = Digest.parse(value) if isinstance(value, str) else None
    except ValueError:
        parsed = None
    if parsed is None or parsed.root is None:
        raise BadProof(f"{name} is not a digest SIZE:CHAINHEX:ROOTHEX")
    return parsed


def _event_leaf(event: Any, position: int) -> bytes:
    if not isinstance(event, dict) or set(event) - {"login"} != EVENT_KEYS:
        raise BadProof(f"event must have exactly the fields {', '.join(sorted(EVENT_KEYS))} (and login "
                       "where one was recorded)")
    login = event.get("login", "")
    if not isinstance(login, str) or ("login" in event and not login):
        raise BadProof("event.login is not a login name")
    if _int(event["position"], "event.position") != position:
        raise BadProof("event.position differs from the proof's position")
    for name in ("originator_id", "topic", "state", "recorded_at"):
        if not isinstance(event[name], str):
            raise BadProof(f"event.{name} is not text")
    try:
        state = base64.b64decode(event["state"], validate=True)
    except (binascii.Error, ValueError):
        raise BadProof("event.state is not base64") from None
    raw = RawEvent(_int(event["notification_id"], "event.notification_id"), event["originator_id"],
                   _int(event["version"], "event.version"), event["topic"], state)
    try:
        return leaf_hash(position, event["recorded_at"], raw, login)
    except ValueError as error:
        raise BadProof(f"event: {error}") from None


def check_proof(document: Any, trusted: Digest) -> str:
    """Verify ``document`` against ``trusted``; return what was proven, or raise BadProof."""
    if trusted.root is None:
        raise BadProof("the digest has no Merkle root: give SIZE:CHAINHEX:ROOTHEX as printed by audit digest")
    if not isinstance(document, dict) or set(document) != KEYS or document["format"] != FORMAT:
        raise BadProof(f"not a {FORMAT} document as printed by audit prove {option('format')} json")
    position = _int(document["position"], "position")
    size = _int(document["tree_size"], "tree_size")
    if not 1 <= position <= size:
        raise BadProof(f"position {position} is outside the tree of {size} events")
    leaf = _hash(document["leaf"], "leaf")
    if _event_leaf(document["event"], position) != leaf:
        raise BadProof("the event does not hash to the proof's leaf (the event was altered)")
    chain, root = _hash(document["tree_chain"], "tree_chain"), _hash(document["root"], "root")
    if not verify_inclusion(position - 1, size, leaf, _path(document["path"], "path"), root):
        raise BadProof(f"the inclusion proof does not lead from the leaf at position {position} "
                       "to the root")
    tree = Digest(size, chain.hex(), root.hex())
    consistency = document["consistency"]
    extends: Digest | None = None
    if consistency is not None:
        if not isinstance(consistency, dict) or set(consistency) != {"from", "to", "path"}:
            raise BadProof("consistency must have exactly the fields from, to, path")
        first = _digest(consistency["from"], "consistency.from")
        second = _digest(consistency["to"], "consistency.to")
        if first != trusted:
            raise BadProof(f"the consistency proof starts from {first.head}..., not from your digest")
        if tree not in (first, second):
            raise BadProof("the consistency proof does not reach the tree the event is proven in")
        if not verify_consistency(first.size, second.size, bytes.fromhex(first.root or ""),
                                  bytes.fromhex(second.root or ""),
                                  _path(consistency["path"], "consistency.path")):
            raise BadProof(f"the ledger of {second.size} events does not extend your digest: "
                           "the consistency proof fails")
        extends = second
    if tree == trusted:
        if extends is not None and extends != tree:
            return (f"ok: the event at position {position} is in the ledger of your digest "
                    f"{trusted.head}...; the ledger of {extends.size} events extends it")
        return f"ok: the event at position {position} is in the ledger of your digest {trusted.head}..."
    if extends is not None and tree == extends:
        return (f"ok: the event at position {position} is in the ledger of {size} events, "
                f"which extends your digest {trusted.head}...")
    raise BadProof(f"the proof is for a ledger of {size} events that it does not connect to your digest "
                   f"{trusted.head}...: ask for audit prove {position} {option('digest')} YOUR-DIGEST")
