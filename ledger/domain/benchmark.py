"""Benchmarks (issue 16, item 4): comparator groups - a CIPFA nearest-neighbour group, say - whose
membership is versioned, and the values published for an indicator, a group and a year, each set an
aggregate whose corrections are new events (the earlier figures kept)."""

from __future__ import annotations

from typing import Any

from eventsourcing.domain import Aggregate, event

from ledger.domain.base import stable_id
from ledger.errors import Invalid
from ledger.hints import command, option

AREA_LIMIT = 200  # characters in an area's name


def clean_areas(areas: list[str], own: str | None) -> tuple[list[str], str | None]:
    """AREAS stripped, each once (case-insensitively), OWN among them (added first if not listed)."""
    found: list[str] = []
    seen: set[str] = set()
    for area in (a.strip() for a in areas):
        if not area:
            raise Invalid(f"{option('areas')} has an empty name: separate the areas by commas, e.g. "
                          "'Halton,St Helens,Knowsley'")
        if len(area) > AREA_LIMIT:
            raise Invalid(f"an area's name is {len(area)} characters long: at most {AREA_LIMIT}")
        if area.casefold() in seen:
            raise Invalid(f"{option('areas')} names {area!r} twice")
        seen.add(area.casefold())
        found.append(area)
    own = own.strip() if own is not None else None
    if own == "":
        raise Invalid(f"{option('own')} is empty: name this council's area as the benchmark files spell it")
    if own is not None:
        listed = next((a for a in found if a.casefold() == own.casefold()), None)
        if listed is None:
            found.insert(0, own)
        else:
            own = listed
    if len(found) < 2:
        raise Invalid(f"a comparator group needs at least two areas in {option('areas')}")
    return found, own


class ComparatorGroup(Aggregate):
    """A named group of areas whose published figures are compared; each membership a version."""

    TOPIC = "perfledger/ComparatorGroup"
    class_version = 1

    class Created(Aggregate.Created):
        TOPIC = "perfledger/ComparatorGroup.Created"

    @staticmethod
    def create_id(name: str) -> Any:
        return stable_id("comparator-group", name)

    @event("Defined", topic="perfledger/ComparatorGroup.Defined")
    def __init__(self, name: str, areas: list[str], own: str | None, reason: str | None, actor: str) -> None:
        self.name = name
        self.areas = list(areas)
        self.own = own
        self.membership = 1

    def area_named(self, area: str) -> str | None:
        """The group's spelling of AREA (matched case-insensitively), or None if not a member."""
        wanted = area.strip().casefold()
        return next((a for a in self.areas if a.casefold() == wanted), None)

    def change(self, areas: list[str], own: str | None, reason: str, actor: str) -> None:
        if not reason.strip():
            raise Invalid(f"changing the membership of {self.name} needs {option('reason')}")
        areas, own = clean_areas(areas, own if own is not None else self.own)
        if areas == self.areas and own == self.own:
            raise Invalid(f"{self.name} already has exactly these areas: nothing to change (see "
                          f"{command('comparator group show ' + self.name)})")
        self._changed(name=self.name, areas=areas, own=own, before=list(self.areas),
                      membership=self.membership + 1, reason=reason.strip(), actor=actor)

    @event("Changed", topic="perfledger/ComparatorGroup.Changed")
    def _changed(self, name: str, areas: list[str], own: str | None, before: list[str], membership: int,
                 reason: str, actor: str) -> None:
        self.areas = list(areas)
        self.own = own
        self.membership = membership


class Benchmark(Aggregate):
    """The values published for INDICATOR across GROUP's areas for PERIOD (a financial year), each with
    its source. A later file that changes a value, or adds an area, revises the set: a new event that
    names what changed; the earlier figures stay in the log."""

    TOPIC = "perfledger/Benchmark"
    class_version = 1

    class Created(Aggregate.Created):
        TOPIC = "perfledger/Benchmark.Created"

    @staticmethod
    def create_id(indicator: str, group: str, period: str) -> Any:
        return stable_id("benchmark", indicator, group, period)

    @event("Published", topic="perfledger/Benchmark.Published")
    def __init__(self, indicator: str, group: str, period: str, values: dict[str, str],
                 sources: dict[str, str], membership: int, file: str, actor: str) -> None:
        self.indicator = indicator
        self.group = group
        self.period = period
        self.values = dict(values)
        self.sources = dict(sources)
        self.editions = 1

    def differences(self, values: dict[str, str], sources: dict[str, str]) -> tuple[list[str], list[str]]:
        """(areas whose value or source VALUES/SOURCES would change, areas they would add)."""
        changed = sorted(a for a in values if a in self.values
                         and (values[a], sources[a]) != (self.values[a], self.sources[a]))
        added = sorted(a for a in values if a not in self.values)
        return changed, added

    def revise(self, values: dict[str, str], sources: dict[str, str], membership: int, file: str,
               actor: str) -> bool:
        """Record VALUES (area -> value) and SOURCES where they differ; False if nothing would change."""
        changed, added = self.differences(values, sources)
        if not changed and not added:
            return False
        self._revised(indicator=self.indicator, group=self.group, period=self.period,
                      values={**self.values, **values}, sources={**self.sources, **sources},
                      corrected={a: self.values[a] for a in changed}, added=added, membership=membership,
                      edition=self.editions + 1, file=file, actor=actor)
        return True

    @event("Revised", topic="perfledger/Benchmark.Revised")
    def _revised(self, indicator: str, group: str, period: str, values: dict[str, str],
                 sources: dict[str, str], corrected: dict[str, str], added: list[str], membership: int,
                 edition: int, file: str, actor: str) -> None:
        self.values = dict(values)
        self.sources = dict(sources)
        self.editions = edition
