"""The ladders of intervention end to end on the write and read sides, on both backends.

Recording times come from a controllable clock: each return arrives three weeks after its
half ends, as it would, so deadlines and overdue responses fall on real dates.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

import pytest

from ledger.app import LedgerApp
from ledger.domain.indicator import ProForma
from ledger.errors import Invalid, Refused
from ledger.store.url import parse_store_url
from ledger.values import Frequency, Period, Polarity, Role, Target, Unit
from policies.ladder import HALTON, HEREFORDSHIRE, parse_toml
from projections import queries
from projections.catchup.engine import make_engine
from projections.catchup.runner import catch_up, rebuild
from projections.queries import escalations
from projections.queries.designations import designations, indicators_of
from projections.reports.evidence import build as evidence
from projections.reports.rag import build
from tests.helpers import Clock, ret

SIX_MONTHLY = ProForma("Adults in sport and active recreation", Unit.PERCENT, Polarity.HIGHER,
                       Frequency.HALF_YEARLY)
QUARTERLY = ProForma("Working-age people on out-of-work benefits", Unit.PERCENT, Polarity.LOWER,
                     Frequency.QUARTERLY)


class Partnership:
    def __init__(self, store_url: str) -> None:
        self.clock = Clock(datetime(2008, 4, 1, 9, 0, tzinfo=UTC))
        self.app = LedgerApp(parse_store_url(store_url), clock=self.clock)
        self.engine = make_engine(parse_store_url(store_url))
        app = self.app
        app.people.initialise("alice", "alice", Decimal(5))
        app.people.add("alice", "bob", [Role.IMPROVEMENT_MANAGER], "Halton BC")
        app.people.add("alice", "carol", [Role.IMPROVEMENT_MANAGER], "Halton BC")
        app.people.add("alice", "lin", [Role.IMPROVEMENT_MANAGER], "Halton BC")
        app.people.add("alice", "pat", [Role.PERFORMANCE_SUPPORT], None)
        app.indicators.register("alice", "NI 8", SIX_MONTHLY)
        app.indicators.register("alice", "NI 152", QUARTERLY)
        for code, level in (("NI 8", "45"), ("NI 152", "12")):
            app.people.designate("alice", code, "lead-organisation", "Sport Halton", None)
            app.people.designate("alice", code, "lead-officer", "lin", None)
            app.people.designate("alice", code, "operational-manager", "lin", None)
            app.people.designate("alice", code, "improvement-manager", "bob", None)
            for year in ("2008/09", "2009/10"):
                target = Decimal("50") if code == "NI 8" else Decimal("10")
                app.targets.set("alice", code, Period.parse(year),
                               Target(target, monitoring_level=Decimal(level)), None, "LAA")

    def at(self, day: date) -> None:
        self.clock.now = datetime(day.year, day.month, day.day, 10, 0, tzinfo=UTC)

    def send(self, code: str, period: str, value: str) -> None:
        """BOB's return for PERIOD, recorded three weeks after the period ends."""
        end = Period.parse(period).end
        self.at(date.fromordinal(end.toordinal() + 21))
        self.app.returns.submit("bob", ret(code, period, value))

    def cases(self, today: date | None = None) -> list[dict[str, Any]]:
        catch_up(self.engine, self.app.core)
        with self.engine.connect() as conn:
            return escalations.cases(conn, queries.head_position(conn), today or self.clock.now.date())

    def case_events(self) -> list[tuple[str, str, int | None]]:
        found = []
        for entry in self.app.core.read_log(0, 100000):
            name = type(entry.event).TOPIC.removeprefix("perfledger/")
            if name.startswith("Escalations.") and name != "Escalations.Opened":
                found.append((name, entry.event.actor, getattr(entry.event, "stage", None)))
        return found


@pytest.fixture
def partnership(store_url: str) -> Iterator[Partnership]:
    p = Partnership(store_url)
    yield p
    p.engine.dispose()
    p.app.close()


def head(p: Partnership) -> int:
    found = p.app.core.head()
    assert found is not None
    return found.position


def test_halton_climbs_all_three_stages_and_back_to_closed_with_six_monthly_data(
        partnership: Partnership) -> None:
    p = partnership
    p.app.escalations.use_ladder("pat", HALTON, "halton")
    p.send("NI 8", "2008/09-H1", "40")
    [case] = p.cases()
    assert (case["stage"], case["status"], case["raised_by"], case["due"]) == (
        1, "open", "ladder:halton/1", "2009-01-21")
    assert case["responder"] == "lead-organisation"
    assert p.cases(date(2009, 1, 22))[0]["status"] == "overdue"  # derived: nothing was written
    p.at(date(2008, 12, 1))
    p.app.escalations.respond("bob", case["id"], "Sport Halton has doubled its sessions", None)
    assert p.cases()[0]["status"] == "responded"

    p.send("NI 8", "2008/09-H2", "41")
    [case] = p.cases()
    assert (case["stage"], case["status"], case["due"]) == (2, "open", "2009-07-21")
    before = head(p)
    with pytest.raises(Invalid, match="give it with 'plan' REF"):
        p.app.escalations.respond("lin", case["id"], "agreed with the agencies", None)
    assert head(p) == before
    p.app.escalations.respond("lin", case["id"], "agreed with the agencies", "SSP plan 2009-05")

    p.send("NI 8", "2009/10-H1", "42")
    assert [(c["stage"], c["status"]) for c in p.cases()] == [(3, "open")]
    catch_up(p.engine, p.app.core)
    with p.engine.connect() as conn:
        report = build(conn, queries.head_position(conn), p.clock.now, Period.parse("2009/10-H1"))
    assert [r["escalation_stage"] for r in report["rows"] if r["indicator"] == "NI 8"] == [3]
    assert [(o["indicator"], o["stage"]) for o in report["major_obstacles"]] == [("NI 8", 3)]

    p.send("NI 8", "2009/10-H2", "47")
    assert [(c["stage"], c["status"]) for c in p.cases()] == [(3, "closed")]
    assert p.case_events() == [
        ("Escalations.CaseOpened", "ladder:halton/1", 1), ("Escalations.Responded", "bob", 1),
        ("Escalations.StageReached", "ladder:halton/1", 2), ("Escalations.Responded", "lin", 2),
        ("Escalations.StageReached", "ladder:halton/1", 3),
        ("Escalations.CaseClosed", "ladder:halton/1", None)]

    # Rerunning the policy and rebuilding the views decide nothing again and change nothing.
    shown = p.cases()
    size = head(p)
    assert p.app.escalations.review_ladder(["NI 8", "NI 152"]) == 0
    assert head(p) == size
    rebuild(p.engine, p.app.core)
    assert p.cases() == shown


def test_herefordshire_steps_up_to_the_deputy_chief_executive(partnership: Partnership) -> None:
    p = partnership
    p.app.escalations.use_ladder("pat", HEREFORDSHIRE, "herefordshire")
    p.send("NI 152", "2008/09-Q1", "15")  # a quarter that is not a review decides nothing
    assert p.cases() == []
    p.send("NI 152", "2008/09-Q2", "13")
    [case] = p.cases()
    assert (case["stage"], case["responder"], case["due"], case["ladder"]) == (
        1, "improvement-manager", "2008-11-21", "herefordshire/1")
    p.send("NI 152", "2008/09-Q4", "12.5")
    [case] = p.cases()
    assert (case["stage"], case["requires"]) == (2, "a plan of remedial action")
    p.app.escalations.respond("lin", case["id"], "remedial plan agreed", "RAP-152")
    p.send("NI 152", "2009/10-Q2", "12.1")
    [case] = p.cases()
    assert (case["stage"], case["responder"], case["requires"]) == (
        3, "deputy-chief-executive", "the Deputy Chief Executive's decision")
    assert p.cases(date(2010, 1, 1))[0]["status"] == "overdue"  # a month to answer
    with p.engine.connect() as conn:
        found = escalations.major_obstacles(escalations.cases(conn, queries.head_position(conn),
                                                              date(2010, 1, 1)))
    assert [(o["stage"], o["status"], o["why"]) for o in found] == [(3, "overdue", "overdue response")]


def test_a_restatement_never_rewrites_a_decision_and_a_hand_closed_case_reopens_at_the_next_review(
        partnership: Partnership) -> None:
    p = partnership
    p.app.escalations.use_ladder("pat", HALTON, "halton")
    p.send("NI 8", "2008/09-H1", "40")
    [first] = p.cases()
    p.app.returns.submit("bob", ret("NI 8", "2008/09-H1", "46", reason="late data"))
    assert [(c["id"], c["stage"], c["status"]) for c in p.cases()] == [(first["id"], 1, "open")]
    p.app.escalations.close("pat", first["id"], "the partnership accepts the explanation")
    before = head(p)
    with pytest.raises(Invalid, match="is closed: there is nothing to respond to"):
        p.app.escalations.respond("bob", first["id"], "late", None)
    with pytest.raises(Invalid, match="already closed"):
        p.app.escalations.close("pat", first["id"], "again")
    assert head(p) == before
    p.send("NI 8", "2008/09-H2", "41")
    cases = p.cases()
    assert [(c["stage"], c["status"], c["review"]) for c in cases] == [
        (1, "closed", "2008/09-H1"), (1, "open", "2008/09-H2")]
    assert cases[1]["id"] != first["id"]


def test_performance_support_raises_by_hand_and_the_ladder_carries_on(partnership: Partnership) -> None:
    p = partnership
    p.app.escalations.use_ladder("pat", HALTON, "halton")
    before = head(p)
    with pytest.raises(Invalid, match="stage 4 is beyond the halton ladder's stages"):
        p.app.escalations.raise_escalation("pat", "NI 152", 4, "too many complaints")
    with pytest.raises(Refused, match="may not raise escalations"):
        p.app.escalations.raise_escalation("bob", "NI 152", 2, "too many complaints")
    assert head(p) == before
    key = p.app.escalations.raise_escalation("pat", "NI 152", 2, "complaints from Jobcentre Plus")
    [case] = p.cases()
    assert (case["id"], case["stage"], case["raised_by"]) == (key, 2, "pat")
    assert case["trigger"] == "raised by hand: complaints from Jobcentre Plus"
    with pytest.raises(Invalid, match="already at stage 2"):
        p.app.escalations.raise_escalation("pat", "NI 152", 1, "again")
    p.send("NI 152", "2008/09-Q2", "13")  # still below: the ladder takes it to stage 3
    assert [(c["id"], c["stage"]) for c in p.cases()] == [(key, 3)]


def test_returns_and_responses_come_from_the_designated_people(partnership: Partnership) -> None:
    p = partnership
    p.app.escalations.use_ladder("pat", HALTON, "halton")
    before = head(p)
    with pytest.raises(Refused, match=r"only its designated improvement-manager \(bob\)") as refused:
        p.app.returns.submit("carol", ret("NI 8", "2008/09-H1", "40"))
    assert refused.value.control == "designation"
    with pytest.raises(Refused, match=r"carol may not assess the outlook for NI 8: only its designated "
                                      r"improvement-manager \(bob\)"):
        p.app.targets.assess("carol", "NI 8", Period.parse("2008/09"), "likely", "on track")
    assert head(p) == before
    p.at(date(2008, 10, 21))
    p.app.returns.submit("pat", ret("NI 8", "2008/09-H1", "40"))  # performance support may
    with pytest.raises(Refused, match=r"carol may not finalise returns for NI 8"):
        p.app.returns.finalise("carol", "NI 8", Period.parse("2008/09-H1"), None)
    p.app.returns.finalise("bob", "NI 8", Period.parse("2008/09-H1"), "checked")
    [case] = p.cases()
    with pytest.raises(Refused, match=r"only its designated people \(bob, lin\)"):
        p.app.escalations.respond("carol", case["id"], "not mine", None)
    p.app.escalations.respond("lin", case["id"], "the lead officer answers", None)


def test_who_held_each_designation_is_answerable_as_at_any_position(partnership: Partnership) -> None:
    p = partnership
    catch_up(p.engine, p.app.core)
    with p.engine.connect() as conn:
        then = queries.head_position(conn)
    with pytest.raises(Invalid, match="replacing them needs 'reason'"):
        p.app.people.designate("alice", "NI 8", "improvement-manager", "carol", None)
    p.app.people.designate("alice", "NI 8", "improvement-manager", "carol", "bob moved to housing")
    p.app.people.designate("alice", "NI 8", "contributor", "Riverside College", None)
    p.app.people.designate("alice", "NI 8", "contributor", "Halton PCT", None)
    p.app.people.designate("alice", "NI 8", "contributor", "Riverside College", "left", remove=True)
    catch_up(p.engine, p.app.core)
    with p.engine.connect() as conn:
        now = queries.head_position(conn)
        old = {(d["role"], d["name"]) for d in designations(conn, "NI 8", then)}
        new = {(d["role"], d["name"]) for d in designations(conn, "NI 8", now)}
        assert indicators_of(conn, "bob", then) == {"NI 8", "NI 152"}
        assert indicators_of(conn, "bob", now) == {"NI 152"}
        assert indicators_of(conn, "carol", now) == {"NI 8"}
        assert indicators_of(conn, "lin", now, "lead-officer") == {"NI 8", "NI 152"}
    assert ("improvement-manager", "bob") in old
    assert ("improvement-manager", "carol") not in old
    assert ("improvement-manager", "carol") in new
    assert ("improvement-manager", "bob") not in new
    assert ("contributor", "Halton PCT") in new
    assert ("contributor", "Riverside College") not in new
    p.at(date(2008, 10, 10))  # 2008/09-H1 has ended: the new improvement manager submits its return
    p.app.returns.submit("carol", ret("NI 8", "2008/09-H1", "51"))


def test_the_evidence_pack_counts_a_response_past_its_deadline(partnership: Partnership) -> None:
    p = partnership
    p.app.escalations.use_ladder("pat", HALTON, "halton")
    p.send("NI 8", "2008/09-H1", "40")  # stage 1, due 2009-01-21
    p.at(date(2009, 1, 21))
    p.app.people.add("alice", "dan", [Role.VIEWER], None)
    catch_up(p.engine, p.app.core)
    with p.engine.connect() as conn:
        on_time = {r["measure"]: r["value"] for r in evidence(conn, Period.parse("2008/09"),
                                                              queries.head_position(conn)).summary}
    p.at(date(2009, 1, 22))
    p.app.people.add("alice", "eve", [Role.VIEWER], None)
    catch_up(p.engine, p.app.core)
    with p.engine.connect() as conn:
        late = {r["measure"]: r["value"] for r in evidence(conn, Period.parse("2008/09"),
                                                           queries.head_position(conn)).summary}
    assert (on_time["escalations open"], on_time["overdue escalations"]) == (1, 0)
    assert (late["escalations open"], late["overdue escalations"]) == (1, 1)


def test_a_case_carries_on_under_a_shorter_ladder_put_in_force_later(partnership: Partnership) -> None:
    p = partnership
    p.app.escalations.use_ladder("pat", HALTON, "halton")
    for half, value in (("2008/09-H1", "40"), ("2008/09-H2", "41"), ("2009/10-H1", "42")):
        p.send("NI 8", half, value)
    shorter = parse_toml('name = "county"\n[[stage]]\ntrigger = "missed"\nresponder = "lead-officer"\n'
                         'within_months = 2\n', "county.toml")
    p.app.escalations.use_ladder("pat", shorter, "file county.toml")
    p.send("NI 8", "2009/10-H2", "48")
    [case] = p.cases()
    assert (case["stage"], case["status"], case["ladder"]) == (3, "closed", "halton/1")
    assert p.case_events()[-1] == ("Escalations.CaseClosed", "ladder:county/1", None)


def test_retiring_an_indicator_closes_its_case_and_a_retired_or_tracker_indicator_takes_none(
        partnership: Partnership) -> None:
    p = partnership
    p.app.escalations.use_ladder("pat", HALTON, "halton")
    key = p.app.escalations.raise_escalation("pat", "NI 152", 2, "complaints from Jobcentre Plus")
    p.app.indicators.retire("alice", "NI 152", "replaced by NI 153")
    [case] = p.cases()
    assert (case["id"], case["status"]) == (key, "closed")
    with p.engine.connect() as conn:
        trail = list(queries.trail(conn, indicator="NI 152"))
    assert trail[-1]["event"] == "Escalations.CaseClosed"
    assert trail[-1]["actor"] == "alice"
    assert "closed with the retirement of NI 152: replaced by NI 153" in (
        trail[-1]["reason"] or "") + (trail[-1]["detail"] or "")
    before = head(p)
    with pytest.raises(Invalid, match="NI 152 was retired \\(replaced by NI 153\\): it takes no escalation"):
        p.app.escalations.raise_escalation("pat", "NI 152", 1, "again")
    tracker = ProForma("Perceptions of anti-social behaviour", Unit.PERCENT, Polarity.LOWER,
                       Frequency.ANNUAL, tracker=True)
    p.app.indicators.register("alice", "NI 17", tracker)
    with pytest.raises(Invalid, match="NI 17 is a tracker: it has no target or rating"):
        p.app.escalations.raise_escalation("pat", "NI 17", 1, "worse")
    assert head(p) == before + 1  # only the registration
