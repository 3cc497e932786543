"""The words the domain's choices are made of, importable without the domain.

The CLI's options list these words when it starts (``--status``, ``--outlook``, ...), before
any aggregate (and eventsourcing) is imported; the domain modules take them from here, so the
words offered and the words accepted are the same (docs/architecture.md, "Start-up"). Like
``ledger/values.py``, this module imports nothing of ours and no library.
"""

from __future__ import annotations

# An adjustment's status (ledger/domain/adjustment.py).
PENDING, APPROVED, REJECTED, WITHDRAWN = "pending", "approved", "rejected", "withdrawn"
ADJUSTMENT_STATUSES = (PENDING, APPROVED, REJECTED, WITHDRAWN)

# The lead's assessed outlook for a year, and an in-year milestone's status (ledger/domain/assessment.py).
OUTLOOKS = ("likely", "difficult", "unlikely")
MILESTONE_STATUSES = ("on-track", "at-risk", "missed", "done")

# Days after a period's end that its return is due, unless the pro forma says otherwise.
DEFAULT_REPORTING_LAG = 30

# How a data-quality query is resolved (ledger/app/quality.py).
QUERY_OUTCOMES = ("upheld", "not-upheld")

# The kinds of plan (ledger/domain/plan.py).
PLAN_KINDS = ("community-strategy", "laa", "corporate", "directorate", "service")

# What the ladder writes by itself when someone's act sets it off (ledger/domain/escalation.py): attributed
# to the ladder, written by that someone's login on a ledger whose logins are bound.
LADDER_ACTS = frozenset({
    "perfledger/Escalations.Opened", "perfledger/Escalations.CaseOpened",
    "perfledger/Escalations.StageReached", "perfledger/Escalations.CaseClosed",
    "perfledger/EscalationCase.Recorded",
})

# The events after which a risk's register is reviewed against the matrix (ledger/app/risks.py).
RISK_MOVES_AFTER = ("perfledger/Risk.Assessed", "perfledger/Risk.Moved")
