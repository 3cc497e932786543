"""perfledger designate / ladder / escalation: who answers for each indicator, and the ladder."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import click

from commands.context import Ledger, done, pass_ledger
from commands.output import emit, format_option, render, render_record
from commands.params import AS_AT
from ledger.errors import Invalid, NotFound
from policies.designation import ROLES
from policies.ladder import SHIPPED, Ladder, LadderError, parse_toml
from projections import queries
from projections.queries import escalations as cases

STAGE_COLUMNS = ["stage", "title", "trigger", "responder", "reports_to", "within_months", "requires",
                 "plan"]
HISTORY_COLUMNS = ["position", "recorded_at", "actor", "action", "stage", "review", "due", "note", "plan"]


@click.command()
@click.argument("code")
@click.option("--as", "role", required=True, metavar="|".join(ROLES), help="The designation.")
@click.option("--name", required=True, metavar="NAME",
              help="An organisation (free name) or a person on the roster.")
@click.option("--reason", metavar="T", help="Why (required when it replaces a holder).")
@click.option("--remove", is_flag=True, help="Remove NAME from the contributors.")
@pass_ledger
def designate(ledger: Ledger, code: str, role: str, name: str, reason: str | None, remove: bool) -> None:
    """Designate NAME as CODE's ROLE: a contributor is added; any other role replaces its holder."""
    previous = ledger.ready().people.designate(ledger.actor, code, role, name, reason, remove=remove)
    if remove:
        done(ledger, f"{code}: {name} is no longer a contributor")
    else:
        done(ledger, f"{code}: {role} {name.strip()}" + (f" (replacing {previous})" if previous else ""))


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


@click.group()
def escalation() -> None:
    """Escalation cases: the ladder's decisions and people's responses."""


@escalation.command("list")
@click.option("--open", "only_open", is_flag=True, help="Only cases not closed.")
@click.option("--overdue", is_flag=True, help="Only cases whose response is overdue.")
@click.option("--as-at", "as_at", type=AS_AT, metavar="WHEN")
@format_option()
@pass_ledger
def list_(ledger: Ledger, only_open: bool, overdue: bool, as_at: datetime | None, fmt: str) -> None:
    """Every escalation case, with its status (overdue: past its deadline, not responded)."""
    with ledger.read() as conn:
        position = queries.position_at(conn, as_at)
        moment = as_at or datetime.now().astimezone()
        found = cases.cases(conn, position, cases.as_at_date(moment))
    if only_open:
        found = [c for c in found if c["status"] != "closed"]
    if overdue:
        found = [c for c in found if c["status"] == "overdue"]
    emit(render(found, cases.COLUMNS, fmt))


@escalation.command("show")
@click.argument("case", metavar="ID")
@click.option("--as-at", "as_at", type=AS_AT, metavar="WHEN")
@format_option()
@pass_ledger
def show(ledger: Ledger, case: str, as_at: datetime | None, fmt: str) -> None:
    """Case ID and its whole history."""
    with ledger.read() as conn:
        position = queries.position_at(conn, as_at)
        moment = as_at or datetime.now().astimezone()
        found = cases.cases(conn, position, cases.as_at_date(moment), case)
        if not found:
            raise NotFound(f"unknown escalation {case!r}: see perfledger escalation list")
        steps = cases.history(conn, case, position)
    record = {**found[0], "history": steps}
    if fmt == "json":
        emit(render_record(record, fmt))
        return
    emit(render_record(found[0], fmt))
    if fmt == "table":
        emit("\nHistory:\n")
    emit(render(steps, HISTORY_COLUMNS, fmt))


@escalation.command("raise")
@click.argument("code")
@click.option("--stage", type=int, required=True, metavar="N")
@click.option("--note", required=True, metavar="T")
@pass_ledger
def raise_(ledger: Ledger, code: str, stage: int, note: str) -> None:
    """Open CODE's case at stage N by hand (or move its open case up to N); prints its id."""
    key = ledger.ready().escalations.raise_escalation(ledger.actor, code, stage, note)
    click.echo(key)
    done(ledger, f"{code}: escalation {key} at stage {stage}")


@escalation.command("respond")
@click.argument("case", metavar="ID")
@click.option("--note", required=True, metavar="T")
@click.option("--plan", metavar="REF", help="The plan asked for (required at stages that ask for one).")
@pass_ledger
def respond(ledger: Ledger, case: str, note: str, plan: str | None) -> None:
    """Respond to case ID (a progress report, or a plan with --plan)."""
    ledger.ready().escalations.respond(ledger.actor, case, note, plan)
    done(ledger, f"{case}: responded")


@escalation.command("close")
@click.argument("case", metavar="ID")
@click.option("--note", required=True, metavar="T")
@pass_ledger
def close(ledger: Ledger, case: str, note: str) -> None:
    """Close case ID by hand; the next review may open a new case if performance stays below."""
    ledger.ready().escalations.close(ledger.actor, case, note)
    done(ledger, f"{case}: closed")


COMMANDS = [designate, ladder, escalation]
