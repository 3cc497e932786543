"""Use cases: plans and priorities (001 R6-R7; 000 §3.1-3.3) - the golden thread from the Community
Strategy and the LAA to service plans; each priority's basket of indicators."""

from __future__ import annotations

from ledger.app.usecase import Part, use_case
from ledger.domain.plan import Plan, Priority, check_plan
from ledger.errors import Invalid, NotFound
from ledger.hints import command, option
from ledger.values import Period
from policies.authorisation import Act


class Plans(Part):
    def _plan(self, code: str) -> Plan:
        found = self.core.load(Plan, code)
        if found is None:
            raise NotFound(f"unknown plan {code!r}: see {command('plan list')}")
        return found

    def _priority(self, code: str) -> Priority:
        found = self.core.load(Priority, code)
        if found is None:
            raise NotFound(f"unknown priority {code!r}: see {command('priority list')}")
        return found

    @use_case(Act.PLAN)
    def add(self, actor: str, code: str, title: str, kind: str, parent: str | None, start: Period,
            until: Period) -> None:
        code = code.strip()
        check_plan(code, title, kind, start, until)
        if parent is not None:
            above = self._plan(parent)
            if start.start < above.start.start or until.end > above.until.end:
                raise Invalid(f"{code} ({start} to {until}) runs outside its parent {parent} "
                              f"({above.start} to {above.until}): a plan sits within the plan above it")
        if self.core.exists(Plan, code):
            raise Invalid(f"plan {code} already exists: see {command('plan show ' + code)}")
        self.core.save(Plan(code=code, title=title.strip(), kind=kind, parent=parent, start=start,
                            until=until, actor=actor))

    @use_case(Act.PLAN)
    def add_priority(self, actor: str, code: str, plan: str, title: str, theme: str | None) -> None:
        code = code.strip()
        if not code:
            raise Invalid("a priority needs a CODE, e.g. 'P1'")
        if not title.strip():
            raise Invalid(f"a priority needs {option('title')}")
        self._plan(plan)
        if self.core.exists(Priority, code):
            raise Invalid(f"priority {code} already exists: see {command('priority list')}")
        self.core.save(Priority(code=code, plan=plan, title=title.strip(),
                                theme=theme.strip() if theme and theme.strip() else None, actor=actor))

    @use_case(Act.PLAN)
    def link(self, actor: str, code: str, indicators: list[str]) -> list[str]:
        """Put INDICATORS in CODE's basket; returns those newly linked."""
        if not indicators:
            raise Invalid(f"name the indicators to link with {option('indicator')} CODE")
        priority = self._priority(code)
        for indicator in indicators:
            if self.core.indicator(indicator).retired:
                raise Invalid(f"{indicator} was retired: it cannot join a basket")
        linked = priority.link(indicators, actor)
        self.core.save(priority)
        return linked

    @use_case(Act.PLAN)
    def unlink(self, actor: str, code: str, indicators: list[str], reason: str) -> None:
        if not indicators:
            raise Invalid(f"name the indicators to unlink with {option('indicator')} CODE")
        priority = self._priority(code)
        priority.unlink(indicators, reason, actor)
        self.core.save(priority)
