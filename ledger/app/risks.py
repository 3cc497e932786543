"""Use cases: risk registers (000 §6.6, 004) - risks added, assessed, controlled, moved, kept, closed;
the matrix in force; and the reaction that proposes a move when a residual score crosses into a
band that belongs on another register (exactly once per crossing)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from ledger.app.usecase import Part, use_case
from ledger.domain.risk import REGISTER_NAMES, Risk, RiskMatrixInForce
from ledger.errors import Busy, Invalid, NotFound, Refused
from ledger.hints import command, option
from ledger.vocabulary import RISK_MOVES_AFTER
from policies import risk as policy
from policies.authorisation import Act
from policies.designation import OVERRIDE

MATRIX_ACTOR = "matrix"


class Risks(Part):
    # the events (by stored topic) after which a risk's register is reviewed against the matrix
    MOVES_AFTER = RISK_MOVES_AFTER

    def matrix(self) -> policy.Matrix:
        record = self.core.load(RiskMatrixInForce)
        return policy.from_dict(record.config) if record is not None and record.config else policy.DEFAULT

    def _risk(self, code: str) -> Risk:
        found = self.core.load(Risk, code)
        if found is None:
            raise NotFound(f"unknown risk {code!r}: see {command('risk list')}")
        return found

    def _check_owner(self, actor: str, risk: Risk, what: str) -> None:
        """An improvement manager acts only on the risks they own (performance support and
        administrators on any): control "designation"."""
        roles = self.core.roster().roles_of(actor)
        if not roles & OVERRIDE and actor != risk.owner:
            raise Refused(f"{actor} may not {what} {risk.code}: only its owner ({risk.owner}), performance "
                          "support or an administrator", control="designation")

    @use_case(Act.RISK_ADD)
    def add(self, actor: str, code: str, title: str, register: str, owner: str, indicators: list[str],
            directorate: str | None) -> None:
        code = code.strip()
        if not code:
            raise Invalid("a risk needs a CODE, e.g. 'CR 01'")
        if not title.strip():
            raise Invalid(f"a risk needs {option('title')}")
        if register not in REGISTER_NAMES:
            raise Invalid(f"{option('register')} {register!r} is not one of {', '.join(REGISTER_NAMES)}")
        if not self.core.roster().roles_of(owner):
            raise Invalid(f"{option('owner')} {owner} is not on the roster: enrol them first "
                          f"({command('people add')})")
        for linked in indicators:
            self.core.indicator(linked)
        if self.core.exists(Risk, code):
            raise Invalid(f"risk {code} is already on a register: see {command('risk show ' + code)}")
        self.core.save(Risk(code=code, title=title.strip(), register=register, owner=owner,
                            indicators=list(dict.fromkeys(indicators)),
                            directorate=directorate.strip() if directorate else None, actor=actor))

    @use_case(Act.RISK_ASSESS)
    def assess(self, actor: str, code: str, likelihood: int, impact: int, residual_likelihood: int | None,
               residual_impact: int | None, note: str) -> int:
        """Record an assessment (the residual scores default to the inherent ones); returns the residual."""
        risk = self._risk(code)
        self._check_owner(actor, risk, "assess")
        residual = (residual_likelihood if residual_likelihood is not None else likelihood,
                    residual_impact if residual_impact is not None else impact)
        problems = self.matrix().check(likelihood, impact)
        problems += [f"residual {p}" for p in self.matrix().check(*residual)]
        if problems:
            raise Invalid(f"{code}: " + "; ".join(problems))
        risk.assess(likelihood, impact, residual[0], residual[1], note, actor)
        self.core.save(risk)
        return residual[0] * residual[1]

    @use_case(Act.RISK_ASSESS)
    def control(self, actor: str, code: str, note: str) -> None:
        risk = self._risk(code)
        self._check_owner(actor, risk, "record controls of")
        risk.control(note, actor)
        self.core.save(risk)

    @use_case(Act.RISK_MOVE)
    def move(self, actor: str, code: str, register: str, reason: str) -> bool:
        """Move a risk (accepting a proposal when it names that register); returns whether it did."""
        risk = self._risk(code)
        self._check_owner(actor, risk, "move")
        accepted = register == risk.proposed
        risk.move(register, reason, actor)
        self.core.save(risk)
        return accepted

    @use_case(Act.RISK_MOVE)
    def keep(self, actor: str, code: str, reason: str) -> str:
        """Decline the proposed move; returns the register it would have gone to."""
        risk = self._risk(code)
        self._check_owner(actor, risk, "keep")
        declined = risk.proposed or ""
        risk.keep(reason, actor)
        self.core.save(risk)
        return declined

    @use_case(Act.RISK_CLOSE)
    def close(self, actor: str, code: str, reason: str) -> None:
        risk = self._risk(code)
        risk.close(reason, actor)
        self.core.save(risk)

    def use_matrix(self, actor: str, matrix: policy.Matrix, source: str, reason: str) -> int:
        """Put MATRIX in force, then review every risk against it; returns the proposals recorded."""
        self._adopt(actor, matrix.as_dict(), source, reason)
        return self.review(self.codes())

    @use_case(Act.RISK_MATRIX)
    def _adopt(self, actor: str, config: dict[str, Any], source: str, reason: str) -> None:
        record = self.core.load(RiskMatrixInForce) or RiskMatrixInForce(actor=actor)
        record.adopt(config, source, reason, actor)
        self.core.save(record)

    def codes(self) -> list[str]:
        return self.core.codes_of("perfledger/Risk.Added")

    # --- the reaction --------------------------------------------------------------
    def react(self, codes: Iterable[str]) -> None:
        """After an assessment or a move: propose a move where the residual score's band belongs
        on another register. A busy ledger defers it to the next change (never lost: the proposal
        follows from the scores, and is recorded once)."""
        try:
            self.review(codes)
        except Busy:
            return

    def review(self, codes: Iterable[str]) -> int:
        matrix = self.matrix()
        label = f"{MATRIX_ACTOR}:{matrix.name}"
        proposed = 0
        for code in sorted(set(codes)):
            risk = self.core.load(Risk, code)
            if risk is None or risk.residual is None or risk.closed:
                continue
            wanted = policy.proposal(matrix, risk.register, risk.residual)
            band = matrix.band(risk.residual)
            if wanted is not None and risk.propose(wanted, band.name, risk.residual, matrix.name, label):
                self.core.save(risk)
                proposed += 1
            elif wanted is None and risk.withdraw(matrix.name, label):  # the matrix no longer proposes it
                self.core.save(risk)
        return proposed
