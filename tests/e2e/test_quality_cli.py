"""The data-quality officer's commands end to end, on both backends: outputs, refusals, nothing written."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

import pytest

from ledger.values import Period, PeriodKind
from tests.conftest import Demo
from tests.e2e.harness import Perfledger, only_the_refusal_was_recorded, refused


def build_dq(store_url: str) -> Perfledger:
    p = Perfledger(store_url)
    p.ok("init", "--admin", "alice")
    p.ok("people", "add", "bob", "--role", "improvement-manager")
    p.ok("people", "add", "carol", "--role", "data-quality-officer")
    p.ok("people", "add", "dev", "--role", "data-quality-officer", "--role", "improvement-manager")
    p.ok("indicator", "register", "NI 192", "--title", "Household waste recycled", "--unit", "percent",
         "--polarity", "higher", "--frequency", "quarterly", "--cumulative", "--decimals", "2",
         "--outlier-threshold", "25")
    p.ok("return", "submit", "NI 192", "2007/08-Q1", "20.00", actor="bob")
    p.ok("return", "submit", "NI 192", "2008/09-Q1", "21.40", actor="dev")
    return p


@pytest.fixture
def dq(clone_of: Callable[[Callable[[str], Perfledger]], Perfledger]) -> Perfledger:
    return clone_of(build_dq)


def test_validating_ones_own_return_is_refused_and_the_refusal_recorded(dq: Perfledger) -> None:
    before = dq.digest()
    refused(dq("return", "validate", "NI 192", "2008/09-Q1", actor="dev"), 1,
            "dev gave a figure for NI 192 2008/09-Q1 and may not validate it: validation is independent")
    only_the_refusal_was_recorded(dq, before, "dev", "return validate", "separation-of-duties")
    done = dq.ok("return", "validate", "NI 192", "2008/09-Q1", "--note", "WasteDataFlow", actor="carol")
    assert "NI 192 2008/09-Q1: validated (revision 1)" in done.stderr
    rag = json.loads(dq.ok("report", "rag", "--period", "2008/09-Q1", "--format", "json").stdout)
    assert rag["rows"][0]["data_quality"][0] == "validated"


def test_the_query_lifecycle_and_its_json(dq: Perfledger) -> None:
    key = dq.ok("query", "raise", "NI 192", "2008/09-Q1", "--note", "Tonnage below the contract", actor="carol"
                ).stdout.strip()
    assert key.startswith("Q-")
    before = dq.digest()
    refused(dq("return", "finalise", "NI 192", "2008/09-Q1", actor="bob"), 1, "has an open data-quality query")
    only_the_refusal_was_recorded(dq, before, "bob", "return finalise", "open-query")
    [row] = json.loads(dq.ok("query", "list", "--open", "--format", "json", actor="bob").stdout)
    assert {k: row[k] for k in ("id", "indicator", "period", "status", "outcome", "raised_by")} == {
        "id": key, "indicator": "NI 192", "period": "2008/09-Q1", "status": "open", "outcome": None,
        "raised_by": "carol"}
    dq.ok("query", "resolve", key, "--outcome", "not-upheld", "--note", "Contract tonnage confirmed",
          actor="carol")
    assert json.loads(dq.ok("query", "list", "--open", "--format", "json").stdout) == []
    [row] = json.loads(dq.ok("query", "list", "--format", "json").stdout)
    assert (row["status"], row["outcome"]) == ("resolved", "not-upheld")
    dq.ok("return", "finalise", "NI 192", "2008/09-Q1", actor="bob")


@pytest.mark.parametrize(("args", "actor", "code", "fragment"), [
    (["query", "raise", "NI 192", "2008/09-Q2", "--note", "x"], "carol", 1, "NI 192 has no return for 2008/09-Q2"),
    (["query", "raise", "NI 192", "2008/09-Q1", "--note", " "], "carol", 1, "a query needs --note"),
    (["query", "resolve", "Q-12345678", "--outcome", "upheld", "--note", "x"], "carol", 1, "no query 'Q-12345678'"),
    (["query", "resolve", "Q-1", "--outcome", "maybe", "--note", "x"], "carol", 2, "'maybe' is not one of"),
    (["return", "validate", "NI 192", "2008/09-Q3"], "carol", 1, "has no return for 2008/09-Q3"),
    (["report", "data-quality", "--year", "2001/02"], "carol", 1, "no ledger data for 2001/02"),
    (["report", "data-quality", "--year", "2008/09-Q1"], "carol", 1, "is not a financial year"),
    (["return", "submit", "NI 192", "2008/09-Q2", "21.405"], "bob", 1, "has 3 decimal places"),
    (["return", "submit", "NI 192", "2008/09-Q1", "31.40", "--reason", "x"], "bob", 1,
     "explain it with --commentary"),
    (["indicator", "register", "NI 1", "--title", "t", "--unit", "count", "--polarity", "higher", "--frequency",
      "annual", "--outlier-threshold", "0"], "alice", 1, "--outlier-threshold 0 is outside 0-1000"),
])
def test_bad_input_is_one_line_and_writes_nothing(dq: Perfledger, args: list[str], actor: str, code: int,
                                                  fragment: str) -> None:
    before = dq.digest()
    refused(dq(*args, actor=actor), code, fragment)
    assert dq.digest() == before


def test_resolving_a_resolved_query_writes_nothing(dq: Perfledger) -> None:
    key = dq.ok("query", "raise", "NI 192", "2008/09-Q1", "--note", "x", actor="carol").stdout.strip()
    dq.ok("query", "resolve", key, "--outcome", "upheld", "--note", "wrong", actor="carol")
    before = dq.digest()
    refused(dq("query", "resolve", key, "--outcome", "upheld", "--note", "again", actor="carol"), 1,
            f"query {key} is already resolved")
    assert dq.digest() == before


def test_a_warning_accepted_with_commentary_shows_in_the_report(dq: Perfledger) -> None:
    dq.ok("return", "submit", "NI 192", "2008/09-Q1", "31.40", "--reason", "recount", "--commentary",
          "Food waste collections began in May", actor="bob")
    rag = json.loads(dq.ok("report", "rag", "--period", "2008/09-Q1", "--format", "json").stdout)
    assert "warned" in rag["rows"][0]["data_quality"]
    trail = json.loads(dq.ok("audit", "trail", "--indicator", "NI 192", "--format", "json").stdout)
    assert trail[-1]["event"] == "Return.Warned"


def test_return_due_lists_what_is_due_then_overdue(dq: Perfledger) -> None:
    # NI 192 was registered today: its first expected return is this quarter's, due 30 days after it ends.
    quarter = Period.containing(PeriodKind.QUARTER, date.today())
    assert json.loads(dq.ok("return", "due", "--format", "json", actor="bob").stdout) == []
    soon = (quarter.end + timedelta(days=10)).isoformat()
    due = json.loads(dq.ok("return", "due", "--as-at", soon, "--format", "json", actor="bob").stdout)
    [row] = [r for r in due if r["period"] == str(quarter)]  # (in Q4, the year's outturn is due too)
    assert {k: row[k] for k in ("indicator", "period", "due", "status", "days_overdue")} == {
        "indicator": "NI 192", "period": str(quarter), "due": (quarter.end + timedelta(days=30)).isoformat(),
        "status": "due", "days_overdue": 0}
    late = (quarter.end + timedelta(days=40)).isoformat()
    overdue = json.loads(dq.ok("return", "due", "--as-at", late, "--format", "json", actor="bob").stdout)
    [row] = [r for r in overdue if r["period"] == str(quarter)]
    assert (row["status"], row["days_overdue"]) == ("overdue", 10)
    # Today the quarter has not ended: its return is due, but cannot be made yet.
    early = dq("return", "submit", "NI 192", str(quarter), "22.00", actor="bob")
    assert early.exit_code == 1
    assert "has not ended" in early.stderr


def test_return_due_mine_lists_only_the_indicators_designated_to_me(dq: Perfledger) -> None:
    dq.ok("indicator", "register", "NI 191", "--title", "Residual waste per household", "--unit", "number",
          "--polarity", "lower", "--frequency", "quarterly")
    dq.ok("designate", "NI 192", "--as", "improvement-manager", "--name", "bob", actor="alice")
    ahead = (Period.containing(PeriodKind.QUARTER, date.today()).end + timedelta(days=40)).isoformat()
    everyone = json.loads(dq.ok("return", "due", "--as-at", ahead, "--format", "json", actor="dev").stdout)
    assert {r["indicator"] for r in everyone} == {"NI 192", "NI 191"}
    assert {r["indicator"]: r["improvement_manager"] for r in everyone} == {"NI 192": "bob", "NI 191": None}
    mine = json.loads(dq.ok("return", "due", "--as-at", ahead, "--mine", "--format", "json", actor="bob").stdout)
    assert mine
    assert {r["indicator"] for r in mine} == {"NI 192"}
    nobody = dq.ok("return", "due", "--as-at", ahead, "--mine", "--format", "json", actor="dev")
    assert json.loads(nobody.stdout) == []
    assert "dev is not the designated improvement manager of any indicator" in nobody.stderr


def test_the_data_quality_report_in_every_format(dq: Perfledger) -> None:
    data = json.loads(dq.ok("report", "data-quality", "--year", "2008/09", "--format", "json").stdout)
    assert [d["dimension"] for d in data["dimensions"]] == [
        "accuracy", "validity", "reliability", "timeliness", "relevance", "completeness"]
    csv_text = dq.ok("report", "data-quality", "--year", "2008/09", "--format", "csv").stdout
    assert csv_text.splitlines()[0] == "dimension,kind,description,value,indicator,period,positions"
    html = dq.ok("report", "data-quality", "--year", "2008/09", "--format", "html").stdout
    assert "<h2>Completeness</h2>" in html
    table = dq.ok("report", "data-quality", "--year", "2008/09").stdout
    assert "not validated: 21.40" in table


def test_the_data_quality_review_of_the_demo_ledger(demo: Demo) -> None:
    """The demo's data-quality scenes, read back through the report, on each backend."""
    p = Perfledger(demo.url)
    data = json.loads(p.ok("report", "data-quality", "--year", "2025/26", "--as-at", "2026-11-01",
                           "--format", "json", actor="demo-user").stdout)
    dims = {d["dimension"]: d for d in data["dimensions"]}
    measures = {(d, m["measure"]): m["value"] for d, s in dims.items() for m in s["measures"]}
    assert measures[("accuracy", "queries raised")] == 3
    assert measures[("accuracy", "queries open")] == 1
    assert measures[("accuracy", "queries upheld")] == 1
    assert measures[("validity", "figures accepted with a validation warning")] == 1
    assert measures[("validity", "returns validated (their current figure)")] == 11
    assert measures[("completeness", "returns missing")] == 0
    trail = {r["position"]: r for r in json.loads(p.ok("audit", "trail", "--format", "json",
                                                       actor="demo-user").stdout)}
    [upheld] = [e for e in dims["accuracy"]["exceptions"] if "upheld" in e["exception"]]
    assert (upheld["indicator"], upheld["period"]) == ("NI 154", "2025/26-Q3")
    assert [(trail[n]["event"], trail[n]["actor"]) for n in upheld["positions"]] == [
        ("Return.QueryRaised", "Helen Marsh"), ("Return.QueryResolved", "Helen Marsh")]
    [warned] = [e for e in dims["validity"]["exceptions"] if e["exception"].startswith("warned: ")]
    assert (warned["indicator"], warned["period"], trail[warned["positions"][0]]["event"]) == (
        "NI 191", "2025/26-Q2", "Return.Warned")
    earlier = json.loads(p.ok("report", "data-quality", "--year", "2024/25", "--as-at", "2026-11-01",
                              "--format", "json", actor="demo-user").stdout)
    [late] = next(d for d in earlier["dimensions"] if d["dimension"] == "timeliness")["exceptions"]
    assert (late["indicator"], late["period"]) == ("NI 62", "2024/25-Q3")
    rag = json.loads(p.ok("report", "rag", "--period", "2025/26-Q4", "--as-at", "2026-11-01", "--format", "json",
                          actor="demo-user").stdout)
    flags = {r["indicator"]: r["data_quality"] for r in rag["rows"]}
    assert flags["NI 47"] == ["queried"]
    assert flags["NI 154"] == ["validated"]


def test_an_import_says_how_many_rows_it_accepted_with_a_warning(dq: Perfledger, tmp_path: Path) -> None:
    file = tmp_path / "waste.csv"
    file.write_text("indicator,period,value,numerator,denominator,status,commentary,source,reason\n"
                    "NI 192,2008/09-Q1,31.40,,,,Food waste collections began in May,,recount\n")
    checked = dq.ok("return", "import", str(file), "--dry-run", actor="bob")
    assert "1 row(s) accepted with a validation warning and their commentary (when imported)" in checked.stderr
    done = dq.ok("return", "import", str(file), actor="bob")
    assert "warning: 1 row(s) accepted with a validation warning" in done.stderr
    trail = json.loads(dq.ok("audit", "trail", "--indicator", "NI 192", "--format", "json").stdout)
    assert [r["event"] for r in trail[-2:]] == ["Return.Revised", "Return.Warned"]
    # The file's own rows are history too: a year earlier, then a jump with no commentary.
    file.write_text("indicator,period,value,numerator,denominator,status,commentary,source\n"
                    "NI 192,2007/08-Q2,20.00,,,,,\n"
                    "NI 192,2008/09-Q2,41.40,,,,,\n")
    before = dq.digest()
    result = dq("return", "import", str(file), actor="bob")
    assert result.exit_code == 1
    assert "row 3, commentary: 41.40 is 107.0% away from the mean 20 of its last 1" in result.stderr
    assert dq.digest() == before


def test_a_duplicate_open_query_on_a_return_is_refused(dq: Perfledger) -> None:
    key = dq.ok("query", "raise", "NI 192", "2008/09-Q1", "--note", "Tonnage below the contract", actor="carol"
                ).stdout.strip()
    before = dq.digest()
    refused(dq("query", "raise", "NI 192", "2008/09-Q1", "--note", "tonnage  below the contract", actor="dev"), 1,
            f"query {key} already asks this of NI 192 2008/09-Q1 and is open")
    assert dq.digest() == before
    other = dq.ok("query", "raise", "NI 192", "2008/09-Q1", "--note", "Source not named", actor="carol")
    assert other.stdout.strip() != key  # another doubt is another query
    dq.ok("query", "resolve", key, "--outcome", "upheld", "--note", "Corrected", actor="carol")
    dq.ok("query", "raise", "NI 192", "2008/09-Q1", "--note", "Tonnage below the contract", actor="carol")
