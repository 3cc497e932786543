"""Use cases: registering, revising and retiring indicators (their pro formas)."""

from __future__ import annotations

from typing import Any

from ledger.app.usecase import Part, use_case
from ledger.domain.indicator import Indicator, ProForma
from ledger.errors import Invalid
from ledger.hints import command, option
from ledger.values import Frequency
from policies.authorisation import Act


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
        indicator.revise(changes, reason, actor)
        self.core.save(indicator)
        return indicator.revision

    @use_case(Act.INDICATOR_RETIRE)
    def retire(self, actor: str, code: str, reason: str) -> None:
        indicator = self.core.indicator(code)
        indicator.retire(reason, actor)
        self.core.save(indicator)

    def _check_proxy_target(self, code: str, target_code: str) -> None:
        if target_code == code:
            raise Invalid(f"{code} cannot be a proxy for itself")
        target = self.core.indicator(target_code)
        if target.pro_forma.frequency is not Frequency.ANNUAL:
            raise Invalid(
                f"{option('proxy-for')} {target_code}: proxies stand in for annual indicators, and "
                f"{target_code} is {target.pro_forma.frequency.value}"
            )
