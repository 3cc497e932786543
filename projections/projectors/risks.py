"""Projectors for risk registers: each risk's state over time, its history, and the matrices in force."""

from __future__ import annotations

import json
from typing import Any

from projections import schema as t
from projections.catchup.writer import PageWriter
from projections.projectors.base import Handler, registrar

HANDLERS: dict[str, Handler] = {}
handles = registrar(HANDLERS)


def _history(w: PageWriter, entry: Any, code: str, action: str, register: str, detail: str) -> None:
    w.insert(
        t.risk_history,
        {
            "position": entry.position,
            "code": code,
            "recorded_at": entry.recorded_at,
            "actor": entry.event.actor,
            "action": action,
            "register": register,
            "detail": detail,
        },
    )


def _change(w: PageWriter, entry: Any, **changes: Any) -> dict[str, Any]:
    """End the risk's current row at this position and believe a changed one from here on."""
    current = w.open_row(t.risks, originator=entry.event.originator_id.hex)
    assert current is not None, "a risk event before the risk was added"
    w.close_rows(t.risks, entry.position, code=current["code"])
    row = {**dict(current), **changes, "from_position": entry.position, "until_position": None}
    w.insert(t.risks, row)
    return row


@handles("Risk.Added")
def _added(entry: Any, w: PageWriter) -> dict[str, Any]:
    e = entry.event
    w.insert(
        t.risks,
        {
            "code": e.code,
            "from_position": entry.position,
            "until_position": None,
            "originator": e.originator_id.hex,
            "title": e.title,
            "register": e.register,
            "owner": e.owner,
            "directorate": e.directorate,
            "indicators": ";".join(e.indicators),
            "status": "open",
            "likelihood": None,
            "impact": None,
            "residual_likelihood": None,
            "residual_impact": None,
            "assessed_at": None,
            "control": None,
            "proposed": None,
            "added_at": entry.recorded_at,
        },
    )
    _history(w, entry, e.code, "added", e.register, f"{e.title} (owner {e.owner})")
    return {"after": f"{e.register} register", "detail": f"risk {e.code}: {e.title}"}


@handles("Risk.Assessed")
def _assessed(entry: Any, w: PageWriter) -> dict[str, Any]:
    e = entry.event
    row = _change(
        w,
        entry,
        likelihood=e.likelihood,
        impact=e.impact,
        residual_likelihood=e.residual_likelihood,
        residual_impact=e.residual_impact,
        assessed_at=entry.recorded_at,
    )
    scores = (
        f"inherent {e.likelihood}x{e.impact}={e.likelihood * e.impact}, residual "
        f"{e.residual_likelihood}x{e.residual_impact}={e.residual_likelihood * e.residual_impact}"
    )
    _history(w, entry, row["code"], "assessed", row["register"], f"{scores}: {e.note}")
    return {"after": scores, "reason": e.note, "detail": f"risk {row['code']}"}


@handles("Risk.Controlled")
def _controlled(entry: Any, w: PageWriter) -> dict[str, Any]:
    e = entry.event
    row = _change(w, entry, control=e.note)
    _history(w, entry, row["code"], "controlled", row["register"], e.note)
    return {"reason": e.note, "detail": f"risk {row['code']}: control"}


@handles("Risk.Proposed")
def _proposed(entry: Any, w: PageWriter) -> dict[str, Any]:
    e = entry.event
    row = _change(w, entry, proposed=e.register)
    text = (
        f"residual {e.score} is {e.band} on the {e.matrix} matrix: belongs on the {e.register} "
        f"register, not the {e.current}"
    )
    _history(w, entry, row["code"], "proposed", row["register"], text)
    return {"before": e.current, "after": e.register, "detail": f"risk {row['code']}: {text}"}


@handles("Risk.ProposalWithdrawn")
def _withdrawn(entry: Any, w: PageWriter) -> dict[str, Any]:
    e = entry.event
    row = _change(w, entry, proposed=None)
    text = f"the {e.matrix} matrix no longer proposes the move to the {e.register} register"
    _history(w, entry, row["code"], "withdrawn", row["register"], text)
    return {"detail": f"risk {row['code']}: {text}"}


@handles("Risk.Moved")
def _moved(entry: Any, w: PageWriter) -> dict[str, Any]:
    e = entry.event
    row = _change(w, entry, register=e.register, proposed=None)
    how = "accepting the proposal" if e.accepted else "by hand"
    _history(w, entry, row["code"], "moved", e.register, f"from {e.before} ({how}): {e.reason}")
    return {"before": e.before, "after": e.register, "reason": e.reason, "detail": f"risk {row['code']}"}


@handles("Risk.Kept")
def _kept(entry: Any, w: PageWriter) -> dict[str, Any]:
    e = entry.event
    row = _change(w, entry, proposed=None)
    _history(w, entry, row["code"], "kept", row["register"], f"declined the move to {e.declined}: {e.reason}")
    return {"reason": e.reason, "detail": f"risk {row['code']}: kept, not moved to {e.declined}"}


@handles("Risk.Closed")
def _closed(entry: Any, w: PageWriter) -> dict[str, Any]:
    e = entry.event
    row = _change(w, entry, status="closed", proposed=None)
    _history(w, entry, row["code"], "closed", row["register"], e.reason)
    return {"reason": e.reason, "detail": f"risk {row['code']}: closed"}


@handles("RiskMatrix.Adopted")
def _matrix(entry: Any, w: PageWriter) -> dict[str, Any]:
    e = entry.event
    w.insert(
        t.risk_matrices,
        {
            "version": e.version,
            "position": entry.position,
            "config": json.dumps(e.config, sort_keys=True),
            "source": e.source,
            "reason": e.reason,
            "actor": e.actor,
            "recorded_at": entry.recorded_at,
        },
    )
    return {"after": f"{e.config.get('name')} matrix (version {e.version})", "reason": e.reason}
