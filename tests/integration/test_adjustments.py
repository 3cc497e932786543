"""The whole life of a retrospective adjustment, on both backends (000 §9.2.3).

Recording times come from a controllable clock, so a report "as at" can fall
between any two steps, and every as-at date must show what was believed then.
"""

from __future__ import annotations

import threading
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import delete

from ledger.app import LedgerApp
from ledger.app.adjustments import BadRow, Restatement
from ledger.errors import Invalid, NotFound, Problems, Refused
from ledger.store.url import parse_store_url
from ledger.values import Period, Role
from projections import queries
from projections import schema as tables
from projections.catchup.engine import make_engine
from projections.catchup.runner import catch_up, rebuild
from projections.queries import adjustments as adjustment_queries
from projections.reports.diff import changes
from projections.reports.rag import build
from tests.helpers import Clock, ret, setup_partnership

Q = [Period.parse(f"2008/09-Q{n}") for n in (1, 2, 3, 4)]
YEAR = Period.parse("2008/09")
PAPERWORK: dict[str, Any] = {"reason": "error-correction", "justification": "Tonnage double counted at the depot",
             "evidence": "WasteDataFlow Q1 return, version 2", "revision": None}


class Ledger:
    def __init__(self, store_url: str) -> None:
        self.clock = Clock(datetime(2009, 5, 1, 9, 0, tzinfo=UTC))
        self.app = LedgerApp(parse_store_url(store_url), clock=self.clock)
        self.app.people.initialise("alice", "alice", Decimal(5))
        self.engine = make_engine(parse_store_url(store_url))
        setup_partnership(self.app)
        self.app.people.add("alice", "carol", [Role.DATA_QUALITY_OFFICER], "Policy and Performance")
        self.app.people.add("alice", "dan", [Role.DATA_QUALITY_OFFICER], "Policy and Performance")
        self.app.people.add("alice", "pat", [Role.PERFORMANCE_SUPPORT], None)

    def tick(self) -> datetime:
        moment = self.clock.now
        self.clock.advance(days=1)
        return moment

    def row(self, when: datetime, code: str, period: Period) -> dict[str, Any]:
        rows: dict[str, dict[str, Any]] = {r["indicator"]: r for r in self.report(when, period)["rows"]}
        return rows[code]

    def report(self, when: datetime, period: Period | None = None) -> dict[str, Any]:
        catch_up(self.engine, self.app.core)
        with self.engine.connect() as conn:
            return build(conn, queries.position_at(conn, when), when, period)

    def request(self, actor: str, period: Period, value: str, **paperwork: Any) -> str:
        given = {**PAPERWORK, **paperwork}
        return self.app.adjustments.request(actor, "NI 192", [Restatement(period, Decimal(value))],
                                           given["reason"], given["justification"], given["evidence"],
                                           given["revision"])

    def head(self) -> int:
        return self.app.audit.digest().size


@pytest.fixture
def ledger(store_url: str) -> Ledger:
    built = Ledger(store_url)
    for period, value in zip(Q, ("36.40", "38.10", "39.00", "40.20"), strict=True):
        built.app.returns.submit("bob", ret("NI 192", str(period), value))
    built.app.targets.close_period("alice", YEAR, "2008/09 reported to the LSP board")
    built.tick()
    return built


def test_a_request_changes_nothing_until_someone_else_approves_it(ledger: Ledger) -> None:
    key = ledger.request("bob", Q[0], "36.80")
    pending = ledger.tick()
    assert ledger.row(pending, "NI 192", Q[0])["actual"] == "36.40"

    ledger.app.adjustments.approve("carol", key, "checked against WDF")
    approved = ledger.tick()

    before, after = ledger.row(pending, "NI 192", Q[0]), ledger.row(approved, "NI 192", Q[0])
    assert (before["actual"], before["restated"]) == ("36.40", False)
    assert (after["actual"], after["restated"]) == ("36.80", True)
    listed = ledger.report(approved, Q[0])["restatements"]
    assert [(r["adjustment"], r["period"], r["before"], r["after"], r["requested_by"], r["approved_by"])
            for r in listed] == [(key, "2008/09-Q1", "36.40", "36.80", "bob", "carol")]
    assert ledger.report(pending, Q[0])["restatements"] == []


def test_a_series_is_one_request_with_one_decision_restating_every_period_at_once(ledger: Ledger) -> None:
    series = [Restatement(p, Decimal(v), row=n)
              for n, (p, v) in enumerate(zip(Q, ("36.00", "37.90", "38.70", "40.00"), strict=True), start=2)]
    key = ledger.app.adjustments.request("pat", "NI 192", series, "national-source-revision",
                                        "Defra re-based the series", "Defra statistical release 2009-07",
                                        None, series=True)
    head = ledger.head()
    items = ledger.app.adjustments.approve("carol", key, None)
    assert [str(i.period) for i in items] == [str(p) for p in Q]
    assert ledger.head() == head + 5  # four restatements and the approval, in one transaction
    later = ledger.tick()
    assert [ledger.row(later, "NI 192", p)["actual"] for p in Q] == ["36.00", "37.90", "38.70", "40.00"]
    with ledger.engine.connect() as conn:
        listed = adjustment_queries.adjustments(conn, "approved")
    assert listed[0]["periods"] == [str(p) for p in Q]
    assert listed[0]["before"] == ["36.40", "38.10", "39.00", "40.20"]


def test_a_value_restated_twice_and_back_shows_what_was_believed_at_every_date(ledger: Ledger) -> None:
    original = ledger.tick()
    ledger.app.adjustments.approve("carol", ledger.request("bob", Q[0], "36.80"), None)
    first = ledger.tick()
    ledger.app.adjustments.approve("dan", ledger.request("bob", Q[0], "37.10"), None)
    second = ledger.tick()
    ledger.app.adjustments.approve("carol", ledger.request("bob", Q[0], "36.40",
                                                          justification="The depot figures were right"), None)
    back = ledger.tick()
    seen = [ledger.row(t, "NI 192", Q[0]) for t in (original, first, second, back)]
    assert [(r["actual"], r["restated"]) for r in seen] == [
        ("36.40", False), ("36.80", True), ("37.10", True), ("36.40", True)]


def test_the_requester_may_never_decide_their_own_request_whatever_their_roles(ledger: Ledger) -> None:
    key = ledger.request("carol", Q[0], "36.80")
    head = ledger.head()
    for decide in (lambda: ledger.app.adjustments.approve("carol", key, None),
                   lambda: ledger.app.adjustments.reject("carol", key, "not needed")):
        with pytest.raises(Refused, match=r"carol requested adjustment .* may not") as caught:
            decide()
        assert caught.value.control == "separation-of-duties"
    assert ledger.head() == head


def test_decisions_are_refused_without_authority_twice_or_against_a_moved_figure(ledger: Ledger) -> None:
    key = ledger.request("bob", Q[0], "36.80")
    with pytest.raises(Refused, match="bob may not approve or reject adjustments"):
        ledger.app.adjustments.approve("bob", key, None)
    with pytest.raises(Refused, match="vic may not approve"):
        ledger.app.adjustments.approve("vic", key, None)
    with pytest.raises(NotFound, match="unknown adjustment 'A-00000000'"):
        ledger.app.adjustments.approve("carol", "A-00000000", None)
    stale = ledger.request("pat", Q[0], "36.90")
    ledger.app.adjustments.approve("carol", key, None)
    with pytest.raises(Invalid, match="already approved by carol"):
        ledger.app.adjustments.reject("dan", key, "too late")
    head = ledger.head()
    with pytest.raises(Refused, match=r"changed since .* request again against the current figure"):
        ledger.app.adjustments.approve("dan", stale, None)
    assert ledger.head() == head
    ledger.app.adjustments.reject("dan", stale, "superseded by the approved restatement")


def test_only_the_requester_withdraws_and_only_while_pending(ledger: Ledger) -> None:
    key = ledger.request("bob", Q[0], "36.80")
    with pytest.raises(Refused, match="only its requester, bob"):
        ledger.app.adjustments.withdraw("pat", key, None)
    ledger.app.adjustments.withdraw("bob", key, "raised in error")
    with pytest.raises(Invalid, match="already withdrawn"):
        ledger.app.adjustments.approve("carol", key, None)
    assert ledger.row(ledger.tick(), "NI 192", Q[0])["actual"] == "36.40"


def test_the_paperwork_is_checked_and_nothing_is_written_when_it_is_wrong(ledger: Ledger) -> None:
    head = ledger.head()
    cases: list[tuple[dict[str, Any], str]] = [
        ({"reason": None}, "'reason' is required"),
        ({"reason": "typo"}, "'typo' is not an adjustment reason"),
        ({"justification": "  "}, "'justification' is required"),
        ({"evidence": None}, "'evidence' is required"),
        ({"reason": "definition-change", "evidence": None}, "add 'revision' N"),
        ({"reason": "definition-change", "evidence": None, "revision": 1},
         "'revision' 1 did not change the definition"),
        ({"reason": "definition-change", "evidence": None, "revision": 7}, "'revision' 7 does not exist"),
    ]
    for paperwork, message in cases:
        with pytest.raises(Invalid, match=message):
            ledger.request("bob", Q[0], "36.80", **paperwork)
    with pytest.raises(Invalid, match="is not closed and no issued report showed its figure: "
                                      "until then a correction is an ordinary revision"):
        ledger.app.adjustments.request("bob", "NI 192", [Restatement(Period.parse("2009/10-Q1"),
                                                                     Decimal(1))], **PAPERWORK)
    with pytest.raises(Invalid, match=r"already 36\.40: the adjustment changes nothing"):
        ledger.request("bob", Q[0], "36.40")
    with pytest.raises(Refused, match="vic may not request adjustments"):
        ledger.request("vic", Q[0], "36.80")
    assert ledger.head() == head


def test_a_definition_change_cites_the_revision_that_changed_the_definition(ledger: Ledger) -> None:
    ledger.app.indicators.revise("alice", "NI 192", {"definition": "Includes bottom ash recycling"},
                                "Defra guidance 2009")
    key = ledger.request("bob", Q[0], "37.20", reason="definition-change", evidence=None, revision=2)
    ledger.app.adjustments.approve("carol", key, None)
    listed = ledger.report(ledger.tick(), Q[0])["restatements"]
    assert listed[0]["evidence"] == "indicator revision 2"


def test_a_series_file_with_bad_rows_lists_every_problem_and_requests_nothing(ledger: Ledger) -> None:
    head = ledger.head()
    rows: list[Restatement | BadRow] = [
        Restatement(Q[0], Decimal("36.00"), row=2),
        BadRow(3, ["value: 'abc' is not a number"]),
        Restatement(Period.parse("2008-05"), Decimal("30"), row=4),
        Restatement(Q[1], Decimal("140"), row=5),
        Restatement(Q[0], Decimal("36.10"), row=6),
    ]
    with pytest.raises(Problems) as caught:
        ledger.app.adjustments.request("bob", "NI 192", rows, **PAPERWORK, series=True)
    problems = caught.value.problems
    assert problems[0] == "row 3, value: 'abc' is not a number"
    assert any(p.startswith("row 4, period: 2008-05 is not a period for NI 192") for p in problems)
    assert any(p.startswith("row 5, value") and "100" in p for p in problems)
    assert "row 6, period: 2008/09-Q1 appears twice (first at row 2)" in problems
    assert ledger.head() == head


def test_late_data_for_a_closed_period_without_a_return_is_added_by_approval(ledger: Ledger) -> None:
    homes = [Restatement(Q[0], Decimal("120"))]
    key = ledger.app.adjustments.request("bob", "NI 154", homes, "late-data", "Completions from the NHBC",
                                        "NHBC return 2009-06", None)
    missing = ledger.tick()
    ledger.app.adjustments.approve("carol", key, None)
    added = ledger.tick()
    assert ledger.row(missing, "NI 154", Q[0])["actual"] is None
    row = ledger.row(added, "NI 154", Q[0])
    assert (row["actual"], row["restated"]) == ("120", True)


def test_each_issued_report_lists_the_restatements_since_the_previous_one(ledger: Ledger) -> None:
    ledger.app.adjustments.approve("carol", ledger.request("bob", Q[0], "36.80"), None)
    first = ledger.report(ledger.tick(), Q[3])
    assert [r["period"] for r in first["restatements"]] == ["2008/09-Q1"]
    basis = {"position": first["position"], "period": "2008/09-Q4", "as_at": first["as_at"], "format": "json"}
    assert ledger.app.audit.issue_report("pat", "rag", "a" * 64, basis, "test") is True
    assert ledger.app.audit.issue_report("pat", "rag", "a" * 64, basis, "test") is False
    with pytest.raises(Refused, match="bob may not issue reports"):
        ledger.app.audit.issue_report("bob", "rag", "b" * 64, basis, "test")
    ledger.app.adjustments.approve("dan", ledger.request("bob", Q[1], "38.30"), None)
    second = ledger.report(ledger.tick(), Q[3])
    assert second["restatements_since"] == first["position"]
    assert [r["period"] for r in second["restatements"]] == ["2008/09-Q2"]
    again = ledger.report(datetime.fromisoformat(first["as_at"]), Q[3])
    assert again == first  # the issued report's basis regenerates it exactly


def test_report_diff_names_the_events_that_explain_each_changed_figure(ledger: Ledger) -> None:
    start = ledger.tick()
    key = ledger.request("bob", Q[0], "36.80")
    ledger.app.adjustments.approve("carol", key, "checked")
    ledger.app.returns.finalise("bob", "NI 192", Q[1], "agreed")  # no figure changes: not a difference
    end = ledger.tick()
    catch_up(ledger.engine, ledger.app.core)
    with ledger.engine.connect() as conn:
        found = changes(conn, queries.position_at(conn, start),
                                        queries.position_at(conn, end))
    assert [(d["indicator"], d["period"], d["from"], d["to"]) for d in found] == [
        ("NI 192", "2008/09-Q1", "36.40", "36.80")]
    change = found[0]["changes"][0]
    assert (change["adjustment"], change["reason"], change["justification"], change["evidence"],
            change["requested_by"], change["approved_by"]) == (
        key, "error-correction", PAPERWORK["justification"], PAPERWORK["evidence"], "bob", "carol")


def test_rebuilt_views_equal_live_ones_with_adjustments_and_issued_reports(ledger: Ledger) -> None:
    ledger.app.adjustments.approve("carol", ledger.request("bob", Q[0], "36.80"), None)
    ledger.app.adjustments.reject("dan", ledger.request("bob", Q[1], "38.20"), "no evidence of error")
    ledger.request("pat", Q[2], "39.50")
    ledger.app.adjustments.approve("carol", ledger.app.adjustments.request(
        "bob", "NI 154", [Restatement(Q[0], Decimal("120"))], "late-data", "NHBC", "NHBC 2009-06", None), None)
    ledger.app.audit.issue_report("pat", "rag", "c" * 64, {"position": 3, "period": "2008/09-Q4",
                                                     "as_at": "2009-05-01T09:00:00+00:00",
                                                     "format": "json"}, "test")
    catch_up(ledger.engine, ledger.app.core)
    with ledger.engine.connect() as conn:
        live = queries.dump(conn)
    assert rebuild(ledger.engine, ledger.app.core) == ledger.head()
    with ledger.engine.connect() as conn:
        assert queries.dump(conn) == live
    assert len(live["pl_adjustments"]) == 4
    assert len(live["pl_issued_reports"]) == 1


def test_views_of_an_older_shape_are_dropped_and_rebuilt_from_the_events(
        ledger: Ledger, store_url: str) -> None:
    ledger.app.adjustments.approve("carol", ledger.request("bob", Q[0], "36.80"), None)
    catch_up(ledger.engine, ledger.app.core)
    with ledger.engine.connect() as conn:
        live = queries.dump(conn)
    with ledger.engine.begin() as conn:  # as a ledger whose views predate the current shape
        conn.execute(delete(tables.position).where(tables.position.c.name == "schema"))
        conn.execute(delete(tables.return_versions))
    ledger.engine.dispose()
    engine = make_engine(parse_store_url(store_url))
    with engine.connect() as conn:
        assert queries.head_position(conn) == 0  # dropped: nothing believed until caught up
    catch_up(engine, ledger.app.core)
    with engine.connect() as conn:
        assert queries.dump(conn) == live
    engine.dispose()


def test_two_deciders_at_once_make_exactly_one_decision(ledger: Ledger, store_url: str) -> None:
    key = ledger.request("bob", Q[0], "36.80")
    barrier = threading.Barrier(2)
    outcomes: dict[str, str] = {}

    def decide(who: str) -> None:
        app = LedgerApp(parse_store_url(store_url))
        try:
            barrier.wait(timeout=30)
            app.adjustments.approve(who, key, None)
            outcomes[who] = "approved"
        except Invalid as error:
            outcomes[who] = str(error)
        finally:
            app.close()

    threads = [threading.Thread(target=decide, args=(who,)) for who in ("carol", "dan")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(v == "approved" for v in outcomes.values()) == [False, True]
    loser = next(v for v in outcomes.values() if v != "approved")
    assert "already approved" in loser
    catch_up(ledger.engine, ledger.app.core)
    with ledger.engine.connect() as conn:
        trail = [r["event"] for r in queries.trail(conn, indicator="NI 192", period=str(Q[0]))]
    assert trail.count("Return.Restated") == 1
    assert trail.count("Adjustment.Approved") == 1
    assert ledger.app.audit.verify().ok


def test_a_decider_who_loses_the_race_is_told_it_was_decided_not_that_it_went_stale(
        ledger: Ledger, store_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """The interleaving the race above can take: dan reads the pending request, carol approves it
    (restating the figure), then dan reads the figure. He is told the request was already approved."""
    key = ledger.request("bob", Q[0], "36.80")
    dan = LedgerApp(parse_store_url(store_url))
    read = dan.adjustments._request
    raced: list[bool] = []

    def pending_then_decided(asked: str) -> Any:
        found = read(asked)
        if not raced:
            raced.append(True)
            ledger.app.adjustments.approve("carol", key, None)  # carol wins in between
        return found

    monkeypatch.setattr(dan.adjustments, "_request", pending_then_decided)
    try:
        with pytest.raises(Invalid, match="already approved by carol"):
            dan.adjustments.approve("dan", key, None)
    finally:
        dan.close()
    assert ledger.app.audit.verify().ok
