"""The one-event records: the ledger's settings, issued reports, query references and refusals."""

from __future__ import annotations

from decimal import Decimal

import pytest

from ledger.domain.issued_report import IssuedReport
from ledger.domain.ledger_settings import Ledger
from ledger.domain.query import QueryRef, query_id
from ledger.domain.refusal import Refusal
from ledger.errors import Invalid
from ledger.values import Period

Q1 = Period.parse("2008/09-Q1")


class TestLedgerSettings:
    def test_the_ledger_starts_with_its_administrator_and_default_tolerance(self) -> None:
        ledger = Ledger(actor="alice", administrator="alice", tolerance=Decimal(5), demo=False)
        [event] = ledger.collect_events()
        assert isinstance(event, Ledger.Initialised)
        assert (ledger.administrator, ledger.tolerance, ledger.demo) == ("alice", Decimal(5), False)
        assert ledger.rules == [(None, Decimal(5))]

    def test_a_rating_rule_change_is_kept_beside_the_earlier_ones(self) -> None:
        ledger = Ledger(actor="alice", administrator="alice", tolerance=Decimal(5), demo=False)
        ledger.collect_events()
        ledger.change_default(Decimal(10), Q1, " Cabinet asked for a wider band ", "alice")
        [event] = ledger.collect_events()
        assert (event.tolerance, event.from_period, event.reason) == (Decimal(10), Q1,
                                                                      "Cabinet asked for a wider band")
        assert ledger.rules == [(None, Decimal(5)), (Q1, Decimal(10))]

    @pytest.mark.parametrize(("tolerance", "reason", "option"), [
        (Decimal(101), "x", "tolerance"), (Decimal(-1), "x", "tolerance"), (Decimal(10), " ", "reason")])
    def test_a_tolerance_outside_0_100_or_no_reason_is_refused(self, tolerance: Decimal, reason: str,
                                                               option: str) -> None:
        ledger = Ledger(actor="alice", administrator="alice", tolerance=Decimal(5), demo=False)
        ledger.collect_events()
        with pytest.raises(Invalid) as refused:
            ledger.change_default(tolerance, None, reason, "alice")
        assert refused.value.options == [option]
        assert ledger.collect_events() == []
        assert ledger.rules == [(None, Decimal(5))]


def test_an_issued_report_is_known_by_the_hash_of_its_bytes() -> None:
    report = IssuedReport(kind="rag", sha256="ab" * 32, basis={"position": 7, "format": "html"},
                          code_version="0.1.0", actor="pat")
    [event] = report.collect_events()
    assert isinstance(event, IssuedReport.Issued)
    assert (report.kind, report.basis["position"], report.issued_by) == ("rag", 7, "pat")
    assert report.id == IssuedReport.create_id("ab" * 32) != IssuedReport.create_id("cd" * 32)


def test_a_query_reference_points_its_id_at_its_return() -> None:
    key = query_id("NI 154", Q1, 1)
    ref = QueryRef(query_id=key, indicator="NI 154", period=Q1, actor="carol")
    [event] = ref.collect_events()
    assert isinstance(event, QueryRef.Opened)
    assert (ref.indicator, ref.period) == ("NI 154", Q1)
    assert key == query_id("NI 154", Q1, 1) != query_id("NI 154", Q1, 2)
    assert key.startswith("Q-")


def test_a_refusal_records_who_tried_what_and_which_control_refused() -> None:
    refusal = Refusal(key="k1", act="adjust approve", arguments=["A-1"], control="separation-of-duties",
                      message="bob requested adjustment A-1 and may not approve it", actor="bob")
    [event] = refusal.collect_events()
    assert isinstance(event, Refusal.Recorded)
    assert (event.act, event.arguments, event.control, event.actor) == (
        "adjust approve", ["A-1"], "separation-of-duties", "bob")
    assert Refusal.create_id("k1") != Refusal.create_id("k2")
