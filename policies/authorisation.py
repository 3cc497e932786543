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
    "projections rebuild": frozenset({A}),
    "read": EVERYONE,
}

# What each act is, in words, for refusals: "bob may not <description>: it needs ...".
DESCRIPTIONS: dict[str, str] = {
    "init": "initialise the ledger",
    "people": "enrol people or revoke roles",
    "indicator register": "register indicators",
    "indicator revise": "revise indicators",
    "indicator retire": "retire indicators",
    "designate": "designate organisations and people for indicators",
    "rag default": "set the ledger-wide amber tolerance",
    "target set": "set targets",
    "period close": "close periods",
    "ladder use": "choose the ladder of intervention",
    "escalation raise": "raise escalations",
    "escalation close": "close escalations",
    "report issue": "issue reports",
    "return submit": "submit returns",
    "return import": "import returns",
    "return finalise": "finalise returns",
    "assess": "assess the outlook for a year",
    "milestone": "add or progress milestones",
    "escalation respond": "respond to escalations",
    "adjust request": "request adjustments",
    "adjust decide": "approve or reject adjustments",
    "return validate": "validate returns",
    "query": "raise or resolve data-quality queries",
    "audit sample": "draw audit samples",
    "audit qualify": "qualify an indicator's data",
    "projections rebuild": "rebuild the views",
    "read": "read the ledger",
}


def allowed_roles(act: str) -> frozenset[Role]:
    return GRANTS[act]


def may(roles: set[Role], act: str) -> bool:
    return bool(roles & GRANTS[act])


def describe(act: str) -> str:
    """The roles that grant ``act``, comma-separated and sorted."""
    return ", ".join(sorted(r.value for r in GRANTS[act]))


def action(act: str) -> str:
    """``act`` in words, e.g. "enrol people or revoke roles" for "people" (the act's name if none)."""
    return DESCRIPTIONS.get(act, act)


def needs(act: str) -> str:
    """Which role ``act`` needs: "the role administrator" or "one of the roles a, b"."""
    roles = GRANTS[act]
    return f"the role {describe(act)}" if len(roles) == 1 else f"one of the roles {describe(act)}"
