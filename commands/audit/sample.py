"""perfledger audit qualify / sample / samples: the auditor's own acts (000 §9.3.4).

Auditors change no figure: they may record only that an indicator's data is
qualified and that a sample was drawn. A draw is reproducible: its population is
the returns believed at a recorded ledger position, its seed is recorded, and
``audit sample --check ID`` redraws it and says whether it matches.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from commands.support.context import Ledger, done, pass_ledger
from commands.support.output import emit, format_option, render
from commands.support.params import PERIOD, Bounded
from ledger.errors import Invalid
from ledger.values import Period
from policies.sampling import Candidate

if TYPE_CHECKING:
    from ledger.app.audit import SampleBasis

ITEM_COLUMNS = ["sample", "rank", "indicator", "period", "version", "weight"]
LIST_COLUMNS = ["id", "year", "size", "drawn", "population", "basis_position", "seed", "actor", "recorded_at"]
JSON_COLUMNS = ["id", "year", "size", "drawn", "population", "basis_position", "seed", "seed_from_digest",
                "new", "qualified", "actor", "recorded_at", "from_position"]
QUALIFICATION_COLUMNS = ["indicator", "year", "reason", "actor", "recorded_at", "from_position"]


def _year(value: Period, option: str) -> Period:
    from ledger.app.audit import check_year

    try:
        check_year(value)
    except Invalid as error:
        raise click.BadParameter(str(error), param_hint=option) from None
    return value


@click.command("qualify")
@click.argument("code")
@click.argument("year", type=PERIOD)
@click.option("--reason", metavar="T", help="Why the data is qualified (required).")
@pass_ledger
def qualify(ledger: Ledger, code: str, year: Period, reason: str | None) -> None:
    """The auditor marks CODE's data for the financial YEAR qualified; samples then favour it.

    Recorded once per indicator and year: a second qualification is refused.
    """
    _year(year, "YEAR")
    ledger.ready().audit.qualify(ledger.actor, code, year, reason)
    done(ledger, f"{code} {year}: qualified")


@click.command("sample")
@click.option("--year", type=PERIOD, metavar="YEAR", help="The financial year whose returns are sampled.")
@click.option("--size", type=Bounded(min=1), metavar="N", help="How many returns to draw (1 or more).")
@click.option("--seed", metavar="S", help="Any text; default: the digest SIZE:CHAINHEX when drawn.")
@click.option("--check", "check", metavar="ID",
              help="Redraw sample ID from its recorded basis and say whether it matches (any role).")
@format_option()
@pass_ledger
def sample(ledger: Ledger, year: Period | None, size: int | None, seed: str | None, check: str | None,
           fmt: str) -> None:
    """Draw a reproducible sample of YEAR's returns, weighted to new and qualified indicators.

    The population is every return believed at the ledger's position when drawn, for a
    period inside YEAR. Weights: 1 ordinary, 3 new, 3 qualified, 5 both; the draw uses
    SHA-256(seed, return), never a random generator. The draw and its basis are recorded
    (an Audit.SampleDrawn event); the drawn returns are printed with the sample's id.
    """
    from ledger.app.audit import SampleBasis
    from projections.queries import samples as sample_queries

    if check is not None:
        if year is not None or size is not None or seed is not None:
            raise click.UsageError("--check ID takes no --year, --size or --seed: they are recorded")
        _check(ledger, check)
        return
    if year is None or size is None:
        raise click.UsageError("give --year YEAR and --size N (or --check ID)")
    _year(year, "--year")
    def basis() -> SampleBasis:
        ledger.current()
        with ledger.engine.connect() as conn:
            position = sample_queries.basis_position(conn)
            return SampleBasis(year, position, sample_queries.population(conn, year, position))

    drawn = ledger.ready().audit.draw_sample(ledger.actor, basis, size, seed)
    emit(render(_items(drawn.key, drawn.sample.items), ITEM_COLUMNS, fmt))
    recorded = "recorded" if drawn.written else "already recorded: the same draw"
    done(ledger, f"{drawn.key}: drew {len(drawn.sample.items)} of {drawn.sample.population} returns for "
                 f"{year} from position {drawn.sample.position} ({recorded}); check it with "
                 f"perfledger audit sample --check {drawn.key}")


def _items(key: str, items: list[dict[str, object]]) -> list[dict[str, object]]:
    return [{"sample": key, "rank": rank, **item} for rank, item in enumerate(items, start=1)]


def _check(ledger: Ledger, key: str) -> None:
    from projections.queries import samples as sample_queries

    def population(year: Period, position: int) -> list[Candidate]:
        ledger.current()
        with ledger.engine.connect() as conn:
            return sample_queries.population(conn, year, position)

    recorded, problems = ledger.ready().audit.check_sample(ledger.actor, key, population)
    if problems:
        raise Invalid(f"{key} does not redraw identically: " + "; ".join(problems))
    click.echo(f"ok: {key} redrawn identically: {len(recorded.items)} of {recorded.population} returns for "
               f"{recorded.year} as at position {recorded.position}")


@click.command("samples")
@click.option("--id", "key", metavar="ID", help="The returns drawn in sample ID, in draw order.")
@format_option()
@pass_ledger
def samples(ledger: Ledger, key: str | None, fmt: str) -> None:
    """The samples drawn so far, oldest first (or, with --id, one sample's returns)."""
    from projections.queries import samples as sample_queries

    with ledger.read() as conn:
        if key is None:
            rows = sample_queries.samples(conn)
            emit(render(rows, JSON_COLUMNS if fmt != "table" else LIST_COLUMNS, fmt))
            return
        items = sample_queries.sample_items(conn, key)
    if not items:
        ledger.ready().audit.sample(key)  # an unknown id is refused, naming the list command
    emit(render([{"sample": key, **i} for i in items], ITEM_COLUMNS, fmt))


@click.command("qualifications")
@format_option()
@pass_ledger
def qualifications(ledger: Ledger, fmt: str) -> None:
    """The indicators the auditor has qualified, by year, with the reasons."""
    from projections.queries import samples as sample_queries

    with ledger.read() as conn:
        rows = sample_queries.qualifications(conn)
    emit(render(rows, QUALIFICATION_COLUMNS, fmt))


COMMANDS = [qualify, sample, samples, qualifications]
