"""The demo's designations and ladder of intervention (issue #5).

Before the first returns arrive, the Board designates everyone the framework names for
each indicator (000 §10.9-10.12) and performance support puts Halton's ladder in force;
from then on the ladder decides at each six-monthly review as the returns come in.
Improvement managers answer the cases the ladder opens, a few weeks after each opens.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date, timedelta
from typing import Any, Protocol

from commands.demo.data import SPECS, YEARS, target_for
from ledger.app import LedgerApp
from ledger.domain.escalation import Escalations
from ledger.values import Period, Role
from policies.ladder import HALTON

# theme -> (lead organisation, contributor, director, lead officer, operational manager,
#           improvement manager); a director leads where the Council leads, and has
#           active oversight where a partner does (000 §10.11).
THEMES: dict[str, tuple[str, str, str, str, str, str]] = {
    "Environment": ("Halton Borough Council", "Halton Waste Partnership", "Mark Reed", "Mark Reed",
                    "Sue Barker", "Tom Okafor"),
    "Safer communities": ("Safer Halton Partnership", "Cheshire Police", "Mark Reed", "Supt Dev Rao",
                          "Kevin Ashe", "Tom Okafor"),
    "Children and young people": ("Halton Borough Council", "Riverside College", "Julia Hart",
                                  "Julia Hart", "Amy Cole", "Grace Lee"),
    "Healthier communities": ("Halton Primary Care Trust", "Halton Borough Council", "Dr Nadia Khan",
                              "Dr Nadia Khan", "Amy Cole", "Grace Lee"),
    "Adults and older people": ("Halton Borough Council", "Halton Primary Care Trust", "Dr Nadia Khan",
                                "Dr Nadia Khan", "Amy Cole", "Grace Lee"),
    "Economy and employment": ("Halton Employment Partnership", "Jobcentre Plus", "Mark Reed",
                               "Owen Price", "Kevin Ashe", "Tom Okafor"),
    "Stronger communities": ("Halton Strategic Partnership", "Halton Voluntary Action", "Julia Hart",
                             "Owen Price", "Sue Barker", "Tom Okafor"),
    "Corporate health": ("Halton Borough Council", "Halton Primary Care Trust", "Julia Hart", "Julia Hart",
                         "Sue Barker", "Tom Okafor"),
}
COUNCIL = "Halton Borough Council"
PEOPLE = (("Mark Reed", COUNCIL), ("Julia Hart", COUNCIL), ("Dr Nadia Khan", "Halton Primary Care Trust"),
          ("Supt Dev Rao", "Cheshire Police"), ("Owen Price", "Halton Employment Partnership"),
          ("Sue Barker", COUNCIL), ("Kevin Ashe", COUNCIL), ("Amy Cole", COUNCIL))
NOTES = {1: "The lead partner has an action plan; progress goes to the thematic partnership in "
            "three months.",
         2: "The thematic partnership has agreed a plan with the agencies.",
         3: "The PSG's nominee has agreed a revised plan."}


# The PSG watches one stretch target at the target itself: the demo's case that climbs.
WATCHED = "NI 123"


class Timeline(Protocol):
    def at(self, day: date, scene: Callable[..., object], *args: Any, hour: int = 10) -> None: ...


def schedule(timeline: Timeline, app: LedgerApp, actor: str, start: date, ends: date) -> int:
    """Put the designations, the ladder and the responses on the timeline; returns people added."""
    timeline.at(start, _designate, app, actor, hour=11)
    timeline.at(start, lambda: app.escalations.use_ladder(actor, HALTON, "halton"), hour=12)
    for year in YEARS:  # just after the year's targets are agreed
        timeline.at(date(year, 3, 16), _watch, app, actor, year)
    day = start + timedelta(days=30)
    while day <= ends:  # once a month, the improvement managers answer what the ladder opened
        timeline.at(day, _respond, app, hour=16)
        day += timedelta(days=30)
    return len(PEOPLE)


def _designate(app: LedgerApp, actor: str) -> None:
    for name, organisation in PEOPLE:
        app.people.add(actor, name, [Role.VIEWER], organisation)
    for spec in SPECS:
        lead, contributor, director, officer, manager, improver = THEMES[spec.theme]
        app.people.designate(actor, spec.code, "lead-organisation", lead, None)
        app.people.designate(actor, spec.code, "contributor", contributor, None)
        role = "director" if lead == COUNCIL else "oversight-director"
        app.people.designate(actor, spec.code, role, director, None)
        app.people.designate(actor, spec.code, "lead-officer", officer, None)
        app.people.designate(actor, spec.code, "operational-manager", manager, None)
        app.people.designate(actor, spec.code, "improvement-manager", improver, None)


def _watch(app: LedgerApp, actor: str, year: int) -> None:
    spec = next(s for s in SPECS if s.code == WATCHED)
    fy = Period.year_of(year)
    target = target_for(spec, fy)
    app.targets.set(actor, WATCHED, fy, replace(target, monitoring_level=target.value), None,
                   "PSG: a stretch target, monitored at the target itself")


def _respond(app: LedgerApp) -> None:
    """Each open case at stage 1 or 2 not yet answered gets its improvement manager's response."""
    for spec in SPECS:
        record = app.core.load(Escalations, spec.code)
        case = record.current if record else None
        if case is None or case.responded or case.stage > 2:
            continue
        improver = THEMES[spec.theme][5]
        plan = f"{spec.code} plan {app.core.today().isoformat()}" if HALTON.stage(case.stage).plan else None
        app.escalations.respond(improver, case.case_id, NOTES[case.stage], plan)
