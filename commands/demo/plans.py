"""The demo's golden thread (issue 16): a Community Strategy, the LAA and a Corporate Plan whose
priorities hold the indicators by theme; the LAA agreed by the Performance Support Group, its year
targets proposed by one member and approved by another, two of them stretch targets, refreshed each
year; and the Council's contribution to the PCT-led drug treatment indicator. On the demo's timeline."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING

from commands.demo.data import AGREED, LAA, SPECS, YEARS, Spec
from ledger.app import LedgerApp
from ledger.values import Period, PeriodKind, Target

if TYPE_CHECKING:
    from commands.demo.timeline import Timeline

PROPOSER, APPROVER = "Priya Shah", "Mark Evans"  # both of the Performance Support Group
BODY = "Performance Support Group"
STRETCH = {"NI 192": Decimal("1.5"), "NI 16": Decimal("0.1")}  # how far the stretch target reaches beyond
FIRST, LAST = Period.year_of(YEARS[0]), Period.year_of(YEARS[-1])
PRIORITIES = (  # code, title, theme: one priority of the Corporate Plan per theme
    ("CP 1", "A cleaner, greener Halton", "Environment"),
    ("CP 2", "A safer Halton", "Safer communities"),
    ("CP 3", "Children and young people in Halton", "Children and young people"),
    ("CP 4", "A healthy Halton", "Healthier communities"),
    ("CP 5", "Independent lives for adults and older people", "Adults and older people"),
    ("CP 6", "Employment, learning and skills", "Economy and employment"),
    ("CP 7", "Strong, involved communities", "Stronger communities"),
    ("CP 8", "An efficient, effective council", "Corporate health"),
)
REFRESHES = {YEARS[1]: "Annual refresh: trajectories reviewed against 2023/24 outturns; no indicator changed",
             YEARS[2]: "Annual refresh: final-year trajectories confirmed with government office"}
CONTRIBUTION = ("NI 40", "Halton Borough Council", "Tom Okafor")  # the Council's part of a PCT-led indicator


def schedule(timeline: Timeline, app: LedgerApp, actor: str) -> int:
    """Put the plans, the LAA and the contributions on the timeline; returns the priorities made."""
    timeline.at(date(YEARS[0], 3, 2), _plans, app, actor, hour=11)
    for year, reason in REFRESHES.items():
        timeline.at(date(year, 3, 10), lambda y=year, r=reason: app.agreements.refresh(
            PROPOSER, LAA, Period.year_of(y), r, [], []))
    code, organisation, reporter = CONTRIBUTION
    for month, target, value in ((1, 55, "52"), (2, 55, "58"), (3, 60, "61")):
        period = Period(PeriodKind.MONTH, YEARS[-1], month)
        timeline.at(date(YEARS[-1], 4, 2), app.contributions.set_target, PROPOSER, code, organisation, period,
                    Decimal(target), "agreed with the PCT at the drugs partnership", hour=12)
        timeline.at(period.end + timedelta(days=12), app.contributions.report, reporter, code, organisation,
                    period, Decimal(value), "Council-funded outreach caseload", hour=15)
    return len(PRIORITIES)


def _plans(app: LedgerApp, actor: str) -> None:
    after = Period.year_of(YEARS[-1] + 7)
    app.plans.add(actor, "SCS", "Halton Sustainable Community Strategy 2023-2033", "community-strategy", None,
                  FIRST, after)
    app.plans.add(actor, "LAA", "Halton Local Area Agreement 2023-26", "laa", "SCS", FIRST, LAST)
    app.plans.add(actor, "CP", "Halton Corporate Plan 2023-26", "corporate", "SCS", FIRST, LAST)
    for code, title, theme in PRIORITIES:
        app.plans.add_priority(actor, code, "CP", title, theme)
        app.plans.link(actor, code, [s.code for s in SPECS if s.theme == theme])
    app.agreements.add(actor, LAA, "Halton Local Area Agreement 2023-26", BODY, [PROPOSER, APPROVER], FIRST,
                       LAST, "LAA", list(AGREED))


def agree(app: LedgerApp, spec: Spec, year: Period, target: Target, reason: str) -> None:
    """The year's LAA target: proposed by one member of the Performance Support Group, approved by the
    other; for a stretch indicator the trajectory sits below the stretch target it is rated against."""
    assert target.value is not None
    reach = STRETCH.get(spec.code)
    direction = Decimal(-1 if spec.polarity.value == "lower" else 1)
    trajectory = target.value - direction * reach if reach is not None else target.value
    key, _ = app.agreements.propose(PROPOSER, LAA, spec.code, year, trajectory,
                                    target.value if reach is not None else None, reason)
    app.agreements.approve(APPROVER, key, "agreed at the Performance Support Group")
