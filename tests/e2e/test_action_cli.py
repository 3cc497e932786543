"""Action plans (issue 15, item 4): actions for an indicator, a risk or an escalation case, each with a
lead, a deadline and progress; overdue ones follow from the deadline; an escalation response names them."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest

from tests.e2e.harness import Perfledger, only_the_refusal_was_recorded, refused


def plans(url: str) -> Perfledger:
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
    p.ok("ladder", "use", "halton", actor="pat")
    p.ok("escalation", "raise", "NI 192", "--stage", "1", "--note", "below target", actor="pat")
    return p


@pytest.fixture
def pl(clone_of: Callable[[Callable[[str], Perfledger]], Perfledger]) -> Perfledger:
    return clone_of(plans)


def listed(pl: Perfledger, *options: str) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = json.loads(pl.ok("action", "list", "--format", "json", *options,
                                                   actor="vic").stdout)
    return found


def test_actions_for_an_indicator_a_risk_and_a_case_tracked_to_completion(pl: Perfledger) -> None:
    case = json.loads(pl.ok("escalation", "list", "--format", "json").stdout)[0]["id"]
    first = pl.ok("action", "add", "--for", "NI 192", "--title", "Kerbside food waste collection",
                  "--lead", "bob", "--due", "2008-10-31", actor="bob").stdout.strip()
    second = pl.ok("action", "add", "--for", "CR 01", "--title", "Contingency contract", "--lead", "erin",
                   "--due", "2099-03-31", actor="pat").stdout.strip()
    third = pl.ok("action", "add", "--for", case, "--title", "Recovery plan to the PSG", "--lead", "bob",
                  "--due", "2099-01-31", actor="bob").stdout.strip()
    assert all(key.startswith("AP-") for key in (first, second, third))
    found = {a["id"]: a for a in listed(pl)}
    assert {(a["kind"], a["target"], a["indicator"]) for a in found.values()} == {
        ("indicator", "NI 192", "NI 192"), ("risk", "CR 01", "NI 192"), ("case", case, "NI 192")}
    assert [a["id"] for a in listed(pl, "--overdue")] == [first]  # due in 2008 and not complete
    assert {a["id"] for a in listed(pl, "--for", "NI 192")} == {first, second, third}
    assert [a["id"] for a in listed(pl, "--for", "CR 01")] == [second]
    pl.ok("action", "progress", first, "--percent", "60", "--note", "two rounds of the borough done", actor="bob")
    pl.ok("escalation", "respond", case, "--note", "plan agreed", "--action", first, "--action", third,
          actor="bob")
    shown = json.loads(pl.ok("escalation", "show", case, "--format", "json").stdout)
    assert f"actions {first}, {third}" in (shown["history"][-1]["plan"] or "")
    pl.ok("action", "complete", first, "--note", "borough-wide from October", actor="bob")
    assert listed(pl, "--overdue") == []
    assert {a["id"]: (a["percent"], a["status"]) for a in listed(pl)}[first] == (100, "completed")


@pytest.mark.parametrize(("args", "actor", "fragment"), [
    (["action", "add", "--for", "NI 999", "--title", "x", "--lead", "bob", "--due", "2099-01-01"], "bob",
     "unknown indicator 'NI 999'"),
    (["action", "add", "--for", "NI 192", "--title", "x", "--lead", "zed", "--due", "2099-01-01"], "bob",
     "--lead zed is not on the roster"),
    (["action", "add", "--for", "NI 192", "--title", " ", "--lead", "bob", "--due", "2099-01-01"], "bob",
     "an action needs --title"),
    (["action", "progress", "AP-00000000", "--percent", "10", "--note", "x"], "bob", "unknown action"),
])
def test_bad_input_is_one_line_exit_1_and_writes_nothing(pl: Perfledger, args: list[str], actor: str,
                                                         fragment: str) -> None:
    before = pl.digest()
    refused(pl(*args, actor=actor), 1, fragment)
    assert pl.digest() == before


def test_only_the_lead_reports_progress_and_a_viewer_adds_nothing(pl: Perfledger) -> None:
    key = pl.ok("action", "add", "--for", "NI 192", "--title", "Kerbside food waste", "--lead", "bob",
                "--due", "2099-01-31", actor="bob").stdout.strip()
    before = pl.digest()
    refused(pl("action", "progress", key, "--percent", "10", "--note", "x", actor="erin"), 1,
            f"erin may not report on {key}: only its lead (bob)")
    only_the_refusal_was_recorded(pl, before, "erin", "action progress", "designation")
    before = pl.digest()
    refused(pl("action", "add", "--for", "NI 192", "--title", "y", "--lead", "bob", "--due", "2099-01-31",
               actor="vic"), 1, "vic may not add or progress actions")
    only_the_refusal_was_recorded(pl, before, "vic", "action add", "permission")
    before = pl.digest()
    refused(pl("action", "add", "--for", "NI 192", "--title", "Kerbside  FOOD waste", "--lead", "bob", "--due",
               "2099-01-31", actor="bob"), 1, f"NI 192 already has this action ({key})")
    assert pl.digest() == before
    refused(pl("action", "progress", key, "--percent", "100", "--note", "x", actor="bob"), 1, "--percent 100 is outside 0-99")


def test_the_performance_report_shows_a_red_indicators_risks_and_actions(pl: Perfledger) -> None:
    pl.ok("target", "set", "NI 192", "2008/09-Q1", "52", "--reason", "LAA", actor="pat")
    pl.ok("return", "submit", "NI 192", "2008/09-Q1", "30", actor="bob")
    pl.ok("risk", "assess", "CR 01", "--likelihood", "4", "--impact", "4", "--note", "contract review", actor="bob")
    key = pl.ok("action", "add", "--for", "CR 01", "--title", "Contingency contract", "--lead", "erin",
                "--due", "2008-12-31", actor="pat").stdout.strip()
    report = json.loads(pl.ok("report", "performance", "--period", "2008/09-Q1", "--format", "json").stdout)
    [row] = report["exceptions"]
    assert (row["indicator"], row["rating"]) == ("NI 192", "red")
    assert [(r["code"], r["residual"], r["band"]) for r in row["risks"]] == [("CR 01", 16, "extreme")]
    assert [(a["id"], a["overdue"]) for a in row["actions"]] == [(key, True)]
    page = pl.ok("report", "performance", "--period", "2008/09-Q1").stdout
    assert f"{key} Contingency contract" in page
    assert "(overdue)" in page
