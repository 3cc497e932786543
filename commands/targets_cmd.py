"""perfledger target / rag / period / assess / milestone: what performance is rated against."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

import click

from commands.context import Ledger, done, pass_ledger
from commands.output import emit, format_option, render
from commands.params import AS_AT, DECIMAL, PERIOD
from ledger.domain.assessment import MILESTONE_STATUSES, OUTLOOKS
from ledger.errors import Invalid, NotFound
from ledger.values import Period, Target, parse_decimal
from projections import queries

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


@target.command("list")
@click.argument("code")
@click.option("--as-at", "as_at", type=AS_AT, metavar="WHEN")
@click.option("--history", is_flag=True, help="Every value ever set, not just those in force.")
@format_option()
@pass_ledger
def list_(ledger: Ledger, code: str, as_at: datetime | None, history: bool, fmt: str) -> None:
    """CODE's targets (as at WHEN), each with who set it and why."""
    with ledger.read() as conn:
        position = queries.position_at(conn, as_at)
        if queries.indicator(conn, code, position) is None:
            raise NotFound(f"unknown indicator {code!r}: see perfledger indicator list")
        rows = queries.targets(conn, code, position, history=history)
    emit(render(rows, TARGET_COLUMNS, fmt))


@click.group()
def rag() -> None:
    """The ledger-wide rating rules."""


@rag.command("default")
@click.option("--tolerance", type=DECIMAL, required=True, metavar="PCT")
@click.option("--from", "from_period", type=PERIOD, metavar="PERIOD",
              help="The first period the rule applies to (default: all periods).")
@click.option("--reason", required=True, metavar="T")
@pass_ledger
def default(ledger: Ledger, tolerance: Decimal, from_period: Period | None, reason: str) -> None:
    """Change the ledger-wide amber band (a percentage of the target)."""
    ledger.ready().targets.rag_default(ledger.actor, tolerance, from_period, reason)
    scope = f"from {from_period}" if from_period else "for all periods"
    done(ledger, f"default tolerance {tolerance}% {scope}")


@click.group()
def period() -> None:
    """Reporting periods."""


@period.command("close")
@click.argument("period", type=PERIOD)
@click.option("--note", metavar="T")
@pass_ledger
def close(ledger: Ledger, period: Period, note: str | None) -> None:
    """Close PERIOD (and every finer period inside it): later changes are retrospective."""
    ledger.ready().targets.close_period(ledger.actor, period, note)
    done(ledger, f"{period} closed")


@period.command("list")
@format_option()
@pass_ledger
def closed_list(ledger: Ledger, fmt: str) -> None:
    """The closed periods."""
    with ledger.read() as conn:
        rows = queries.closed_periods(conn, queries.head_position(conn))
    emit(render(rows, ["period", "note", "actor", "recorded_at"], fmt))


@click.command()
@click.argument("code")
@click.argument("year", type=PERIOD)
@click.option("--outlook", required=True, metavar="|".join(OUTLOOKS), help="likely, difficult or unlikely.")
@click.option("--note", required=True, metavar="T")
@pass_ledger
def assess(ledger: Ledger, code: str, year: Period, outlook: str, note: str) -> None:
    """Record the lead's judgement: will CODE meet YEAR's target? (assessed RAG)"""
    ledger.ready().targets.assess(ledger.actor, code, year, outlook, note)
    done(ledger, f"{code} {year}: {outlook}")


@click.group()
def milestone() -> None:
    """In-year milestones for annual indicators."""


@milestone.command("add")
@click.argument("code")
@click.option("--title", required=True, metavar="T")
@click.option("--due", type=click.DateTime(formats=["%Y-%m-%d"]), required=True, metavar="DATE")
@pass_ledger
def add(ledger: Ledger, code: str, title: str, due: datetime) -> None:
    """Add a milestone to annual indicator CODE; prints its id."""
    key = ledger.ready().targets.add_milestone(ledger.actor, code, title, due.date())
    click.echo(key)
    done(ledger, f"{code}: milestone {key} due {due.date().isoformat()}")


@milestone.command("progress")
@click.argument("milestone_id", metavar="ID")
@click.option("--status", required=True, metavar="|".join(MILESTONE_STATUSES),
              help="on-track, at-risk, missed or done.")
@click.option("--note", required=True, metavar="T")
@pass_ledger
def progress(ledger: Ledger, milestone_id: str, status: str, note: str) -> None:
    """Record progress on milestone ID."""
    ledger.ready().targets.milestone_progress(ledger.actor, milestone_id, status, note)
    done(ledger, f"{milestone_id}: {status}")


@milestone.command("list")
@click.option("--indicator", metavar="CODE")
@format_option()
@pass_ledger
def milestones(ledger: Ledger, indicator: str | None, fmt: str) -> None:
    """Milestones and their latest progress."""
    with ledger.read() as conn:
        rows = queries.milestones(conn, queries.head_position(conn), indicator)
    emit(render(rows, ["id", "indicator", "title", "due", "status", "note", "actor"], fmt))



COMMANDS = [target, rag, period, assess, milestone]
