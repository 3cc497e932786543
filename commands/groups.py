"""The command groups, registered in one place: adding a group is one line here.

Each line names the group, the module that defines it (a package for ``audit``, ``demo`` and
``report``), the module's attribute holding it, and its one-line help as ``perfledger --help``
shows it. The CLI imports a group's module only when the group is used (or its own help is asked
for): ``perfledger --help`` is written from this table alone. tests/unit/test_startup.py checks
that each line's help is its group's own, and that the help of every group imports no heavy
library (docs/architecture.md, "Start-up").
"""

from __future__ import annotations

from typing import NamedTuple


class Group(NamedTuple):
    """One command group: its name, where it is defined, and its one line of help."""

    name: str
    module: str
    attribute: str
    help: str


GROUPS: tuple[Group, ...] = (
    Group("action", "commands.action", "action", "Action plans (000 §3.7, §4.8): SMART actions with a lead, "
          "a deadline and progress, for an indicator, a risk or an escalation case."),
    Group("adjust", "commands.adjust", "adjust", "Retrospective adjustments: request, approve, reject, "
          "withdraw, list."),
    Group("admin", "commands.admin", "admin", "Database set-up that the ledger's controls rest on."),
    Group("agreement", "commands.agreement", "agreement", "Agreements (000 §3.3-3.4, §4.11): an LAA's "
          "indicators, span, annual trajectories and stretch targets, agreed by a body."),
    Group("assess", "commands.assess", "assess", "Record the lead's judgement: will CODE meet YEAR's target? "
          "(assessed RAG)"),
    Group("audit", "commands.audit", "audit", "History and tamper evidence."),
    Group("benchmark", "commands.benchmark", "benchmark", "Benchmarks (000 §3.6, §9.3.2): the values "
          "published for comparable areas, and where this council stands among them."),
    Group("comparator", "commands.comparator", "comparator", "Comparator groups for benchmarking (000 §3.6, "
          "§9.2.3): comparable areas, such as a council's CIPFA nearest neighbours."),
    Group("contribution", "commands.contribution", "contribution", "Contributions (000 §10.10): an "
          "organisation designated as contributing to an indicator agrees its own contribution target and "
          "reports its part to the lead, who sees it beside the total."),
    Group("demo", "commands.demo", "demo", "Build a realistic sample ledger and print what it holds."),
    Group("designate", "commands.designate", "designate", "Designate NAME as CODE's ROLE: a contributor is "
          "added; any other role replaces its holder."),
    Group("escalation", "commands.escalation", "escalation", "Escalation cases: the ladder's decisions and "
          "people's responses."),
    Group("indicator", "commands.indicator", "indicator", "Indicators and their pro formas."),
    Group("init", "commands.init", "init", "Create the ledger (idempotent); NAME becomes its administrator."),
    Group("key", "commands.key", "key", "Personal signing keys, for a ledger with signed identity."),
    Group("ladder", "commands.ladder", "ladder", "The ladder of intervention in force (003 §3, 000 §4.16)."),
    Group("ledger", "commands.ledger", "ledger_", "Ledger-wide settings."),
    Group("milestone", "commands.milestone", "milestone", "In-year milestones for annual indicators."),
    Group("people", "commands.people", "people", "The roster: who may act, in which roles."),
    Group("period", "commands.period", "period", "Reporting periods."),
    Group("plan", "commands.plan", "plan", "Plans (001 R6-R7, 000 §3.1-3.3): the golden thread from the "
          "Community Strategy and the LAA to service plans; each plan holds priorities, each priority a "
          "basket of indicators (perfledger priority)."),
    Group("priority", "commands.priority", "priority", "Priorities of a plan (000 §3.1-3.3), each with a "
          "theme and a basket of indicators; reports take --plan and --priority and group their rows by "
          "priority."),
    Group("projections", "commands.projections", "projections", "The read models (views) derived from the "
          "events."),
    Group("query", "commands.query", "query", "Data-quality queries against returns: raised, resolved with "
          "an outcome, listed."),
    Group("rag", "commands.rag", "rag", "The ledger-wide rating rules."),
    Group("report", "commands.report", "report", "Reports: RAG and the integrated performance report, as at "
          "any past date."),
    Group("return", "commands.returns", "return_", "Returns: the actual value of an indicator for a period."),
    Group("risk", "commands.risk", "risk", "Risk registers (000 §6.6): likelihood x impact before and after "
          "mitigation, registers that risks escalate up and step down, and the matrix that says which "
          "register a score belongs on."),
    Group("target", "commands.target", "target", "Targets per indicator per period, with monitoring levels "
          "and tolerances."),
)
