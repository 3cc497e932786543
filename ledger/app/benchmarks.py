"""Use cases: comparator groups (defined, their membership changed) and benchmark files - the values
published for comparable areas, validated row by row, then written in ONE transaction or not at all."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal

from ledger.app.usecase import Part, use_case
from ledger.domain.benchmark import Benchmark, ComparatorGroup, clean_areas
from ledger.domain.indicator import Indicator
from ledger.errors import Invalid, NotFound, Problems
from ledger.hints import command, option
from ledger.values import Period, PeriodKind
from policies.authorisation import Act

NAME_LIMIT = 200


@dataclass(frozen=True)
class BenchmarkInput:
    """One row of a benchmark file: an area's published value of an indicator for a year."""

    indicator: str
    period: Period
    group: str
    area: str
    value: Decimal
    source: str


@dataclass(frozen=True)
class BenchmarkImport:
    rows: int
    new: int  # sets (indicator, group, year) published for the first time
    revised: int  # sets the file corrects or adds areas to
    unchanged: int  # sets the ledger holds exactly as the file has them
    written: bool


Rows = Callable[[], Iterable[tuple[int, BenchmarkInput | list[str]]]]
Key = tuple[str, str, str]  # indicator, group, period


class BenchmarkRejected(Problems):
    """A benchmark file with bad rows: every problem listed; nothing was written."""

    def __init__(self, problems: list[str], rows: int) -> None:
        super().__init__(problems, f"{len(problems)} problem(s) in {rows} row(s): nothing was imported; "
                                   "fix the rows above")


class Benchmarks(Part):
    def group(self, name: str) -> ComparatorGroup:
        found = self.core.load(ComparatorGroup, name)
        if found is None:
            raise NotFound(f"unknown comparator group {name!r}: see {command('comparator group list')}")
        return found

    @use_case(Act.COMPARATOR_GROUP)
    def define(self, actor: str, name: str, areas: list[str], own: str | None, reason: str | None) -> int:
        """Define comparator group NAME; returns how many areas it has."""
        name = name.strip()
        if not name:
            raise Invalid("a comparator group needs a NAME, e.g. 'CIPFA nearest neighbours'")
        if len(name) > NAME_LIMIT:
            raise Invalid(f"a comparator group's name is {len(name)} characters long: at most {NAME_LIMIT}")
        if self.core.exists(ComparatorGroup, name):
            raise Invalid(f"comparator group {name} is defined already: change its areas with "
                          f"{command('comparator group change ' + name)}")
        areas, own = clean_areas(areas, own)
        self.core.save(ComparatorGroup(name=name, areas=areas, own=own,
                                       reason=reason.strip() if reason and reason.strip() else None,
                                       actor=actor))
        return len(areas)

    @use_case(Act.COMPARATOR_GROUP)
    def change(self, actor: str, name: str, areas: list[str], own: str | None, reason: str) -> int:
        """Change NAME's membership (a new version; the earlier ones stay readable as at their time)."""
        group = self.group(name)
        group.change(areas, own, reason, actor)
        self.core.save(group)
        return group.membership

    @use_case(Act.BENCHMARK_IMPORT)
    def import_rows(self, actor: str, rows: Rows, file: str, *, dry_run: bool = False) -> BenchmarkImport:
        """Check every row of a benchmark file, then record each (indicator, group, year) set it holds:
        new sets published, changed ones revised (the earlier figures kept), all in one transaction."""
        sets, count = self._validated(rows)
        pending: list[Benchmark] = []
        new = revised = 0
        for (indicator, name, period), (values, sources) in sorted(sets.items()):
            membership = self.group(name).membership
            held = self.core.load(Benchmark, indicator, name, period)
            if held is None:
                pending.append(Benchmark(indicator=indicator, group=name, period=period, values=values,
                                         sources=sources, membership=membership, file=file, actor=actor))
                new += 1
            elif held.revise(values, sources, membership, file, actor):
                pending.append(held)
                revised += 1
        if not pending:
            raise Invalid(f"every one of the file's {count} row(s) repeats the figures the ledger already "
                          "holds: the file was imported already, so nothing was written")
        if not dry_run:
            self.core.save(*pending)
        return BenchmarkImport(count, new, revised, len(sets) - new - revised, written=not dry_run)

    def _validated(self, rows: Rows) -> tuple[dict[Key, tuple[dict[str, str], dict[str, str]]], int]:
        problems: list[str] = []
        indicators: dict[str, Indicator | None] = {}
        groups: dict[str, ComparatorGroup | None] = {}
        first: dict[tuple[str, str, str, str], int] = {}
        sets: dict[Key, tuple[dict[str, str], dict[str, str]]] = {}
        count = 0
        for number, row in rows():
            count += 1
            if isinstance(row, list):
                problems.extend(f"row {number}, {p}" for p in row)
                continue
            found = self._row_problems(row, indicators, groups)
            if found:
                problems.extend(f"row {number}, {p}" for p in found)
                continue
            group = groups[row.group]
            assert group is not None
            area = group.area_named(row.area) or row.area
            key = (row.indicator, row.group, str(row.period))
            if (*key, area.casefold()) in first:
                problems.append(f"row {number}, area: {area} {row.indicator} {row.period} ({row.group}) "
                                f"already appears at row {first[(*key, area.casefold())]}")
                continue
            first[(*key, area.casefold())] = number
            values, sources = sets.setdefault(key, ({}, {}))
            values[area] = str(row.value)
            sources[area] = row.source
        if count == 0:
            raise Invalid("the file has a header but no rows: nothing to import")
        if problems:
            raise BenchmarkRejected(problems, count)
        return sets, count

    def _row_problems(self, row: BenchmarkInput, indicators: dict[str, Indicator | None],
                      groups: dict[str, ComparatorGroup | None]) -> list[str]:
        problems: list[str] = []
        if row.indicator not in indicators:
            indicators[row.indicator] = self.core.load(Indicator, row.indicator)
        if indicators[row.indicator] is None:
            problems.append(f"indicator: unknown indicator {row.indicator!r} (see "
                            f"{command('indicator list')}): register it first, or fix the code")
        if row.period.kind is not PeriodKind.YEAR:
            problems.append(f"period: {row.period} is not a financial year: benchmarks are published for "
                            f"a year, written like {row.period.financial_year}")
        if row.group not in groups:
            groups[row.group] = self.core.load(ComparatorGroup, row.group)
        group = groups[row.group]
        if group is None:
            problems.append(f"group: unknown comparator group {row.group!r}: define it first with "
                            f"{command('comparator group add')} (see {command('comparator group list')})")
        elif group.area_named(row.area) is None:
            problems.append(f"area: {row.area!r} is not in the comparator group {row.group} (its areas: "
                            f"{', '.join(group.areas)}): fix the name, or add the area with "
                            f"{command('comparator group change ' + row.group)} {option('areas')}")
        return problems


__all__ = ["BenchmarkImport", "BenchmarkInput", "BenchmarkRejected", "Benchmarks"]
