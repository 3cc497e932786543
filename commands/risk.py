"""perfledger risk: risk registers - add, assess, control, move, keep, close, list, show - and the matrix."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import click

from commands.support.context import Ledger, done, pass_ledger
from commands.support.output import emit, format_option, render, render_record
from commands.support.params import AS_AT, Bounded
from ledger.errors import Invalid, NotFound
from policies import risk as policy

REGISTERS = click.Choice(["corporate", "directorate", "service", "project"])
SCORE = Bounded(1, 9)
HISTORY_COLUMNS = ["position", "recorded_at", "actor", "action", "register", "detail"]


def load_matrix(choice: str) -> tuple[policy.Matrix, str]:
    if choice == "default":
        return policy.DEFAULT, "default"
    path = Path(choice)
    if not path.is_file():
        raise Invalid(f"no matrix {choice!r}: use default or the path of a TOML file")
    try:
        return policy.parse_toml(path.read_text(encoding="utf-8")), f"file {path.name}"
    except (OSError, UnicodeDecodeError) as error:
        raise Invalid(f"{path.name} cannot be read ({error})") from None
    except policy.MatrixError as error:
        raise Invalid(f"{path.name}: {error}") from None


@click.group()
def risk() -> None:
    """Risk registers (000 §6.6): likelihood x impact before and after mitigation, registers that
    risks escalate up and step down, and the matrix that says which register a score belongs on."""


@risk.command("add")
@click.argument("code")
@click.option("--title", required=True, metavar="T")
@click.option("--register", required=True, type=REGISTERS)
@click.option("--owner", required=True, metavar="NAME", help="The person who owns the risk (on the roster).")
@click.option(
    "--indicator",
    "indicators",
    multiple=True,
    metavar="CODE",
    help="An indicator whose target the risk threatens (repeat for more).",
)
@click.option("--directorate", metavar="T")
@pass_ledger
def add(
    ledger: Ledger,
    code: str,
    title: str,
    register: str,
    owner: str,
    indicators: tuple[str, ...],
    directorate: str | None,
) -> None:
    """Add risk CODE to a register."""
    ledger.ready().risks.add(ledger.actor, code, title, register, owner, list(indicators), directorate)
    done(ledger, f"risk {code} added to the {register} register (owner {owner})")


@risk.command("assess")
@click.argument("code")
@click.option("--likelihood", required=True, type=SCORE, help="Before mitigation (the matrix's scale).")
@click.option("--impact", required=True, type=SCORE)
@click.option("--residual-likelihood", type=SCORE, help="After mitigation (default: as before).")
@click.option("--residual-impact", type=SCORE)
@click.option("--note", required=True, metavar="T")
@pass_ledger
def assess(
    ledger: Ledger,
    code: str,
    likelihood: int,
    impact: int,
    residual_likelihood: int | None,
    residual_impact: int | None,
    note: str,
) -> None:
    """Score CODE, inherent and residual; every assessment is kept. A residual score whose band
    belongs on another register records a proposal to move it (risk list --proposed)."""
    app = ledger.ready()
    residual = app.risks.assess(
        ledger.actor, code, likelihood, impact, residual_likelihood, residual_impact, note
    )
    done(ledger, f"{code}: inherent {likelihood * impact}, residual {residual}")


@risk.command("control")
@click.argument("code")
@click.option("--note", required=True, metavar="T", help="The control now in place.")
@pass_ledger
def control(ledger: Ledger, code: str, note: str) -> None:
    """Record a control that mitigates CODE."""
    ledger.ready().risks.control(ledger.actor, code, note)
    done(ledger, f"{code}: control recorded")


@risk.command("move")
@click.argument("code")
@click.option("--register", required=True, type=REGISTERS)
@click.option("--reason", required=True, metavar="T")
@pass_ledger
def move(ledger: Ledger, code: str, register: str, reason: str) -> None:
    """Move CODE to another register (accepting a proposed move, or by hand)."""
    accepted = ledger.ready().risks.move(ledger.actor, code, register, reason)
    done(ledger, f"{code}: moved to the {register} register" + (" (the proposed move)" if accepted else ""))


@risk.command("keep")
@click.argument("code")
@click.option("--reason", required=True, metavar="T")
@pass_ledger
def keep(ledger: Ledger, code: str, reason: str) -> None:
    """Decline CODE's proposed move: it stays on its register."""
    declined = ledger.ready().risks.keep(ledger.actor, code, reason)
    done(ledger, f"{code}: kept, not moved to the {declined} register")


@risk.command("close")
@click.argument("code")
@click.option("--reason", required=True, metavar="T")
@pass_ledger
def close(ledger: Ledger, code: str, reason: str) -> None:
    """Close CODE: it takes no further changes and leaves the registers."""
    ledger.ready().risks.close(ledger.actor, code, reason)
    done(ledger, f"{code}: closed")


def _today(moment: datetime | None) -> date:
    """The as-at day, in London (now without --as-at)."""
    from projections.queries.escalations import as_at_date

    return as_at_date(moment or datetime.now().astimezone())


@risk.command("list")
@click.option("--register", type=REGISTERS)
@click.option("--proposed", is_flag=True, help="Only risks with a proposed move awaiting a decision.")
@click.option("--closed", "include_closed", is_flag=True, help="Closed risks too.")
@click.option("--as-at", "as_at", type=AS_AT, metavar="WHEN", help="The registers as they stood then.")
@format_option()
@pass_ledger
def list_(
    ledger: Ledger,
    register: str | None,
    proposed: bool,
    include_closed: bool,
    as_at: datetime | None,
    fmt: str,
) -> None:
    """The risks on the registers: corporate first, highest residual score first, with each one's
    band on the matrix in force then and the date its next review is due."""
    from projections import queries
    from projections.queries import risks as registers

    with ledger.read() as conn:
        position = queries.position_at(conn, as_at)
        rows = registers.risks(conn, position, _today(as_at), register, proposed, include_closed)
    shown = (
        [
            {
                **r,
                "inherent": _score(r, ""),
                "residual": _score(r, "residual_"),
                "indicators": ";".join(r["indicators"]),
                "review_due": (r["review_due"] or "") + (" (overdue)" if r["review_overdue"] else ""),
            }
            for r in rows
        ]
        if fmt in ("table", "csv")
        else rows
    )
    emit(render(shown, registers.COLUMNS, fmt))


def _score(row: dict[str, object], prefix: str) -> str:
    if row[f"{prefix}likelihood"] is None:
        return ""
    return (
        f"{row[f'{prefix}likelihood']}x{row[f'{prefix}impact']}={row['residual' if prefix else 'inherent']}"
    )


@risk.command("show")
@click.argument("code")
@click.option("--as-at", "as_at", type=AS_AT, metavar="WHEN")
@format_option()
@pass_ledger
def show(ledger: Ledger, code: str, as_at: datetime | None, fmt: str) -> None:
    """CODE as it stood (default: now), with its whole history."""
    from projections import queries
    from projections.queries import risks as registers

    with ledger.read() as conn:
        found = registers.risk(conn, code, queries.position_at(conn, as_at), _today(as_at))
    if found is None:
        raise NotFound(
            f"unknown risk {code!r}" + (" as at that time" if as_at else "") + ": see perfledger risk list"
        )
    if fmt == "json":
        emit(render_record(found, fmt))
        return
    history = found.pop("history")
    emit(render_record({**found, "indicators": ";".join(found["indicators"])}, fmt))
    if fmt == "table":
        emit("\nHistory:\n")
    emit(render(history, HISTORY_COLUMNS, fmt, title="history"))


@risk.group("matrix")
def matrix() -> None:
    """The risk matrix: scales, score bands, the register each band belongs on, review frequency."""


@matrix.command("use")
@click.argument("choice", metavar="default|FILE")
@click.option("--reason", required=True, metavar="T")
@pass_ledger
def use(ledger: Ledger, choice: str, reason: str) -> None:
    """Put a matrix in force (recorded as an event; an as-at report uses the one in force then) and
    review every risk against it."""
    chosen, source = load_matrix(choice)
    proposed = ledger.ready().risks.use_matrix(ledger.actor, chosen, source, reason)
    done(
        ledger, f"risk matrix {chosen.name} in force ({len(chosen.bands)} bands); {proposed} move(s) proposed"
    )


@matrix.command("show")
@click.option("--as-at", "as_at", type=AS_AT, metavar="WHEN")
@format_option()
@pass_ledger
def show_matrix(ledger: Ledger, as_at: datetime | None, fmt: str) -> None:
    """The matrix in force (default: now), band by band."""
    from projections import queries
    from projections.queries import risks as registers

    with ledger.read() as conn:
        chosen = registers.matrix_at(conn, queries.position_at(conn, as_at))
    rows = [
        {
            "band": b.name,
            "scores": f"{b.low}-{b.high}",
            "register": b.register,
            "review_months": b.review_months,
        }
        for b in chosen.bands
    ]
    emit(render(rows, ["band", "scores", "register", "review_months"], fmt, title="matrix"))
