"""The read models: plain SQLAlchemy Core tables, rebuilt from the events.

One module per group of views that belong together; this package names every
table (``from projections import schema as t``; ``t.return_versions``) and lists
the views in ``ALL_VIEWS``, the one registry of views: a new view is a table in
a module here plus one line in that list.
"""

from __future__ import annotations

from projections.schema.actions import (
    action_progress as action_progress,
)
from projections.schema.actions import (
    actions as actions,
)
from projections.schema.audit import (
    qualifications as qualifications,
)
from projections.schema.audit import (
    sample_items as sample_items,
)
from projections.schema.audit import (
    samples as samples,
)
from projections.schema.base import SCHEMA_VERSION as SCHEMA_VERSION
from projections.schema.base import metadata as metadata
from projections.schema.benchmarks import (
    benchmarks as benchmarks,
)
from projections.schema.benchmarks import (
    comparator_groups as comparator_groups,
)
from projections.schema.controls import (
    adjustment_items as adjustment_items,
)
from projections.schema.controls import (
    adjustments as adjustments,
)
from projections.schema.controls import (
    designations as designations,
)
from projections.schema.controls import (
    escalation_history as escalation_history,
)
from projections.schema.controls import (
    escalations as escalations,
)
from projections.schema.controls import (
    issued_reports as issued_reports,
)
from projections.schema.controls import (
    queries as queries,
)
from projections.schema.controls import (
    refusals as refusals,
)
from projections.schema.controls import (
    validations as validations,
)
from projections.schema.ledger import (
    closed_periods as closed_periods,
)
from projections.schema.ledger import (
    indicator_versions as indicator_versions,
)
from projections.schema.ledger import (
    milestones as milestones,
)
from projections.schema.ledger import (
    outlooks as outlooks,
)
from projections.schema.ledger import (
    people as people,
)
from projections.schema.ledger import (
    person_roles as person_roles,
)
from projections.schema.ledger import (
    rag_rules as rag_rules,
)
from projections.schema.ledger import (
    return_versions as return_versions,
)
from projections.schema.ledger import (
    settings as settings,
)
from projections.schema.ledger import (
    targets as targets,
)
from projections.schema.log import EVENTS_BY_ORIGINATOR as EVENTS_BY_ORIGINATOR
from projections.schema.log import (
    chain as chain,
)
from projections.schema.log import (
    events as events,
)
from projections.schema.log import (
    position as position,
)
from projections.schema.plans import (
    agreed_targets as agreed_targets,
)
from projections.schema.plans import (
    agreement_indicators as agreement_indicators,
)
from projections.schema.plans import (
    agreement_refreshes as agreement_refreshes,
)
from projections.schema.plans import (
    agreements as agreements,
)
from projections.schema.plans import (
    contributions as contributions,
)
from projections.schema.plans import (
    plans as plans,
)
from projections.schema.plans import (
    priorities as priorities,
)
from projections.schema.plans import (
    priority_links as priority_links,
)
from projections.schema.plans import (
    target_proposals as target_proposals,
)
from projections.schema.risks import (
    risk_history as risk_history,
)
from projections.schema.risks import (
    risk_matrices as risk_matrices,
)
from projections.schema.risks import (
    risks as risks,
)

ALL_VIEWS = [
    events,
    people,
    person_roles,
    settings,
    indicator_versions,
    return_versions,
    targets,
    rag_rules,
    closed_periods,
    outlooks,
    milestones,
    adjustments,
    adjustment_items,
    issued_reports,
    refusals,
    qualifications,
    samples,
    sample_items,
    designations,
    escalations,
    escalation_history,
    validations,
    queries,
    risks,
    risk_history,
    risk_matrices,
    actions,
    action_progress,
    plans,
    priorities,
    priority_links,
    agreements,
    agreement_indicators,
    agreed_targets,
    target_proposals,
    agreement_refreshes,
    contributions,
    comparator_groups,
    benchmarks,
]
