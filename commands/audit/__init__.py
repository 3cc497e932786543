"""perfledger audit: the trail of who changed what and why, the chain's digest, verification and
proofs, the evidence pack, replay, and internal audit's own acts (one module each)."""

from __future__ import annotations

import click

from commands.audit import chain, evidence, replay, sample, trail


@click.group()
def audit() -> None:
    """History and tamper evidence."""


for _command in (trail.trail, *chain.COMMANDS, evidence.evidence_pack, replay.replay, *sample.COMMANDS):
    audit.add_command(_command)
