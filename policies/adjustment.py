"""The controls on a retrospective adjustment (000 §9.2.3, DOMAIN.md), as pure rules.

A request needs a reason from the fixed list, a justification, and evidence: a
reference, or - for a definition change - the indicator revision that changed
the definition or method. Who may decide is the role table's business
(``policies.authorisation``); that the requester never decides is the
aggregate's (``ledger.domain.adjustment``).
"""

from __future__ import annotations

from collections.abc import Sequence

from ledger.hints import command, option

REASONS = ("national-source-revision", "definition-change", "category-change", "error-correction",
           "late-data")
DEFINITION_CHANGE = "definition-change"


def request_problems(
    reason: str | None,
    justification: str | None,
    evidence: str | None,
    revision: int | None,
    definition_revisions: Sequence[int],
    latest_revision: int,
) -> list[str]:
    """Every reason the request's paperwork is not in order, each naming its option."""
    problems: list[str] = []
    if not reason:
        problems.append(f"{option('reason')} is required: one of {', '.join(REASONS)}")
    elif reason not in REASONS:
        problems.append(f"{option('reason')} {reason!r} is not an adjustment reason: use one of "
                        f"{', '.join(REASONS)}")
    if not (justification or "").strip():
        problems.append(f"{option('justification')} is required: say why the reported figure must change")
    if evidence is not None and not evidence.strip():
        problems.append(f"{option('evidence')} is empty: give a reference (a document, a letter, a "
                        "dataset release)")
    if reason == DEFINITION_CHANGE:
        if revision is None:
            problems.append("a definition-change names the indicator revision that changed the "
                            f"definition: add {option('revision')} N (see {command('indicator show')})")
        elif revision not in definition_revisions:
            if not 1 <= revision <= latest_revision:
                problems.append(f"{option('revision')} {revision} does not exist (the indicator is at "
                                f"revision {latest_revision})")
            else:
                problems.append(f"{option('revision')} {revision} did not change the definition or method"
                                + _which(definition_revisions))
    else:
        if revision is not None and reason in REASONS:
            problems.append(f"{option('revision')} is evidence only for a definition-change: give "
                            f"{option('evidence')} REF")
        elif evidence is None and reason in REASONS:
            problems.append(f"{option('evidence')} is required: a reference to what supports the change")
    return problems


def _which(definition_revisions: Sequence[int]) -> str:
    if not definition_revisions:
        return "; no revision of this indicator has"
    return "; revision(s) that did: " + ", ".join(str(r) for r in definition_revisions)


__all__ = ["DEFINITION_CHANGE", "REASONS", "request_problems"]
