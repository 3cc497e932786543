"""``perfledger demo``: the demo's partnership (``ledger.demo_data``) recorded on a timeline.

A real ledger learns its history month by month: targets before each year
starts, each period's returns a few weeks after it ends, revisions, sign-off
and restatements later. The demo records the same way, on a simulated clock
(the recording time the hash chain stamps), so that as-at reports, due dates
and timeliness in the demo mean what they would in a partnership's own
ledger. The clock never runs ahead of the real one, and the chain's
recording times only ever increase.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from datetime import UTC, date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal
from functools import partial
from typing import Any
from zoneinfo import ZoneInfo

from commands.demo import ladder as demo_ladder
from commands.demo import plans as demo_plans
from commands.demo import risks as demo_risks
from commands.demo.data import (
    AGREED,
    CAST,
    COMMENTS,
    LAA,
    MILESTONES,
    MONITORED,
    OUTLOOKS,
    PROXIES,
    SPECS,
    YEARS,
    Spec,
    figure,
    own_periods,
    returns,
    target_for,
    targets,
    unit_noise,
)
from commands.demo.quality import schedule_quality
from ledger.app import LedgerApp
from ledger.app.adjustments import Restatement
from ledger.app.returns import ReturnInput
from ledger.domain.indicator import ProForma
from ledger.values import Period, PeriodKind, Role, Status, Unit

__all__ = ["AGREED", "CAST", "LAA", "MONITORED", "SPECS", "YEARS", "Spec", "Timeline", "build", "figure",
           "own_periods", "returns", "target_for", "targets"]

LONDON = ZoneInfo("Europe/London")
START = date(YEARS[0], 3, 1)  # the partnership sets up its ledger a month before the first year
# One return the demo records after its due date (indicator, period, days late), with the reason given.
LATE = ("NI 62", "2024/25-Q3", 12, "The fostering agency's placement system was down over the new year.")
Scene = Callable[[], object]


class DemoClock:
    """The recording time of the demo's events: set by the timeline, never later than now."""

    def __init__(self) -> None:
        self.now = datetime.combine(START, time(9), tzinfo=LONDON)

    def __call__(self) -> datetime:
        return min(self.now, datetime.now(UTC))


class Timeline:
    """Scenes at moments; ``run`` plays them in time order (ties in the order they were added)."""

    def __init__(self) -> None:
        self.scenes: list[tuple[datetime, int, Scene]] = []

    def at(self, day: date, scene: Callable[..., object], *args: Any, hour: int = 10) -> None:
        """Play ``scene(*args)`` at ``hour`` o'clock in London on ``day``."""
        moment = datetime.combine(day, time(hour), tzinfo=LONDON)
        self.scenes.append((moment, len(self.scenes), partial(scene, *args)))

    def run(self, clock: DemoClock) -> None:
        for moment, _, scene in sorted(self.scenes, key=lambda s: (s[0], s[1])):
            clock.now = moment
            scene()


@contextmanager
def recording_on(app: LedgerApp, clock: DemoClock) -> Iterator[None]:
    """Stamp the events ``app`` writes with ``clock``; restore the real clock afterwards."""
    store = app.core.store
    own = store.clock
    store.clock = clock
    try:
        yield
    finally:
        store.clock = own


def recorded_on(period: Period) -> date:
    """When a period's returns arrive: 8 to 24 days after it ends, within the 30-day lag."""
    return period.end + timedelta(days=8 + int((unit_noise("lag", period) + 1) * 8))


def build(app: LedgerApp, actor: str, keys: Mapping[str, str] | None = None) -> dict[str, int]:
    """Fill an empty ledger with the demo, recorded on its timeline; the acting user holds every role.

    KEYS (name -> public key hex) are enrolled with the cast; the app holds their private keys,
    so what the cast records is signed."""
    timeline = Timeline()
    counts = schedule(timeline, app, actor, keys or {})
    clock = DemoClock()
    with recording_on(app, clock):
        timeline.run(clock)
    return counts


def schedule(timeline: Timeline, app: LedgerApp, actor: str,
             keys: Mapping[str, str] | None = None) -> dict[str, int]:
    """Put every scene of the demo on ``timeline``; returns what the demo will hold."""
    timeline.at(START, lambda: _set_up(app, actor, keys or {}), hour=9)
    ladder_people = demo_ladder.schedule(timeline, app, actor, START, date(YEARS[-1] + 1, 9, 30))
    for year in YEARS:  # targets agreed the month before each year starts
        timeline.at(date(year, 3, 15), _targets, app, "Priya Shah", year)
    timeline.at(date(YEARS[-1], 3, 20), lambda: app.targets.rag_default(
        actor, Decimal(10), Period.year_of(YEARS[-1]),
        "LSP board widened the amber band to 10% for the LAA's final year"))
    items = list(returns())
    for day, batch in _batches(items):
        timeline.at(day, _import, app, batch, hour=14)
    revised = _revisions(timeline, app, actor)
    timeline.at(date(YEARS[-1], 9, 1), lambda: app.returns.finalise(
        manager("NI 192"), "NI 192", Period.parse(f"{Period.year_of(YEARS[-1])}-Q1"),
        "validated against WasteDataFlow"))
    timeline.at(date(YEARS[-1], 4, 10), lambda: app.indicators.revise(
        actor, "NI 181", {"definition": "Average days to process new Housing Benefit claims and change "
                                        "events (DWP SHBE definition)."},
        "DWP clarified the definition for change events"))
    latest = Period.year_of(YEARS[-1])
    for code, outlook, note in OUTLOOKS:
        timeline.at(date(YEARS[-1], 10, 15), app.targets.assess, actor, code, latest, outlook, note)
    _milestones(timeline, app, actor)
    closed = Period.year_of(YEARS[-2])
    timeline.at(date(YEARS[-2] + 1, 7, 31), lambda: app.targets.close_period(
        actor, closed, "outturn signed off by the LSP board"))
    adjustments = _adjustments(timeline, app)
    schedule_quality(timeline, app, actor)
    risks = demo_risks.schedule(timeline, app)
    priorities = demo_plans.schedule(timeline, app, actor)
    return {"people": len(CAST) + 1 + ladder_people, "indicators": len(SPECS), "returns": len(items),
            "revisions": revised, "targets": sum(1 for _ in targets()), "adjustments": adjustments,
            "risks": risks, "priorities": priorities}


def _set_up(app: LedgerApp, actor: str, keys: Mapping[str, str]) -> None:
    app.people.initialise(actor, actor, Decimal(5), demo=True)
    for role in Role:
        if role is not Role.ADMINISTRATOR:
            app.people.add(actor, actor, [role], "Demo")
    for name, organisation, roles in CAST:
        app.people.add(actor, name, roles, organisation, public_key=keys.get(name))
    for spec in SPECS:
        app.indicators.register(actor, spec.code, ProForma(
            title=spec.title, unit=spec.unit, polarity=spec.polarity, frequency=spec.frequency,
            definition=f"{spec.title}, as defined in the National Indicator handbook.",
            method="numerator / denominator" if spec.denominator else None,
            source="national" if spec.code.startswith("NI") else "local",
            decimals=0 if spec.unit is Unit.COUNT else 2, tracker=spec.tracker, cumulative=spec.cumulative,
            tolerance=Decimal(spec.tolerance) if spec.tolerance else None,
            rate_base=Decimal(spec.rate_base) if spec.rate_base else None,
            baseline=figure(spec, Period.year_of(YEARS[0] - 1))[0],
            proxy_for=PROXIES.get(spec.code), theme=spec.theme,
        ))


def _targets(app: LedgerApp, actor: str, year: int) -> None:
    """The year's targets: an LAA indicator's year target through the agreement (proposed and
    approved by two members of the Performance Support Group); the rest set directly."""
    specs = {s.code: s for s in SPECS}
    for code, period, target, reason in targets((year,)):
        if code in AGREED and period.kind is PeriodKind.YEAR and target.value is not None:
            demo_plans.agree(app, specs[code], period, target, reason)
        else:
            app.targets.set(actor, code, period, target, None, reason)


def _batches(items: list[ReturnInput]) -> list[tuple[date, list[ReturnInput]]]:
    """The returns grouped by the day they arrive; the late one arrives on its own, late."""
    by_day: dict[date, list[ReturnInput]] = defaultdict(list)
    code, period_text, days_late, reason = LATE
    for item in items:
        if (item.indicator, str(item.period)) == (code, period_text):
            due = item.period.end + timedelta(days=30)  # the default reporting lag
            by_day[due + timedelta(days=days_late)].append(
                ReturnInput(item.indicator, item.period, item.value, item.numerator, item.denominator,
                            item.status, reason, item.source))
        else:
            by_day[recorded_on(item.period)].append(item)
    return sorted(by_day.items())


def manager(code: str) -> str:
    """The improvement manager designated for ``code``: who submits its returns."""
    spec = next(s for s in SPECS if s.code == code)
    return demo_ladder.THEMES[spec.theme][5]


def _import(app: LedgerApp, batch: list[ReturnInput]) -> None:
    """Each improvement manager imports their own indicators' returns."""
    by_manager: dict[str, list[ReturnInput]] = defaultdict(list)
    for item in batch:
        by_manager[manager(item.indicator)].append(item)
    for person, items in by_manager.items():
        app.imports.returns(person, partial(enumerate, items, 2))


def _revisions(timeline: Timeline, app: LedgerApp, actor: str) -> int:
    """A few revisions, with who and why, as real partnerships make them, some weeks after the return."""
    revisions = (
        ("NI 192", f"{Period.year_of(YEARS[-1])}-Q1", "late tonnage data from the waste contractor"),
        ("NI 117", f"{YEARS[-1]}-06", "partner's CCIS extract corrected"),
        ("NI 154", f"{Period.year_of(YEARS[-2])}-Q3", "completions double-counted in the first return"),
    )
    for code, period_text, reason in revisions:
        spec = next(s for s in SPECS if s.code == code)
        period = Period.parse(period_text)
        value, numerator, denominator = figure(spec, period)
        bump = Decimal(1) if spec.unit is Unit.COUNT else Decimal("0.5")
        if numerator is not None and denominator is not None:
            scale = Decimal(100) if spec.unit is Unit.PERCENT else Decimal(spec.rate_base or 1)
            numerator += (bump * denominator / scale).quantize(Decimal(1))
            value = (numerator * scale / denominator).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
        else:
            value += bump
        item = ReturnInput(code, period, value, numerator, denominator, Status.PROVISIONAL, COMMENTS[4],
                           "partner return", reason)
        timeline.at(recorded_on(period) + timedelta(days=21), app.returns.submit, manager(code), item)
    return len(revisions)


def _milestones(timeline: Timeline, app: LedgerApp, actor: str) -> None:
    keys: dict[str, str] = {}
    for title, due, status, note in MILESTONES:
        def add(title: str, due: date) -> None:
            keys[title] = app.targets.add_milestone(actor, "NI 5", title, due)

        def progress(title: str, status: str, note: str) -> None:
            app.targets.milestone_progress(actor, keys[title], status, note)

        timeline.at(date(YEARS[-1], 4, 15), add, title, due)
        timeline.at(min(due + timedelta(days=2), date(YEARS[-1] + 1, 1, 20)), progress, title, status, note)


def _adjustments(timeline: Timeline, app: LedgerApp) -> int:
    """A restatement of the closed year, approved by someone else, and a re-based series pending."""
    closed = Period.year_of(YEARS[-2])
    quarter = Period.parse(f"{closed}-Q4")
    spec = next(s for s in SPECS if s.code == "NI 192")
    value, numerator, denominator = figure(spec, quarter)
    assert numerator is not None
    assert denominator is not None
    numerator -= 360  # tonnage double counted at the transfer station
    value = (numerator * 100 / denominator).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    keys: list[str] = []
    timeline.at(date(YEARS[-2] + 1, 8, 12), lambda: keys.append(app.adjustments.request(
        "Tom Okafor", "NI 192",  # cumulative: the year's outturn is its Q4, restated with it
        [Restatement(quarter, value, numerator, denominator),
         Restatement(closed, value, numerator, denominator)],
        "error-correction",
        "360 tonnes of rubble were counted as recycled at the transfer station in March",
        f"WasteDataFlow Q4 return, resubmitted {YEARS[-2] + 1}-06-12", None)))
    timeline.at(date(YEARS[-2] + 1, 8, 14), lambda: app.adjustments.approve(
        "Helen Marsh", keys[0], "checked against the contractor's weighbridge tickets"))
    rebased = next(s for s in SPECS if s.code == "NI 181")
    series = [Restatement(p, figure(rebased, p)[0] + Decimal("0.8"), row=n)
              for n, p in enumerate(own_periods(rebased, YEARS[-2]), start=2)]
    timeline.at(date(YEARS[-1], 10, 1), lambda: app.adjustments.request(
        "Priya Shah", "NI 181", series, "definition-change",
        "The DWP definition now counts change events: the closed year is restated on the new basis",
        None, 2, series=True))
    return 2
