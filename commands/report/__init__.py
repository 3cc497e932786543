"""perfledger report: the RAG and performance reports, issued reports and their proof, diffs, the
data-quality review, the benchmarking across councils (one module each; their formats are in
``projections/reports``)."""

from __future__ import annotations

import click

from commands.report import benchmarking, diff, performance, quality, rag, risks


@click.group()
def report() -> None:
    """Reports: RAG and the integrated performance report, as at any past date."""


for _command in (rag.rag, performance.performance, rag.verify, diff.diff, quality.data_quality, risks.risks,
                 benchmarking.benchmarking):
    report.add_command(_command)
