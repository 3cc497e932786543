"""Use cases: validation of returns and data-quality queries; the quality rules at entry.

The rules themselves are pure (``policies/quality.py``); this module finds the
figures they read - from the aggregates for one return, or in batches (never a
query per row) for an imported file, whose own rows count as the figures will
stand.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any
from uuid import UUID

from ledger.app.core import Core
from ledger.app.usecase import Part, use_case
from ledger.domain.indicator import Indicator
from ledger.domain.query import QueryRef, query_id
from ledger.domain.returns import PeriodReturn
from ledger.errors import Invalid, NotFound, Refused
from ledger.hints import command, option
from ledger.values import Period, PeriodKind, Status, own_kind
from ledger.vocabulary import QUERY_OUTCOMES as OUTCOMES
from policies import quality
from policies.authorisation import Act
from policies.validation import Problem


def shape_of(indicator: Indicator) -> quality.Shape:
    pf = indicator.pro_forma
    return quality.Shape(pf.unit, own_kind(pf.frequency), pf.cumulative, pf.decimals,
                         getattr(pf, "outlier_threshold", None))


@dataclass
class _Row:
    number: int
    code: str
    period: Period
    value: Decimal
    commentary: str | None


@dataclass
class FileChecks:
    """The quality rules over a whole file, gathered in one streaming pass and checked in batches.

    ``note`` sees every valid row; ``finish`` makes a second pass only over the rows that
    need other figures (rows of a year that has a year-end figure, in the file or the
    ledger, and rows of indicators with an outlier threshold).
    """

    shapes: dict[str, quality.Shape] = field(default_factory=dict)
    year_rows: set[tuple[str, Period]] = field(default_factory=set)
    years: set[tuple[str, Period]] = field(default_factory=set)
    outlier_codes: set[str] = field(default_factory=set)

    def note(self, code: str, period: Period, indicator: Indicator) -> None:
        shape = self.shapes.get(code)
        if shape is None:
            shape = self.shapes[code] = shape_of(indicator)
            if shape.outlier_threshold is not None:
                self.outlier_codes.add(code)
        if shape.own is PeriodKind.YEAR:
            return
        year = period.financial_year
        self.years.add((code, year))
        if period.kind is PeriodKind.YEAR:
            self.year_rows.add((code, year))

    def finish(self, rows: Iterable[tuple[int, Any]], existing: Callable[[list[UUID]], set[UUID]],
               load_many: Callable[[list[UUID]], dict[UUID, PeriodReturn]],
               ) -> tuple[list[str], dict[tuple[str, Period], list[str]]]:
        """Every problem (``row N, field: ...``) and the warnings to record, by (code, period)."""
        others = [key for key in self.years if key not in self.year_rows]
        ids = {PeriodReturn.create_id(code, year): (code, year) for code, year in others}
        active = set(self.year_rows) | {ids[i] for i in existing(list(ids))}
        if not active and not self.outlier_codes:
            return [], {}
        in_file: dict[tuple[str, Period], Decimal] = {}
        checked: list[_Row] = []
        for number, parsed in rows:
            code, period = parsed.indicator, parsed.period
            wanted = (code, period.financial_year) in active and self.shapes[code].own is not PeriodKind.YEAR
            if wanted or code in self.outlier_codes:
                in_file[(code, period)] = parsed.value
                checked.append(_Row(number, code, period, parsed.value, parsed.commentary))
        context = {(r.code, p) for r in checked for p in [r.period, *quality.context_periods(
            self.shapes[r.code], r.period)]}
        loaded = load_many([PeriodReturn.create_id(c, p) for c, p in context])
        ledger = {(r.indicator, r.period): r for r in loaded.values()}
        problems: list[str] = []
        warned: dict[tuple[str, Period], list[str]] = {}
        for row in checked:
            shape = self.shapes[row.code]

            def figure(period: Period, code: str = row.code) -> Decimal | None:
                if (code, period) in in_file:
                    return in_file[(code, period)]
                held = ledger.get((code, period))
                return held.value if held is not None else None

            periods = quality.context_periods(shape, row.period)
            known = {p: v for p in periods if (v := figure(p)) is not None}
            earlier = ledger.get((row.code, row.period))
            commentary = row.commentary if row.commentary is not None else (
                earlier.commentary if earlier is not None else None)
            found = [*quality.outlier(shape, row.period, row.value, known, commentary),
                     *quality.year_end(shape, row.period, row.value, known, in_file=True,
                                       year_in_file=(row.code, row.period.financial_year) in self.year_rows)]
            problems.extend(f"row {row.number}, {p}" for p in quality.errors(found))
            if quality.warnings(found):
                warned[(row.code, row.period)] = [p.message for p in quality.warnings(found)]
        return problems, warned


def quality_problems(core: Core, indicator: Indicator, period: Period, value: Decimal,
                     commentary: str | None) -> list[Problem]:
    """The quality rules at entry, for one return, against the figures the ledger holds."""
    shape = shape_of(indicator)
    periods = quality.context_periods(shape, period)
    loaded = core.load_returns([PeriodReturn.create_id(indicator.code, p) for p in periods])
    known = {r.period: r.value for r in loaded.values()}
    return [*quality.outlier(shape, period, value, known, commentary),
            *quality.year_end(shape, period, value, known)]


def restatement_problems(core: Core, indicator: Indicator, restated: Mapping[Period, Decimal]) -> list[str]:
    """The year-end rules over a restatement as one decision: each restated figure against its
    year's other figures as they will stand (the ledger's, with every restated figure in place).
    A restatement that breaks a year's consistency must restate the rest in the same decision."""
    shape = shape_of(indicator)
    if shape.own is PeriodKind.YEAR or not restated:
        return []
    years = {p.financial_year for p in restated}
    periods = [q for year in years for q in [year, *year.children(shape.own)]]
    loaded = core.load_returns([PeriodReturn.create_id(indicator.code, p) for p in periods])
    figures = {r.period: r.value for r in loaded.values()} | dict(restated)
    found: dict[str, None] = {}  # ordered, each problem once
    for period, value in sorted(restated.items(), key=lambda item: item[0].sort_key):
        others = {p: v for p, v in figures.items() if p != period}
        for problem in quality.year_end(shape, period, value, others,
                                        year_in_file=period.financial_year in restated):
            found[f"{period}: {problem}; restate the figures it contradicts in the same request"] = None
    return list(found)


def check_final(found: PeriodReturn, status: Status | None) -> None:
    """A return with an open query is never marked final."""
    open_queries = found.open_queries()
    if status is Status.FINAL and open_queries:
        raise Refused(f"{found.indicator} {found.period} has an open data-quality query "
                      f"({', '.join(open_queries)}): it cannot be final until the query is resolved "
                      f"(see {command('query list ' + option('open'))})", control="open-query")


class Quality(Part):
    def _return(self, code: str, period: Period) -> PeriodReturn:
        self.core.indicator(code)
        found = self.core.load(PeriodReturn, code, period)
        if found is None:
            raise NotFound(f"{code} has no return for {period}: there is nothing to validate or query")
        return found

    @use_case(Act.RETURN_VALIDATE)
    def validate(self, actor: str, code: str, period: Period, note: str | None) -> int:
        """Record the documented validation of the current figure; returns its revision."""
        found = self._return(code, period)
        found.validate(note.strip() if note and note.strip() else None, actor)
        self.core.save(found)
        return found.revision

    @use_case(Act.QUERY)
    def raise_query(self, actor: str, code: str, period: Period, note: str) -> str:
        if not note.strip():
            raise Invalid(f"a query needs {option('note')} saying what is in doubt")
        found = self._return(code, period)
        key = query_id(code, period, len(found.queries) + 1)
        found.raise_query(key, note, actor)
        self.core.save(found, QueryRef(query_id=key, indicator=code, period=period, actor=actor))
        return key

    @use_case(Act.QUERY)
    def resolve_query(self, actor: str, key: str, outcome: str, note: str) -> tuple[str, Period]:
        if outcome not in OUTCOMES:
            raise Invalid(f"{option('outcome')} {outcome!r}: use upheld or not-upheld")
        if not note.strip():
            raise Invalid(f"resolving a query needs {option('note')} saying what was found")
        ref = self.core.load(QueryRef, key)
        if ref is None:
            raise NotFound(f"no query {key!r}: see {command('query list')}")
        found = self._return(ref.indicator, ref.period)
        found.resolve_query(key, outcome, note, actor)
        self.core.save(found)
        return ref.indicator, ref.period


__all__ = ["OUTCOMES", "FileChecks", "Quality", "check_final", "quality_problems", "shape_of"]
