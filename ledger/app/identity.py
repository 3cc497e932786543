"""Who is writing, proven before anything is written: the key a signed ledger requires, and
(PostgreSQL) the database login a person is bound to.

``Identity`` belongs to the core: ``Core.save`` asks it to ``prove`` the actors of the events
about to be saved, and it returns the signer whose key seals the batch (or None). It reads
the rules from the ledger itself (the settings' identity mode, the roster's keys and
logins), so nothing here is a claim of the client's.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path

from ledger.domain.ledger_settings import SIGNED, Ledger
from ledger.domain.roster import Roster
from ledger.errors import Unproven
from ledger.hints import command, option
from ledger.store.signing import Signer, fingerprint, new_key_pair, public_key, raw_hex
from ledger.vocabulary import LADDER_ACTS

__all__ = ["Identity", "Signer", "fingerprint", "new_key", "public_key_of"]


def public_key_of(path: Path) -> str:
    """The public key in FILE.pub (PEM), as the ledger enrols it (64 hex digits)."""
    return raw_hex(public_key(path))


def new_key(out: Path) -> str:
    """``key new``: write FILE (private, 0600) and FILE.pub, never overwriting; the public hex."""
    return new_key_pair(out)


class Identity:
    """The keys this process holds, and the database login it writes as."""

    def __init__(self, login: Callable[[], str] | None) -> None:
        self.held: list[Signer] = []
        self._login_of = login
        self._login: str | None = None
        self.proven: tuple[Signer, str] | None = None  # the command's signer, for its reactions

    def hold(self, signer: Signer) -> None:
        """A private key this process may sign with (``--key``; the demo holds its cast's)."""
        self.held.append(signer)

    def hold_file(self, path: Path) -> None:
        self.hold(Signer.from_file(path))

    @property
    def login(self) -> str | None:
        """The session's database login (PostgreSQL), as the server reports it; None on SQLite."""
        if self._login_of is None:
            return None
        if self._login is None:
            self._login = self._login_of()
        return self._login or None

    # --- the login (PostgreSQL) --------------------------------------------------------
    def acting(self, claimed: str, roster: Roster | None, explicit: bool) -> str:
        """Who the session acts as: the person bound to its login, if any (refusing a claim to
        be someone else); else the claimed name, where the ledger still allows claims."""
        login = self.login
        if login is None or roster is None or not roster.any_bound:
            return claimed
        person = roster.bound_to(login)
        if person is None:
            raise Unproven(
                f"the database login {login} is bound to no one, and this ledger binds people to "
                f"logins: connect as your own login (an administrator binds it with "
                f"{command('people bind NAME ' + option('login') + ' ROLE')})")
        if explicit and claimed != person:
            raise Unproven(f"the database login {login} is {person}'s: it cannot act as {claimed} "
                           f"(connect as {claimed}'s own login)", record_as=person)
        return person

    # --- keys ----------------------------------------------------------------------------
    def prove(self, events: Iterable[tuple[str, str]], settings: Ledger | None,
              roster: Roster | None) -> tuple[Signer, str] | None:
        """The signer for a write of EVENTS ((topic, actor) each), or Unproven; None where no
        signature is needed and no matching key is held.

        The ladder's own acts (``LADDER_ACTS``) carry the actor who adopted the ladder; they are
        signed by whoever's write set them off (any enrolled key), as the verifier expects."""
        if settings is None or roster is None:
            return None  # the ledger's first events (init)
        keys = roster.keys()
        listed = list(events)
        own = sorted({actor for topic, actor in listed if topic not in LADDER_ACTS and actor in keys})
        ladder = any(topic in LADDER_ACTS and actor in keys for topic, actor in listed)
        required = settings.identity == SIGNED
        if len(own) > 1:
            raise Unproven(f"one write cannot be signed for {', '.join(own)} at once")
        if not own:
            if not ladder:
                return None
            signer = self.proven or next(
                ((s, name) for s in self.held for name, k in keys.items() if k == s.public_hex), None)
            if signer is None and required:
                raise Unproven(f"the ladder's escalations must be signed on this ledger: give "
                               f"{option('key')} FILE with your own enrolled key; nothing was written")
            return signer
        actor = own[0]
        held = next((s for s in self.held if s.public_hex == keys[actor]), None)
        if held is None:
            if not required:
                return None
            if not self.held:
                raise Unproven(f"{actor} has an enrolled signing key and this ledger requires signed "
                               f"identity: give {option('key')} FILE (or PERFLEDGER_KEY) with {actor}'s "
                               "private key; nothing was written")
            given = ", ".join(f"{s.path or 'a key'} (fingerprint {fingerprint(s.public_hex)})"
                              for s in self.held)
            raise Unproven(f"the key given, {given}, is not {actor}'s enrolled key (fingerprint "
                           f"{fingerprint(keys[actor])}): give {actor}'s own key; nothing was written")
        self.proven = (held, actor)
        return self.proven
