"""The command groups, registered in one place: adding a group is one line here.

Each group lives in its own module (a package for ``audit``, ``demo`` and ``report``).
"""

from __future__ import annotations

import click

from commands import (
    action,
    adjust,
    admin,
    assess,
    audit,
    benchmark,
    comparator,
    demo,
    designate,
    escalation,
    indicator,
    init,
    key,
    ladder,
    ledger,
    milestone,
    people,
    period,
    projections,
    query,
    rag,
    report,
    returns,
    risk,
    target,
)

GROUPS: tuple[click.Command, ...] = (
    action.action,
    adjust.adjust,
    admin.admin,
    assess.assess,
    audit.audit,
    benchmark.benchmark,
    comparator.comparator,
    demo.demo,
    designate.designate,
    escalation.escalation,
    indicator.indicator,
    init.init,
    key.key,
    ladder.ladder,
    ledger.ledger_,
    milestone.milestone,
    people.people,
    period.period,
    projections.projections,
    query.query,
    rag.rag,
    report.report,
    returns.return_,
    risk.risk,
    target.target,
)
