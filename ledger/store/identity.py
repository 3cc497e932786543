"""Checking who wrote each event on a ledger with signed identity, as the verifier walks the log.

The verifier hands every event, in position order, to ``Signatures.see`` once its leaf and
chain hash are checked. It follows the identity rules from the log itself: a key enrolled
for a person (``Roster.PersonEnrolled`` with a key, ``Roster.KeyEnrolled``) is theirs from
that position on; once the ledger
requires signed identity (``Ledger.IdentityChanged``), every event whose actor has an
enrolled key must lie in a batch signed by a key, and that key must be the actor's own.
A batch is what one transaction wrote: each row but the last carries ``@LAST`` and the last
``FIRST:HEX:SIGNER``. Each writer keeps a hash chain of their own batches (one per key):
each link covers a batch's positions and leaves and the link before, and HEX is SIGNER's
Ed25519 signature of the link. So the last signature of a chain vouches for every batch in
it, and the verifier checks one signature per person and key, not one per batch; the writer
checks their previous signature before chaining onto it. The ladder's escalations, which the
ladder writes on the authority of whoever
adopted it, may be signed by the writer whose change set them off (any enrolled key).

On PostgreSQL each chain row records the login that wrote it (``session_user``, in the
leaf). Once a person is bound to a login (``Roster.LoginBound``), an event written by a bound
login must be that person's, and a login bound to no one may write nothing more.

The verdict is ``FORGED: position N: ...`` for an event whose signature is missing or does
not match its actor's key, or whose login is not its actor's; a broken batch (marks
rearranged) is tampering.
"""

from __future__ import annotations

import json
from collections.abc import Collection
from dataclasses import dataclass, field
from typing import Any

from ledger.store.chain import ChainRow, RawEvent
from ledger.store.signing import SEAL_GENESIS, seal_hash, signed_by

KEY_ENROLLED = "perfledger/Roster.KeyEnrolled"
PERSON_ENROLLED = "perfledger/Roster.PersonEnrolled"  # may carry the person's key
LOGIN_BOUND = "perfledger/Roster.LoginBound"
IDENTITY_CHANGED = "perfledger/Ledger.IdentityChanged"
WATCHED = (KEY_ENROLLED, PERSON_ENROLLED, LOGIN_BOUND, IDENTITY_CHANGED)


class Forged(ValueError):
    """An event that its actor did not sign: ``position N: ...``."""

    def __init__(self, position: int, problem: str) -> None:
        super().__init__(f"position {position}: {problem}")
        self.position = position


class Broken(ValueError):
    """A batch's signature marks do not fit together (tampered)."""

    def __init__(self, position: int, problem: str) -> None:
        super().__init__(f"position {position}: {problem}")
        self.position = position


@dataclass
class _Pending:
    position: int
    actor: str | None
    topic: str
    needs: bool


@dataclass
class _Chain:
    """One writer's chain with one key: its link so far, and its last signature."""

    since: int  # where the key was enrolled
    link: bytes = SEAL_GENESIS
    first: int = 0
    last: int = 0
    signature: str = ""


@dataclass
class Signatures:
    """The identity state as at the position reached, the batch being read, and each writer's
    chain of signed batches (only its last signature is checked: it seals the whole chain)."""

    reactions: Collection[str] = ()
    keys: dict[str, tuple[str, int]] = field(default_factory=dict)  # name -> (public hex, since)
    logins: dict[str, tuple[str, int]] = field(default_factory=dict)  # login -> (name, since)
    signed_from: int | None = None
    chains: dict[tuple[str, str], _Chain] = field(default_factory=dict)  # (signer, key) -> chain
    _start: int | None = None
    _end: int | None = None
    _keys_at_start: dict[str, tuple[str, int]] = field(default_factory=dict)
    _pending: list[_Pending] = field(default_factory=list)
    _leaves: list[bytes] = field(default_factory=list)

    def see(self, row: ChainRow, event: RawEvent | None, leaf: bytes) -> None:
        """Take the next event; raise Forged or Broken at the first that fails. EVENT None: a row
        from before a quick check's digest, whose body is not read (its marks still count)."""
        position = row.position
        document = None
        if event is not None:
            watched = event.topic in WATCHED
            bound = bool(self.logins) and bool(row.login)
            document = _document(event.state) if watched or bound or self.signed_from is not None else None
        actor = document.get("actor") if document is not None else None
        actor = actor if isinstance(actor, str) else None
        topic = event.topic if event is not None else ""
        if event is not None and self.logins and row.login:
            self._check_login(position, row.login, actor, topic)
        needs = self.signed_from is not None and actor is not None and actor in self.keys
        mark = row.signature
        if not mark:
            if self._start is not None:
                raise Broken(position, f"the signed batch from position {self._start} is cut short "
                                       "(a signature mark removed)")
            if needs:
                assert actor is not None
                raise Forged(position, f"the event by {actor} is not signed, but {actor}'s key was "
                                       f"enrolled at position {self.keys[actor][1]} and the ledger "
                                       f"requires signed identity from position {self.signed_from}")
        elif mark.startswith("@"):
            end = _int(mark[1:])
            if self._start is None:
                if end is None or end <= position:
                    raise Broken(position, "a signature mark points nowhere")
                self._start, self._end, self._keys_at_start = position, end, dict(self.keys)
            elif end != self._end:
                raise Broken(position, f"the signed batch from position {self._start} is broken")
            self._pending.append(_Pending(position, actor, topic, needs))
            self._leaves.append(leaf)
        else:
            self._close(position, mark, _Pending(position, actor, topic, needs), leaf)
        if document is not None and event is not None and event.topic in WATCHED:
            self._apply(position, event.topic, document)

    def _check_login(self, position: int, login: str, actor: str | None, topic: str) -> None:
        person = self.logins.get(login)
        if person is None:
            first = min(since for _, since in self.logins.values())
            raise Forged(position, f"written by the login {login}, which is bound to no one, after "
                                   f"logins were bound (from position {first})")
        if actor is not None and actor != person[0] and topic not in self.reactions:
            raise Forged(position, f"the event by {actor} was written by the login {login}, which is "
                                   f"{person[0]}'s (bound at position {person[1]})")

    def seed(self, position: int, topic: str, state: bytes) -> None:
        """Take an identity event from before a quick check's digest (its body is not verified)."""
        document = _document(state)
        if document is not None and topic in WATCHED:
            self._apply(position, topic, document)

    def finish(self, size: int) -> None:
        """At the end of the log: no batch left open, and every writer's last signature seals
        their chain (checked here, once per person and key)."""
        if self._start is not None:
            raise Broken(size, f"the signed batch from position {self._start} has no signature")
        for (signer, key), chain in sorted(self.chains.items(), key=lambda item: item[1].last):
            if not signed_by(key, chain.signature, chain.link):
                raise Forged(chain.first, f"the signature of positions {chain.first}-{chain.last} does not "
                                          f"match {signer}'s key enrolled at position {chain.since} "
                                          "(it seals "
                                          f"every batch {signer} signed with that key up to position "
                                          f"{chain.last}: one of them was altered, added or signed with "
                                          "another key)")

    def _close(self, position: int, mark: str, last: _Pending, leaf: bytes) -> None:
        parts = mark.split(":", 2)
        first = _int(parts[0]) if len(parts) == 3 else None
        if self._start is None:
            self._keys_at_start = dict(self.keys)
            expected = position
        else:
            expected = self._start
            if self._end != position:
                raise Broken(position, f"the signed batch from position {self._start} is broken")
        if first is None or first != expected:
            raise Broken(position, "a signature names positions that are not its batch's")
        _, signature, signer = parts
        pending = [*self._pending, last]
        leaves = [*self._leaves, leaf]
        keys = self._keys_at_start
        self._start, self._end, self._pending, self._leaves = None, None, [], []
        enrolled = keys.get(signer)
        if enrolled is None:
            if any(p.needs for p in pending):
                raise Forged(first, f"the events are signed as {signer}, who had no enrolled key")
            return
        chain = self.chains.setdefault((signer, enrolled[0]), _Chain(enrolled[1]))
        chain.link = seal_hash(chain.link, first, position, leaves)
        chain.first, chain.last, chain.signature = first, position, signature
        for item in pending:
            if item.needs and item.actor != signer and item.topic not in self.reactions:
                raise Forged(item.position, f"the event by {item.actor} is signed with {signer}'s key, "
                                            f"not {item.actor}'s")

    def _apply(self, position: int, topic: str, document: dict[str, Any]) -> None:
        if topic in (KEY_ENROLLED, PERSON_ENROLLED):
            name, key = document.get("name"), document.get("public_key")
            if isinstance(name, str) and isinstance(key, str):
                self.keys[name] = (key, position)
        elif topic == LOGIN_BOUND:
            name, login = document.get("name"), document.get("login")
            if isinstance(name, str) and isinstance(login, str):
                self.logins[login] = (name, position)
        elif document.get("mode") == "signed" and self.signed_from is None:
            self.signed_from = position


def _document(state: bytes) -> dict[str, Any] | None:
    try:
        parsed = json.loads(state)
    except (ValueError, UnicodeDecodeError):
        return None
    return parsed if isinstance(parsed, dict) else None


def _int(text: str) -> int | None:
    return int(text) if text.isdigit() else None
