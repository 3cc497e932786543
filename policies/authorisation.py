"""Who may do what: the role table of CLI.md, as data."""

from __future__ import annotations

from ledger.values import Role

A, PS, IM, DQO, AUD, V = (
    Role.ADMINISTRATOR,
    Role.PERFORMANCE_SUPPORT,
    Role.IMPROVEMENT_MANAGER,
    Role.DATA_QUALITY_OFFICER,
    Role.AUDITOR,
    Role.VIEWER,
)
EVERYONE = frozenset(Role)

GRANTS: dict[str, frozenset[Role]] = {
    "init": frozenset({A}),
    "people": frozenset({A}),
    "indicator register": frozenset({A}),
    "indicator revise": frozenset({A}),
    "indicator retire": frozenset({A}),
    "designate": frozenset({A}),
    "rag default": frozenset({A}),
    "target set": frozenset({A, PS}),
    "period close": frozenset({A, PS}),
    "ladder use": frozenset({A, PS}),
    "escalation raise": frozenset({A, PS}),
    "escalation close": frozenset({A, PS}),
    "report issue": frozenset({A, PS}),
    "return submit": frozenset({A, PS, IM}),
    "return import": frozenset({A, PS, IM}),
    "return finalise": frozenset({A, PS, IM}),
    "assess": frozenset({A, PS, IM}),
    "milestone": frozenset({A, PS, IM}),
    "escalation respond": frozenset({A, PS, IM}),
    "adjust request": frozenset({A, PS, IM, DQO}),
    "adjust decide": frozenset({PS, DQO}),
    "return validate": frozenset({DQO}),
    "query": frozenset({DQO}),
    "audit sample": frozenset({AUD}),
    "audit qualify": frozenset({AUD}),
    "read": EVERYONE,
}


def allowed_roles(act: str) -> frozenset[Role]:
    return GRANTS[act]


def may(roles: set[Role], act: str) -> bool:
    return bool(roles & GRANTS[act])


def describe(act: str) -> str:
    return ", ".join(sorted(r.value for r in GRANTS[act]))
