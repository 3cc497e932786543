"""perfledger audit evidence: the internal-audit evidence pack for a financial year.

A folder of CSV files, an HTML index, the chain digest and inclusion proofs of the
adjustment decisions. Deterministic: the same ledger gives the same bytes.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import click
from jinja2 import Environment, PackageLoader, select_autoescape

from commands.context import Ledger, pass_ledger
from ledger.errors import Invalid
from ledger.values import Period, PeriodKind
from projections.queries import head_position
from projections.reports import evidence

FILES = {
    "indicators.csv": ("indicators", evidence.INDICATOR_COLUMNS),
    "targets.csv": ("targets", evidence.TARGET_COLUMNS),
    "returns.csv": ("returns", evidence.RETURN_COLUMNS),
    "missing.csv": ("missing", ["indicator", "period", "due"]),
    "adjustments.csv": ("adjustments", evidence.ADJUSTMENT_COLUMNS),
    "refusals.csv": ("refusals", evidence.REFUSAL_COLUMNS),
    "controls.csv": ("summary", ["area", "measure", "value"]),
}


def _csv(rows: list[dict[str, Any]], columns: list[str]) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=columns, lineterminator="\n", extrasaction="ignore")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: "" if v is None else str(v).lower() if isinstance(v, bool) else v
                         for k, v in row.items()})
    return buffer.getvalue()


def _fresh(output: Path) -> None:
    if output.exists() and (not output.is_dir() or any(output.iterdir())):
        raise Invalid(f"{output} exists and is not an empty folder: give a new or empty --output folder")


@click.command("evidence")
@click.option("--year", required=True, metavar="YEAR", help="A financial year, e.g. 2008/09.")
@click.option("--output", required=True, type=click.Path(file_okay=False, path_type=Path), metavar="DIR",
              help="A new or empty folder for the pack.")
@pass_ledger
def evidence_pack(ledger: Ledger, year: str, output: Path) -> None:
    """The evidence pack for YEAR: pro formas, targets, returns, adjustments, refusals, controls summary.

    Each indicator's revisions, every target and return version in the year with
    who and why, the adjustments with requester, approver, reason and evidence,
    refused attempts, a controls summary, the chain digest and inclusion proofs of
    the adjustment decisions. The same ledger gives the same bytes.
    """
    try:
        period = Period.parse(year)
    except ValueError as error:
        raise click.BadParameter(str(error), param_hint="--year") from None
    if period.kind is not PeriodKind.YEAR:
        raise click.BadParameter(f"{year} is not a financial year: use e.g. 2008/09", param_hint="--year")
    _fresh(output)
    app = ledger.ready()
    with ledger.read() as conn:
        position = head_position(conn)
        pack = evidence.build(conn, period, position)

    if not evidence.has_data(pack):
        raise Invalid(f"the ledger holds no returns, targets or adjustments for {year}: nothing to pack")
    digest = app.audit.digest()
    output.mkdir(parents=True, exist_ok=True)
    for name, (attribute, columns) in FILES.items():
        (output / name).write_text(_csv(getattr(pack, attribute), columns), encoding="utf-8")
    (output / "digest.txt").write_text(f"{digest}\n", encoding="utf-8")
    proofs = output / "proofs"
    proofs.mkdir()
    proven = []
    decisions = [a for a in pack.adjustments if a["status"] == "approved"]
    for decision in sorted(decisions, key=lambda a: a["decided_position"]):
        place = int(decision["decided_position"])
        if place <= digest.size:
            proof = app.audit.prove(place)
            name = f"position-{place}.json"
            (proofs / name).write_text(json.dumps(proof.as_json(), indent=2, sort_keys=True) + "\n",
                                       encoding="utf-8")
            proven.append({"file": f"proofs/{name}", "position": place, "adjustment": decision["id"]})
    environment = Environment(loader=PackageLoader("commands", "templates"),
                              autoescape=select_autoescape(["html"]), keep_trailing_newline=True)
    html = environment.get_template("evidence.html").render(
        pack=pack, digest=str(digest), files=list(FILES), proven=proven)
    (output / "index.html").write_text(html, encoding="utf-8")
    click.echo(f"wrote the evidence pack for {year} to {output}: {len(pack.returns)} return versions, "
               f"{len(pack.adjustments)} adjustments, {len(pack.refusals)} refusals; digest {digest}")
