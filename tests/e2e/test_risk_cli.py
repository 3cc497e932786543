"""Risk registers (issue 15, items 1-3): risks scored before and after mitigation, each assessment
kept; the matrix as versioned configuration; a residual score crossing into another register's band
proposes a move exactly once, which the owner accepts or declines; every register as at any date."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.harness import Perfledger, only_the_refusal_was_recorded, refused


def registers(url: str) -> Perfledger:
    p = Perfledger(url)
    p.ok("init", "--admin", "alice")
    p.ok("people", "add", "pat", "--role", "performance-support")
    p.ok("people", "add", "bob", "--role", "improvement-manager")
    p.ok("people", "add", "erin", "--role", "improvement-manager")
    p.ok("people", "add", "vic", "--role", "viewer")
    p.ok("indicator", "register", "NI 192", "--title", "Household waste recycled", "--unit", "percent",
         "--polarity", "higher", "--frequency", "quarterly")
    p.ok("risk", "add", "CR 01", "--title", "The waste contractor fails", "--register", "service",
         "--owner", "bob", "--indicator", "NI 192", actor="pat")
    return p


@pytest.fixture
def pl(clone_of: Callable[[Callable[[str], Perfledger]], Perfledger]) -> Perfledger:
    return clone_of(registers)


def listed(pl: Perfledger, *options: str) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = json.loads(pl.ok("risk", "list", "--format", "json", *options,
                                                   actor="vic").stdout)
    return found


def moment(pl: Perfledger) -> str:
    return str(json.loads(pl.ok("audit", "trail", "--format", "json").stdout)[-1]["recorded_at"])


def test_a_risk_escalates_once_and_the_register_as_at_any_date(pl: Perfledger) -> None:
    pl.ok("risk", "assess", "CR 01", "--likelihood", "4", "--impact", "4", "--residual-likelihood", "3",
          "--residual-impact", "3", "--note", "contract review under way", actor="bob")
    [risk] = listed(pl)
    assert (risk["inherent"], risk["residual"], risk["band"], risk["register"], risk["proposed"]) == (
        16, 9, "medium", "service", None)
    before = moment(pl)
    pl.ok("risk", "assess", "CR 01", "--likelihood", "4", "--impact", "4", "--residual-likelihood", "5",
          "--residual-impact", "4", "--note", "the contractor went into administration", actor="bob")
    [risk] = listed(pl, "--proposed")
    assert (risk["residual"], risk["band"], risk["proposed"]) == (20, "extreme", "corporate")
    pl.ok("risk", "assess", "CR 01", "--likelihood", "5", "--impact", "4", "--residual-likelihood", "5",
          "--residual-impact", "4", "--note", "no change", actor="bob")
    trail = json.loads(pl.ok("audit", "trail", "--format", "json").stdout)
    proposals = [e for e in trail if e["event"] == "Risk.Proposed"]
    assert len(proposals) == 1  # exactly once, however often the score is assessed
    assert proposals[0]["actor"] == "matrix:default"
    [then] = listed(pl, "--as-at", before)
    assert (then["residual"], then["band"], then["register"], then["proposed"]) == (9, "medium", "service", None)
    moved = pl.ok("risk", "move", "CR 01", "--register", "corporate", "--reason", "the board owns it now",
                  actor="bob")
    assert "(the proposed move)" in moved.output
    [risk] = listed(pl, "--register", "corporate")
    assert risk["proposed"] is None
    assert listed(pl, "--register", "service") == []
    shown = json.loads(pl.ok("risk", "show", "CR 01", "--format", "json", actor="vic").stdout)
    assert [h["action"] for h in shown["history"]] == ["added", "assessed", "assessed", "proposed", "assessed",
                                                      "moved"]


def test_a_declined_proposal_is_not_made_again_at_the_same_score(pl: Perfledger) -> None:
    for note in ("worse", "worse still"):
        pl.ok("risk", "assess", "CR 01", "--likelihood", "5", "--impact", "4", "--note", note, actor="bob")
    pl.ok("risk", "keep", "CR 01", "--reason", "the directorate holds it while the contract is re-let",
          actor="bob")
    pl.ok("risk", "assess", "CR 01", "--likelihood", "5", "--impact", "4", "--note", "unchanged", actor="bob")
    assert listed(pl, "--proposed") == []
    pl.ok("risk", "assess", "CR 01", "--likelihood", "5", "--impact", "5", "--note", "worse", actor="bob")
    assert listed(pl, "--proposed") == []  # still extreme: a decline holds within its band
    pl.ok("risk", "assess", "CR 01", "--likelihood", "1", "--impact", "2", "--note", "re-let", actor="bob")
    assert [r["proposed"] for r in listed(pl, "--proposed")] == ["project"]  # a new band: a new proposal
    refused(pl("risk", "keep", "CR 01", "--reason", "", actor="bob"), 1, "needs --reason")


def test_a_stepped_down_risk_and_the_matrix_as_configuration(pl: Perfledger, tmp_path: Path) -> None:
    pl.ok("risk", "assess", "CR 01", "--likelihood", "2", "--impact", "2", "--note", "contract re-let",
          actor="bob")
    [risk] = listed(pl, "--proposed")
    assert (risk["band"], risk["proposed"]) == ("low", "project")  # a step down is proposed too
    before = moment(pl)
    strict = tmp_path / "strict.toml"
    strict.write_text('name = "strict"\nappetite = 3\n'
                      '[[bands]]\nname = "low"\nlow = 1\nhigh = 3\nregister = "service"\nreview_months = 6\n'
                      '[[bands]]\nname = "high"\nlow = 4\nhigh = 25\nregister = "corporate"\nreview_months = 1\n',
                      encoding="utf-8")
    used = pl.ok("risk", "matrix", "use", str(strict), "--reason", "the audit committee's appetite")
    assert "risk matrix strict in force (2 bands); 1 move(s) proposed" in used.output
    [risk] = listed(pl)
    assert (risk["band"], risk["proposed"]) == ("high", "corporate")
    [then] = listed(pl, "--as-at", before)
    assert then["band"] == "low"  # the matrix in force then
    broken = tmp_path / "broken.toml"
    broken.write_text('[[bands]]\nname = "all"\nlow = 2\nhigh = 25\nregister = "corporate"\n', encoding="utf-8")
    digest = pl.digest()
    refused(pl("risk", "matrix", "use", str(broken), "--reason", "x"), 1, "scores 1-1 are in no band")
    assert pl.digest() == digest


@pytest.mark.parametrize(("args", "actor", "fragment"), [
    (["risk", "add", "CR 02", "--title", "x", "--register", "service", "--owner", "zed"], "pat",
     "--owner zed is not on the roster"),
    (["risk", "add", "CR 02", "--title", "x", "--register", "service", "--owner", "bob", "--indicator",
      "NI 999"], "pat", "unknown indicator 'NI 999'"),
    (["risk", "add", "CR 01", "--title", "x", "--register", "service", "--owner", "bob"], "pat",
     "risk CR 01 is already on a register"),
    (["risk", "assess", "CR 01", "--likelihood", "6", "--impact", "2", "--note", "x"], "bob",
     "likelihood: 6 is outside 1-5"),
    (["risk", "assess", "CR 01", "--likelihood", "2", "--impact", "2", "--note", " "], "bob", "needs --note"),
    (["risk", "assess", "CR 09", "--likelihood", "2", "--impact", "2", "--note", "x"], "bob",
     "unknown risk 'CR 09'"),
    (["risk", "move", "CR 01", "--register", "service", "--reason", "x"], "bob",
     "CR 01 is already on the service register"),
    (["risk", "keep", "CR 01", "--reason", "x"], "bob", "CR 01 has no proposed move to decline"),
    (["risk", "matrix", "use", "nowhere", "--reason", "x"], "alice", "no matrix 'nowhere'"),
])
def test_bad_input_is_one_line_exit_1_and_writes_nothing(pl: Perfledger, args: list[str], actor: str,
                                                         fragment: str) -> None:
    before = pl.digest()
    refused(pl(*args, actor=actor), 1, fragment)
    assert pl.digest() == before


@pytest.mark.parametrize(("args", "actor", "act"), [
    (["risk", "add", "CR 02", "--title", "x", "--register", "service", "--owner", "bob"], "bob", "risk add"),
    (["risk", "assess", "CR 01", "--likelihood", "2", "--impact", "2", "--note", "x"], "vic", "risk assess"),
    (["risk", "close", "CR 01", "--reason", "x"], "bob", "risk close"),
    (["risk", "matrix", "use", "default", "--reason", "x"], "pat", "risk matrix use"),
])
def test_who_may_do_what_is_the_role_table(pl: Perfledger, args: list[str], actor: str, act: str) -> None:
    before = pl.digest()
    refused(pl(*args, actor=actor), 1, f"{actor} may not")
    only_the_refusal_was_recorded(pl, before, actor, act, "permission")


def test_only_the_owner_of_a_risk_among_improvement_managers_assesses_it(pl: Perfledger) -> None:
    before = pl.digest()
    refused(pl("risk", "assess", "CR 01", "--likelihood", "2", "--impact", "2", "--note", "x", actor="erin"), 1,
            "erin may not assess CR 01: only its owner (bob), performance support or an administrator")
    only_the_refusal_was_recorded(pl, before, "erin", "risk assess", "designation")
    pl.ok("risk", "assess", "CR 01", "--likelihood", "2", "--impact", "2", "--note", "checked", actor="pat")
    pl.ok("risk", "close", "CR 01", "--reason", "the contract is secure", actor="pat")
    assert listed(pl) == []
    assert [r["status"] for r in listed(pl, "--closed")] == ["closed"]
    refused(pl("risk", "control", "CR 01", "--note", "x", actor="bob"), 1, "CR 01 is closed")


def test_the_risk_report_and_its_heat_map_regenerate_as_at_a_past_date(pl: Perfledger, tmp_path: Path) -> None:
    pl.ok("risk", "add", "DR 01", "--title", "Recruitment of carers", "--register", "directorate", "--owner",
          "bob", actor="pat")
    pl.ok("risk", "assess", "CR 01", "--likelihood", "4", "--impact", "4", "--residual-likelihood", "3",
          "--residual-impact", "3", "--note", "contract review", actor="bob")
    pl.ok("risk", "assess", "DR 01", "--likelihood", "3", "--impact", "4", "--note", "vacancies", actor="bob")
    then = moment(pl)
    args = ("report", "risks", "--as-at", then, "--format", "json")
    first = pl.ok(*args, actor="vic").stdout
    report = json.loads(first)
    cells = {(c["likelihood"], c["impact"]): c for row in report["heat_map"] for c in row}
    assert (cells[(3, 3)]["count"], cells[(3, 4)]["count"], cells[(5, 5)]["count"]) == (1, 1, 0)
    assert (cells[(3, 4)]["band"], cells[(5, 5)]["band"]) == ("high", "extreme")
    assert [r["code"] for r in report["risks"]] == ["DR 01", "CR 01"]  # directorate before service
    pl.ok("risk", "assess", "CR 01", "--likelihood", "5", "--impact", "5", "--note", "worse", actor="bob")
    assert pl.ok(*args, actor="vic").stdout == first  # as at a past date: the same bytes
    page = tmp_path / "risks.html"
    pl.ok("report", "risks", "--as-at", then, "--format", "html", "--output", str(page), actor="vic")
    text = page.read_text(encoding="utf-8")
    assert 'class="heat"' in text
    assert "CR 01" in text
    assert "DR 01" in pl.ok("report", "risks", "--register", "directorate", actor="vic").stdout
    assert "CR 01" not in pl.ok("report", "risks", "--register", "directorate", actor="vic").stdout


def test_the_demo_keeps_a_corporate_register_with_moves_and_actions(demo: Any) -> None:
    pl = Perfledger(demo.url)
    auditor = "Raj Patel"
    corporate = json.loads(pl.ok("risk", "list", "--register", "corporate", "--format", "json", actor=auditor).stdout)
    assert len(corporate) >= 12
    assert all(r["indicators"] for r in corporate)
    escalated = json.loads(pl.ok("risk", "show", "SR 01", "--format", "json", actor=auditor).stdout)
    assert [(h["action"], h["register"]) for h in escalated["history"]][-2:] == [
        ("proposed", "service"), ("moved", "corporate")]
    stepped = json.loads(pl.ok("risk", "show", "CR 12", "--format", "json", actor=auditor).stdout)
    assert stepped["register"] == "service"
    assert "proposed" in [h["action"] for h in stepped["history"]]
    overdue = json.loads(pl.ok("action", "list", "--overdue", "--format", "json", actor=auditor).stdout)
    assert [a["target"] for a in overdue] == ["CR 01"]


def test_the_evidence_pack_holds_the_risk_and_action_trails(pl: Perfledger, tmp_path: Path) -> None:
    import csv

    pl.ok("return", "submit", "NI 192", "2008/09-Q1", "30", actor="bob")
    pl.ok("risk", "assess", "CR 01", "--likelihood", "5", "--impact", "4", "--note", "worse", actor="bob")
    key = pl.ok("action", "add", "--for", "CR 01", "--title", "Contingency contract", "--lead", "bob",
                "--due", "2008-12-31", actor="pat").stdout.strip()
    pl.ok("action", "progress", key, "--percent", "40", "--note", "two hauliers shortlisted", actor="bob")
    out = tmp_path / "pack"
    pl.ok("audit", "evidence", "--year", "2008/09", "--output", str(out), actor="vic")
    with (out / "risks.csv").open(encoding="utf-8") as handle:
        risks = list(csv.DictReader(handle))
    assert [(r["code"], r["action"]) for r in risks] == [("CR 01", "added"), ("CR 01", "assessed"),
                                                        ("CR 01", "proposed")]
    with (out / "actions.csv").open(encoding="utf-8") as handle:
        [action] = list(csv.DictReader(handle))
    assert (action["id"], action["overdue"], action["percent"]) == (key, "true", "40")
    assert "40% (bob): two hauliers shortlisted" in action["reports"]


def test_a_proposal_the_matrix_no_longer_makes_is_withdrawn_and_a_decline_holds_within_its_band(
        pl: Perfledger, tmp_path: Path) -> None:
    pl.ok("risk", "assess", "CR 01", "--likelihood", "4", "--impact", "4", "--note", "worse", actor="bob")
    assert [r["proposed"] for r in listed(pl, "--proposed")] == ["corporate"]  # 16 is extreme: corporate
    wide = tmp_path / "wide.toml"
    wide.write_text('name = "wide"\nappetite = 9\n'
                    '[[bands]]\nname = "low"\nlow = 1\nhigh = 4\nregister = "project"\nreview_months = 12\n'
                    '[[bands]]\nname = "medium"\nlow = 5\nhigh = 19\nregister = "service"\nreview_months = 6\n'
                    '[[bands]]\nname = "extreme"\nlow = 20\nhigh = 25\nregister = "corporate"\nreview_months = 1\n',
                    encoding="utf-8")
    pl.ok("risk", "matrix", "use", str(wide), "--reason", "the committee's appetite")
    assert listed(pl, "--proposed") == []  # 16 is medium now: it belongs where it is
    history = json.loads(pl.ok("risk", "show", "CR 01", "--format", "json").stdout)["history"]
    assert history[-1]["action"] == "withdrawn"
    pl.ok("risk", "assess", "CR 01", "--likelihood", "5", "--impact", "4", "--note", "worse", actor="bob")
    pl.ok("risk", "keep", "CR 01", "--reason", "held by the service while re-let", actor="bob")
    pl.ok("risk", "assess", "CR 01", "--likelihood", "5", "--impact", "5", "--note", "still extreme", actor="bob")
    assert listed(pl, "--proposed") == []  # declined in this band: not proposed again within it
