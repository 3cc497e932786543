"""The demo's orchestration: throw away an earlier demo, record the timeline, and gather what to show."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from commands.demo import timeline
from commands.support.context import Ledger
from ledger.errors import Invalid
from ledger.values import Period
from projections import queries
from projections.catchup.runner import catch_up, clear
from projections.reports.rag import build as rag_report

REPORT_PERIOD = Period.quarter(timeline.YEARS[-1], 4)  # the latest quarter the demo holds


@dataclass(frozen=True)
class Built:
    counts: dict[str, int]
    position: int
    indicators: list[dict[str, Any]]
    report: dict[str, Any]
    digest: str


def reset_earlier_demo(ledger: Ledger) -> None:
    """An earlier demo is thrown away whole; anything else is never touched."""
    app = ledger.open(create=True)
    if app.core.is_empty():
        return
    if not (app.core.is_initialised() and app.core.settings().demo):
        raise Invalid(
            f"{ledger.config.display} holds a ledger that is not a demo: perfledger demo never writes "
            "into it; choose another --db"
        )
    app.core.discard()
    clear(ledger.engine)
    ledger.use(ledger.config.url)


def build_demo(ledger: Ledger) -> Built:
    """Build the demo ledger at the context's URL (emptied by ``reset_earlier_demo``) and read back
    what it holds."""
    app = ledger.open(create=True)
    counts = timeline.build(app, ledger.actor)
    catch_up(ledger.engine, app.core)
    with ledger.engine.connect() as conn:
        position = queries.head_position(conn)
        rows = []
        for indicator in queries.indicators(conn, position):
            held = queries.returns(conn, indicator["code"], position)
            latest = held[-1] if held else None
            rows.append({"code": indicator["code"], "title": indicator["title"],
                         "frequency": indicator["frequency"],
                         "latest": latest["period"] if latest else None,
                         "value": latest["value"] if latest else None,
                         "status": latest["status"] if latest else None})
        report = rag_report(conn, position, datetime.now(UTC), REPORT_PERIOD)
    return Built(counts, position, rows, report, str(app.audit.digest()))
