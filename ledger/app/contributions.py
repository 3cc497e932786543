"""Use cases: contributions (000 §10.10) - a contributing organisation's own target and returns for an
indicator it is designated to contribute to, reported to the lead, who sees them beside the total."""

from __future__ import annotations

from decimal import Decimal

from ledger.app.usecase import Part, use_case
from ledger.domain.contribution import Contribution
from ledger.errors import Invalid, Refused
from ledger.hints import command, option
from ledger.values import Period, describe_return_periods, returns_accepted
from policies.authorisation import Act
from policies.designation import OVERRIDE
from policies.validation import check_figures


class Contributions(Part):
    def _checked(self, actor: str, code: str, organisation: str, period: Period,
                 value: Decimal) -> Contribution:
        indicator = self.core.indicator(code)
        pf = indicator.pro_forma
        if indicator.retired:
            raise Invalid(f"{code} was retired: it takes no contributions")
        contributors = self.core.held(code).get("contributor", [])
        if organisation not in contributors:
            named = ", ".join(contributors) or "none yet"
            raise Invalid(f"{organisation} is not designated as contributing to {code} (contributors: "
                          f"{named}): designate it first ({command('designate')} {code} {option('as')} "
                          "contributor)")
        if not returns_accepted(pf.frequency, period):
            raise Invalid(f"{period} is not a period for {code}: " + describe_return_periods(pf.frequency))
        problems = [str(p) for p in check_figures(pf.unit, value, rate_base=pf.rate_base)]
        if problems:
            raise Invalid(f"{code} {period}: " + "; ".join(problems))
        return (self.core.load(Contribution, code, organisation)
                or Contribution(indicator=code, organisation=organisation, actor=actor))

    @use_case(Act.CONTRIBUTION_TARGET)
    def set_target(self, actor: str, code: str, organisation: str, period: Period, value: Decimal,
                   reason: str) -> None:
        record = self._checked(actor, code, organisation, period, value)
        record.set_target(period, value, reason, actor)
        self.core.save(record)

    @use_case(Act.CONTRIBUTION_RETURN)
    def report(self, actor: str, code: str, organisation: str, period: Period, value: Decimal,
               commentary: str | None) -> None:
        roster = self.core.roster()
        person = roster.people.get(actor)
        if not roster.roles_of(actor) & OVERRIDE and (person is None or person.organisation != organisation):
            raise Refused(f"{actor} may not report {organisation}'s contribution to {code}: only its own "
                          "people, performance support or an administrator", control="designation")
        if period.end >= self.core.today():
            raise Invalid(f"{period} has not ended: its contribution can be reported from the day after "
                          f"{period.end:%-d %B %Y}")
        record = self._checked(actor, code, organisation, period, value)
        record.report(period, value, commentary, actor)
        self.core.save(record)
