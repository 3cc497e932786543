"""Use cases: the ledger's first administrator, the roster of people, and designations
(who answers for each indicator)."""

from __future__ import annotations

from decimal import Decimal

from eventsourcing.persistence import DatabaseError

from ledger.app.usecase import Part, use_case
from ledger.domain.designations import Designations
from ledger.domain.ledger_settings import Ledger
from ledger.domain.names import person_name
from ledger.domain.roster import Roster
from ledger.errors import Invalid, NotFound, first_line
from ledger.hints import command, option
from ledger.values import Role
from policies import authorisation, designation
from policies.authorisation import Act


class People(Part):
    @use_case(None)
    def initialise(self, actor: str, administrator: str, tolerance: Decimal, *, demo: bool = False,
                   login: str | None = None, public_key: str | None = None, signed: bool = False) -> bool:
        """Create the ledger and its first administrator; False if it already exists.

        With LOGIN the administrator is bound to that database login (PostgreSQL); with
        PUBLIC_KEY their signing key is enrolled; SIGNED makes the ledger require signatures."""
        if not Decimal(0) <= tolerance <= Decimal(100):
            raise Invalid(f"{option('tolerance')} {tolerance} is outside 0-100 (a percentage of the target)")
        if not administrator.strip():
            raise Invalid(f"{option('admin')} needs a name")
        administrator = person_name(administrator, f"the {option('admin')} name")
        if signed and public_key is None:
            raise Invalid(f"a ledger with signed identity starts with its administrator's key: give "
                          f"{option('public-key')} FILE.pub "
                          f"({command('key new ' + option('out') + ' FILE')})")
        if self.core.is_initialised():
            return False
        ledger = Ledger(actor=actor, administrator=administrator, tolerance=tolerance, demo=demo)
        roster = Roster(actor=actor)
        roster.add(administrator, [Role.ADMINISTRATOR], None, actor, public_key)
        self._bind(roster, administrator, login, "the first administrator", actor, admin=True)
        if signed:
            ledger.require_signatures("the ledger was initialised with signed identity", actor)
        self.core.save(ledger, roster)
        return True

    @use_case(Act.PEOPLE)
    def add(self, actor: str, name: str, roles: list[Role], organisation: str | None, *,
            login: str | None = None, public_key: str | None = None) -> None:
        roster = self.core.roster()
        roster.add(name, roles, organisation, actor, public_key)
        self._bind(roster, person_name(name), login, "enrolled with the person", actor,
                   admin=Role.ADMINISTRATOR in roster.roles_of(person_name(name)))
        self.core.save(roster)

    @use_case(Act.PEOPLE)
    def bind(self, actor: str, name: str, login: str, reason: str) -> None:
        """``people bind``: a session of LOGIN acts as NAME from now on (PostgreSQL)."""
        roster = self.core.roster()
        admin = Role.ADMINISTRATOR in roster.roles_of(name.strip())
        self._bind(roster, name, login, reason, actor, admin=admin)
        self.core.save(roster)

    @use_case(Act.PEOPLE)
    def enrol_key(self, actor: str, name: str, public_key: str, reason: str) -> None:
        """``people key``: NAME's writes are checked against this key from now on."""
        roster = self.core.roster()
        roster.enrol_key(name, public_key, reason, actor)
        self.core.save(roster)

    @use_case(Act.LEDGER_IDENTITY)
    def require_signatures(self, actor: str, reason: str) -> int:
        """``ledger identity signed``: every write by a person with a key must be signed; returns
        how many people have keys."""
        settings = self.core.settings()
        settings.require_signatures(reason, actor)
        self.core.save(settings)
        return len(self.core.roster().keys())

    def _bind(self, roster: Roster, name: str, login: str | None, reason: str, actor: str, *,
              admin: bool) -> None:
        """Bind a login, if asked; it is granted the writer role before anything is saved (the
        database refuses if it cannot, and then nothing is written)."""
        if login is not None:
            roster.bind(name, login, reason, actor)
            try:
                self.core.store.grant_writer(login, admin)
            except DatabaseError as error:
                raise Invalid(f"the login {login} could not be granted the writer role "
                              f"({first_line(error)}): "
                              f"create the login first (CREATE ROLE {login} LOGIN), or bind it as the "
                              "database owner") from None

    @use_case(Act.PEOPLE)
    def revoke(self, actor: str, name: str, role: Role, reason: str) -> None:
        roster = self.core.roster()
        roster.revoke(name, role, reason, actor)
        self.core.save(roster)

    @use_case(Act.DESIGNATE)
    def designate(self, actor: str, code: str, role: str, name: str, reason: str | None,
                  *, remove: bool = False) -> str | None:
        """Designate NAME as ROLE for CODE (or remove a contributor); returns who it replaced."""
        if role not in designation.ROLES:
            raise Invalid(f"unknown designation {role!r}: use one of {', '.join(designation.ROLES)}")
        if remove and role != "contributor":
            raise Invalid("only a contributor can be removed; designate another "
                          f"{role} instead (it replaces the holder)")
        roster = self.core.roster()
        indicator = self.core.indicator(code)
        if indicator.retired and not remove:
            raise Invalid(f"{code} was retired: it takes no designations")
        if role in designation.PEOPLE and name.strip() not in roster.people:
            raise NotFound(f"{name.strip()} is not on the roster: a {role} must be a person "
                           f"({command(f'people add {name.strip()!r} ' + option('role') + ' ROLE')} first)")
        who, held = name.strip(), roster.roles_of(name.strip())
        if role == "improvement-manager" and not remove and not authorisation.may(held, Act.RETURN_SUBMIT):
            grant = command(f"people add {who!r} " + option("role") + " improvement-manager")
            roles = ", ".join(sorted(r.value for r in held)) or "no role"
            raise Invalid(f"{who} holds {roles}, which cannot submit returns: an improvement manager must "
                          f"({grant} first)")
        record = self.core.load(Designations, code) or Designations(indicator=code, actor=actor)
        if remove:
            record.remove_contributor(name.strip(), reason, actor)
            self.core.save(record)
            return None
        previous = record.designate(role, name, reason, actor)
        self.core.save(record)
        return previous
