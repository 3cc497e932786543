"""The application service on both backends: rules, authorisation, all-or-nothing imports."""

from __future__ import annotations

from decimal import Decimal

import pytest

from ledger.app import LedgerApp
from ledger.app.imports import ImportRejected
from ledger.domain.indicator import ProForma
from ledger.errors import Invalid, NotFound, Refused
from ledger.values import Frequency, Polarity, Role, Unit
from tests.helpers import RECYCLING, numbered, ret, setup_partnership


def unchanged(app: LedgerApp, before: str) -> bool:
    return str(app.audit.digest()) == before


@pytest.fixture
def ledger(app: LedgerApp) -> LedgerApp:
    setup_partnership(app)
    return app


def test_init_is_idempotent(ledger: LedgerApp) -> None:
    before = str(ledger.audit.digest())
    assert ledger.people.initialise("alice", "mallory", Decimal(5)) is False
    assert unchanged(ledger, before)
    assert ledger.core.roster().roles_of("mallory") == set()


def test_a_return_and_its_revision(ledger: LedgerApp) -> None:
    assert ledger.returns.submit("bob", ret("NI 192", "2008/09-Q1", "54.34", "5434", "10000")) == "new"
    assert ledger.returns.submit("bob", ret("NI 192", "2008/09-Q1", "55", reason="typo")) == "revised"


@pytest.mark.parametrize(
    ("item", "message"),
    [
        (ret("NI 999", "2008/09-Q1", "50"), "unknown indicator 'NI 999'"),
        (ret("NI 192", "2008-05", "50"), "a quarterly indicator takes quarters"),
        (ret("NI 192", "2008/09-Q1", "101"), "within 0-100"),
        (ret("NI 154", "2008/09-Q1", "-3"), "not a count"),
        (ret("NI 154", "2008/09-Q1", "2.5"), "not a count"),
        (ret("NI 192", "2008/09-Q1", "50", "120", "100"), "above its denominator"),
        (ret("NI 192", "2008/09-Q1", "50", "40", "100"), "does not match"),
    ],
)
def test_bad_returns_are_refused_and_nothing_is_written(
    ledger: LedgerApp, item: object, message: str
) -> None:
    before = str(ledger.audit.digest())
    with pytest.raises((Invalid, NotFound), match=message):
        ledger.returns.submit("bob", item)  # type: ignore[arg-type]
    assert unchanged(ledger, before)


def test_the_year_outturn_is_accepted_for_a_quarterly_indicator(ledger: LedgerApp) -> None:
    assert ledger.returns.submit("bob", ret("NI 192", "2008/09", "51.2")) == "new"


def test_a_duplicate_indicator_code_is_refused(ledger: LedgerApp) -> None:
    before = str(ledger.audit.digest())
    with pytest.raises(Invalid, match="already registered"):
        ledger.indicators.register("alice", "NI 192", RECYCLING)
    assert unchanged(ledger, before)


def test_a_retired_indicator_takes_no_returns(ledger: LedgerApp) -> None:
    ledger.indicators.retire("alice", "NI 154", "replaced")
    before = str(ledger.audit.digest())
    with pytest.raises(Invalid, match="retired"):
        ledger.returns.submit("bob", ret("NI 154", "2008/09-Q1", "10"))
    assert unchanged(ledger, before)


class TestAuthorisation:
    def test_someone_not_on_the_roster_may_do_nothing(self, ledger: LedgerApp) -> None:
        with pytest.raises(Refused, match="not on the roster"):
            ledger.returns.submit("mallory", ret("NI 192", "2008/09-Q1", "50"))

    def test_a_viewer_changes_no_performance_data(self, ledger: LedgerApp) -> None:
        before = str(ledger.audit.digest())
        with pytest.raises(Refused, match="vic may not submit returns"):
            ledger.returns.submit("vic", ret("NI 192", "2008/09-Q1", "50"))
        with pytest.raises(Refused):
            ledger.indicators.register("vic", "NI 1", RECYCLING)
        assert unchanged(ledger, before)

    def test_an_improvement_manager_may_not_register_indicators(self, ledger: LedgerApp) -> None:
        with pytest.raises(Refused, match="may not register indicators: it needs the role administrator"):
            ledger.indicators.register("bob", "NI 1", RECYCLING)

    def test_a_revoked_role_grants_nothing_from_its_revocation_on(self, ledger: LedgerApp) -> None:
        ledger.returns.submit("bob", ret("NI 192", "2008/09-Q1", "50"))
        ledger.people.add("alice", "bob", [Role.VIEWER], None)
        ledger.people.revoke("alice", "bob", Role.IMPROVEMENT_MANAGER, "moved to another team")
        with pytest.raises(Refused, match="holds viewer"):
            ledger.returns.submit("bob", ret("NI 192", "2008/09-Q2", "51"))

    def test_only_an_administrator_enrols_people(self, ledger: LedgerApp) -> None:
        with pytest.raises(Refused):
            ledger.people.add("bob", "eve", [Role.ADMINISTRATOR], None)


class TestImport:
    def test_all_rows_in_one_go(self, ledger: LedgerApp) -> None:
        rows = [ret("NI 192", f"2008/09-Q{q}", f"5{q}") for q in range(1, 5)]
        rows += [ret("NI 117", f"2008-{m:02d}", "8.1") for m in range(4, 13)]
        result = ledger.imports.returns("bob", lambda: numbered(rows))
        assert (result.rows, result.new, result.revised, result.written) == (13, 13, 0, True)

    def test_one_bad_row_among_good_ones_writes_nothing_and_names_every_problem(
        self, ledger: LedgerApp
    ) -> None:
        rows = [ret("NI 192", "2008/09-Q1", "51"), ret("NI 192", "2008/09-Q2", "150"),
                ret("NI 192", "2008-07", "50"), ret("NI 999", "2008/09-Q1", "1"),
                ret("NI 192", "2008/09-Q1", "52")]
        before = str(ledger.audit.digest())
        with pytest.raises(ImportRejected) as caught:
            ledger.imports.returns("bob", lambda: numbered(rows))
        problems = caught.value.problems
        assert any(p.startswith("row 3, value:") for p in problems)
        assert any(p.startswith("row 4, period:") for p in problems)
        assert any(p.startswith("row 5, indicator:") for p in problems)
        assert any(p.startswith("row 6, period:") and "row 2" in p for p in problems)
        assert unchanged(ledger, before)

    def test_each_repeated_row_names_the_row_it_first_appears_at(self, ledger: LedgerApp) -> None:
        rows = [ret("NI 999", "2008/09-Q1", "1"), ret("NI 192", "2008/09-Q1", "51"),
                ret("NI 117", "2008-04", "8"), ret("NI 192", "2008/09-Q1", "150"),
                ret("NI 999", "2008/09-Q1", "2"), ret("NI 117", "2008-04", "9"),
                ret("NI 192", "2008/09-Q1", "53")]
        before = str(ledger.audit.digest())
        with pytest.raises(ImportRejected) as caught:
            ledger.imports.returns("bob", lambda: numbered(rows))
        assert caught.value.problems == [
            "row 2, indicator: unknown indicator 'NI 999'",
            "row 5, value: 150 is not a percentage: it must lie within 0-100",
            "row 5, period: NI 192 2008/09-Q1 already appears at row 3",
            "row 6, indicator: unknown indicator 'NI 999'",
            "row 7, period: NI 117 2008-04 already appears at row 4",
            "row 8, period: NI 192 2008/09-Q1 already appears at row 3",
        ]
        assert unchanged(ledger, before)

    def test_a_row_revising_an_existing_return_needs_a_reason(self, ledger: LedgerApp) -> None:
        ledger.returns.submit("bob", ret("NI 192", "2008/09-Q1", "51"))
        before = str(ledger.audit.digest())
        with pytest.raises(ImportRejected) as caught:
            ledger.imports.returns("bob", lambda: numbered([ret("NI 192", "2008/09-Q1", "52")]))
        assert "row 2, reason" in caught.value.problems[0]
        assert unchanged(ledger, before)
        result = ledger.imports.returns(
            "bob", lambda: numbered([ret("NI 192", "2008/09-Q1", "52", reason="late data")])
        )
        assert result.revised == 1

    def test_a_dry_run_writes_nothing(self, ledger: LedgerApp) -> None:
        before = str(ledger.audit.digest())
        result = ledger.imports.returns("bob", lambda: numbered([ret("NI 192", "2008/09-Q1", "51")]),
                                       dry_run=True)
        assert (result.rows, result.written) == (1, False)
        assert unchanged(ledger, before)

    def test_the_chain_verifies_after_an_import(self, ledger: LedgerApp) -> None:
        rows = [ret("NI 117", f"{y}-{m:02d}", "8") for y in (2009, 2010) for m in range(1, 13)]
        ledger.imports.returns("bob", lambda: numbered(rows))
        verdict = ledger.audit.verify()
        assert verdict.ok
        assert verdict.size == ledger.audit.digest().size


def test_a_proxy_stands_in_for_an_annual_indicator(ledger: LedgerApp) -> None:
    survey = ProForma("Satisfaction with the local area", Unit.PERCENT, Polarity.HIGHER, Frequency.ANNUAL)
    ledger.indicators.register("alice", "NI 5", survey)
    proxy = ProForma("Residents' panel satisfaction", Unit.PERCENT, Polarity.HIGHER,
                     Frequency.QUARTERLY, proxy_for="NI 5")
    ledger.indicators.register("alice", "LPI 5", proxy)
    with pytest.raises(Invalid, match="annual indicators"):
        ledger.indicators.register("alice", "LPI 6", ProForma(
            "x", Unit.PERCENT, Polarity.HIGHER, Frequency.QUARTERLY, proxy_for="NI 192"))


def test_a_revision_keeps_the_status_commentary_and_source_it_does_not_name(ledger: LedgerApp) -> None:
    """What docs/guide-improvement-manager.md says a revision keeps."""
    from ledger.app.returns import ReturnInput
    from ledger.domain.returns import PeriodReturn
    from ledger.values import Period, Status

    first = ReturnInput("NI 192", Period.parse("2008/09-Q1"), Decimal("54"), status=Status.ESTIMATE,
                        commentary="Tranche 1 only", source="WasteDataFlow")
    ledger.returns.submit("bob", first)
    ledger.returns.submit("bob", ReturnInput("NI 192", Period.parse("2008/09-Q1"), Decimal("55"), reason="typo"))
    held = ledger.core.load(PeriodReturn, "NI 192", Period.parse("2008/09-Q1"))
    assert held is not None
    assert (held.value, held.status, held.commentary, held.source) == (
        Decimal("55"), Status.ESTIMATE, "Tranche 1 only", "WasteDataFlow")
