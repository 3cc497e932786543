"""The internal-audit evidence pack through the command line, on both backends."""

from __future__ import annotations

import csv
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.e2e.harness import EVIDENCE, Perfledger, adjusting_partnership, refused, request


def build_pl(store_url: str) -> Perfledger:
    """The adjustments' partnership (as in test_adjust_cli.py)."""
    return adjusting_partnership(store_url)


@pytest.fixture
def pl(clone_of: Callable[[Callable[[str], Perfledger]], Perfledger]) -> Perfledger:
    return clone_of(build_pl)


def rows(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def files(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture
def audited(pl: Perfledger) -> Perfledger:
    approved = request(pl, "2008/09-Q1", "36.80", *EVIDENCE)
    pl.ok("adjust", "approve", approved, "--note", "checked", actor="carol")
    rejected = request(pl, "2008/09-Q2", "38.30", *EVIDENCE, actor="pat")
    pl.ok("adjust", "reject", rejected, "--note", "no error found", actor="dan")
    refused(pl("adjust", "approve", request(pl, "2008/09-Q2", "38.40", *EVIDENCE, actor="carol"),
               actor="carol"), 1, "may not approve it")
    pl.ok("target", "set", "NI 192", "2008/09-Q4", "42", "--reason", "LAA")
    return pl


def test_the_pack_holds_the_year_with_its_controls_summary(audited: Perfledger, tmp_path: Path) -> None:
    out = tmp_path / "pack"
    result = audited.ok("audit", "evidence", "--year", "2008/09", "--output", str(out), actor="vic")
    assert "wrote the evidence pack for 2008/09" in result.stdout
    names = sorted(files(out))
    assert [n for n in names if not n.startswith("proofs/")] == [
        "actions.csv", "adjustments.csv", "controls.csv", "digest.txt", "index.html", "indicators.csv",
        "missing.csv", "refusals.csv", "returns.csv", "risks.csv", "target-proposals.csv", "targets.csv"]
    assert len([n for n in names if n.startswith("proofs/position-")]) == 1  # the one approval
    returns = rows(out / "returns.csv")
    q1 = [(r["version"], r["value"], r["change"]) for r in returns if r["period"] == "2008/09-Q1"]
    assert q1 == [("1", "36.40", "submitted"), ("2", "36.80", "restated")]
    adjustments = {a["status"]: a for a in rows(out / "adjustments.csv")}
    assert (adjustments["approved"]["requested_by"], adjustments["approved"]["decided_by"],
            adjustments["approved"]["evidence"]) == ("bob", "carol", "WDF Q1 v2")
    summary = {r["measure"]: r["value"] for r in rows(out / "controls.csv")}
    assert summary["adjustments approved"] == "1"
    assert summary["adjustments rejected"] == "1"
    assert summary["adjustments pending"] == "1"
    assert summary["adjustments for error-correction"] == "3"
    assert summary["adjustments without evidence"] == "0"
    assert summary["adjustments decided by their requester"] == "0"
    assert summary["refused by separation-of-duties"] == "1"
    assert summary["returns received"] == "3"
    assert [t["period"] for t in rows(out / "targets.csv")] == ["2008/09-Q4"]
    # NI 192 was registered today: no return of 2008/09 fell due while the ledger knew it, so none is
    # missing (docs/rating-rules.md; tests/integration/test_missing.py has a ledger that owes some).
    assert rows(out / "missing.csv") == []
    assert summary["returns due and missing"] == "0"
    assert {r["period"]: r["due"] for r in returns}["2008/09-Q3"] == "2009-01-30"  # the default 30-day lag
    proof = next((out / "proofs").iterdir())
    checked = audited.ok("audit", "check-proof", str(proof), "--digest", f"@{out / 'digest.txt'}")
    assert checked.stdout.startswith("ok: the event at position")
    assert "Controls summary" in (out / "index.html").read_text(encoding="utf-8")


def test_the_same_ledger_gives_the_same_bytes(audited: Perfledger, tmp_path: Path) -> None:
    audited.ok("audit", "evidence", "--year", "2008/09", "--output", str(tmp_path / "a"))
    audited.ok("audit", "evidence", "--year", "2008/09", "--output", str(tmp_path / "b"))
    assert files(tmp_path / "a") == files(tmp_path / "b")


def test_bad_requests_write_nothing(audited: Perfledger, tmp_path: Path) -> None:
    before = audited.digest()
    refused(audited("audit", "evidence", "--year", "2031/32", "--output", str(tmp_path / "x")), 1,
            "holds no returns, targets or adjustments for 2031/32")
    assert not (tmp_path / "x").exists()
    (tmp_path / "full").mkdir()
    (tmp_path / "full" / "notes.txt").write_text("mine", encoding="utf-8")
    refused(audited("audit", "evidence", "--year", "2008/09", "--output", str(tmp_path / "full")), 1,
            "exists and is not an empty folder")
    refused(audited("audit", "evidence", "--year", "2008/09-Q1", "--output", str(tmp_path / "y")), 2,
            "is not a financial year")
    assert audited.digest() == before
