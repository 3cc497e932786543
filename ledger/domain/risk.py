"""A risk on a register (000 §6.6, 004): its scores before and after mitigation, each assessment
kept; its controls; its moves between registers, proposed by the matrix and decided by people;
its closure. And the risk matrix in force, versioned like the ladder."""

from __future__ import annotations

from typing import Any

from eventsourcing.domain import Aggregate, event

from ledger.domain.base import stable_id
from ledger.errors import Invalid
from ledger.hints import command, option

REGISTER_NAMES = ("corporate", "directorate", "service", "project")
# What the matrix writes by itself (actor "matrix:NAME") when someone's assessment sets it off: on a
# ledger whose logins are bound, written by that someone's login (the verifier expects it).
MATRIX_ACTS = frozenset({"perfledger/Risk.Proposed", "perfledger/Risk.ProposalWithdrawn"})


class Risk(Aggregate):
    TOPIC = "perfledger/Risk"
    class_version = 1

    class Created(Aggregate.Created):
        TOPIC = "perfledger/Risk.Created"

    @staticmethod
    def create_id(code: str) -> Any:
        return stable_id("risk", code)

    @event("Added", topic="perfledger/Risk.Added")
    def __init__(self, code: str, title: str, register: str, owner: str, indicators: list[str],
                 directorate: str | None, actor: str) -> None:
        self.code = code
        self.title = title
        self.register = register
        self.owner = owner
        self.indicators = list(indicators)
        self.closed = False
        self.residual: int | None = None
        self.proposed: str | None = None  # the register a pending proposal names
        self.band: str | None = None  # the band of the last proposal
        self.declined: tuple[str, str | None] | None = None  # a declined move, and its band then
        self.assessments = 0

    # --- commands ------------------------------------------------------------
    def assess(self, likelihood: int, impact: int, residual_likelihood: int, residual_impact: int,
               note: str, actor: str) -> None:
        self._check_open()
        if not note.strip():
            raise Invalid(f"an assessment of {self.code} needs {option('note')}: why these scores")
        self._assessed(likelihood=likelihood, impact=impact, residual_likelihood=residual_likelihood,
                       residual_impact=residual_impact, note=note.strip(), actor=actor)

    def control(self, note: str, actor: str) -> None:
        self._check_open()
        if not note.strip():
            raise Invalid(f"a control of {self.code} needs {option('note')}: what mitigates it")
        self._controlled(note=note.strip(), actor=actor)

    def propose(self, register: str, band: str, score: int, matrix: str, actor: str) -> bool:
        """Record the matrix's proposal to move to REGISTER, once: False if it is already pending."""
        if self.closed or register == self.register or register == self.proposed:
            return False
        if self.declined == (register, band):  # declined in this band: not proposed again until it changes
            return False
        self._proposed(register=register, current=self.register, band=band, score=score, matrix=matrix,
                       actor=actor)
        return True

    def move(self, register: str, reason: str, actor: str) -> None:
        self._check_open()
        if register not in REGISTER_NAMES:
            raise Invalid(f"{option('register')} {register!r} is not one of {', '.join(REGISTER_NAMES)}")
        if register == self.register:
            raise Invalid(f"{self.code} is already on the {register} register")
        if not reason.strip():
            raise Invalid(f"moving {self.code} needs {option('reason')}")
        self._moved(register=register, before=self.register, reason=reason.strip(),
                    accepted=register == self.proposed, actor=actor)

    def keep(self, reason: str, actor: str) -> None:
        self._check_open()
        if self.proposed is None:
            raise Invalid(f"{self.code} has no proposed move to decline: see {command('risk list')} "
                          f"{option('proposed')}")
        if not reason.strip():
            raise Invalid(f"declining the proposed move of {self.code} needs {option('reason')}")
        self._kept(declined=self.proposed, reason=reason.strip(), actor=actor)

    def close(self, reason: str, actor: str) -> None:
        self._check_open()
        if not reason.strip():
            raise Invalid(f"closing {self.code} needs {option('reason')}")
        self._closed(reason=reason.strip(), actor=actor)

    def _check_open(self) -> None:
        if self.closed:
            raise Invalid(f"{self.code} is closed: it takes no further changes")

    # --- events --------------------------------------------------------------
    @event("Assessed", topic="perfledger/Risk.Assessed")
    def _assessed(self, likelihood: int, impact: int, residual_likelihood: int, residual_impact: int,
                  note: str, actor: str) -> None:
        self.residual = residual_likelihood * residual_impact
        self.assessments += 1

    @event("Controlled", topic="perfledger/Risk.Controlled")
    def _controlled(self, note: str, actor: str) -> None:
        pass

    @event("Proposed", topic="perfledger/Risk.Proposed")
    def _proposed(self, register: str, current: str, band: str, score: int, matrix: str, actor: str) -> None:
        self.proposed = register
        self.band = band

    @event("Moved", topic="perfledger/Risk.Moved")
    def _moved(self, register: str, before: str, reason: str, accepted: bool, actor: str) -> None:
        self.register = register
        self.proposed = None

    def withdraw(self, matrix: str, actor: str) -> bool:
        """Withdraw a pending proposal the matrix no longer makes (e.g. after the matrix changed)."""
        if self.proposed is None or self.closed:
            return False
        self._withdrawn(register=self.proposed, matrix=matrix, actor=actor)
        return True

    @event("ProposalWithdrawn", topic="perfledger/Risk.ProposalWithdrawn")
    def _withdrawn(self, register: str, matrix: str, actor: str) -> None:
        self.proposed = None

    @event("Kept", topic="perfledger/Risk.Kept")
    def _kept(self, declined: str, reason: str, actor: str) -> None:
        self.proposed = None
        self.declined = (declined, self.band)

    @event("Closed", topic="perfledger/Risk.Closed")
    def _closed(self, reason: str, actor: str) -> None:
        self.closed = True
        self.proposed = None


class RiskMatrixInForce(Aggregate):
    """The risk matrix in force; each adoption is a new version (an as-at report uses the one then)."""

    TOPIC = "perfledger/RiskMatrix"
    class_version = 1

    class Created(Aggregate.Created):
        TOPIC = "perfledger/RiskMatrix.Created"

    @staticmethod
    def create_id(*_: Any) -> Any:
        return stable_id("risk-matrix")

    @event("Opened", topic="perfledger/RiskMatrix.Opened")
    def __init__(self, actor: str | None = None) -> None:
        self.config: dict[str, Any] | None = None
        self.adopted = 0  # how many matrices were put in force (not "version": the aggregate's own)

    def adopt(self, config: dict[str, Any], source: str, reason: str, actor: str) -> None:
        if not reason.strip():
            raise Invalid(f"putting a risk matrix in force needs {option('reason')}")
        if config == self.config:
            raise Invalid(f"the {config.get('name')} matrix is already in force")
        self._adopted(config=config, source=source, version=self.adopted + 1, reason=reason.strip(),
                      actor=actor)

    @event("Adopted", topic="perfledger/RiskMatrix.Adopted")
    def _adopted(self, config: dict[str, Any], source: str, version: int, reason: str, actor: str) -> None:
        self.config = config
        self.adopted = version
