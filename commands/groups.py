"""The command groups, registered in one place: adding a group is one line here.

Each group lives in its own module (a package for ``audit``, ``demo`` and ``report``).
"""

from __future__ import annotations

import click

from commands import (
    adjust,
    assess,
    audit,
    demo,
    designate,
    escalation,
    indicator,
    init,
    ladder,
    milestone,
    people,
    period,
    projections,
    query,
    rag,
    report,
    returns,
    target,
)

GROUPS: tuple[click.Command, ...] = (
    adjust.adjust,
    assess.assess,
    audit.audit,
    demo.demo,
    designate.designate,
    escalation.escalation,
    indicator.indicator,
    init.init,
    ladder.ladder,
    milestone.milestone,
    people.people,
    period.period,
    projections.projections,
    query.query,
    rag.rag,
    report.report,
    returns.return_,
    target.target,
)
