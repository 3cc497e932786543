"""perfledger audit evidence: the internal-audit evidence pack for a financial year.

A folder of CSV files, an HTML index, the chain digest and inclusion proofs of the
adjustment decisions. Deterministic: the same ledger gives the same bytes.
"""

from __future__ import annotations

from pathlib import Path

import click

from commands.support.context import Ledger, pass_ledger
from ledger.errors import Invalid
from ledger.values import Period, PeriodKind


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
    from projections.queries import head_position
    from projections.reports import evidence

    try:
        period = Period.parse(year)
    except ValueError as error:
        raise click.BadParameter(str(error), param_hint="--year") from None
    if period.kind is not PeriodKind.YEAR:
        raise click.BadParameter(f"{year} is not a financial year: use e.g. 2008/09", param_hint="--year")
    _fresh(output)
    app = ledger.ready()
    with ledger.read() as conn:
        pack = evidence.build(conn, period, head_position(conn))
    if not evidence.has_data(pack):
        raise Invalid(f"the ledger holds no returns, targets or adjustments for {year}: nothing to pack")
    digest = evidence.write(pack, app.audit, output)
    click.echo(f"wrote the evidence pack for {year} to {output}: {len(pack.returns)} return versions, "
               f"{len(pack.adjustments)} adjustments, {len(pack.refusals)} refusals; digest {digest}")
