"""The demo's orchestration: throw away an earlier demo, record the timeline, and gather what to show."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from commands.demo import benchmarks as demo_benchmarks
from commands.demo import timeline
from commands.demo.data import CAST
from commands.support.context import Ledger
from ledger.app.identity import Signer, new_key
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


def key_folder(ledger: Ledger) -> Path:
    """Where the demo keeps its cast's keys: beside a SQLite demo, else in the current folder."""
    path = ledger.config.path
    base = Path(path) if path is not None else Path("perfledger-demo.db")
    return base.with_name(base.stem + "-keys")


def cast_keys(folder: Path) -> dict[str, Signer]:
    """The cast's private keys, made on the first demo and kept for the next (never overwritten)."""
    folder.mkdir(parents=True, exist_ok=True)
    keys = {}
    for name, _, _ in CAST:
        path = folder / f"{'-'.join(name.lower().split())}.key"
        if not path.exists():
            new_key(path)
        keys[name] = Signer.from_file(path)
    return keys


def build_demo(ledger: Ledger) -> Built:
    """Build the demo ledger at the context's URL (emptied by ``reset_earlier_demo``) and read back
    what it holds. The cast's keys are enrolled with them and sign what they record."""
    app = ledger.open(create=True)
    keys = cast_keys(key_folder(ledger))
    for signer in keys.values():
        app.core.identity.hold(signer)
    counts = timeline.build(app, ledger.actor, {name: signer.public_hex for name, signer in keys.items()})
    counts["benchmarks"] = demo_benchmarks.record(app)
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
