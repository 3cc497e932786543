"""Schema evolution: events written by the first release must always decode and project.

``tests/fixtures/events-v1.jsonl`` is frozen: events as stored by class_version 1 of
every aggregate. Never regenerate it. If a change to an event breaks this test, add
an upcaster (``upcast_v1_v2``) and raise ``class_version`` instead.
"""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from uuid import UUID

from eventsourcing.persistence import StoredEvent

from ledger.app import LedgerApp
from ledger.store.url import parse_store_url
from ledger.values import Frequency, Period, Role, Status, Unit
from projections import queries
from projections.catchup.engine import make_engine
from projections.catchup.runner import catch_up

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "events-v1.jsonl"
TOPICS = {
    "perfledger/Ledger.Initialised", "perfledger/Roster.Opened", "perfledger/Roster.PersonEnrolled",
    "perfledger/Roster.RoleRevoked", "perfledger/Indicator.Registered", "perfledger/Indicator.Revised",
    "perfledger/Indicator.Retired", "perfledger/Return.Submitted", "perfledger/Return.Revised",
    "perfledger/Return.Finalised",
}


def stored_events() -> list[StoredEvent]:
    rows = [json.loads(line) for line in FIXTURE.read_text().splitlines()]
    return [StoredEvent(UUID(r["originator_id"]), r["version"], r["topic"], r["state"].encode())
            for r in rows]


def test_the_frozen_topics_are_still_the_ones_we_write() -> None:
    assert {e.topic for e in stored_events()} == TOPICS


def test_old_events_load_into_a_ledger_and_replay(store_url: str) -> None:
    app = LedgerApp(parse_store_url(store_url))
    app.core.recorder.insert_events(stored_events())
    assert app.audit.verify().ok
    indicator = app.core.indicator("NI 192")
    assert (indicator.revision, indicator.pro_forma.definition) == (2, "WasteDataFlow")
    assert indicator.pro_forma.unit is Unit.PERCENT
    assert indicator.pro_forma.frequency is Frequency.QUARTERLY
    assert app.core.indicator("NI 154").retired
    assert app.core.roster().roles_of("vic") == set()
    assert app.core.roster().roles_of("bob") == {Role.IMPROVEMENT_MANAGER}
    assert app.core.settings().tolerance == Decimal(5)
    from ledger.domain.returns import PeriodReturn

    q1 = app.core.load(PeriodReturn, "NI 192", Period.parse("2008/09-Q1"))
    assert q1 is not None
    assert (q1.value, q1.status, q1.revision) == (Decimal("55.10"), Status.FINAL, 2)
    engine = make_engine(parse_store_url(store_url))
    assert catch_up(engine, app.core) == len(stored_events())
    with engine.connect() as conn:
        rows = queries.returns(conn, "NI 192", queries.head_position(conn))
    assert [(r["value"], r["status"]) for r in rows] == [("55.10", "final")]
    engine.dispose()
    app.close()


def test_opening_events_stored_before_they_named_their_actor_still_load(tmp_path: Path) -> None:
    """Targets, designations, calendars, outlooks and escalations now record who opened them; the
    events stored before (no ``actor`` in their state) load as they did."""
    from ledger.domain.assessment import Outlook
    from ledger.domain.calendar import Calendar
    from ledger.domain.designations import Designations
    from ledger.domain.escalation import Escalations, LadderInForce
    from ledger.domain.targets import TargetSeries

    app = LedgerApp(parse_store_url(f"sqlite:///{tmp_path}/ledger.db"))
    mapper = app.core.mapper
    for made in (TargetSeries(indicator="NI 1", actor="alice"), Designations(indicator="NI 1", actor="alice"),
                 Outlook(indicator="NI 1", actor="alice"), Escalations(indicator="NI 1", actor="alice"),
                 Calendar(actor="alice"), LadderInForce(actor="alice")):
        [opened] = made.collect_events()
        stored = mapper.to_stored_event(opened)
        state = mapper.transcoder.decode(stored.state)
        assert state.pop("actor") == "alice"
        old = StoredEvent(stored.originator_id, stored.originator_version, stored.topic,
                          mapper.transcoder.encode(state))
        loaded = mapper.to_domain_event(old).mutate(None)
        assert type(loaded) is type(made)
    app.close()
