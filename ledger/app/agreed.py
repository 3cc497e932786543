"""Which agreement holds an indicator's target for a period, and the control that follows: a target an
agreement holds changes only by a proposal its body approves (``ledger/app/agreements.py``)."""

from __future__ import annotations

import shlex

from ledger.app.core import Core
from ledger.domain.agreement import Agreement
from ledger.errors import Refused
from ledger.hints import command, option
from ledger.values import Period, Unit


def agreements(core: Core) -> list[Agreement]:
    """Every agreement the ledger holds, from the events (read once per decision that needs them)."""
    found = (core.load(Agreement, key) for key in core.codes_of("perfledger/Agreement.Added"))
    return [agreement for agreement in found if agreement is not None]


def covering(core: Core, code: str, period: Period,
             within: list[Agreement] | None = None) -> Agreement | None:
    """The agreement that holds CODE's target for PERIOD, if any (``Agreement.covers``); WITHIN the
    agreements already read, else the ledger's."""
    candidates = agreements(core) if within is None else within
    if not candidates:
        return None
    additive = core.indicator(code).pro_forma.unit is Unit.COUNT
    return next((a for a in candidates if a.covers(code, period, additive=additive)), None)


def refuse_unagreed(core: Core, code: str, period: Period, what: str) -> Agreement | None:
    """Refuse (control "agreement") WHAT of CODE's PERIOD target when an agreement holds it."""
    agreement = covering(core, code, period)
    if agreement is not None:
        year = period.financial_year
        propose = (f"agreement propose {shlex.quote(agreement.code)} {option('indicator')} "
                   f"{shlex.quote(code)} {option('year')} {year}")
        raise Refused(f"{code}'s {year} target is held by {agreement.code}, agreed by {agreement.body}: "
                      f"{what} it needs their approval - propose it with {command(propose)}",
                      control="agreement")
    return agreement
