"""Projectors for the ledger itself: its settings, the roster, indicators and returns.

Each handler receives the log entry (position, recorded time, decoded event)
and a page writer. Handlers use only the event and the tables, never a live
aggregate, so a rebuild from position 1 gives identical tables.
"""

from __future__ import annotations

import hashlib
from decimal import Decimal
from functools import lru_cache
from typing import Any

from ledger.app.core import LogEntry
from ledger.values import Period
from projections import schema as t
from projections.catchup.writer import PageWriter
from projections.projectors.base import Handler, event_name, registrar, subject, text

HANDLERS: dict[str, Handler] = {}
handles = registrar(HANDLERS)


# --- the ledger and the roster ------------------------------------------------
@handles("Ledger.Initialised")
def _initialised(entry: LogEntry, w: PageWriter) -> dict[str, Any]:
    e: Any = entry.event
    w.insert(t.settings, {"key": "tolerance", "value": str(e.tolerance),
                          "from_position": entry.position, "until_position": None})
    return {"detail": f"ledger created; administrator {e.administrator}; default tolerance {e.tolerance}%"}


@handles("Roster.PersonEnrolled", "Roster.RolesGranted")
def _granted(entry: LogEntry, w: PageWriter) -> dict[str, Any]:
    e: Any = entry.event
    if event_name(e) == "Roster.PersonEnrolled":
        w.insert(t.people, {"name": e.name, "organisation": e.organisation,
                            "from_position": entry.position})
    roles = [r.value for r in e.roles]
    for role in roles:
        w.insert(t.person_roles, {"name": e.name, "role": role, "from_position": entry.position,
                                  "until_position": None, "granted_by": e.actor})
    return {"after": ", ".join(roles), "detail": f"{e.name}: {', '.join(roles)}"}


@handles("Roster.RoleRevoked")
def _revoked(entry: LogEntry, w: PageWriter) -> dict[str, Any]:
    e: Any = entry.event
    w.close_rows(t.person_roles, entry.position,
                 {"revoked_by": e.actor, "revoke_reason": e.reason}, name=e.name, role=e.role.value)
    return {"before": e.role.value, "detail": f"{e.name}: {e.role.value} revoked"}


@handles("Roster.KeyEnrolled")
def _key_enrolled(entry: LogEntry, w: PageWriter) -> dict[str, Any]:
    e: Any = entry.event
    short = hashlib.sha256(bytes.fromhex(e.public_key)).hexdigest()[:16]
    return {"after": short, "detail": f"{e.name}: signing key {short} enrolled"}


@handles("Roster.LoginBound")
def _login_bound(entry: LogEntry, w: PageWriter) -> dict[str, Any]:
    e: Any = entry.event
    return {"after": e.login, "detail": f"{e.name}: bound to the database login {e.login}"}


@handles("Ledger.IdentityChanged")
def _identity_changed(entry: LogEntry, w: PageWriter) -> dict[str, Any]:
    e: Any = entry.event
    return {"after": e.mode, "detail": f"identity: {e.mode} from here on"}


# --- indicators -------------------------------------------------------------------
PRO_FORMA = ("title", "unit", "polarity", "frequency", "definition", "method", "source", "decimals",
             "tracker", "cumulative", "tolerance", "reporting_lag", "rate_base", "baseline", "proxy_for",
             "outlier_threshold", "theme")
TEXT_FIELDS = {"unit", "polarity", "frequency", "tolerance", "rate_base", "baseline", "outlier_threshold"}


def _pro_forma_row(values: dict[str, Any]) -> dict[str, Any]:
    """The pro forma columns (a field added later is absent from older events: None)."""
    return {k: (text(values.get(k)) if k in TEXT_FIELDS else values.get(k)) for k in PRO_FORMA}


@handles("Indicator.Registered")
def _registered(entry: LogEntry, w: PageWriter) -> dict[str, Any]:
    e: Any = entry.event
    row = _pro_forma_row(vars(e))
    w.insert(t.indicator_versions, {**row, "code": e.code, "revision": 1, "retired": False,
                                    "reason": None, "actor": e.actor, "recorded_at": entry.recorded_at,
                                    "from_position": entry.position, "until_position": None})
    return {"indicator": e.code, "after": f"revision 1: {e.title}"}


@handles("Indicator.Revised", "Indicator.Retired")
def _indicator_changed(entry: LogEntry, w: PageWriter) -> dict[str, Any]:
    e: Any = entry.event
    code, _ = subject(w, entry)
    current = w.open_row(t.indicator_versions, code=code)
    assert current is not None, f"no open version of {code}"
    w.close_rows(t.indicator_versions, entry.position, code=code)
    new = {**dict(current), "from_position": entry.position, "until_position": None,
           "reason": e.reason, "actor": e.actor, "recorded_at": entry.recorded_at}
    if event_name(e) == "Indicator.Revised":
        changed = _pro_forma_row({**dict.fromkeys(PRO_FORMA), **e.changes})
        new.update({k: changed[k] for k in e.changes})
        new["revision"] = e.revision
        before = "; ".join(f"{k}={text(current[k])}" for k in e.changes)
        after = "; ".join(f"{k}={text(v)}" for k, v in e.changes.items())
        w.insert(t.indicator_versions, new)
        return {"indicator": code, "before": before, "after": after,
                "detail": f"revision {e.revision}"}
    new["retired"] = True
    w.insert(t.indicator_versions, new)
    return {"indicator": code, "after": "retired"}


# --- returns -----------------------------------------------------------------------
def _figure(e: Any) -> str:
    parts = f" ({e.numerator}/{e.denominator})" if e.numerator is not None else ""
    return f"{e.value}{parts}"


@handles("Return.Submitted")
def _submitted(entry: LogEntry, w: PageWriter) -> dict[str, Any]:
    e: Any = entry.event
    return submitted_rows(w, entry.position, entry.recorded_at, e.indicator, period_columns(str(e.period)),
                          str(e.value), text(e.numerator), text(e.denominator), e.status.value,
                          e.commentary, e.source, e.actor)


PeriodColumns = tuple[str, str, str, str]


@lru_cache(maxsize=4096)
def period_columns(text: str) -> PeriodColumns:
    """A period (by its text) as the views store it: canonical text, first day, last day, kind."""
    period = Period.parse(text)
    return str(period), period.start.isoformat(), period.end.isoformat(), period.kind.value


def submitted_rows(w: PageWriter, position: int, recorded_at: str, indicator: str, period: PeriodColumns,
                   value: str, numerator: str | None, denominator: str | None, status: str,
                   commentary: str | None, source: str | None, actor: str) -> dict[str, Any]:
    """The first version of a return; its audit-trail fields. Shared with ``fastpath``."""
    label, start, end, kind = period
    w.insert(t.return_versions, {
        "indicator": indicator, "period": label, "version": 1,
        "period_start": start, "period_end": end, "period_kind": kind, "value": value, "numerator": numerator,
        "denominator": denominator, "status": status, "commentary": commentary,
        "source": source, "actor": actor, "reason": None, "change": "submitted", "adjustment": None,
        "recorded_at": recorded_at, "first_recorded_at": recorded_at,
        "from_position": position, "until_position": None,
        "figure_position": position, "warnings": None, "history": None,
    })
    parts = f" ({numerator}/{denominator})" if numerator is not None else ""
    return {"indicator": indicator, "period": label, "after": f"{value}{parts}", "detail": status}


@handles("Return.Revised", "Return.Finalised")
def _return_changed(entry: LogEntry, w: PageWriter) -> dict[str, Any]:
    e: Any = entry.event
    code, period = subject(w, entry)
    current = w.open_row(t.return_versions, indicator=code, period=period)
    assert current is not None, f"no open return for {code} {period}"
    w.close_rows(t.return_versions, entry.position, indicator=code, period=period)
    new = {**dict(current), "version": entry.event.originator_version, "actor": e.actor,
           "recorded_at": entry.recorded_at, "from_position": entry.position, "until_position": None}
    before = current["value"] + (f" ({current['numerator']}/{current['denominator']})"
                                 if current["numerator"] is not None else "")
    if event_name(e) == "Return.Finalised":
        new.update({"status": "final", "change": "finalised", "reason": e.note})
        w.insert(t.return_versions, new)
        return {"indicator": code, "period": period, "before": current["status"], "after": "final",
                "reason": e.note}
    new.update({"value": str(e.value), "numerator": text(e.numerator),
                "denominator": text(e.denominator), "status": e.status.value,
                "commentary": e.commentary, "source": e.source, "reason": e.reason,
                "change": "revised", "adjustment": None, "figure_position": entry.position,
                "warnings": None})
    w.insert(t.return_versions, new)
    return {"indicator": code, "period": period, "before": before, "after": _figure(e),
            "detail": f"revision {e.revision}"}


def decimal_or_none(value: str | None) -> Decimal | None:
    return None if value is None else Decimal(value)
