"""Use cases: the roster and the indicators' pro formas."""

from __future__ import annotations

from typing import Any

from ledger.domain.indicator import Indicator, ProForma
from ledger.errors import Invalid
from ledger.ladder_service import Ladders
from ledger.values import Frequency, Role


class PeopleAndIndicators(Ladders):
    # --- people --------------------------------------------------------------
    def add_person(self, actor: str, name: str, roles: list[Role], organisation: str | None) -> None:
        def command() -> None:
            roster = self.authorise(actor, "people")
            roster.add(name, roles, organisation, actor)
            self.save(roster)

        self.run(command)

    def revoke_role(self, actor: str, name: str, role: Role, reason: str) -> None:
        def command() -> None:
            roster = self.authorise(actor, "people")
            roster.revoke(name, role, reason, actor)
            self.save(roster)

        self.run(command)

    # --- indicators ----------------------------------------------------------
    def register_indicator(self, actor: str, code: str, pro_forma: ProForma) -> None:
        code = code.strip()
        if not code:
            raise Invalid("an indicator needs a CODE, e.g. 'NI 192'")

        def command() -> None:
            self.authorise(actor, "indicator register")
            if self.exists(Indicator, code):
                raise Invalid(f"indicator {code} is already registered: use indicator revise to change it")
            if pro_forma.proxy_for is not None:
                self._check_proxy_target(code, pro_forma.proxy_for)
            self.save(Indicator.register(code, pro_forma, actor))

        self.run(command)

    def revise_indicator(self, actor: str, code: str, changes: dict[str, Any], reason: str) -> int:
        def command() -> int:
            self.authorise(actor, "indicator revise")
            indicator = self.indicator(code)
            if changes.get("proxy_for"):
                self._check_proxy_target(code, changes["proxy_for"])
            indicator.revise(changes, reason, actor)
            self.save(indicator)
            return indicator.revision

        revision = self.run(command)
        self.after_change([code])
        return revision

    def retire_indicator(self, actor: str, code: str, reason: str) -> None:
        def command() -> None:
            self.authorise(actor, "indicator retire")
            indicator = self.indicator(code)
            indicator.retire(reason, actor)
            self.save(indicator)

        self.run(command)

    def _check_proxy_target(self, code: str, target_code: str) -> None:
        if target_code == code:
            raise Invalid(f"{code} cannot be a proxy for itself")
        target = self.indicator(target_code)
        if target.pro_forma.frequency is not Frequency.ANNUAL:
            raise Invalid(
                f"--proxy-for {target_code}: proxies stand in for annual indicators, and "
                f"{target_code} is {target.pro_forma.frequency.value}"
            )
