"""The roster: people, their organisations and roles, and revocations."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from ledger.domain.base import stable_id
from ledger.domain.names import mistaken_for, person_name
from ledger.errors import Invalid, NotFound
from ledger.hints import command, option
from ledger.values import Role


@dataclass
class Person:
    name: str
    organisation: str | None
    roles: set[Role] = field(default_factory=set)
    key: str | None = None  # the Ed25519 public key enrolled last (64 hex digits)
    login: str | None = None  # the PostgreSQL login role bound to this person


LOGIN = re.compile(r"[A-Za-z_][A-Za-z0-9_$]{0,62}")
KEY = re.compile(r"[0-9a-f]{64}")


class Roster(Aggregate):
    TOPIC = "perfledger/Roster"
    class_version = 1

    class Created(Aggregate.Created):
        TOPIC = "perfledger/Roster.Created"

    @staticmethod
    def create_id(*_: Any) -> UUID:
        return stable_id("roster")

    @event("Opened", topic="perfledger/Roster.Opened")
    def __init__(self, actor: str) -> None:
        self.people: dict[str, Person] = {}

    # --- queries -------------------------------------------------------------
    def roles_of(self, name: str) -> set[Role]:
        person = self.people.get(name)
        return set(person.roles) if person else set()

    def holders(self, role: Role) -> list[str]:
        """Everyone who holds ``role`` now, by name."""
        return sorted(name for name, person in self.people.items() if role in person.roles)

    def keys(self) -> dict[str, str]:
        """Each person's enrolled public key (hex), by name."""
        return {name: p.key for name, p in self.people.items() if p.key is not None}

    def bound_to(self, login: str) -> str | None:
        """The person bound to this database login, if any."""
        return next((name for name, p in self.people.items() if p.login == login), None)

    @property
    def any_bound(self) -> bool:
        return any(p.login is not None for p in self.people.values())

    # --- commands ------------------------------------------------------------
    def add(self, name: str, roles: list[Role], organisation: str | None, actor: str,
            public_key: str | None = None) -> None:
        """Enrol NAME (with their signing key, in the same event), or grant more roles (and enrol
        a key given, as its own event)."""
        if not name.strip():
            raise Invalid(f"a person needs a name: {command('people add NAME ' + option('role') + ' ROLE')}")
        name = person_name(name)
        if not roles:
            raise Invalid(f"give {name} at least one {option('role')}")
        person = self.people.get(name)
        if person is None:
            other = mistaken_for(name, self.people)
            if other is not None:
                raise Invalid(f"{name!r} could be mistaken for {other!r}, who is already on the roster: "
                              f"enrol a name that reads differently, or give {other!r} the role "
                              f"({command(f'people add {other!r} ' + option('role') + ' ROLE')})")
            if public_key is not None:
                self._check_key(name, public_key)
            self._enrolled(name=name, roles=sorted(set(roles), key=lambda r: r.value),
                           organisation=organisation, actor=actor, public_key=public_key)
            return
        new = sorted(set(roles) - person.roles, key=lambda r: r.value)
        if public_key is not None:
            if new:
                self._granted(name=name, roles=new, actor=actor)
            self.enrol_key(name, public_key, "enrolled with the person", actor)
            return
        if not new:
            held = ", ".join(sorted(r.value for r in person.roles))
            raise Invalid(f"{name} already holds {held}: nothing to add")
        self._granted(name=name, roles=new, actor=actor)

    def revoke(self, name: str, role: Role, reason: str, actor: str) -> None:
        if name not in self.people:
            raise NotFound(f"{name} is not on the roster: see {command('people list')}")
        if role not in self.people[name].roles:
            raise Invalid(f"{name} does not hold the role {role.value}: nothing to revoke")
        if not reason.strip():
            raise Invalid(f"a revocation needs {option('reason')}")
        if role is Role.ADMINISTRATOR and self.holders(Role.ADMINISTRATOR) == [name]:
            raise Invalid(
                f"{name} is the last administrator: revoking it would leave the ledger with no "
                "administrator; enrol another administrator first ("
                + command("people add NAME " + option("role") + " administrator") + ")"
            )
        self._revoked(name=name, role=role, reason=reason.strip(), actor=actor)

    def enrol_key(self, name: str, public_key: str, reason: str, actor: str) -> None:
        """Enrol NAME's public key; a later key replaces it from that position on."""
        person = self._person(name)
        if not reason.strip():
            raise Invalid(f"enrolling a key needs {option('reason')}")
        self._check_key(person.name, public_key)
        self._key_enrolled(name=person.name, public_key=public_key, reason=reason.strip(), actor=actor)

    def bind(self, name: str, login: str, reason: str, actor: str) -> None:
        """Bind NAME to a PostgreSQL login role: a session of that login acts as NAME."""
        person = self._person(name)
        if not reason.strip():
            raise Invalid(f"binding a login needs {option('reason')}")
        if LOGIN.fullmatch(login) is None:
            raise Invalid(f"{login!r} is not a login role name: letters, digits and _ (at most 63), "
                          "not starting with a digit")
        holder = self.bound_to(login)
        if holder == person.name:
            raise Invalid(f"{person.name} is already bound to the login {login}: nothing to bind")
        if holder is not None:
            raise Invalid(f"the login {login} is already bound to {holder}: one login acts for one person")
        self._bound(name=person.name, login=login, reason=reason.strip(), actor=actor)

    def _check_key(self, name: str, public_key: str) -> None:
        if KEY.fullmatch(public_key) is None:
            raise Invalid("a public key is 64 lower-case hex digits (an Ed25519 key)")
        holder = next((n for n, p in self.people.items() if p.key == public_key), None)
        if holder == name:
            raise Invalid(f"{name} already has this key: nothing to enrol")
        if holder is not None:
            raise Invalid(f"this key is already {holder}'s: each person enrols a key of their own "
                          f"({command('key new ' + option('out') + ' FILE')})")

    def _person(self, name: str) -> Person:
        person = self.people.get(name.strip())
        if person is None:
            raise NotFound(f"{name.strip()} is not on the roster: see {command('people list')}")
        return person

    # --- events --------------------------------------------------------------
    @event("PersonEnrolled", topic="perfledger/Roster.PersonEnrolled")
    def _enrolled(self, name: str, roles: list[Role], organisation: str | None, actor: str,
                  public_key: str | None = None) -> None:
        self.people[name] = Person(name, organisation, set(roles), public_key)

    @event("RolesGranted", topic="perfledger/Roster.RolesGranted")
    def _granted(self, name: str, roles: list[Role], actor: str) -> None:
        self.people[name].roles.update(roles)

    @event("RoleRevoked", topic="perfledger/Roster.RoleRevoked")
    def _revoked(self, name: str, role: Role, reason: str, actor: str) -> None:
        self.people[name].roles.discard(role)

    @event("KeyEnrolled", topic="perfledger/Roster.KeyEnrolled")
    def _key_enrolled(self, name: str, public_key: str, reason: str, actor: str) -> None:
        self.people[name].key = public_key

    @event("LoginBound", topic="perfledger/Roster.LoginBound")
    def _bound(self, name: str, login: str, reason: str, actor: str) -> None:
        self.people[name].login = login
