"""Authorisation by designation (000 §10.9-10.12): who answers for one indicator. Pure.

The role table (policies/authorisation.py) says what a role may do anywhere; a designation
narrows it for one indicator. Once an indicator has a designated improvement manager, its
returns (submit, each row of an import, finalise), assessments and milestones come only from that
person, or from performance support or an administrator. An escalation response comes from
anyone designated for the indicator in person (director, oversight director, lead officer,
operational manager, improvement manager), or from performance support or an administrator.
Until an indicator has someone designated for an act, the role table alone decides it (CLI.md:
"own designated indicators once designations exist"): an indicator with no designated
improvement manager is open to every improvement manager, and one with nobody designated in
person takes escalation responses from any improvement manager.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from ledger.values import Role
from policies.authorisation import Act

ORGANISATIONS = ("lead-organisation", "contributor")
PEOPLE = ("director", "oversight-director", "lead-officer", "operational-manager", "improvement-manager")
ROLES = ORGANISATIONS + PEOPLE
OVERRIDE = frozenset({Role.PERFORMANCE_SUPPORT, Role.ADMINISTRATOR})

# The acts a designation narrows, and the designations that may do them.
NARROWED: dict[Act, tuple[str, ...]] = {
    Act.RETURN_SUBMIT: ("improvement-manager",),
    Act.RETURN_IMPORT: ("improvement-manager",),
    Act.RETURN_FINALISE: ("improvement-manager",),
    Act.ASSESS: ("improvement-manager",),
    Act.MILESTONE: ("improvement-manager",),
    Act.ESCALATION_RESPOND: PEOPLE,
}
WORDS: dict[Act, str] = {Act.RETURN_SUBMIT: "submit returns", Act.RETURN_IMPORT: "import returns",
         Act.RETURN_FINALISE: "finalise returns",
         Act.ASSESS: "assess the outlook", Act.MILESTONE: "add or progress milestones",
         Act.ESCALATION_RESPOND: "respond to escalations"}


def refusal(act: Act, actor: str, roles: set[Role], code: str,
            held: Mapping[str, Sequence[str]]) -> str | None:
    """Why ``actor`` may not do ``act`` on indicator ``code`` (None: they may).

    ``held`` maps each designation of the indicator to its holders now.
    """
    designations = NARROWED.get(act)
    if designations is None or roles & OVERRIDE:
        return None
    holders = sorted({name for d in designations for name in held.get(d, ())})
    if not holders or actor in holders:  # nobody designated for this act yet: the role table decides
        return None
    who = ", ".join(holders)
    return (f"{actor} may not {WORDS[act]} for {code}: only its designated "
            f"{' or '.join(designations) if len(designations) == 1 else 'people'} ({who}), "
            "performance support or an administrator may")
