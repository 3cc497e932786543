"""perfledger ladder: the ladder of intervention in force, chosen and reviewed."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import click

from commands.support.context import Ledger, done, pass_ledger
from commands.support.output import emit, format_option, render, render_record
from commands.support.params import AS_AT
from ledger.errors import Invalid, NotFound
from policies.ladder import SHIPPED, Ladder, LadderError, parse_toml

STAGE_COLUMNS = ["stage", "title", "trigger", "responder", "reports_to", "within_months", "requires",
                 "plan"]


def load_ladder(choice: str) -> tuple[Ladder, str]:
    """A shipped ladder by name, or a TOML file; refuses with one line what does not parse."""
    if choice in SHIPPED:
        return SHIPPED[choice], choice
    path = Path(choice)
    if not path.is_file():
        raise Invalid(f"no ladder {choice!r}: use halton, herefordshire or the path of a TOML file")
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise Invalid(f"{path.name} cannot be read ({error})") from None
    try:
        return parse_toml(text, path.name), f"file {path.name}"
    except LadderError as error:
        raise Invalid(str(error)) from None


@click.group()
def ladder() -> None:
    """The ladder of intervention in force (003 §3, 000 §4.16)."""


@ladder.command("use")
@click.argument("choice", metavar="halton|herefordshire|FILE")
@pass_ledger
def use(ledger: Ledger, choice: str) -> None:
    """Put a ladder in force (recorded as an event) and review every indicator under it."""
    chosen, source = load_ladder(choice)
    decided = ledger.ready().escalations.use_ladder(ledger.actor, chosen, source)
    done(ledger, f"ladder {chosen.label} in force ({len(chosen.stages)} stages); "
                 f"{decided} decision(s) recorded")


@ladder.command("review")
@click.argument("codes", nargs=-1, metavar="[CODE]...")
@pass_ledger
def review(ledger: Ledger, codes: tuple[str, ...]) -> None:
    """Run the ladder now for CODEs (default: every indicator); what it already decided stays.

    The ladder runs by itself after every command that changes what a review reads;
    this reruns it, e.g. after a command was interrupted. It records nothing twice.
    """
    app = ledger.ready()
    decided = app.escalations.rerun_ladder(ledger.actor, list(codes))
    done(ledger, f"{decided} decision(s) recorded")


@ladder.command("show")
@click.option("--as-at", "as_at", type=AS_AT, metavar="WHEN")
@format_option()
@pass_ledger
def show_ladder(ledger: Ledger, as_at: datetime | None, fmt: str) -> None:
    """The ladder in force (as at WHEN), stage by stage."""
    from projections import queries
    from projections.queries import escalations as cases

    with ledger.read() as conn:
        config = cases.ladder_in_force(conn, queries.position_at(conn, as_at))
    if config is None:
        raise NotFound("no ladder of intervention is in force: run perfledger ladder use "
                       "halton|herefordshire|FILE")
    if fmt == "json":
        emit(render_record(config, fmt))
        return
    stages = [{"stage": n, **s} for n, s in enumerate(config["stages"], start=1)]
    if fmt == "table":
        emit(f"{config['title']} ({config['name']}/{config['version']})\n\n")
    emit(render(stages, STAGE_COLUMNS, fmt))
