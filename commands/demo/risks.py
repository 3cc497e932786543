"""The demo's risk registers and action plans (issue 15): a corporate register of a dozen risks linked
to the indicators they threaten, one risk escalated from a service register and one stepped down, and
actions on the red indicators with one overdue. Recorded on the demo's timeline."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from commands.demo.data import YEARS
from ledger.app import LedgerApp

if TYPE_CHECKING:
    from commands.demo.timeline import Timeline

PS = "Priya Shah"
# code, title, register, owner, indicators, (likelihood, impact), (residual likelihood, impact)
RISKS = (
    (
        "CR 01",
        "Waste contractor fails to deliver the recycling contract",
        "corporate",
        "Tom Okafor",
        ["NI 192", "NI 191"],
        (4, 5),
        (3, 5),
    ),
    (
        "CR 02",
        "Night-time economy drives up acquisitive and violent crime",
        "corporate",
        "Tom Okafor",
        ["NI 16", "NI 20"],
        (4, 4),
        (4, 4),
    ),
    (
        "CR 03",
        "Alcohol-related hospital admissions keep rising",
        "corporate",
        "Grace Lee",
        ["NI 39"],
        (4, 4),
        (4, 4),
    ),
    (
        "CR 04",
        "Road safety schemes delayed by capital slippage",
        "corporate",
        "Tom Okafor",
        ["NI 47"],
        (4, 4),
        (3, 5),
    ),
    (
        "CR 05",
        "Childhood obesity programme loses PCT funding",
        "corporate",
        "Grace Lee",
        ["NI 55"],
        (4, 5),
        (4, 4),
    ),
    (
        "CR 06",
        "Stop-smoking service capacity falls short",
        "corporate",
        "Grace Lee",
        ["NI 123"],
        (4, 4),
        (3, 5),
    ),
    (
        "CR 07",
        "Worklessness rises with the regional downturn",
        "corporate",
        "Tom Okafor",
        ["NI 152"],
        (5, 4),
        (4, 4),
    ),
    ("CR 08", "Street cleansing budget cut mid-year", "corporate", "Tom Okafor", ["NI 195"], (4, 4), (4, 4)),
    (
        "CR 09",
        "Council tax collection falls in a recession",
        "corporate",
        "Tom Okafor",
        ["LPI 01"],
        (4, 4),
        (3, 5),
    ),
    (
        "CR 10",
        "Housing Benefit backlog after the DWP definition change",
        "corporate",
        "Tom Okafor",
        ["NI 181"],
        (4, 4),
        (4, 4),
    ),
    (
        "CR 11",
        "Breastfeeding peer support ends with its grant",
        "corporate",
        "Grace Lee",
        ["NI 53"],
        (4, 4),
        (3, 5),
    ),
    (
        "CR 12",
        "Data-sharing with the police breaks down",
        "corporate",
        "Tom Okafor",
        ["NI 16", "NI 32"],
        (4, 5),
        (4, 4),
    ),
    ("SR 01", "Recycling centre closed for resurfacing", "service", "Tom Okafor", ["NI 192"], (3, 3), (2, 3)),
)


def schedule(timeline: Timeline, app: LedgerApp) -> int:
    """Put the registers and plans on TIMELINE; returns how many risks."""
    year = YEARS[-1]
    added = date(year, 5, 12)
    for code, title, register, owner, indicators, inherent, residual in RISKS:
        timeline.at(added, app.risks.add, PS, code, title, register, owner, indicators, None, hour=10)
        timeline.at(
            added,
            app.risks.assess,
            owner,
            code,
            *inherent,
            *residual,
            "scored at the annual risk workshop",
            hour=11,
        )
    # The recycling centre's closure slips into the winter: the service risk escalates.
    timeline.at(
        date(year, 10, 3),
        app.risks.assess,
        "Tom Okafor",
        "SR 01",
        4,
        4,
        4,
        4,
        "resurfacing slipped to the winter: the centre stays closed through the peak",
        hour=10,
    )
    timeline.at(
        date(year, 10, 8),
        app.risks.move,
        "Tom Okafor",
        "SR 01",
        "corporate",
        "the LSP board asked for it on the corporate register",
        hour=10,
    )
    # The new police data-sharing protocol works: the corporate risk steps down.
    timeline.at(
        date(year, 11, 5),
        app.risks.assess,
        "Tom Okafor",
        "CR 12",
        3,
        3,
        2,
        3,
        "the new data-sharing protocol is signed and working",
        hour=10,
    )
    timeline.at(
        date(year, 11, 9),
        app.risks.move,
        "Tom Okafor",
        "CR 12",
        "service",
        "stepped down: the protocol is working",
        hour=10,
    )
    # Action plans for red indicators and their risks; one falls behind.
    plans = (  # for, title, lead, due, [(day, percent or None for complete, note)]
        (
            "NI 192",
            "Kerbside food waste collection borough-wide",
            "Tom Okafor",
            date(year, 10, 31),
            [
                (date(year, 8, 1), 50, "half the borough collected weekly"),
                (date(year, 10, 20), None, "borough-wide from October"),
            ],
        ),
        (
            "CR 01",
            "Contingency contract with a second hauler",
            "Tom Okafor",
            date(year, 9, 30),
            [(date(year, 9, 15), 40, "two hauliers shortlisted; procurement rules need a second round")],
        ),
        (
            "NI 39",
            "Alcohol liaison nurse at the hospital",
            "Grace Lee",
            date(year + 1, 3, 31),
            [
                (date(year, 12, 1), 60, "nurse recruited; starts in January"),
                (date(year + 1, 3, 20), None, "in post and seeing patients in A&E"),
            ],
        ),
        (
            "NI 123",
            "Pharmacy stop-smoking clinics",
            "Grace Lee",
            date(year + 1, 1, 31),
            [(date(year + 1, 1, 25), None, "twelve pharmacies running clinics")],
        ),
    )
    keys: dict[str, str] = {}

    def add(target: str, title: str, lead: str, due: date) -> None:
        keys[title] = app.actions.add(PS, target, title, lead, due)

    def report(title: str, lead: str, percent: int | None, note: str) -> None:
        if percent is None:
            app.actions.complete(lead, keys[title], note)
        else:
            app.actions.progress(lead, keys[title], percent, note)

    for target, title, lead, due, steps in plans:
        timeline.at(date(year, 6, 2), add, target, title, lead, due, hour=10)
        for day, percent, note in steps:
            timeline.at(day, report, title, lead, percent, note, hour=15)
    return len(RISKS)
