"""Use cases: designations (who answers for each indicator) and authorisation by them."""

from __future__ import annotations

from ledger.application import LedgerCore
from ledger.domain.designations import Designations
from ledger.errors import Invalid, NotFound, Refused
from ledger.values import Role
from policies import authorisation, designation


class Designating(LedgerCore):
    def designate(self, actor: str, code: str, role: str, name: str, reason: str | None,
                  *, remove: bool = False) -> str | None:
        """Designate NAME as ROLE for CODE (or remove a contributor); returns who it replaced."""
        if role not in designation.ROLES:
            raise Invalid(f"unknown designation {role!r}: use one of {', '.join(designation.ROLES)}")
        if remove and role != "contributor":
            raise Invalid(f"only a contributor can be removed; designate another {role} instead "
                          "(it replaces the holder)")

        def command() -> str | None:
            roster = self.authorise(actor, "designate")
            indicator = self.indicator(code)
            if indicator.retired and not remove:
                raise Invalid(f"{code} was retired: it takes no designations")
            if role in designation.PEOPLE and name.strip() not in roster.people:
                raise NotFound(f"{name.strip()} is not on the roster: a {role} must be a person "
                               f"(perfledger people add {name.strip()!r} --role ROLE first)")
            record = self.load(Designations, code) or Designations(indicator=code)
            if remove:
                record.remove_contributor(name.strip(), reason, actor)
                self.save(record)
                return None
            previous = record.designate(role, name, reason, actor)
            self.save(record)
            return previous

        return self.run(command)

    def held(self, code: str) -> dict[str, list[str]]:
        """Each designation of CODE and its holders now (from the events, never a view)."""
        record = self.load(Designations, code)
        return {role: list(names) for role, names in record.held.items()} if record else {}

    def held_for(self, act: str, code: str) -> dict[str, list[str]]:
        """CODE's designations, each with only the holders whose roles grant ACT now: a
        designated director who is on the roster as a viewer cannot do it, so is not named."""
        roster = self.roster()
        return {role: [n for n in names if authorisation.may(roster.roles_of(n), act)]
                for role, names in self.held(code).items()}

    def designation_refusal(self, actor: str, roles: set[Role], act: str, code: str,
                            cache: dict[str, dict[str, list[str]]] | None = None) -> str | None:
        if designation.NARROWED.get(act) is None or roles & designation.OVERRIDE:
            return None
        if cache is None:
            return designation.refusal(act, actor, roles, code, self.held_for(act, code))
        if code not in cache:
            cache[code] = self.held_for(act, code)
        return designation.refusal(act, actor, roles, code, cache[code])

    def check_designation(self, actor: str, act: str, code: str) -> None:
        """Refuse (control "designation") unless ACTOR may do ACT on CODE's designations."""
        roles = self.roster().roles_of(actor)
        why = self.designation_refusal(actor, roles, act, code)
        if why is not None:
            raise Refused(why, control="designation")
