"""Use cases: returns, one at a time or a whole file in one transaction."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from uuid import UUID

from eventsourcing.persistence import StoredEvent

from ledger.adjustments_service import Adjustments
from ledger.application import LedgerCore
from ledger.audit_service import Audit
from ledger.domain.calendar import Calendar
from ledger.domain.indicator import Indicator
from ledger.domain.returns import PeriodReturn
from ledger.errors import Invalid, NotFound, Problems, Refused
from ledger.quality_service import FileChecks, Quality
from ledger.rag_service import Rating
from ledger.submitted_states import SubmittedStates
from ledger.values import Period, Role, Status, describe_return_periods, returns_accepted
from policies.quality import check_decimals, errors, warnings
from policies.validation import check_figures

CHUNK = 1000


@dataclass(frozen=True)
class ReturnInput:
    indicator: str
    period: Period
    value: Decimal
    numerator: Decimal | None = None
    denominator: Decimal | None = None
    status: Status | None = None  # None: provisional when new; unchanged when revising
    commentary: str | None = None  # None: unchanged when revising
    source: str | None = None
    reason: str | None = None


@dataclass(frozen=True)
class ImportResult:
    rows: int
    new: int
    revised: int
    written: bool
    warned: int = 0  # rows accepted with a validation warning (recorded with them)


class ImportRejected(Problems):
    """A file with bad rows: every problem is listed; nothing was written."""

    def __init__(self, problems: list[str], rows: int) -> None:
        super().__init__(
            problems, f"{len(problems)} problem(s) in {rows} row(s): nothing was imported; fix the rows above"
        )


class Returns(Quality, Rating):
    def check_return(self, item: ReturnInput, indicator: Indicator) -> list[str]:
        """Every reason this return cannot be accepted, each naming its field."""
        pf = indicator.pro_forma
        problems: list[str] = []
        if indicator.retired:
            problems.append(f"indicator: {item.indicator} was retired: it takes no returns")
        if not returns_accepted(pf.frequency, item.period):
            problems.append(f"period: {item.period} is not a period for {item.indicator}: "
                            + describe_return_periods(pf.frequency))
        for problem in check_figures(pf.unit, item.value, item.numerator, item.denominator, pf.rate_base):
            problems.append(str(problem))
        problems.extend(str(p) for p in check_decimals(item.value, pf.decimals))
        return problems

    def _known(self, code: str, cache: dict[str, Indicator | None]) -> Indicator | None:
        if code not in cache:
            cache[code] = self.load(Indicator, code)
        return cache[code]

    def submit_return(self, actor: str, item: ReturnInput) -> str:
        """Record a return; a second one for the same period is a revision. Returns 'new'/'revised'."""

        def command() -> str:
            self.authorise(actor, "return submit")
            indicator = self.indicator(item.indicator)
            self.check_designation(actor, "return submit", item.indicator)
            problems = self.check_return(item, indicator)
            if problems:
                raise Invalid(f"{item.indicator} {item.period}: " + "; ".join(problems))
            self.check_open(self.calendar(), item.indicator, item.period, "a return")
            existing = self.load(PeriodReturn, item.indicator, item.period)
            commentary = item.commentary if item.commentary is not None or existing is None \
                else existing.commentary
            found = self.quality_problems(indicator, item.period, item.value, commentary)
            if errors(found):
                raise Invalid(f"{item.indicator} {item.period}: " + "; ".join(str(p) for p in errors(found)))
            if existing is None:
                aggregate = self._new_return(item, actor)
                outcome = "new"
            else:
                self.check_final(existing, item.status)
                self._revise(existing, item, actor)
                aggregate, outcome = existing, "revised"
            aggregate.warn([p.message for p in warnings(found)], actor)
            self.save(aggregate)
            return outcome

        outcome = self.run(command)
        self.after_change([item.indicator])
        return outcome

    def finalise_return(self, actor: str, code: str, period: Period, note: str | None) -> None:
        def command() -> None:
            self.authorise(actor, "return finalise")
            self.indicator(code)
            self.check_designation(actor, "return finalise", code)
            found = self.load(PeriodReturn, code, period)
            if found is None:
                raise NotFound(f"{code} has no return for {period}: submit one first")
            if found.status is not Status.FINAL:
                self.check_final(found, Status.FINAL)
            found.finalise(note, actor)
            self.save(found)

        self.run(command)

    @staticmethod
    def _new_return(item: ReturnInput, actor: str) -> PeriodReturn:
        return PeriodReturn(
            indicator=item.indicator, period=item.period, value=item.value,
            numerator=item.numerator, denominator=item.denominator,
            status=item.status or Status.PROVISIONAL, commentary=item.commentary,
            source=item.source, actor=actor,
        )

    @staticmethod
    def _revise(existing: PeriodReturn, item: ReturnInput, actor: str) -> None:
        """A revision restates the figure; status, commentary and source carry forward
        unless given (the numerator and denominator go with the value)."""
        existing.revise(
            item.value, item.numerator, item.denominator, item.status or existing.status,
            item.commentary if item.commentary is not None else existing.commentary,
            item.source if item.source is not None else existing.source, item.reason, actor,
        )

    # --- bulk import ---------------------------------------------------------
    def import_returns(
        self,
        actor: str,
        rows: Callable[[], Iterable[tuple[int, ReturnInput | list[str]]]],
        *,
        dry_run: bool = False,
        rows_again: Callable[[], Iterable[tuple[int, ReturnInput | list[str]]]] | None = None,
    ) -> ImportResult:
        """Validate the whole file (streaming), then write all rows in ONE transaction or none.

        ``rows`` is called once per pass and yields (row number, parsed row or its problems);
        ``rows_again``, if given, is used for the second (writing) pass over rows already
        validated, so a reader may skip re-checking them.
        """
        roles = self.authorise(actor, "return import").roles_of(actor)
        codes: set[str] = set()

        def command() -> ImportResult:
            count, revising, warned = self._validate_file(rows, rows_again or rows, actor, roles, codes)
            if dry_run:
                return ImportResult(count, count - len(revising), len(revising), written=False,
                                    warned=len(warned))
            recorder = self.recorder
            chunks = self._stored_chunks(rows_again or rows, revising, actor, warned)
            recorder.append_chunks(chunks)  # type: ignore[attr-defined]
            return ImportResult(count, count - len(revising), len(revising), written=True, warned=len(warned))

        result = self.run(command)
        if result.written:
            self.after_change(codes)
        return result

    def _validate_file(
        self, rows: Callable[[], Iterable[tuple[int, ReturnInput | list[str]]]],
        rows_again: Callable[[], Iterable[tuple[int, ReturnInput | list[str]]]],
        actor: str, roles: set[Role], codes: set[str],
    ) -> tuple[int, set[tuple[str, Period]], dict[tuple[str, Period], list[str]]]:
        problems: list[str] = []
        refused: list[str] = []
        designated: dict[str, dict[str, list[str]]] = {}
        checks = FileChecks()
        seen: set[int] = set()  # the ids as integers (a dict of UUIDs to rows took three times the memory)
        repeats: list[tuple[int, int, ReturnInput]] = []  # (its problem's index, row, row read)
        revising: set[tuple[str, Period]] = set()
        cache: dict[str, Indicator | None] = {}
        calendar: Calendar = self.calendar()
        batch: list[tuple[int, ReturnInput, UUID]] = []
        count = 0

        def check_batch() -> None:
            existing = self.recorder.existing([key for _, _, key in batch])  # type: ignore[attr-defined]
            for number, parsed, key in batch:
                if key in existing:
                    if not parsed.reason:
                        problems.append(f"row {number}, reason: {parsed.indicator} {parsed.period} "
                                        "already has a return: a revision needs a reason")
                    revising.add((parsed.indicator, parsed.period))
            finals = [(n, key) for n, parsed, key in batch
                      if key in existing and parsed.status is Status.FINAL]
            held = self.load_many([key for _, key in finals]) if finals else {}
            for number, key in finals:
                if held[key].open_queries():
                    problems.append(f"row {number}, status: {held[key].indicator} {held[key].period} has an "
                                    "open data-quality query: it cannot be final until the query is resolved")
            batch.clear()

        for number, parsed in rows():
            count += 1
            if isinstance(parsed, list):
                problems.extend(f"row {number}, {p}" for p in parsed)
                continue
            indicator = self._known(parsed.indicator, cache)
            if indicator is None:
                problems.append(f"row {number}, indicator: unknown indicator {parsed.indicator!r}")
                continue
            codes.add(parsed.indicator)
            why = self.designation_refusal(actor, roles, "return import", parsed.indicator, designated)
            if why is not None:
                refused.append(f"row {number}: {why}")
            problems.extend(f"row {number}, {p}" for p in self.check_return(parsed, indicator))
            checks.note(parsed.indicator, parsed.period, indicator)
            if calendar.is_closed(parsed.period):
                problems.append(f"row {number}, period: {parsed.period} is closed: a change to it is a "
                                "retrospective adjustment (use perfledger adjust request)")
            key = PeriodReturn.create_id(parsed.indicator, parsed.period)
            if key.int in seen:
                repeats.append((len(problems), number, parsed))
                problems.append("")  # named below, once the first rows are known
                continue
            seen.add(key.int)
            batch.append((number, parsed, key))
            if len(batch) >= CHUNK:
                check_batch()
        check_batch()
        if count == 0:
            raise Invalid("the file has a header but no rows: nothing to import")
        if repeats:
            self._name_repeats(rows, problems, repeats)
        if refused:
            more = f" (and {len(refused) - 1} more row(s))" if len(refused) > 1 else ""
            raise Refused(f"{refused[0]}{more}: nothing was imported", control="designation")
        warned: dict[tuple[str, Period], list[str]] = {}
        if not problems:
            found, warned = checks.finish(rows_again(), self.recorder.existing,  # type: ignore[attr-defined]
                                          self.load_many)
            problems.extend(found)
        if problems:
            raise ImportRejected(problems, count)
        return count, revising, warned

    def _name_repeats(self, rows: Callable[[], Iterable[tuple[int, ReturnInput | list[str]]]],
                      problems: list[str], repeats: list[tuple[int, int, ReturnInput]]) -> None:
        """Name the row each repeated return first appears at (reading the rows once more)."""
        wanted = {PeriodReturn.create_id(p.indicator, p.period).int for _, _, p in repeats}
        first: dict[int, int] = {}
        cache: dict[str, Indicator | None] = {}
        for number, parsed in rows():
            if isinstance(parsed, list) or self._known(parsed.indicator, cache) is None:
                continue
            key = PeriodReturn.create_id(parsed.indicator, parsed.period).int
            if key in wanted and key not in first:
                first[key] = number
        for index, number, parsed in repeats:
            key = PeriodReturn.create_id(parsed.indicator, parsed.period).int
            problems[index] = (f"row {number}, period: {parsed.indicator} {parsed.period} "
                               f"already appears at row {first[key]}")

    def _stored_chunks(
        self,
        rows: Callable[[], Iterable[tuple[int, ReturnInput | list[str]]]],
        revising: set[tuple[str, Period]],
        actor: str,
        warned: dict[tuple[str, Period], list[str]],
    ) -> Iterator[list[StoredEvent]]:
        chunk: list[StoredEvent] = []
        to_stored = self.mapper.to_stored_event
        states = SubmittedStates(self.mapper)
        for number, parsed in rows():
            assert isinstance(parsed, ReturnInput)
            if (parsed.indicator, parsed.period) in revising:
                aggregate = self.load(PeriodReturn, parsed.indicator, parsed.period)
                assert aggregate is not None
                try:
                    self.check_final(aggregate, parsed.status)
                    self._revise(aggregate, parsed, actor)
                except (Invalid, Refused) as error:
                    raise ImportRejected([f"row {number}, value: {error}"], number - 1) from None
                aggregate.warn(warned.get((parsed.indicator, parsed.period), []), actor)
                chunk.extend(to_stored(e) for e in aggregate.collect_events())
            else:
                if states.enabled:  # the same bytes as the library's way below, written directly
                    chunk.append(states.stored(
                        parsed.indicator, parsed.period, parsed.value, parsed.numerator,
                        parsed.denominator, parsed.status or Status.PROVISIONAL, parsed.commentary,
                        parsed.source, actor,
                    ))
                else:
                    chunk.append(to_stored(PeriodReturn.submitted(
                        parsed.indicator, parsed.period, parsed.value, parsed.numerator,
                        parsed.denominator, parsed.status or Status.PROVISIONAL, parsed.commentary,
                        parsed.source, actor,
                    )))
                if (parsed.indicator, parsed.period) in warned:
                    chunk.append(to_stored(PeriodReturn.warned_new(
                        parsed.indicator, parsed.period, warned[(parsed.indicator, parsed.period)],
                        parsed.commentary, actor)))
            if len(chunk) >= CHUNK:
                yield chunk
                chunk = []
        if chunk:
            yield chunk


class LedgerApp(Returns, Adjustments, Audit):
    """The perfledger application service."""

    name = "ledger"  # fixed: table names and tracking derive from it; never rename


__all__ = ["ImportRejected", "ImportResult", "LedgerApp", "LedgerCore", "ReturnInput"]
