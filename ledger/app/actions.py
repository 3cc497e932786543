"""Use cases: action plans for any indicator, risk or escalation case - each action with a lead, a
deadline and progress; overdue actions follow from the deadline and the as-at date."""

from __future__ import annotations

from datetime import date

from ledger.app.usecase import Part, use_case
from ledger.domain.action import Action, action_id
from ledger.domain.escalation import CaseIndex
from ledger.domain.risk import Risk
from ledger.errors import Invalid, NotFound, Refused
from ledger.hints import command, option
from policies.authorisation import Act
from policies.designation import OVERRIDE


class Actions(Part):
    def target(self, name: str) -> tuple[str, str, str | None]:
        """(kind, key, indicator) of what NAME names: an escalation case (E-...), a risk, or an indicator."""
        case = self.core.load(CaseIndex, name)
        if case is not None:
            return "case", name, case.indicator
        risk = self.core.load(Risk, name)
        if risk is not None:
            return "risk", name, risk.indicators[0] if risk.indicators else None
        indicator = self.core.indicator(name)  # refuses, naming it, when it is none of the three
        return "indicator", indicator.code, indicator.code

    @use_case(Act.ACTION)
    def add(self, actor: str, name: str, title: str, lead: str, due: date) -> str:
        if not title.strip():
            raise Invalid(f"an action needs {option('title')}: what will be done")
        if not self.core.roster().roles_of(lead):
            raise Invalid(
                f"{option('lead')} {lead} is not on the roster: enrol them first ({command('people add')})"
            )
        kind, key, indicator = self.target(name)
        ident = action_id(kind, key, title)
        if self.core.exists(Action, ident):
            raise Invalid(f"{key} already has this action ({ident}): see {command('action list')}")
        self.core.save(
            Action(
                key=ident,
                kind=kind,
                target=key,
                indicator=indicator,
                title=title.strip(),
                lead=lead,
                due=due,
                actor=actor,
            )
        )
        return ident

    def _action(self, actor: str, key: str) -> Action:
        found = self.core.load(Action, key)
        if found is None:
            raise NotFound(f"unknown action {key!r}: see {command('action list')}")
        if actor != found.lead and not self.core.roster().roles_of(actor) & OVERRIDE:
            raise Refused(
                f"{actor} may not report on {key}: only its lead ({found.lead}), performance "
                "support or an administrator",
                control="designation",
            )
        return found

    @use_case(Act.ACTION)
    def progress(self, actor: str, key: str, percent: int, note: str) -> None:
        found = self._action(actor, key)
        found.progress(percent, note, actor)
        self.core.save(found)

    @use_case(Act.ACTION)
    def complete(self, actor: str, key: str, note: str) -> None:
        found = self._action(actor, key)
        found.complete(note, actor)
        self.core.save(found)
