"""Adjustments, issued reports and diffs through the command line, on both backends."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.harness import (
    EVIDENCE,
    Perfledger,
    adjusting_partnership,
    only_the_refusal_was_recorded,
    refused,
    request,
)


def build_pl(store_url: str) -> Perfledger:
    return adjusting_partnership(store_url)


@pytest.fixture
def pl(clone_of: Callable[[Callable[[str], Perfledger]], Perfledger]) -> Perfledger:
    return clone_of(build_pl)


def rag(pl: Perfledger, period: str = "2008/09-Q1", *extra: str) -> dict[str, Any]:
    found: dict[str, Any] = json.loads(pl.ok("report", "rag", "--period", period, "--format", "json", *extra).stdout)
    return found


def test_the_life_of_an_adjustment(pl: Perfledger) -> None:
    key = request(pl, "2008/09-Q1", "36.80", *EVIDENCE)
    assert key.startswith("A-")
    assert rag(pl)["rows"][0]["actual"] == "36.40"
    listed = json.loads(pl.ok("adjust", "list", "--status", "pending", "--format", "json").stdout)
    assert [(a["id"], a["periods"], a["status"], a["requested_by"], a["decided_by"]) for a in listed] == [
        (key, ["2008/09-Q1"], "pending", "bob", None)]

    result = pl.ok("adjust", "approve", key, "--note", "checked", actor="carol")
    assert "restated 2008/09-Q1 36.40 -> 36.80" in result.stderr
    row = rag(pl)["rows"][0]
    assert (row["actual"], row["restated"]) == ("36.80", True)
    trail = json.loads(pl.ok("audit", "trail", "--indicator", "NI 192", "--format", "json").stdout)
    restated = next(t for t in trail if t["event"] == "Return.Restated")
    assert (restated["before"], restated["after"], restated["actor"]) == ("36.40", "36.80", "carol")
    assert restated["reason"] == "error-correction"
    assert "requested by bob, approved by carol" in restated["detail"]
    assert (restated["adjustment"], restated["requested_by"], restated["decided_by"]) == (key, "bob", "carol")
    asked = next(t for t in trail if t["event"] == "Adjustment.Requested")
    assert (asked["requested_by"], asked["decided_by"]) == ("bob", None)  # not yet decided then
    table = pl.ok("report", "rag", "--period", "2008/09-Q1").stdout
    assert "36.80 (restated)" in table
    assert "Restatements (all):" in table


@pytest.mark.parametrize(
    ("args", "actor", "fragment"),
    [
        (["2008/09-Q1", "37", "--justification", "x", "--evidence", "y"], "bob", "--reason is required"),
        (["2008/09-Q1", "37", "--reason", "typo", "--justification", "x", "--evidence", "y"], "bob",
         "'typo' is not an adjustment reason"),
        (["2008/09-Q1", "37", "--reason", "late-data", "--justification", " ", "--evidence", "y"], "bob",
         "--justification is required"),
        (["2008/09-Q1", "37", "--reason", "late-data", "--justification", "x"], "bob", "--evidence is required"),
        (["2008/09-Q1", "37", "--reason", "definition-change", "--justification", "x"], "bob",
         "add --revision N"),
        (["2008/09-Q3", "40", *EVIDENCE], "bob", "is not closed and no issued report showed its "
                                                 "figure: until then a correction is an ordinary revision (perfledger return submit"),
        (["2008/09-Q1", "137", *EVIDENCE], "bob", "must lie within 0-100"),
        (["2008/09-Q1", "37", *EVIDENCE], "vic", "vic may not request adjustments"),
        (["2008/09-Q1", "37", *EVIDENCE], "dave", "dave is not on the roster"),
    ],
)
def test_a_bad_request_is_refused_in_one_line_and_nothing_is_written(
    pl: Perfledger, args: list[str], actor: str, fragment: str
) -> None:
    before = pl.digest()
    refused(pl("adjust", "request", "NI 192", *args, actor=actor), 1, fragment)
    if actor in ("vic", "dave"):  # refused by a control: the attempt is the only thing recorded
        only_the_refusal_was_recorded(pl, before, actor, "adjust request", "permission")
    else:  # malformed input: nothing at all is written
        assert pl.digest() == before


def test_bad_decisions_are_refused_in_one_line_and_change_no_figure(pl: Perfledger) -> None:
    key = request(pl, "2008/09-Q1", "36.80", *EVIDENCE, actor="carol")
    stale = request(pl, "2008/09-Q1", "36.90", *EVIDENCE, actor="pat")
    for args, actor, fragment, control in (
        (["approve", key], "carol", "carol requested adjustment", "separation-of-duties"),
        (["reject", key, "--note", "no"], "carol", "may not reject it", "separation-of-duties"),
        (["approve", key], "bob", "bob may not approve or reject adjustments", "permission"),
        (["withdraw", key], "dan", "only its requester, carol, may withdraw it", "separation-of-duties"),
    ):
        before = pl.digest()
        refused(pl("adjust", *args, actor=actor), 1, fragment)
        only_the_refusal_was_recorded(pl, before, actor, f"adjust {args[0]}", control)
    before = pl.digest()
    refused(pl("adjust", "approve", "A-12345678", actor="dan"), 1, "unknown adjustment 'A-12345678'")
    refused(pl("adjust", "reject", key, actor="dan"), 1, "a rejection needs --note")
    assert pl.digest() == before
    assert rag(pl)["rows"][0]["actual"] == "36.40"
    pl.ok("adjust", "approve", key, actor="dan")
    before = pl.digest()
    refused(pl("adjust", "approve", key, actor="pat"), 1, "already approved by dan")
    assert pl.digest() == before
    refused(pl("adjust", "approve", stale, actor="dan"), 1, "request again against the current figure")
    only_the_refusal_was_recorded(pl, before, "dan", "adjust approve", "stale-request")
    assert rag(pl)["rows"][0]["actual"] == "36.80"


def test_a_series_restates_many_periods_with_one_approval(pl: Perfledger, tmp_path: Path) -> None:
    series = tmp_path / "rebased.csv"
    series.write_text("period,value\n2008/09-Q1,36.00\n2008/09-Q2,37.90\n", encoding="utf-8")
    key = request(pl, "--series", str(series), "--reason", "national-source-revision",
                  "--justification", "Defra re-based the series", "--evidence", "Defra release", actor="pat")
    pl.ok("adjust", "approve", key, actor="carol")
    assert [rag(pl, p)["rows"][0]["actual"] for p in ("2008/09-Q1", "2008/09-Q2")] == ["36.00", "37.90"]
    shown = json.loads(pl.ok("adjust", "show", key, "--format", "json").stdout)
    assert (shown["periods"], shown["before"], shown["after"]) == (
        ["2008/09-Q1", "2008/09-Q2"], ["36.40", "38.10"], ["36.00", "37.90"])


def test_a_series_file_with_bad_rows_names_each_and_requests_nothing(pl: Perfledger, tmp_path: Path) -> None:
    series = tmp_path / "bad.csv"
    series.write_text("period,value\n2008/09-Q1,abc\n2008-05,30\n2008/09-Q3,40\n", encoding="utf-8")
    before = pl.digest()
    result = pl("adjust", "request", "NI 192", "--series", str(series), *EVIDENCE, actor="bob")
    assert result.exit_code == 1
    lines = result.stderr.strip().splitlines()
    assert lines[0].startswith("error: row 2, value:")
    assert lines[1].startswith("error: row 3, period: 2008-05 is not a period for NI 192")
    assert lines[2].startswith("error: row 4, period: 2008/09-Q3 is not closed")
    assert "nothing was requested" in lines[-1]
    assert pl.digest() == before
    refused(pl("adjust", "request", "NI 192", "2008/09-Q1", "37", "--series", str(series), *EVIDENCE,
               actor="bob"), 2, "give either PERIOD VALUE or --series FILE")


def test_an_issued_report_is_proven_and_a_doctored_copy_is_not(pl: Perfledger, tmp_path: Path) -> None:
    key = request(pl, "2008/09-Q1", "36.80", *EVIDENCE)
    pl.ok("adjust", "approve", key, actor="carol")
    for fmt in ("json", "html", "table"):
        issued = tmp_path / f"board.{fmt}"
        result = pl.ok("report", "rag", "--period", "2008/09-Q2", "--format", fmt, "--issue",
                       "--output", str(issued), actor="pat")
        assert "issued: rag report" in result.stderr
        verdict = pl.ok("report", "verify", str(issued), actor="vic").stdout
        assert verdict.startswith(f"genuine: board.{fmt} is the rag report ({fmt}) issued by pat")
        assert "regenerated from its basis byte for byte" in verdict
        doctored = tmp_path / f"doctored.{fmt}"
        doctored.write_bytes(issued.read_bytes().replace(b"38.10", b"38.60"))
        assert doctored.read_bytes() != issued.read_bytes()
        refused(pl("report", "verify", str(doctored)), 1, "is not a report this ledger issued")
    first = json.loads((tmp_path / "board.json").read_text(encoding="utf-8"))
    assert [r["adjustment"] for r in first["restatements"]] == [key]
    second = request(pl, "2008/09-Q2", "38.30", *EVIDENCE)
    pl.ok("adjust", "approve", second, actor="dan")
    later = rag(pl, "2008/09-Q2")
    assert [r["adjustment"] for r in later["restatements"]] == [second]
    refused(pl("report", "rag", "--issue", actor="bob"), 1, "bob may not issue reports")
    refused(pl("report", "rag", "--issue", "--format", "csv", actor="pat"), 1, "cannot list its restatements")


def test_report_diff_explains_every_changed_figure(pl: Perfledger) -> None:
    key = request(pl, "2008/09-Q1", "36.80", *EVIDENCE)
    pl.ok("adjust", "approve", key, actor="carol")
    found = json.loads(pl.ok("report", "diff", "--from", "2000-01-01", "--to", "2099-12-31",
                             "--period", "2008/09-Q1", "--format", "json").stdout)
    assert [(d["period"], d["from"], d["to"], d["restated"]) for d in found["differences"]] == [
        ("2008/09-Q1", None, "36.80", True)]
    assert [c["change"] for c in found["differences"][0]["changes"]] == ["submitted", "restated"]
    assert found["differences"][0]["changes"][1]["approved_by"] == "carol"
    refused(pl("report", "diff", "--from", "2099-01-01", "--to", "2000-01-01"), 1, "--to is before --from")


def test_report_diff_shows_a_finalisation_after_a_restatement_as_the_finalisers(pl: Perfledger) -> None:
    """Before: the finalisation showed as a second "restated" row credited to the adjustment's
    requester and approver."""
    key = request(pl, "2008/09-Q1", "36.80", *EVIDENCE)
    pl.ok("adjust", "approve", key, actor="carol")
    pl.ok("return", "finalise", "NI 192", "2008/09-Q1", "--note", "Agreed with WasteDataFlow", actor="bob")
    found = json.loads(pl.ok("report", "diff", "--from", "2000-01-01", "--to", "2099-12-31",
                             "--period", "2008/09-Q1", "--format", "json").stdout)
    changes = found["differences"][0]["changes"]
    assert [c["change"] for c in changes] == ["submitted", "restated", "finalised"]
    assert (changes[2]["actor"], changes[2]["reason"], changes[2]["approved_by"]) == (
        "bob", "Agreed with WasteDataFlow", None)
