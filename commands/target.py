"""perfledger target: targets per indicator per period, with monitoring levels and tolerances."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from pathlib import Path

import click

from commands.support.context import Ledger, done, pass_ledger
from commands.support.output import emit, format_option, render
from commands.support.params import AS_AT, DECIMAL, PERIOD
from ledger.errors import Invalid, NotFound
from ledger.hints import option
from ledger.values import Period, Target, own_kind, parse_decimal

TARGET_COLUMNS = ["period", "target", "monitoring_level", "tolerance", "agreed_with", "consent",
                  "reason", "actor", "recorded_at", "from_position", "until_position"]


def parse_band(text: str, what: str) -> tuple[Decimal | None, Decimal | None, Decimal | None]:
    """``52.5`` -> (52.5, None, None); ``40..60`` -> (None, 40, 60)."""
    if ".." in text:
        low, _, high = text.partition("..")
        try:
            return None, parse_decimal(low, what=what), parse_decimal(high, what=what)
        except ValueError as error:
            raise Invalid(f"{what} {text!r}: {error}; a range is written LOW..HIGH, e.g. -1..1") from None
    try:
        return parse_decimal(text, what=what), None, None
    except ValueError as error:
        raise Invalid(str(error)) from None


@click.group()
def target() -> None:
    """Targets per indicator per period, with monitoring levels and tolerances."""


@target.command("set", context_settings={"ignore_unknown_options": True})
@click.argument("code")
@click.argument("period", type=PERIOD)
@click.argument("value")
@click.option("--monitoring-level", metavar="V", help="Worse than this is red (LOW..HIGH for a range).")
@click.option("--tolerance", type=DECIMAL, metavar="PCT", help="Amber band, % of the target.")
@click.option("--agreed-with", metavar="REF", help="An external body the target was agreed with.")
@click.option("--consent", metavar="REF", help="Their consent, to change an agreed target.")
@click.option("--reason", required=True, metavar="T")
@pass_ledger
def set_(ledger: Ledger, code: str, period: Period, value: str, monitoring_level: str | None,
         tolerance: Decimal | None, agreed_with: str | None, consent: str | None, reason: str) -> None:
    """Set CODE's target VALUE (or LOW..HIGH) for PERIOD; the old value is kept."""
    single, low, high = parse_band(value, "target")
    level = mlow = mhigh = None
    if monitoring_level is not None:
        level, mlow, mhigh = parse_band(monitoring_level, "monitoring level")
    goal = Target(single, low, high, level, mlow, mhigh, tolerance, agreed_with)
    ledger.ready().targets.set(ledger.actor, code, period, goal, consent, reason)
    done(ledger, f"{code} {period}: target {goal.text()}")


@target.command("profile")
@click.argument("code")
@click.argument("year", type=PERIOD)
@click.option("--total", required=True, type=DECIMAL, metavar="N", help="The year's target.")
@click.option("--shape", required=True, metavar="even|FILE",
              help="even, or a CSV file period,weight with a row per period of the year, in order.")
@click.option("--reason", required=True, metavar="T")
@pass_ledger
def profile(ledger: Ledger, code: str, year: Period, total: Decimal, shape: str, reason: str) -> None:
    """Write YEAR's target TOTAL onto CODE's periods in one decision: a count's periods add up to it (a
    cumulative count's run to it); a level's periods are it, scaled by the shape."""
    weights = None
    if shape != "even":
        path = Path(shape)
        if not path.is_file():
            raise Invalid(f"{option('shape')} {shape!r}: use even or the path of a CSV file period,weight")
        from commands.support.csvfile import read_shape

        rows = read_shape(path)
        frequency = ledger.ready().core.indicator(code).pro_forma.frequency
        expected = [str(p) for p in year.children(own_kind(frequency))]
        labels = [label for label, _ in rows]
        if labels != expected:
            raise Invalid(f"{path.name}: the periods must be {', '.join(expected)} in order, one row each; "
                          f"it has {', '.join(labels) or 'none'}")
        weights = [weight for _, weight in rows]
    changed = ledger.ready().targets.profile(ledger.actor, code, year, total, weights,
                                             "even" if weights is None else Path(shape).name, reason)
    done(ledger, f"{code} {year}: target {total} profiled onto "
                 + ", ".join(f"{period} {value}" for period, value in changed))


@target.command("list")
@click.argument("code")
@click.option("--as-at", "as_at", type=AS_AT, metavar="WHEN")
@click.option("--history", is_flag=True, help="Every value ever set, not just those in force.")
@format_option()
@pass_ledger
def list_(ledger: Ledger, code: str, as_at: datetime | None, history: bool, fmt: str) -> None:
    """CODE's targets (as at WHEN), each with who set it and why."""
    from projections import queries

    with ledger.read() as conn:
        position = queries.position_at(conn, as_at)
        if queries.indicator(conn, code, position) is None:
            raise NotFound(f"unknown indicator {code!r}: see perfledger indicator list")
        rows = queries.targets(conn, code, position, history=history)
    emit(render(rows, TARGET_COLUMNS, fmt))
