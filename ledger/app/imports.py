"""Use cases: a whole file of returns, validated first (streaming), then written in ONE
transaction or not at all."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from uuid import UUID

from eventsourcing.persistence import StoredEvent

from ledger.app.quality import FileChecks, check_final
from ledger.app.reactions import Change
from ledger.app.returns import ReturnInput, check_return, revise
from ledger.app.submitted_states import SubmittedStates
from ledger.app.usecase import Part, use_case
from ledger.domain.calendar import Calendar
from ledger.domain.indicator import Indicator
from ledger.domain.returns import PeriodReturn
from ledger.errors import Invalid, Problems, Refused
from ledger.hints import command, option
from ledger.values import Period, Role, Status
from policies.authorisation import Act

CHUNK = 1000
SUBMITTED = "perfledger/Return.Submitted"  # what the import writes, for the reactions


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


class Imports(Part):
    def _known(self, code: str, cache: dict[str, Indicator | None]) -> Indicator | None:
        if code not in cache:
            cache[code] = self.core.load(Indicator, code)
        return cache[code]

    def _prefetched(self, rows: Iterable[tuple[int, ReturnInput | list[str]]],
                    cache: dict[str, Indicator | None]) -> Iterator[tuple[int, ReturnInput | list[str]]]:
        """ROWS as they come, each CHUNK of them after their indicators not yet in CACHE are
        read from the event store in one query (never the views, which may lag): None for a
        code the ledger does not hold. ``_known`` then finds every row's indicator in CACHE."""
        buffer: list[tuple[int, ReturnInput | list[str]]] = []

        def fill() -> None:
            wanted = {row.indicator for _, row in buffer if isinstance(row, ReturnInput)} - cache.keys()
            ids = {Indicator.create_id(code): code for code in wanted}
            found = self.core.load_many(Indicator, list(ids))
            cache.update({code: found.get(key) for key, code in ids.items()})

        for item in rows:
            buffer.append(item)
            if len(buffer) >= CHUNK:
                fill()
                yield from buffer
                buffer.clear()
        fill()
        yield from buffer

    @use_case(Act.RETURN_IMPORT)
    def returns(
        self,
        actor: str,
        rows: Callable[[], Iterable[tuple[int, ReturnInput | list[str]]]],
        *,
        dry_run: bool = False,
        rows_again: Callable[[], Iterable[tuple[int, ReturnInput | list[str]]]] | None = None,
        history: date | None = None,
    ) -> ImportResult:
        """Validate the whole file (streaming), then write all rows in ONE transaction or none.

        ``rows`` is called once per pass and yields (row number, parsed row or its problems);
        ``rows_again``, if given, is used for the second (writing) pass over rows already
        validated, so a reader may skip re-checking them. ``history``: the rows are history,
        back-filled from a record of that date; each return must be new, its period ended by
        then, and its events say so (``Return.RecordedAsHistory``): never counted late.
        """
        roles = self.core.roster().roles_of(actor)
        if history is not None and history > self.core.today():
            raise Invalid(f"{option('source-date')} {history.isoformat()} is after today "
                          f"({self.core.today().isoformat()}): history comes from a record already made")
        with self.core.signing([(SUBMITTED, actor)]):  # a key the ledger requires: refused before reading
            codes: set[str] = set()
            count, revising, warned = self._validate_file(rows, rows_again or rows, actor, roles, codes,
                                                          history)
            if dry_run:
                return ImportResult(count, count - len(revising), len(revising), written=False,
                                    warned=len(warned))
            self.core.store.append_chunks(self._stored_chunks(rows_again or rows, revising, actor, warned,
                                                              history))
        self.core.note(Change(SUBMITTED, code) for code in codes)
        return ImportResult(count, count - len(revising), len(revising), written=True, warned=len(warned))

    def _validate_file(
        self, rows: Callable[[], Iterable[tuple[int, ReturnInput | list[str]]]],
        rows_again: Callable[[], Iterable[tuple[int, ReturnInput | list[str]]]],
        actor: str, roles: set[Role], codes: set[str], history: date | None,
    ) -> tuple[int, set[tuple[str, Period]], dict[tuple[str, Period], list[str]]]:
        problems: list[str] = []
        refused: list[str] = []
        designated: dict[str, dict[str, list[str]]] = {}
        checks = FileChecks()
        seen: set[int] = set()  # the ids as integers (a dict of UUIDs to rows took three times the memory)
        repeats: list[tuple[int, int, ReturnInput]] = []  # (its problem's index, row, row read)
        revising: set[tuple[str, Period]] = set()
        cache: dict[str, Indicator | None] = {}
        calendar: Calendar = self.core.calendar()
        today = self.core.today()
        batch: list[tuple[int, ReturnInput, UUID]] = []
        unreasoned: list[int] = []  # the rows that repeat, without a reason, the figure already held
        count = 0

        def check_batch() -> None:
            existing = self.core.store.existing([key for _, _, key in batch])
            present = [key for _, _, key in batch if key in existing]
            stored = self.core.load_returns(present) if present else {}
            for number, parsed, key in batch:
                held = stored.get(key)
                if held is not None and held.reported_in is not None and (
                        parsed.value, parsed.numerator, parsed.denominator) != (
                        held.value, held.numerator, held.denominator):
                    problems.append(f"row {number}, period: {held.reported_problem()}")
                if key in existing:
                    now = stored.get(key)
                    reported = held is not None and held.reported_in is not None
                    if history is None and parsed.reason and now is not None and not reported:
                        try:  # as the writing pass will (on a copy read for this check alone)
                            revise(now, parsed, actor)
                        except (Invalid, Refused) as error:
                            problems.append(f"row {number}, value: {error.message}")
                    if not parsed.reason and now is not None and (now.value, now.numerator, now.denominator) \
                            == (parsed.value, parsed.numerator, parsed.denominator):
                        unreasoned.append(len(problems))  # the very figure the ledger holds
                    if history is not None:
                        figure = f" ({now.value})" if now is not None else ""
                        problems.append(
                            f"row {number}, period: {parsed.indicator} {parsed.period} already has a "
                            f"return{figure}: a history import only adds returns the ledger does not hold "
                            f"(revise it in an import without {option('history')}, with a reason)")
                    elif not parsed.reason:
                        problems.append(f"row {number}, reason: {parsed.indicator} {parsed.period} "
                                        "already has a return: a revision needs a reason")
                    revising.add((parsed.indicator, parsed.period))
            finals = [(n, stored[key]) for n, parsed, key in batch
                      if key in stored and parsed.status is Status.FINAL]
            for number, final in finals:
                if final.open_queries():
                    problems.append(f"row {number}, status: {final.indicator} {final.period} has an "
                                    "open data-quality query: it cannot be final until the query is resolved")
            batch.clear()

        for number, parsed in self._prefetched(rows(), cache):
            count += 1
            if isinstance(parsed, list):
                problems.extend(f"row {number}, {p}" for p in parsed)
                continue
            indicator = self._known(parsed.indicator, cache)
            if indicator is None:
                problems.append(f"row {number}, indicator: unknown indicator {parsed.indicator!r}")
                continue
            codes.add(parsed.indicator)
            why = self.core.designation_refusal(actor, roles, Act.RETURN_IMPORT, parsed.indicator, designated)
            if why is not None:
                refused.append(f"row {number}: {why}")
            problems.extend(f"row {number}, {p}" for p in check_return(parsed, indicator, today))
            checks.note(parsed.indicator, parsed.period, indicator)
            if history is not None and parsed.period.end > history:
                problems.append(f"row {number}, period: {parsed.period} had not ended by the source date "
                                f"{history.isoformat()}: a record of that date cannot hold its figure")
            if calendar.is_closed(parsed.period):
                problems.append(f"row {number}, period: {parsed.period} is closed: a change to it is a "
                                f"retrospective adjustment (use {command('adjust request')})")
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
        if len(unreasoned) == count and len(problems) == count:
            raise Invalid(f"every one of the file's {count} row(s) repeats the figure the ledger already "
                          "holds: the file was imported already, so nothing was written (to revise returns, "
                          f"change the figures and give each row a {option('reason')})")
        if repeats:
            self._name_repeats(rows, problems, repeats)
        if refused:
            more = f" (and {len(refused) - 1} more row(s))" if len(refused) > 1 else ""
            raise Refused(f"{refused[0]}{more}: nothing was imported", control="designation")
        warned: dict[tuple[str, Period], list[str]] = {}
        if not problems:
            found, warned = checks.finish(rows_again(), self.core.store.existing, self.core.load_returns)
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
        for number, parsed in self._prefetched(rows(), cache):
            if isinstance(parsed, list) or self._known(parsed.indicator, cache) is None:
                continue
            key = PeriodReturn.create_id(parsed.indicator, parsed.period).int
            if key in wanted and key not in first:
                first[key] = number
        for index, number, parsed in repeats:
            key = PeriodReturn.create_id(parsed.indicator, parsed.period).int
            problems[index] = (f"row {number}, period: {parsed.indicator} {parsed.period} "
                               f"already appears at row {first[key]}")

    def _with_revised(
        self, rows: Iterable[tuple[int, ReturnInput | list[str]]], revising: set[tuple[str, Period]],
    ) -> Iterator[tuple[int, ReturnInput, PeriodReturn | None]]:
        """Each row with, if it revises a return, that return as the store holds it: read a
        CHUNK of rows at a time, in one query for all of the chunk's returns."""
        buffer: list[tuple[int, ReturnInput]] = []

        def flush() -> Iterator[tuple[int, ReturnInput, PeriodReturn | None]]:
            keys = {(p.indicator, p.period): PeriodReturn.create_id(p.indicator, p.period)
                    for _, p in buffer if (p.indicator, p.period) in revising}
            loaded = self.core.load_returns(list(keys.values())) if keys else {}
            for number, parsed in buffer:
                key = keys.get((parsed.indicator, parsed.period))
                aggregate = loaded.get(key) if key is not None else None
                assert key is None or aggregate is not None  # validated: the return is there
                yield number, parsed, aggregate
            buffer.clear()

        for number, parsed in rows:
            assert isinstance(parsed, ReturnInput)
            buffer.append((number, parsed))
            if len(buffer) >= CHUNK:
                yield from flush()
        yield from flush()

    def _stored_chunks(
        self,
        rows: Callable[[], Iterable[tuple[int, ReturnInput | list[str]]]],
        revising: set[tuple[str, Period]],
        actor: str,
        warned: dict[tuple[str, Period], list[str]],
        history: date | None,
    ) -> Iterator[list[StoredEvent]]:
        chunk: list[StoredEvent] = []
        to_stored = self.core.mapper.to_stored_event
        states = SubmittedStates(self.core.mapper)
        for number, parsed, aggregate in self._with_revised(rows(), revising):
            if aggregate is not None:
                try:
                    check_final(aggregate, parsed.status)
                    revise(aggregate, parsed, actor)
                except (Invalid, Refused) as error:
                    raise ImportRejected([f"row {number}, value: {error.message}"], number - 1) from None
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
                if history is not None:
                    version = 3 if (parsed.indicator, parsed.period) in warned else 2
                    chunk.append(to_stored(PeriodReturn.history_new(
                        parsed.indicator, parsed.period, history, actor, version)))
            if len(chunk) >= CHUNK:
                yield chunk
                chunk = []
        if chunk:
            yield chunk


__all__ = ["ImportRejected", "ImportResult", "Imports"]
