"""After a truncation the views say so (issue 18, item 8): events removed from the end of the log
leave the views ahead of it, and events written after that land at positions the views believe
they applied. Reads used to show the removed figures and silently omit the new ones; now every
read of the views refuses in one line naming audit verify and projections rebuild, a write says
so in a warning, and a rebuild puts the views right."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator

import pytest

from tests.e2e.harness import Perfledger, partnership, refused
from tests.integration.tampering import Tamperer, events_table


def returned(url: str) -> Perfledger:
    """The partnership with NI 192's Q1 and Q2 returned by bob."""
    p = partnership(url)
    p.ok("return", "submit", "NI 192", "2008/09-Q1", "36.40", actor="bob")
    p.ok("return", "submit", "NI 192", "2008/09-Q2", "38.10", actor="bob")
    return p


@pytest.fixture
def pl(clone_of: Callable[[Callable[[str], Perfledger]], Perfledger]) -> Perfledger:
    return clone_of(returned)


@pytest.fixture
def db(pl: Perfledger) -> Iterator[Tamperer]:
    tamperer = Tamperer(pl.url, events_table(pl.url))
    yield tamperer
    tamperer.close()


def truncate(db: Tamperer, count: int) -> int:
    """Remove the last COUNT events and their chain rows, as a restore of an older copy of the event
    tables (or someone with write access) would; the new size."""
    size = db.count_rows()
    for position in range(size, size - count, -1):
        nid = db.row(position).notification_id
        db.sql("DELETE FROM {C} WHERE position = ?", (position,))
        db.sql("DELETE FROM {E} WHERE {N} = ?", (nid,))
    return size - count


def periods(pl: Perfledger) -> list[str]:
    return [r["period"] for r in json.loads(pl.ok("return", "list", "NI 192", "--format", "json").stdout)]


READS = [("return", "list", "NI 192"), ("report", "rag", "--period", "2008/09-Q1"), ("audit", "trail"),
         ("people", "list")]


@pytest.mark.parametrize("read", READS, ids=lambda r: " ".join(r[:2]))
def test_views_ahead_of_a_truncated_log_refuse_to_be_read(pl: Perfledger, db: Tamperer,
                                                         read: tuple[str, ...]) -> None:
    assert periods(pl) == ["2008/09-Q1", "2008/09-Q2"]  # the views have applied every event
    size = truncate(db, 1)  # the Q2 return is gone from the log
    result = pl(*read)
    refused(result, 1, f"the views have applied the ledger's events up to position {size + 1}, but its "
                       f"events now end at position {size}")
    assert "perfledger audit verify" in result.stderr
    assert "perfledger projections rebuild" in result.stderr


def test_events_written_after_a_truncation_are_never_silently_omitted(pl: Perfledger, db: Tamperer) -> None:
    periods(pl)
    size = truncate(db, 1)
    written = pl("return", "submit", "NI 192", "2008/09-Q3", "39.00", actor="bob")
    assert written.exit_code == 0, written.stderr  # the event is saved; the views cannot follow it
    assert "warning: the events were saved, but the views cannot follow the ledger" in written.stderr
    assert "perfledger projections rebuild" in written.stderr
    result = pl("return", "list", "NI 192")  # Q3 now sits at the position the views gave Q2
    refused(result, 1, f"the event at position {size + 1}, the last the views applied, is not the one they "
                       "applied")
    assert "perfledger audit verify" in result.stderr
    pl.ok("projections", "rebuild")
    assert periods(pl) == ["2008/09-Q1", "2008/09-Q3"]
    assert pl.ok("audit", "replay").stdout.startswith("ok: ")


def test_more_events_than_were_removed_are_caught_too(pl: Perfledger, db: Tamperer) -> None:
    periods(pl)
    size = truncate(db, 1)
    pl("return", "submit", "NI 192", "2008/09-Q3", "39.00", actor="bob")
    pl("return", "submit", "NI 192", "2008/09-Q4", "40.00", actor="bob")  # now past the views' position
    refused(pl("return", "list", "NI 192"), 1, f"the event at position {size + 1}, the last the views applied")
    pl.ok("projections", "rebuild")
    assert periods(pl) == ["2008/09-Q1", "2008/09-Q3", "2008/09-Q4"]


def test_views_that_follow_the_log_read_as_before(pl: Perfledger) -> None:
    pl.ok("return", "submit", "NI 192", "2008/09-Q3", "39.00", actor="bob")
    assert periods(pl) == ["2008/09-Q1", "2008/09-Q2", "2008/09-Q3"]
