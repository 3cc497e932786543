"""The auditor's own acts on both backends: qualifications and reproducible samples (000 §9.3.4)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from decimal import Decimal

import pytest

from ledger.app import LedgerApp
from ledger.app.audit import SampleBasis
from ledger.errors import Invalid, NotFound, Refused
from ledger.store.url import parse_store_url
from ledger.values import Period, Role
from policies.sampling import Candidate
from projections import queries
from projections.catchup.engine import make_engine
from projections.catchup.runner import catch_up, rebuild
from projections.queries import samples as sample_queries
from tests.helpers import Clock, ret, setup_partnership

YEAR = Period.parse("2008/09")


class Ledger:
    def __init__(self, store_url: str) -> None:
        # Registered in January 2007: by registration date no indicator is new in 2008/09.
        self.clock = Clock(datetime(2007, 1, 10, 9, 0, tzinfo=UTC))
        self.app = LedgerApp(parse_store_url(store_url), clock=self.clock)
        self.app.people.initialise("alice", "alice", Decimal(5))
        self.engine = make_engine(parse_store_url(store_url))
        setup_partnership(self.app)
        self.app.people.add("alice", "dave", [Role.AUDITOR], "Internal Audit")

    def basis(self, year: Period = YEAR) -> SampleBasis:
        catch_up(self.engine, self.app.core)
        with self.engine.connect() as conn:
            position = sample_queries.basis_position(conn)
            return SampleBasis(year, position, sample_queries.population(conn, year, position))

    def population(self, year: Period, position: int) -> list[Candidate]:
        catch_up(self.engine, self.app.core)
        with self.engine.connect() as conn:
            return sample_queries.population(conn, year, position)

    def size(self) -> int:
        return self.app.audit.digest().size


@pytest.fixture
def ledger(store_url: str) -> Iterator[Ledger]:
    built = Ledger(store_url)
    built.clock.advance(days=1000)  # October 2009: the returns arrive, every period ended
    for quarter in ("2006/07-Q4", "2008/09-Q1", "2008/09-Q2", "2008/09-Q3", "2008/09-Q4"):
        built.app.returns.submit("bob", ret("NI 192", quarter, "36.40"))
    for quarter in ("2008/09-Q1", "2008/09-Q2", "2009/10-Q1"):
        built.app.returns.submit("bob", ret("NI 154", quarter, "120"))
    yield built
    built.engine.dispose()
    built.app.close()


def test_new_and_qualified_indicators_are_marked_in_the_population(ledger: Ledger) -> None:
    ledger.app.audit.qualify("dave", "NI 192", YEAR, "Tonnage estimates without evidence")
    basis = ledger.basis()
    found = {(c.indicator, c.period): (c.new, c.qualified) for c in basis.population}
    assert found == {
        ("NI 192", f"2008/09-Q{n}"): (False, True) for n in (1, 2, 3, 4)
    } | {("NI 154", "2008/09-Q1"): (True, False), ("NI 154", "2008/09-Q2"): (True, False)}


def test_a_qualification_is_recorded_once_with_its_reason(ledger: Ledger) -> None:
    ledger.app.audit.qualify("dave", "NI 192", YEAR, "  Tonnage estimates without evidence ")
    size = ledger.size()
    with pytest.raises(Invalid, match="already qualified by dave"):
        ledger.app.audit.qualify("dave", "NI 192", YEAR, "another reason")
    with pytest.raises(NotFound, match="unknown indicator 'NI 999'"):
        ledger.app.audit.qualify("dave", "NI 999", YEAR, "x")
    with pytest.raises(Invalid, match="is not a financial year"):
        ledger.app.audit.qualify("dave", "NI 154", Period.parse("2008/09-Q1"), "x")
    with pytest.raises(Invalid, match="needs 'reason'") as missing:
        ledger.app.audit.qualify("dave", "NI 154", YEAR, " ")
    assert missing.value.options == ["reason"]
    assert ledger.size() == size
    catch_up(ledger.engine, ledger.app.core)
    with ledger.engine.connect() as conn:
        rows = sample_queries.qualifications(conn)
        trail = list(queries.trail(conn, actor="dave"))
    assert [(r["indicator"], r["year"], r["reason"], r["actor"]) for r in rows] == [
        ("NI 192", "2008/09", "Tonnage estimates without evidence", "dave")]
    assert [(r["event"], r["indicator"], r["period"], r["reason"]) for r in trail] == [
        ("Audit.Qualified", "NI 192", "2008/09", "Tonnage estimates without evidence")]


@pytest.mark.parametrize("who", ["alice", "bob", "vic"])
def test_only_the_auditor_qualifies_and_samples(ledger: Ledger, who: str) -> None:
    size = ledger.size()
    refusal = f"{who} may not qualify an indicator's data: it needs the role auditor"
    with pytest.raises(Refused, match=refusal):
        ledger.app.audit.qualify(who, "NI 192", YEAR, "x")
    with pytest.raises(Refused, match=f"{who} may not draw audit samples"):
        ledger.app.audit.draw_sample(who, ledger.basis(), 2, "s")
    assert ledger.size() == size


def test_a_sample_is_recorded_with_its_basis_and_redraws_identically(ledger: Ledger) -> None:
    basis = ledger.basis()
    drawn = ledger.app.audit.draw_sample("dave", basis, 3, None)
    assert drawn.written
    assert drawn.key.startswith("S-")
    sample = drawn.sample
    assert sample.seed_from_digest
    assert sample.seed == ledger.app.audit.chain_at(basis.position)
    assert (sample.year, sample.size, sample.position, sample.population) == ("2008/09", 3, basis.position, 6)
    assert sample.new == ["NI 154"]
    assert sample.qualified == []
    assert len(sample.items) == 3
    # The same draw again is the same sample: nothing new is written.
    size = ledger.size()
    again = ledger.app.audit.draw_sample("dave", ledger.basis(), 3, None)
    assert (again.key, again.written, ledger.size()) == (drawn.key, False, size)
    # Later changes to the returns do not change the redraw from the recorded position.
    ledger.app.returns.submit("bob", ret("NI 154", "2008/09-Q3", "130"))
    ledger.app.returns.submit("bob", ret("NI 192", "2008/09-Q1", "37", reason="late tonnage"))
    assert ledger.app.audit.redraw(drawn.key, ledger.population(YEAR, sample.position)) == []
    # A population other than the recorded one is found out.
    problems = ledger.app.audit.redraw(drawn.key, ledger.population(YEAR, ledger.basis().position))
    assert problems
    assert "not the 6 recorded" in problems[0]
    catch_up(ledger.engine, ledger.app.core)
    with ledger.engine.connect() as conn:
        listed = sample_queries.samples(conn)
        items = sample_queries.sample_items(conn, drawn.key)
        trail = list(queries.trail(conn, actor="dave"))
        live = queries.dump(conn)
    assert [(s["id"], s["drawn"], s["population"], s["basis_position"]) for s in listed] == [
        (drawn.key, 3, 6, basis.position)]
    assert [(i["indicator"], i["period"], i["version"]) for i in items] == [
        (i["indicator"], i["period"], i["version"]) for i in sample.items]
    assert [(r["event"], r["period"], r["after"]) for r in trail] == [
        ("Audit.SampleDrawn", "2008/09", "3 of 6 returns")]
    rebuild(ledger.engine, ledger.app.core)
    with ledger.engine.connect() as conn:
        assert queries.dump(conn) == live


def test_a_given_seed_reproduces_the_draw_and_another_changes_it(ledger: Ledger) -> None:
    basis = ledger.basis()
    first = ledger.app.audit.draw_sample("dave", basis, 3, "visit-2009")
    other = ledger.app.audit.draw_sample("dave", basis, 3, "visit-2010")
    assert first.key != other.key
    assert first.sample.seed == "visit-2009"
    assert not first.sample.seed_from_digest
    assert [i["key"] for i in first.sample.items] != [i["key"] for i in other.sample.items]
    assert ledger.app.audit.redraw(first.key, basis.population) == []


def test_a_year_with_no_returns_is_refused_and_writes_nothing(ledger: Ledger) -> None:
    size = ledger.size()
    with pytest.raises(Invalid, match="there are no returns for periods in 2010/11: nothing to sample"):
        ledger.app.audit.draw_sample("dave", ledger.basis(Period.parse("2010/11")), 3, None)
    with pytest.raises(Invalid, match="'size' must be 1 or more"):
        ledger.app.audit.draw_sample("dave", ledger.basis(), 0, None)
    assert ledger.size() == size
    with pytest.raises(NotFound, match="unknown sample 'S-nope'"):
        ledger.app.audit.redraw("S-nope", [])


def test_a_sample_drawn_on_top_of_a_sample_reads_the_same_basis(ledger: Ledger) -> None:
    first = ledger.basis()
    ledger.app.audit.draw_sample("dave", first, 2, "a")
    assert ledger.basis().position == first.position
    ledger.app.audit.qualify("dave", "NI 154", YEAR, "no evidence for the completions")
    assert ledger.basis().position == first.position + 2
