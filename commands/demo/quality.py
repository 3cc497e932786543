"""The demo's data-quality scenes: validation, queries and a warning accepted with commentary.

Played on the demo's timeline (``commands.demo.timeline.Timeline``) by the data-quality officer of
the cast, Helen Marsh, who gave none of the figures she validates. The late return is
the timeline's own (``commands.demo.timeline.LATE``).
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING

from commands.demo.data import YEARS
from ledger.app import LedgerApp
from ledger.app.returns import ReturnInput
from ledger.values import Period, Status

if TYPE_CHECKING:
    from commands.demo.timeline import Timeline

DQO = "Helen Marsh"
OWNER = "Tom Okafor"
LAST = Period.year_of(YEARS[-1])
# Validated, with how: the year's waste returns against WasteDataFlow, and the final quarter's key returns.
VALIDATED = (
    *((code, f"{LAST}-Q{q}", "Checked against the WasteDataFlow return and the contractor's tonnage")
      for code in ("NI 192", "NI 191") for q in (1, 2, 3, 4)),
    ("NI 154", f"{LAST}-Q4", "Checked against building control completions"),
    ("NI 47", f"{LAST}-Q3", "Checked against the police STATS19 extract"),
    ("NI 16", f"{YEARS[-1] + 1}-03", "Checked against iQuanta"),
)
# (indicator, period, raised on, note, resolved on, outcome, resolution); no resolution: still open.
QUERIES = (
    ("NI 154", f"{LAST}-Q3", date(YEARS[-1] + 1, 1, 26),
     "Completions exceed building control's figure by 14: check for double counting",
     date(YEARS[-1] + 1, 2, 9), "upheld", "14 completions counted twice; the partner corrects them in Q4"),
    ("NI 16", f"{YEARS[-1]}-11", date(YEARS[-1], 12, 22),
     "Offences well below the Home Office's figure for November",
     date(YEARS[-1] + 1, 1, 8), "not-upheld", "iQuanta was rebased; the local figure stands"),
    ("NI 47", f"{LAST}-Q4", date(YEARS[-1] + 1, 4, 28),
     "Two casualties reported by the police after the return may be missing", None, None, None),
)
# The outlier threshold set on NI 191, and the figure it warns about, accepted with commentary.
THRESHOLD = ("NI 191", Decimal(20), "Data-quality policy: a quarter more than 20% from the last four warns")
OUTLIER = ("NI 191", f"{LAST}-Q2", Decimal("205.0"),
           "Garden waste charges ended in August and the contractor's missing tonnage is now included")


def schedule_quality(timeline: Timeline, app: LedgerApp, actor: str) -> None:
    """Put the data-quality scenes on the demo's ``timeline``."""
    indicator, threshold, reason = THRESHOLD
    timeline.at(date(YEARS[-1], 4, 5), app.indicators.revise, actor, indicator,
                {"outlier_threshold": threshold}, reason)
    code, period_text, value, commentary = OUTLIER
    period = Period.parse(period_text)
    timeline.at(period.end + timedelta(days=40), app.returns.submit, OWNER, ReturnInput(
        code, period, value, None, None, Status.PROVISIONAL, commentary, "local system",
        "Q2 tonnage resubmitted by the waste contractor"))
    for code, period_text, note in VALIDATED:
        period = Period.parse(period_text)
        timeline.at(period.end + timedelta(days=50), app.quality.validate, DQO, code, period, note, hour=11)
    for code, period_text, raised, note, resolved, outcome, resolution in QUERIES:
        keys: list[str] = []
        period = Period.parse(period_text)
        timeline.at(raised, lambda c=code, p=period, n=note, k=keys:
                    k.append(app.quality.raise_query(DQO, c, p, n)))
        if resolved is not None and outcome is not None and resolution is not None:
            timeline.at(resolved, lambda o=outcome, r=resolution, k=keys:
                        app.quality.resolve_query(DQO, k[0], o, r))
