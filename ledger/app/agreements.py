"""Use cases: agreements (000 §3.3-3.4, §4.11; 003 §3) - an LAA's indicator set, span, trajectories and
stretch targets, agreed by a body; changes to its targets proposed and approved by a member of that
body other than the proposer (four eyes); the annual refresh."""

from __future__ import annotations

from decimal import Decimal

from ledger.app.agreed import agreements, covering
from ledger.app.targets import prepared
from ledger.app.usecase import Part, use_case
from ledger.domain.agreement import Agreement, TargetProposal, proposal_id
from ledger.domain.plan import Plan
from ledger.errors import Invalid, NotFound, Refused
from ledger.hints import command, option
from ledger.values import Period, PeriodKind, Role, Target
from policies.authorisation import Act

DECIDERS = frozenset({Role.ADMINISTRATOR, Role.PERFORMANCE_SUPPORT})


class Agreements(Part):
    def _agreement(self, code: str) -> Agreement:
        found = self.core.load(Agreement, code)
        if found is None:
            raise NotFound(f"unknown agreement {code!r}: see {command('agreement list')}")
        return found

    def _proposal(self, key: str) -> TargetProposal:
        found = self.core.load(TargetProposal, key)
        if found is None:
            raise NotFound(f"unknown target proposal {key!r}: see {command('agreement show')} CODE")
        return found

    @use_case(Act.AGREEMENT)
    def add(self, actor: str, code: str, title: str, body: str, members: list[str], start: Period,
            until: Period, plan: str | None, indicators: list[str]) -> None:
        code = code.strip()
        if not code:
            raise Invalid("an agreement needs a CODE, e.g. 'LAA 2024'")
        for text, name in ((title, "title"), (body, "body")):
            if not text.strip():
                raise Invalid(f"an agreement needs {option(name)}")
        if start.kind is not PeriodKind.YEAR or until.kind is not PeriodKind.YEAR:
            raise Invalid(f"an agreement runs over financial years: {option('from')} and {option('until')} "
                          "take years, e.g. 2024/25")
        if until.end < start.start:
            raise Invalid(f"{option('until')} {until} is before {option('from')} {start}")
        if not members:
            raise Invalid(f"name the members of {body.strip()} who approve its target changes with "
                          f"{option('member')} NAME")
        roster = self.core.roster()
        for member in members:
            if not roster.roles_of(member) & DECIDERS:
                raise Invalid(f"{option('member')} {member} is not on the roster as performance support or "
                              f"an administrator, who approve target changes: enrol them "
                              f"({command('people add')})")
        if plan is not None and self.core.load(Plan, plan) is None:
            raise NotFound(f"unknown plan {plan!r}: see {command('plan list')}")
        existing = agreements(self.core)
        for indicator in indicators:
            found = self.core.indicator(indicator)
            if found.pro_forma.tracker:
                raise Invalid(f"{indicator} is a tracker: it has no target to agree")
            year = start
            while year.start <= until.end:  # one agreement holds an indicator's target for a year
                held = covering(self.core, indicator, year, existing)
                if held is not None:
                    raise Invalid(f"{indicator} is already in {held.code} for {year}: an indicator's year "
                                  "target is held by one agreement")
                year = year.next()
        if self.core.exists(Agreement, code):
            raise Invalid(f"agreement {code} already exists: see {command('agreement show ' + code)}")
        self.core.save(Agreement(code=code, title=title.strip(), body=body.strip(),
                                 members=list(dict.fromkeys(members)), start=start, until=until, plan=plan,
                                 indicators=list(dict.fromkeys(indicators)), actor=actor))

    @use_case(Act.AGREEMENT)
    def refresh(self, actor: str, code: str, year: Period, reason: str, add: list[str],
                drop: list[str]) -> None:
        agreement = self._agreement(code)
        for indicator in add:
            self.core.indicator(indicator)
            held = covering(self.core, indicator, year)
            if held is not None and held.code != code:
                raise Invalid(f"{indicator} is already in {held.code} for {year}: an indicator's year "
                              "target is held by one agreement")
        agreement.refresh(year, reason, add, drop, actor)
        self.core.save(agreement)

    @use_case(Act.AGREEMENT)
    def propose(self, actor: str, code: str, indicator: str, year: Period, trajectory: Decimal,
                stretch: Decimal | None, reason: str) -> tuple[str, bool]:
        """Propose INDICATOR's YEAR trajectory (and stretch target); returns (id, new)."""
        agreement = self._agreement(code)
        agreement.check_year(year)
        if indicator not in agreement.indicators:
            raise Invalid(f"{indicator} is not in {code}: add it at the annual refresh "
                          f"({command('agreement refresh ' + code)} {option('add')} {indicator})")
        if not reason.strip():
            raise Invalid(f"a proposed target change needs {option('reason')}")
        if self.core.calendar().is_closed(year):
            raise Refused(f"{year} is closed: the targets of a closed period cannot change",
                          control="closed-period")
        prepared(self.core, actor, indicator, year, Target(stretch if stretch is not None else trajectory))
        if stretch is not None:
            prepared(self.core, actor, indicator, year, Target(trajectory))
        values = f"{trajectory}|{stretch}"
        for attempt in range(1, 1000):
            key = proposal_id(code, indicator, year, values, actor, attempt)
            found = self.core.load(TargetProposal, key)
            if found is None:
                break
            if found.status == "proposed":
                return key, False
        held = agreement.targets.get((indicator, year))
        previous = None if held is None else f"{held[0]}" + ("" if held[1] is None else f" stretch {held[1]}")
        self.core.save(TargetProposal(key=key, agreement=code, indicator=indicator, year=year,
                                      trajectory=trajectory, stretch=stretch, previous=previous,
                                      reason=reason.strip(), actor=actor))
        return key, True

    @use_case(Act.AGREEMENT_DECIDE)
    def approve(self, actor: str, key: str, note: str) -> TargetProposal:
        """Approve the proposal: the agreement records it and the indicator's year target is set,
        in one transaction."""
        proposal = self._proposal(key)
        agreement = self._agreement(proposal.agreement)
        agreement.check_member(actor, proposal.proposer)
        if self.core.calendar().is_closed(proposal.year):
            raise Refused(f"{proposal.year} is closed: the targets of a closed period cannot change",
                          control="closed-period")
        proposal.approve(note, actor)
        agreement.agree(indicator=proposal.indicator, year=proposal.year, trajectory=proposal.trajectory,
                        stretch=proposal.stretch, proposal=key, proposed_by=proposal.proposer, actor=actor)
        series, goal = prepared(self.core, actor, proposal.indicator, proposal.year,
                                Target(proposal.target, agreed_with=agreement.code))
        if series.targets.get(proposal.year) != goal:
            series.set(proposal.year, goal, f"{key} approved by {actor}",
                       f"agreed under {agreement.code}: {note.strip() or 'approved'}", actor)
        self.core.save(proposal, agreement, series)
        return proposal

    @use_case(Act.AGREEMENT_DECIDE)
    def reject(self, actor: str, key: str, reason: str) -> TargetProposal:
        proposal = self._proposal(key)
        agreement = self._agreement(proposal.agreement)
        agreement.check_member(actor, proposal.proposer)
        proposal.reject(reason, actor)
        self.core.save(proposal)
        return proposal
