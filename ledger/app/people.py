"""Use cases: the ledger's first administrator, the roster of people, and designations
(who answers for each indicator)."""

from __future__ import annotations

from decimal import Decimal

from ledger.app.usecase import Part, use_case
from ledger.domain.designations import Designations
from ledger.domain.ledger_settings import Ledger
from ledger.domain.names import person_name
from ledger.domain.roster import Roster
from ledger.errors import Invalid, NotFound
from ledger.hints import command, option
from ledger.values import Role
from policies import designation
from policies.authorisation import Act


class People(Part):
    @use_case(None)
    def initialise(self, actor: str, administrator: str, tolerance: Decimal, *, demo: bool = False) -> bool:
        """Create the ledger and its first administrator; False if it already exists."""
        if not Decimal(0) <= tolerance <= Decimal(100):
            raise Invalid(f"{option('tolerance')} {tolerance} is outside 0-100 (a percentage of the target)")
        if not administrator.strip():
            raise Invalid(f"{option('admin')} needs a name")
        administrator = person_name(administrator, f"the {option('admin')} name")
        if self.core.is_initialised():
            return False
        ledger = Ledger(actor=actor, administrator=administrator, tolerance=tolerance, demo=demo)
        roster = Roster(actor=actor)
        roster.add(administrator, [Role.ADMINISTRATOR], None, actor)
        self.core.save(ledger, roster)
        return True

    @use_case(Act.PEOPLE)
    def add(self, actor: str, name: str, roles: list[Role], organisation: str | None) -> None:
        roster = self.core.roster()
        roster.add(name, roles, organisation, actor)
        self.core.save(roster)

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
        record = self.core.load(Designations, code) or Designations(indicator=code)
        if remove:
            record.remove_contributor(name.strip(), reason, actor)
            self.core.save(record)
            return None
        previous = record.designate(role, name, reason, actor)
        self.core.save(record)
        return previous
