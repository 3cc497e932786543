"""Issued reports: a report as the bytes of its basis, and the proof that a file is one the ledger issued.

A report is a pure function of its basis (position, period, as-at time, format): ``rag``
renders it, ``regenerate`` renders it again from a recorded basis, and ``check`` says
whether a file's bytes are a report this ledger issued, regenerating it to prove it.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime
from importlib.metadata import PackageNotFoundError, version
from typing import Any, Protocol

from sqlalchemy import Connection

from ledger.domain.issued_report import IssuedReport
from ledger.errors import Invalid
from ledger.hints import command
from ledger.values import Period
from projections import queries
from projections.queries import adjustments
from projections.queries.plans import Scope, scope
from projections.reports import performance, performance_formats
from projections.reports.formats import rag_bytes, render_rag
from projections.reports.rag import build


def code_version() -> str:
    """This perfledger's version: a report issued by another may render differently."""
    try:
        return version("perfledger")
    except PackageNotFoundError:  # pragma: no cover - running from a source tree
        return "unknown"


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@dataclass(frozen=True)
class Rendered:
    """A report's text and the basis that regenerates it byte for byte."""

    data: dict[str, Any]
    text: str  # empty for a workbook: see ``content``
    basis: dict[str, Any]
    content: bytes  # the report's bytes, as written to a file and hashed

    @property
    def position(self) -> int:
        return int(self.basis["position"])

    @property
    def sha256(self) -> str:
        return sha256(self.content)


@dataclass(frozen=True)
class Narrowing:
    """A report's ``--plan``, ``--priority`` and ``--theme`` (resolved as at the report's position)."""

    plan: str | None = None
    priority: str | None = None
    theme: str | None = None

    def at(self, conn: Connection, position: int) -> Scope:
        return scope(conn, position, self.plan, self.priority, self.theme)

    @classmethod
    def of(cls, basis: dict[str, Any]) -> Narrowing:
        return cls(basis.get("plan"), basis.get("priority"), basis.get("theme"))


def rag(conn: Connection, moment: datetime, period: Period | None, fmt: str,
        narrowing: Narrowing = Narrowing(), *, colour: bool = False) -> Rendered:
    """The RAG report as the ledger stood at MOMENT, rendered in FMT."""
    position = queries.position_at(conn, moment)
    chosen = narrowing.at(conn, position)
    data = build(conn, position, moment, period, chosen)
    basis = {"position": position, "period": data["period"], "as_at": data["as_at"], "format": fmt,
             **chosen.basis()}
    if fmt == "xlsx":
        return Rendered(data, "", basis, rag_bytes(data, fmt))
    text = render_rag(data, fmt, colour)
    return Rendered(data, text, basis, text.encode("utf-8"))


def performance_report(conn: Connection, moment: datetime, period: Period, fmt: str, narrowing: Narrowing,
                       digest: str | None) -> Rendered:
    """The integrated performance report as the ledger stood at MOMENT, rendered in FMT."""
    position = queries.position_at(conn, moment)
    chosen = narrowing.at(conn, position)
    data = performance.build(conn, position, moment, period, chosen, digest)
    basis = {"position": position, "period": data["period"], "as_at": data["as_at"], "format": fmt,
             "theme": narrowing.theme, "digest": digest, **chosen.basis()}
    content = performance_formats.render(data, fmt)
    return Rendered(data, "" if fmt == "xlsx" else content.decode("utf-8"), basis, content)


def regenerate(conn: Connection, kind: str, basis: dict[str, Any]) -> bytes:
    """The report's bytes, rebuilt from its recorded basis (position, period, as-at, format, ...)."""
    moment = datetime.fromisoformat(basis["as_at"])
    if kind == "performance":
        position = int(basis["position"])
        data = performance.build(conn, position, moment, Period.parse(basis["period"]),
                                 Narrowing.of(basis).at(conn, position), basis.get("digest"))
        return performance_formats.render(data, basis["format"])
    if kind != "rag":
        raise Invalid(f"this perfledger cannot regenerate a {kind!r} report")
    position = int(basis["position"])
    chosen = Narrowing.of(basis).at(conn, position)
    data = build(conn, position, moment, Period.parse(basis["period"]), chosen)
    return rag_bytes(data, basis["format"])


class IssuedReports(Protocol):
    """Where issues are recorded (the application's audit part), read from the event store."""

    def issued_report(self, sha256: str) -> IssuedReport | None: ...


@dataclass(frozen=True)
class Verdict:
    genuine: bool
    line: str


def check(conn: Connection, name: str, data: bytes, reports: IssuedReports) -> Verdict:
    """``report verify``: was NAME (its bytes DATA) issued by this ledger? Regenerated to prove it."""
    digest = sha256(data)
    where = adjustments.issued(conn, digest)
    found = reports.issued_report(digest)
    if found is None:
        raise Invalid(f"{name} is not a report this ledger issued: no issued report has its SHA-256 "
                      f"{digest} (one changed byte changes the hash)")
    basis = found.basis
    when = f" at {where['recorded_at']} (position {where['position']})" if where else ""
    described = (f"the {found.kind} report ({basis['format']}) issued by {found.issued_by}{when}: "
                 f"basis position {basis['position']}, period {basis['period']}, as at {basis['as_at']}")
    if sha256(regenerate(conn, found.kind, basis)) == digest:
        return Verdict(True, f"genuine: {name} is {described}; regenerated from its basis byte for byte")
    if found.code_version != code_version():
        return Verdict(True, f"genuine: {name} is {described}. It was issued by perfledger "
                             f"{found.code_version}; this is {code_version()}, whose output differs, so it "
                             "was not regenerated")
    return Verdict(False, f"{name} matches {described}, but the views no longer regenerate it: "
                          f"run {command('audit verify')} and {command('projections rebuild')}")
