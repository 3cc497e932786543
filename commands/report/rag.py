"""perfledger report rag / verify: the RAG report as at any date, issued reports and their proof."""

from __future__ import annotations

import hashlib
import sys
from datetime import UTC, datetime
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

import click

from commands.report.render import render_rag
from commands.support.context import Ledger, pass_ledger
from commands.support.output import Tampered
from commands.support.params import AS_AT, PERIOD
from ledger.errors import Invalid
from ledger.values import Period
from policies.authorisation import Act
from projections import queries
from projections.queries import adjustments
from projections.reports.rag import build


@click.command("rag")
@click.option("--period", type=PERIOD, help="Default: the last quarter ended by the as-at time.")
@click.option("--as-at", "as_at", type=AS_AT, metavar="WHEN",
              help="As the ledger stood then (default: now).")
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "json", "html"]), default="table",
              show_default=True)
@click.option("--output", type=click.Path(dir_okay=False, path_type=Path), metavar="FILE",
              help="Write the report to FILE instead of the screen.")
@click.option("--issue", is_flag=True,
              help="Record this report's basis and SHA-256 in the ledger, so the file can be proven later.")
@pass_ledger
def rag(ledger: Ledger, period: Period | None, as_at: datetime | None, fmt: str,
        output: Path | None, issue: bool) -> None:
    """Each indicator's actual against target, its rating and direction of travel.

    Same ledger, same arguments and an explicit --as-at: byte-identical output. The report
    lists the restatements approved since the last issued RAG report.
    """
    if issue and fmt == "csv":
        raise Invalid("a CSV report holds one table and cannot list its restatements: "
                      "issue the table, json or html form")
    moment = as_at or datetime.now(UTC)
    with ledger.read(Act.REPORT_ISSUE if issue else Act.READ) as conn:
        position = queries.position_at(conn, moment)
        data = build(conn, position, moment, period)
    colour = output is None and sys.stdout.isatty() and not issue
    text = render_rag(data, fmt, colour)
    if issue:
        digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
        basis = {"position": position, "period": data["period"], "as_at": data["as_at"], "format": fmt}
        new = ledger.ready().audit.issue_report(ledger.actor, "rag", digest, basis, code_version())
        ledger.catch_up()
        said = "issued" if new else "already issued (the same bytes)"
        click.echo(f"{said}: rag report {fmt}, basis position {position}, SHA-256 {digest}", err=True)
    if output is not None:
        output.write_text(text, encoding="utf-8")
        click.echo(f"wrote the {fmt} RAG report for {data['period']} (position {position}) to {output}",
                   err=True)
        return
    click.echo(text, nl=False)


def code_version() -> str:
    try:
        return version("perfledger")
    except PackageNotFoundError:  # pragma: no cover - running from a source tree
        return "unknown"


def regenerate(ledger: Ledger, kind: str, basis: dict[str, Any]) -> str:
    """The report's bytes, rebuilt from its recorded basis (position, period, as-at, format)."""
    if kind != "rag":
        raise Invalid(f"this perfledger cannot regenerate a {kind!r} report")
    with ledger.engine.connect() as conn:
        data = build(conn, int(basis["position"]), datetime.fromisoformat(basis["as_at"]),
                     Period.parse(basis["period"]))
    return render_rag(data, basis["format"])


@click.command("verify")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@pass_ledger
def verify(ledger: Ledger, file: Path) -> None:
    """Was FILE issued by this ledger, byte for byte? Regenerates it from its basis to prove it."""
    digest = hashlib.sha256(file.read_bytes()).hexdigest()
    with ledger.read() as conn:
        where = adjustments.issued(conn, digest)
    found = ledger.app.audit.issued_report(digest)
    if found is None:
        raise Invalid(f"{file.name} is not a report this ledger issued: no issued report has its SHA-256 "
                      f"{digest} (one changed byte changes the hash)")
    basis = found.basis
    when = f" at {where['recorded_at']} (position {where['position']})" if where else ""
    again = hashlib.sha256(regenerate(ledger, found.kind, basis).encode("utf-8")).hexdigest()
    described = (f"the {found.kind} report ({basis['format']}) issued by {found.issued_by}{when}: "
                 f"basis position {basis['position']}, period {basis['period']}, as at {basis['as_at']}")
    if again == digest:
        click.echo(f"genuine: {file.name} is {described}; regenerated from its basis byte for byte")
        return
    if found.code_version != code_version():
        click.echo(f"genuine: {file.name} is {described}. It was issued by perfledger {found.code_version}; "
                   f"this is {code_version()}, whose output differs, so it was not regenerated")
        return
    raise Tampered(f"{file.name} matches {described}, but the views no longer regenerate it: "
                   "run perfledger audit verify and perfledger projections rebuild")
