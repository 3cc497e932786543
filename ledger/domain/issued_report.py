"""An issued report: its basis and the SHA-256 of its bytes, so a copy can later be proven genuine.

The id derives from the hash: issuing the same bytes twice is the same issue, and
``report verify`` finds an issue from a file's hash in the event store itself.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from ledger.domain.base import stable_id


class IssuedReport(Aggregate):
    TOPIC = "perfledger/Report"
    class_version = 1

    class Created(Aggregate.Created):
        TOPIC = "perfledger/Report.Created"

    @staticmethod
    def create_id(sha256: str) -> UUID:
        return stable_id("issued-report", sha256)

    @event("Issued", topic="perfledger/Report.Issued")
    def __init__(self, kind: str, sha256: str, basis: dict[str, Any], code_version: str, actor: str) -> None:
        self.kind = kind
        self.sha256 = sha256
        self.basis = basis
        self.code_version = code_version
        self.issued_by = actor


__all__ = ["IssuedReport"]
