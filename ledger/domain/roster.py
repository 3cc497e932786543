"""The roster: people, their organisations and roles, and revocations."""

from __future__ import annotations

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

    # --- commands ------------------------------------------------------------
    def add(self, name: str, roles: list[Role], organisation: str | None, actor: str) -> None:
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
            self._enrolled(name=name, roles=sorted(set(roles), key=lambda r: r.value),
                           organisation=organisation, actor=actor)
            return
        new = sorted(set(roles) - person.roles, key=lambda r: r.value)
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

    # --- events --------------------------------------------------------------
    @event("PersonEnrolled", topic="perfledger/Roster.PersonEnrolled")
    def _enrolled(self, name: str, roles: list[Role], organisation: str | None, actor: str) -> None:
        self.people[name] = Person(name, organisation, set(roles))

    @event("RolesGranted", topic="perfledger/Roster.RolesGranted")
    def _granted(self, name: str, roles: list[Role], actor: str) -> None:
        self.people[name].roles.update(roles)

    @event("RoleRevoked", topic="perfledger/Roster.RoleRevoked")
    def _revoked(self, name: str, role: Role, reason: str, actor: str) -> None:
        self.people[name].roles.discard(role)
