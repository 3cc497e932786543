"""Use cases: registering, revising and retiring indicators (their pro formas)."""

from __future__ import annotations

from typing import Any

from ledger.app.usecase import Part, use_case
from ledger.domain.escalation import Escalations
from ledger.domain.indicator import Indicator, ProForma
from ledger.domain.returns import PeriodReturn
from ledger.errors import Invalid, Refused
from ledger.hints import command, option
from ledger.values import Frequency, own_kind
from policies.authorisation import Act

RATING_FIELDS = ("polarity", "tolerance")  # a change to these re-rates every period of the indicator


class Indicators(Part):
    @use_case(Act.INDICATOR_REGISTER)
    def register(self, actor: str, code: str, pro_forma: ProForma) -> None:
        code = code.strip()
        if not code:
            raise Invalid("an indicator needs a CODE, e.g. 'NI 192'")
        if self.core.exists(Indicator, code):
            raise Invalid(f"indicator {code} is already registered: use {command('indicator revise')} "
                          "to change it")
        if pro_forma.proxy_for is not None:
            self._check_proxy_target(code, pro_forma.proxy_for)
        self.core.save(Indicator.register(code, pro_forma, actor))

    @use_case(Act.INDICATOR_REVISE)
    def revise(self, actor: str, code: str, changes: dict[str, Any], reason: str) -> int:
        indicator = self.core.indicator(code)
        if changes.get("proxy_for"):
            self._check_proxy_target(code, changes["proxy_for"])
        self._check_no_rerating(indicator, changes)
        indicator.revise(changes, reason, actor)
        self.core.save(indicator)
        return indicator.revision

    @use_case(Act.INDICATOR_RETIRE)
    def retire(self, actor: str, code: str, reason: str) -> None:
        """Retire CODE; an escalation case open on it closes with the retirement, in the same
        transaction (a retired indicator takes no returns, so no response could ever close it)."""
        indicator = self.core.indicator(code)
        indicator.retire(reason, actor)
        escalations = self.core.load(Escalations, code)
        case = escalations.current if escalations is not None else None
        if escalations is None or case is None:
            self.core.save(indicator)
            return
        escalations.close(case=case.case_id, review=None,
                          note=f"closed with the retirement of {code}: {reason.strip()}", actor=actor)
        self.core.save(indicator, escalations)

    def _check_no_rerating(self, indicator: Indicator, changes: dict[str, Any]) -> None:
        """A change of the rating rule (polarity, tolerance) covers every period of the indicator:
        refused (control "closed-period") once it has a return in a closed, reported period."""
        pf = indicator.pro_forma
        rerating = [name for name in RATING_FIELDS if name in changes and changes[name] != getattr(pf, name)]
        calendar = self.core.calendar()
        if not rerating or not calendar.closed:
            return
        periods = {p for closed in calendar.closed
                   for p in [closed, *closed.children(own_kind(pf.frequency))]}
        ids = {PeriodReturn.create_id(indicator.code, p): p for p in periods}
        held = self.core.store.existing(list(ids))
        if held:
            first = min((ids[i] for i in held), key=lambda p: p.sort_key)
            names = " and ".join(rerating)
            raise Refused(
                f"{indicator.code}: changing its {names} would re-rate {first}, which is closed: a rating "
                f"rule may not reach back into a reported period; set the tolerance of its open periods' "
                f"targets instead ({command('target set')} CODE PERIOD VALUE {option('tolerance')} PCT)",
                control="closed-period")

    def _check_proxy_target(self, code: str, target_code: str) -> None:
        if target_code == code:
            raise Invalid(f"{code} cannot be a proxy for itself")
        target = self.core.indicator(target_code)
        if target.pro_forma.frequency is not Frequency.ANNUAL:
            raise Invalid(
                f"{option('proxy-for')} {target_code}: proxies stand in for annual indicators, and "
                f"{target_code} is {target.pro_forma.frequency.value}"
            )
