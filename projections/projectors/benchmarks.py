"""Projectors for benchmarks: comparator groups' membership over time, and each area's published value
(a correction ends the earlier value's row at its position and believes the new one from there)."""

from __future__ import annotations

import json
from typing import Any

from projections import schema as t
from projections.catchup.writer import PageWriter
from projections.projectors.base import Handler, registrar

HANDLERS: dict[str, Handler] = {}
handles = registrar(HANDLERS)


def _group_row(entry: Any, defined_at: str, membership: int) -> dict[str, Any]:
    e = entry.event
    return {
        "name": e.name,
        "from_position": entry.position,
        "until_position": None,
        "areas": json.dumps(e.areas),
        "own": e.own,
        "membership": membership,
        "reason": e.reason,
        "actor": e.actor,
        "recorded_at": entry.recorded_at,
        "defined_at": defined_at,
    }


@handles("ComparatorGroup.Defined")
def _defined(entry: Any, w: PageWriter) -> dict[str, Any]:
    e = entry.event
    w.insert(t.comparator_groups, _group_row(entry, entry.recorded_at, 1))
    own = f"; own area {e.own}" if e.own else ""
    return {"after": ", ".join(e.areas), "detail": f"comparator group {e.name}: {len(e.areas)} areas{own}"}


@handles("ComparatorGroup.Changed")
def _changed(entry: Any, w: PageWriter) -> dict[str, Any]:
    e = entry.event
    current = w.open_row(t.comparator_groups, name=e.name)
    assert current is not None, "a comparator group changed before it was defined"
    w.close_rows(t.comparator_groups, entry.position, name=e.name)
    w.insert(t.comparator_groups, _group_row(entry, current["defined_at"], e.membership))
    return {"before": ", ".join(e.before), "after": ", ".join(e.areas), "reason": e.reason,
            "detail": f"comparator group {e.name}: membership {e.membership}, {len(e.areas)} areas"}


def _value(entry: Any, area: str, edition: int) -> dict[str, Any]:
    e = entry.event
    return {
        "indicator": e.indicator,
        "comparator": e.group,
        "period": e.period,
        "area": area,
        "from_position": entry.position,
        "until_position": None,
        "value": e.values[area],
        "source": e.sources[area],
        "edition": edition,
        "actor": e.actor,
        "recorded_at": entry.recorded_at,
    }


@handles("Benchmark.Published")
def _published(entry: Any, w: PageWriter) -> dict[str, Any]:
    e = entry.event
    for area in e.values:
        w.insert(t.benchmarks, _value(entry, area, 1))
    return {"indicator": e.indicator, "period": e.period,
            "detail": f"benchmark: {len(e.values)} areas of {e.group} from {e.file}"}


@handles("Benchmark.Revised")
def _revised(entry: Any, w: PageWriter) -> dict[str, Any]:
    e = entry.event
    for area in e.corrected:
        w.close_rows(t.benchmarks, entry.position, indicator=e.indicator, comparator=e.group, period=e.period,
                     area=area)
    for area in [*e.corrected, *e.added]:
        w.insert(t.benchmarks, _value(entry, area, e.edition))
    corrected = "; ".join(f"{a} {before} -> {e.values[a]}" for a, before in sorted(e.corrected.items()))
    return {"indicator": e.indicator, "period": e.period,
            "before": corrected or None,
            "detail": f"benchmark revised (edition {e.edition}) from {e.file}: {len(e.corrected)} corrected, "
                      f"{len(e.added)} added, in {e.group}"}
