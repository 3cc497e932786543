"""Who may do what: the role table of CLI.md, as data."""

from __future__ import annotations

from enum import Enum

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


class Act(Enum):
    """What a person may be authorised to do: the rows of CLI.md's role table."""

    INIT = "init"
    PEOPLE = "people"
    INDICATOR_REGISTER = "indicator register"
    INDICATOR_REVISE = "indicator revise"
    INDICATOR_RETIRE = "indicator retire"
    DESIGNATE = "designate"
    RAG_DEFAULT = "rag default"
    TARGET_SET = "target set"
    PERIOD_CLOSE = "period close"
    LADDER_USE = "ladder use"
    ESCALATION_RAISE = "escalation raise"
    ESCALATION_CLOSE = "escalation close"
    REPORT_ISSUE = "report issue"
    RETURN_SUBMIT = "return submit"
    RETURN_IMPORT = "return import"
    RETURN_FINALISE = "return finalise"
    ASSESS = "assess"
    MILESTONE = "milestone"
    ESCALATION_RESPOND = "escalation respond"
    ADJUST_REQUEST = "adjust request"
    ADJUST_DECIDE = "adjust decide"
    RETURN_VALIDATE = "return validate"
    QUERY = "query"
    AUDIT_SAMPLE = "audit sample"
    AUDIT_QUALIFY = "audit qualify"
    PROJECTIONS_REBUILD = "projections rebuild"
    LEDGER_IDENTITY = "ledger identity"
    ADMIN_GRANTS = "admin grants"
    RISK_ADD = "risk add"
    RISK_ASSESS = "risk assess"
    RISK_MOVE = "risk move"
    RISK_CLOSE = "risk close"
    RISK_MATRIX = "risk matrix"
    ACTION = "action"
    PLAN = "plan"
    AGREEMENT = "agreement"
    AGREEMENT_DECIDE = "agreement decide"
    CONTRIBUTION_TARGET = "contribution target"
    CONTRIBUTION_RETURN = "contribution return"
    COMPARATOR_GROUP = "comparator group"
    BENCHMARK_IMPORT = "benchmark import"
    READ = "read"

GRANTS: dict[Act, frozenset[Role]] = {
    Act.INIT: frozenset({A}),
    Act.PEOPLE: frozenset({A}),
    Act.INDICATOR_REGISTER: frozenset({A}),
    Act.INDICATOR_REVISE: frozenset({A}),
    Act.INDICATOR_RETIRE: frozenset({A}),
    Act.DESIGNATE: frozenset({A}),
    Act.RAG_DEFAULT: frozenset({A}),
    Act.TARGET_SET: frozenset({A, PS}),
    Act.PERIOD_CLOSE: frozenset({A, PS}),
    Act.LADDER_USE: frozenset({A, PS}),
    Act.ESCALATION_RAISE: frozenset({A, PS}),
    Act.ESCALATION_CLOSE: frozenset({A, PS}),
    Act.REPORT_ISSUE: frozenset({A, PS}),
    Act.RETURN_SUBMIT: frozenset({A, PS, IM}),
    Act.RETURN_IMPORT: frozenset({A, PS, IM}),
    Act.RETURN_FINALISE: frozenset({A, PS, IM}),
    Act.ASSESS: frozenset({A, PS, IM}),
    Act.MILESTONE: frozenset({A, PS, IM}),
    Act.ESCALATION_RESPOND: frozenset({A, PS, IM}),
    Act.ADJUST_REQUEST: frozenset({A, PS, IM, DQO}),
    Act.ADJUST_DECIDE: frozenset({PS, DQO}),
    Act.RETURN_VALIDATE: frozenset({DQO}),
    Act.QUERY: frozenset({DQO}),
    Act.AUDIT_SAMPLE: frozenset({AUD}),
    Act.AUDIT_QUALIFY: frozenset({AUD}),
    Act.PROJECTIONS_REBUILD: frozenset({A}),
    Act.LEDGER_IDENTITY: frozenset({A}),
    Act.ADMIN_GRANTS: frozenset({A}),
    Act.RISK_ADD: frozenset({A, PS}),
    Act.RISK_ASSESS: frozenset({A, PS, IM}),  # an improvement manager: the risks they own
    Act.RISK_MOVE: frozenset({A, PS, IM}),  # likewise
    Act.RISK_CLOSE: frozenset({A, PS}),
    Act.RISK_MATRIX: frozenset({A}),
    Act.ACTION: frozenset({A, PS, IM}),  # progress and completion: the action's lead, or A/PS
    Act.PLAN: frozenset({A, PS}),
    Act.AGREEMENT: frozenset({A, PS}),
    Act.AGREEMENT_DECIDE: frozenset({A, PS}),  # a member of the agreeing body, never the proposer
    Act.CONTRIBUTION_TARGET: frozenset({A, PS}),
    Act.CONTRIBUTION_RETURN: frozenset({A, PS, IM}),  # IM: of the contributing organisation
    Act.COMPARATOR_GROUP: frozenset({A, PS}),
    Act.BENCHMARK_IMPORT: frozenset({A, PS}),
    Act.READ: EVERYONE,
}

# What each act is, in words, for refusals: "bob may not <description>: it needs ...".
DESCRIPTIONS: dict[Act, str] = {
    Act.INIT: "initialise the ledger",
    Act.PEOPLE: "enrol people or revoke roles",
    Act.INDICATOR_REGISTER: "register indicators",
    Act.INDICATOR_REVISE: "revise indicators",
    Act.INDICATOR_RETIRE: "retire indicators",
    Act.DESIGNATE: "designate organisations and people for indicators",
    Act.RAG_DEFAULT: "set the ledger-wide amber tolerance",
    Act.TARGET_SET: "set targets",
    Act.PERIOD_CLOSE: "close periods",
    Act.LADDER_USE: "choose the ladder of intervention",
    Act.ESCALATION_RAISE: "raise escalations",
    Act.ESCALATION_CLOSE: "close escalations",
    Act.REPORT_ISSUE: "issue reports",
    Act.RETURN_SUBMIT: "submit returns",
    Act.RETURN_IMPORT: "import returns",
    Act.RETURN_FINALISE: "finalise returns",
    Act.ASSESS: "assess the outlook for a year",
    Act.MILESTONE: "add or progress milestones",
    Act.ESCALATION_RESPOND: "respond to escalations",
    Act.ADJUST_REQUEST: "request adjustments",
    Act.ADJUST_DECIDE: "approve or reject adjustments",
    Act.RETURN_VALIDATE: "validate returns",
    Act.QUERY: "raise or resolve data-quality queries",
    Act.AUDIT_SAMPLE: "draw audit samples",
    Act.AUDIT_QUALIFY: "qualify an indicator's data",
    Act.PROJECTIONS_REBUILD: "rebuild the views",
    Act.LEDGER_IDENTITY: "change how the ledger proves who acts",
    Act.ADMIN_GRANTS: "set up the database's writer role",
    Act.RISK_ADD: "add risks to a register",
    Act.RISK_ASSESS: "assess risks or record their controls",
    Act.RISK_MOVE: "move risks between registers or keep them",
    Act.RISK_CLOSE: "close risks",
    Act.RISK_MATRIX: "choose the risk matrix",
    Act.ACTION: "add or progress actions",
    Act.PLAN: "add plans and priorities or change their baskets",
    Act.AGREEMENT: "record agreements or propose changes to agreed targets",
    Act.AGREEMENT_DECIDE: "approve or reject changes to agreed targets",
    Act.CONTRIBUTION_TARGET: "set contribution targets",
    Act.CONTRIBUTION_RETURN: "report contributions",
    Act.COMPARATOR_GROUP: "define or change comparator groups",
    Act.BENCHMARK_IMPORT: "import benchmarks",
    Act.READ: "read the ledger",
}


def allowed_roles(act: Act) -> frozenset[Role]:
    return GRANTS[act]


def may(roles: set[Role], act: Act) -> bool:
    return bool(roles & GRANTS[act])


def describe(act: Act) -> str:
    """The roles that grant ``act``, comma-separated and sorted."""
    return ", ".join(sorted(r.value for r in GRANTS[act]))


def action(act: Act) -> str:
    """``act`` in words, e.g. "enrol people or revoke roles" for ``Act.PEOPLE``."""
    return DESCRIPTIONS[act]


def needs(act: Act) -> str:
    """Which role ``act`` needs: "the role administrator" or "one of the roles a, b"."""
    roles = GRANTS[act]
    return f"the role {describe(act)}" if len(roles) == 1 else f"one of the roles {describe(act)}"
