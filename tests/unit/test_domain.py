"""Domain behaviour, given / when / then, with events (no storage)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from ledger.domain.indicator import Indicator, ProForma
from ledger.domain.returns import PeriodReturn
from ledger.domain.roster import Roster
from ledger.errors import Invalid, NotFound
from ledger.values import Frequency, Period, Polarity, Role, Status, Unit

RECYCLING = ProForma("Household waste recycled", Unit.PERCENT, Polarity.HIGHER, Frequency.QUARTERLY)


def given_roster() -> Roster:
    roster = Roster(actor="alice")
    roster.add("alice", [Role.ADMINISTRATOR], None, "alice")
    roster.collect_events()
    return roster


class TestRoster:
    def test_enrolling_records_who_with_which_roles(self) -> None:
        roster = given_roster()
        roster.add("bob", [Role.IMPROVEMENT_MANAGER], "Halton BC", "alice")
        [event] = roster.collect_events()
        assert isinstance(event, Roster.PersonEnrolled)
        assert (event.name, event.roles, event.organisation, event.actor) == (
            "bob", [Role.IMPROVEMENT_MANAGER], "Halton BC", "alice",
        )
        assert roster.roles_of("bob") == {Role.IMPROVEMENT_MANAGER}

    def test_adding_roles_to_someone_enrolled_grants_only_the_new_ones(self) -> None:
        roster = given_roster()
        roster.add("alice", [Role.ADMINISTRATOR, Role.VIEWER], None, "alice")
        [event] = roster.collect_events()
        assert isinstance(event, Roster.RolesGranted)
        assert event.roles == [Role.VIEWER]

    def test_adding_only_roles_already_held_is_refused(self) -> None:
        roster = given_roster()
        with pytest.raises(Invalid, match="already holds administrator"):
            roster.add("alice", [Role.ADMINISTRATOR], None, "alice")
        assert roster.collect_events() == []

    def test_a_revoked_role_grants_nothing(self) -> None:
        roster = given_roster()
        roster.add("bob", [Role.IMPROVEMENT_MANAGER, Role.VIEWER], None, "alice")
        roster.revoke("bob", Role.IMPROVEMENT_MANAGER, "left the council", "alice")
        assert roster.roles_of("bob") == {Role.VIEWER}
        revoked = roster.collect_events()[-1]
        assert isinstance(revoked, Roster.RoleRevoked)
        assert revoked.reason == "left the council"

    @pytest.mark.parametrize(
        ("name", "role", "reason", "error"),
        [
            ("carol", Role.VIEWER, "x", NotFound),
            ("alice", Role.VIEWER, "x", Invalid),
            ("alice", Role.ADMINISTRATOR, "  ", Invalid),
        ],
    )
    def test_revocation_refusals_write_nothing(
        self, name: str, role: Role, reason: str, error: type[Exception]
    ) -> None:
        roster = given_roster()
        with pytest.raises(error):
            roster.revoke(name, role, reason, "alice")
        assert roster.collect_events() == []

    def test_the_last_administrator_may_not_revoke_their_own_role(self) -> None:
        roster = given_roster()
        with pytest.raises(Invalid, match="would leave the ledger with no administrator") as caught:
            roster.revoke("alice", Role.ADMINISTRATOR, "handing over", "alice")
        assert "enrol another administrator first" in str(caught.value)
        assert roster.collect_events() == []
        assert roster.roles_of("alice") == {Role.ADMINISTRATOR}

    def test_nobody_may_revoke_the_last_holder_of_the_administrator_role(self) -> None:
        roster = given_roster()
        roster.add("erin", [Role.ADMINISTRATOR], None, "alice")
        roster.revoke("alice", Role.ADMINISTRATOR, "handed over to erin", "erin")
        roster.collect_events()
        with pytest.raises(Invalid, match="erin is the last administrator"):
            roster.revoke("erin", Role.ADMINISTRATOR, "x", "alice")
        assert roster.collect_events() == []
        assert roster.holders(Role.ADMINISTRATOR) == ["erin"]

    def test_with_another_administrator_the_role_may_be_revoked(self) -> None:
        roster = given_roster()
        roster.add("erin", [Role.ADMINISTRATOR, Role.VIEWER], None, "alice")
        roster.revoke("alice", Role.ADMINISTRATOR, "stepping down", "alice")
        assert isinstance(roster.collect_events()[-1], Roster.RoleRevoked)
        assert roster.holders(Role.ADMINISTRATOR) == ["erin"]
        roster.revoke("erin", Role.VIEWER, "not needed", "erin")  # other roles stay revocable
        assert roster.roles_of("erin") == {Role.ADMINISTRATOR}


class TestIndicator:
    def test_registration_is_revision_one_with_the_whole_pro_forma(self) -> None:
        indicator = Indicator.register("NI 192", RECYCLING, "alice")
        [event] = indicator.collect_events()
        assert isinstance(event, Indicator.Registered)
        assert event.code == "NI 192"
        assert event.unit is Unit.PERCENT
        assert indicator.revision == 1

    def test_every_problem_in_a_pro_forma_is_named(self) -> None:
        bad = ProForma("Crime", Unit.RATE, Polarity.LOWER, Frequency.MONTHLY, tolerance=Decimal(150))
        with pytest.raises(Invalid) as caught:
            Indicator.register("NI 16", bad, "alice")
        assert "'rate-base'" in str(caught.value)
        assert "'tolerance' 150" in str(caught.value)

    def test_revisions_are_numbered_and_keep_their_reason(self) -> None:
        indicator = Indicator.register("NI 192", RECYCLING, "alice")
        indicator.revise({"definition": "DEFRA WasteDataFlow"}, "national definition", "alice")
        indicator.revise({"decimals": 1}, "report to 1 dp", "alice")
        events = indicator.collect_events()
        assert [type(e).__name__ for e in events] == ["Registered", "Revised", "Revised"]
        assert [e.revision for e in events[1:]] == [2, 3]
        assert events[1].reason == "national definition"
        assert indicator.pro_forma.definition == "DEFRA WasteDataFlow"

    def test_a_revision_that_changes_nothing_is_refused(self) -> None:
        indicator = Indicator.register("NI 192", RECYCLING, "alice")
        with pytest.raises(Invalid, match="changes nothing"):
            indicator.revise({"title": RECYCLING.title}, "no-op", "alice")

    def test_unit_and_frequency_cannot_change(self) -> None:
        indicator = Indicator.register("NI 192", RECYCLING, "alice")
        with pytest.raises(Invalid, match="unit of an indicator cannot change"):
            indicator.revise({"unit": Unit.NUMBER}, "x", "alice")
        with pytest.raises(Invalid, match="frequency"):
            indicator.revise({"frequency": Frequency.MONTHLY}, "x", "alice")

    def test_a_retired_indicator_takes_no_changes(self) -> None:
        indicator = Indicator.register("NI 192", RECYCLING, "alice")
        indicator.retire("replaced by NI 192a", "alice")
        with pytest.raises(Invalid, match="retired"):
            indicator.revise({"decimals": 1}, "x", "alice")
        with pytest.raises(Invalid, match="retired"):
            indicator.retire("again", "alice")


class TestReturn:
    def submitted(self) -> PeriodReturn:
        item = PeriodReturn(
            indicator="NI 192", period=Period.parse("2008/09-Q1"), value=Decimal("54.34"),
            numerator=Decimal(5434), denominator=Decimal(10000), status=Status.PROVISIONAL,
            commentary=None, source=None, actor="bob",
        )
        item.collect_events()
        return item

    def test_the_same_indicator_period_always_has_the_same_id(self) -> None:
        assert self.submitted().id == PeriodReturn.create_id("NI 192", Period.parse("2008/09-Q1"))

    def test_a_revision_needs_a_reason_and_keeps_it(self) -> None:
        item = self.submitted()
        with pytest.raises(Invalid, match="needs 'reason'"):
            item.revise(Decimal(55), None, None, Status.PROVISIONAL, None, None, None, "bob")
        item.revise(Decimal(55), None, None, Status.PROVISIONAL, None, None, "typo", "bob")
        [event] = item.collect_events()
        assert (event.value, event.reason, event.revision) == (Decimal(55), "typo", 2)

    def test_finalising_twice_is_refused(self) -> None:
        item = self.submitted()
        item.finalise(None, "bob")
        with pytest.raises(Invalid, match="already final"):
            item.finalise(None, "bob")
