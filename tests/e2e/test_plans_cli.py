"""Plans, priorities, agreements, profiles and contributions (issue 16, items 1-3, 5, 6): the golden
thread read as at any date; reports grouped by priority, exceptions first; an agreed target changes
only with a second person's approval; a year's target profiled onto its periods in one decision; a
contributing organisation's part beside the total."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.harness import Perfledger, only_the_refusal_was_recorded, refused


def thread(url: str) -> Perfledger:
    """A corporate plan with two priorities over three indicators, an LAA agreed by the PSG (pat, sam)."""
    p = Perfledger(url)
    p.ok("init", "--admin", "alice")
    p.ok("people", "add", "pat", "--role", "performance-support")
    p.ok("people", "add", "sam", "--role", "performance-support")
    p.ok("people", "add", "bob", "--role", "improvement-manager", "--organisation", "Halton BC")
    p.ok("people", "add", "gina", "--role", "improvement-manager", "--organisation", "PCT")
    p.ok("people", "add", "vic", "--role", "viewer")
    p.ok("indicator", "register", "NI 192", "--title", "Household waste recycled", "--unit", "percent",
         "--polarity", "higher", "--frequency", "quarterly", "--theme", "Environment")
    p.ok("indicator", "register", "NI 154", "--title", "Net additional homes", "--unit", "count",
         "--polarity", "higher", "--frequency", "quarterly", "--theme", "Economy")
    p.ok("indicator", "register", "NI 40", "--title", "Drug users in effective treatment", "--unit", "count",
         "--polarity", "higher", "--frequency", "quarterly", "--theme", "Health", "--cumulative")
    p.ok("plan", "add", "CS", "--title", "Community Strategy", "--kind", "community-strategy", "--from",
         "2023/24", "--until", "2027/28")
    p.ok("plan", "add", "CP", "--title", "Corporate Plan", "--kind", "corporate", "--parent", "CS", "--from",
         "2024/25", "--until", "2026/27")
    p.ok("priority", "add", "P1", "--plan", "CP", "--title", "A cleaner, greener borough", "--theme",
         "Environment")
    p.ok("priority", "add", "P2", "--plan", "CP", "--title", "Homes and health", "--theme", "Economy")
    p.ok("priority", "link", "P1", "--indicator", "NI 192")
    p.ok("priority", "link", "P2", "--indicator", "NI 154", "--indicator", "NI 40")
    for quarter, recycled, homes in (("2024/25-Q2", "40", "100"), ("2025/26-Q2", "45", "80")):
        p.ok("return", "submit", "NI 192", quarter, recycled)
        p.ok("return", "submit", "NI 154", quarter, homes)
        p.ok("return", "submit", "NI 40", quarter, "300")
    p.ok("target", "set", "NI 192", "2025/26-Q2", "44", "--reason", "plan")
    p.ok("target", "set", "NI 154", "2025/26-Q2", "120", "--reason", "plan")
    p.ok("target", "set", "NI 40", "2025/26-Q2", "310", "--reason", "plan")
    return p


@pytest.fixture
def pl(clone_of: Callable[[Callable[[str], Perfledger]], Perfledger]) -> Perfledger:
    return clone_of(thread)


def as_json(pl: Perfledger, *args: str, actor: str = "vic") -> Any:
    return json.loads(pl.ok(*args, "--format", "json", actor=actor).stdout)


def moment(pl: Perfledger) -> str:
    return str(as_json(pl, "audit", "trail")[-1]["recorded_at"])


def test_the_golden_thread_is_read_as_at_any_date(pl: Perfledger) -> None:
    plans = as_json(pl, "plan", "list")
    assert [(p["code"], p["kind"], p["parent"], p["priorities"]) for p in plans] == [
        ("CS", "community-strategy", None, 0), ("CP", "corporate", "CS", 2)]
    shown = as_json(pl, "plan", "show", "CP")
    assert [(p["code"], p["indicators"]) for p in shown["priorities"]] == [
        ("P1", ["NI 192"]), ("P2", ["NI 40", "NI 154"])]
    before = moment(pl)
    pl.ok("priority", "unlink", "P2", "--indicator", "NI 40", "--reason", "moved to the health plan",
          actor="pat")
    assert as_json(pl, "priority", "list", "--plan", "CS")[1]["indicators"] == ["NI 154"]
    assert as_json(pl, "priority", "list", "--as-at", before)[1]["indicators"] == ["NI 40", "NI 154"]
    trail = as_json(pl, "audit", "trail")
    assert (trail[-1]["event"], trail[-1]["indicator"], trail[-1]["reason"]) == (
        "Priority.Unlinked", "NI 40", "moved to the health plan")


def test_reports_group_rows_by_priority_exceptions_first(pl: Perfledger) -> None:
    args = ("report", "rag", "--period", "2025/26-Q2", "--plan", "CP")
    report = as_json(pl, *args)
    assert report["scope"] == {"plan": "CP"}
    assert [(g["priority"], g["indicators"]) for g in report["groups"]] == [
        ("P1", ["NI 192"]), ("P2", ["NI 154", "NI 40"])]  # NI 154 is red: before NI 40 (amber)
    p2 = report["groups"][1]["summary"]
    assert p2["ratings"]["red"] == 1
    assert p2["direction_year"] == {"improving": 0, "unchanged": 1, "worsening": 1}
    assert report["summary"]["shares"] == {"improving": "33%", "unchanged": "33%", "worsening": "33%"}
    table = pl.ok(*args, actor="vic").stdout
    assert table.index("Priority P1: A cleaner, greener borough") < table.index("Priority P2: Homes and")
    assert "Direction of travel on a year ago, by priority" in table
    csv_lines = pl.ok(*args, "--format", "csv", actor="vic").stdout.splitlines()
    assert csv_lines[0].startswith("priority,indicator,")
    assert [line.split(",")[:2] for line in csv_lines[1:]] == [["P1", "NI 192"], ["P2", "NI 154"], ["P2", "NI 40"]]
    page = pl.ok(*args, "--format", "html", actor="vic").stdout
    assert page.index("<h2>Priority P1: A cleaner") < page.index("<h2>Priority P2: Homes") < page.index("NI 40")
    one = as_json(pl, "report", "rag", "--period", "2025/26-Q2", "--priority", "P1")
    assert [r["indicator"] for r in one["rows"]] == ["NI 192"]
    themed = as_json(pl, "report", "rag", "--period", "2025/26-Q2", "--theme", "Health")
    assert [r["indicator"] for r in themed["rows"]] == ["NI 40"]
    assert themed["groups"] == []
    perf = as_json(pl, "report", "performance", "--period", "2025/26-Q2", "--priority", "P2")
    assert [g["priority"] for g in perf["groups"]] == ["P2"]
    assert [r["indicator"] for r in perf["exceptions"]] == ["NI 154", "NI 40"]
    html = pl.ok("report", "performance", "--period", "2025/26-Q2", "--plan", "CP", actor="vic").stdout
    assert html.index("Priority P1") < html.index("Priority P2")
    assert '--plan "CP"' in html


def test_a_grouped_report_regenerates_byte_identically_as_at_a_past_date(pl: Perfledger, tmp_path: Path) -> None:
    when = moment(pl)
    out = tmp_path / "cp.html"
    pl.ok("report", "performance", "--period", "2025/26-Q2", "--plan", "CP", "--as-at", when, "--output",
          str(out), "--issue", actor="pat")
    pl.ok("priority", "link", "P1", "--indicator", "NI 40", actor="pat")
    again = tmp_path / "again.html"
    pl.ok("report", "performance", "--period", "2025/26-Q2", "--plan", "CP", "--as-at", when, "--output",
          str(again), actor="vic")
    assert again.read_bytes() == out.read_bytes()
    assert "genuine" in pl.ok("report", "verify", str(out), actor="vic").stdout
    now = as_json(pl, "report", "rag", "--period", "2025/26-Q2", "--priority", "P1")
    assert [r["indicator"] for r in now["rows"]] == ["NI 40", "NI 192"]


def test_an_agreed_target_changes_only_with_a_second_members_approval(pl: Perfledger) -> None:
    pl.ok("agreement", "add", "LAA", "--title", "Local Area Agreement 2024-27", "--body",
          "Performance Support Group", "--member", "pat", "--member", "sam", "--from", "2024/25", "--until",
          "2026/27", "--plan", "CP", "--indicator", "NI 192", "--indicator", "NI 154")
    before = pl.digest()
    refused(pl("target", "set", "NI 192", "2025/26-Q3", "46", "--reason", "raise it", actor="pat"), 1,
            "held by LAA, agreed by Performance Support Group")
    only_the_refusal_was_recorded(pl, before, "pat", "target set", "agreement")
    key = pl.ok("agreement", "propose", "LAA", "--indicator", "NI 192", "--year", "2025/26", "--trajectory",
                "44", "--stretch", "46", "--reason", "LAA refresh", actor="pat").stdout.strip()
    assert key.startswith("TP-")
    before = pl.digest()
    refused(pl("agreement", "approve", key, actor="pat"), 1, "cannot also approve it")
    only_the_refusal_was_recorded(pl, before, "pat", "agreement approve", "separation")
    refused(pl("agreement", "approve", key, actor="alice"), 1, "not a member of Performance Support Group")
    refused(pl("agreement", "approve", key, actor="vic"), 1, "may not approve or reject changes")
    pl.ok("agreement", "approve", key, "--note", "agreed at the PSG", actor="sam")
    targets = as_json(pl, "target", "list", "NI 192")
    year = [t for t in targets if t["period"] == "2025/26"]
    assert (year[0]["target"], year[0]["agreed_with"], year[0]["actor"]) == ("46", "LAA", "sam")
    shown = as_json(pl, "agreement", "show", "LAA")
    assert [(p["id"], p["status"], p["proposed_by"], p["decided_by"]) for p in shown["proposals"]] == [
        (key, "approved", "pat", "sam")]
    assert shown["targets"][0]["stretch"] == "46"
    trail = [e for e in as_json(pl, "audit", "trail") if e["adjustment"] == key]
    assert [(e["event"], e["actor"]) for e in trail] == [("TargetProposal.Proposed", "pat"),
                                                         ("TargetProposal.Approved", "sam")]
    row = as_json(pl, "report", "rag", "--period", "2025/26-Q2")["rows"]
    ni192 = next(r for r in row if r["indicator"] == "NI 192")
    assert (ni192["target"], ni192["agreement"], ni192["stretch"]) == ("44", None, False)  # quarter's own
    pl.ok("agreement", "refresh", "LAA", "--year", "2025/26", "--reason", "annual refresh", "--add", "NI 40",
          actor="pat")
    assert as_json(pl, "agreement", "list")[0]["indicators"] == ["NI 40", "NI 154", "NI 192"]
    refused(pl("agreement", "refresh", "LAA", "--year", "2025/26", "--reason", "again", actor="pat"), 1,
            "already refreshed for 2025/26")


def test_a_stretch_target_is_marked_in_the_reports(pl: Perfledger) -> None:
    pl.ok("agreement", "add", "LAA", "--title", "LAA", "--body", "PSG", "--member", "pat", "--member", "sam",
          "--from", "2024/25", "--until", "2026/27", "--indicator", "NI 192")
    key = pl.ok("agreement", "propose", "LAA", "--indicator", "NI 192", "--year", "2025/26", "--trajectory",
                "42", "--stretch", "44.5", "--reason", "stretch", actor="sam").stdout.strip()
    pl.ok("agreement", "approve", key, actor="pat")
    pl.ok("return", "submit", "NI 192", "2025/26", "45")
    rows = as_json(pl, "report", "rag", "--period", "2025/26")["rows"]
    ni192 = next(r for r in rows if r["indicator"] == "NI 192")
    assert (ni192["target"], ni192["rating"], ni192["agreement"], ni192["stretch"]) == (
        "44.5", "green", "LAA", True)
    assert "44.5 (stretch)" in pl.ok("report", "rag", "--period", "2025/26", actor="vic").stdout


def test_a_profile_writes_the_year_onto_its_periods_in_one_decision(pl: Perfledger, tmp_path: Path) -> None:
    position = int(pl.digest().split(":")[0])
    pl.ok("target", "profile", "NI 154", "2026/27", "--total", "550", "--shape", "even", "--reason",
          "housing trajectory", actor="pat")
    targets = {t["period"]: t["target"] for t in as_json(pl, "target", "list", "NI 154")}
    assert [targets[f"2026/27-Q{q}"] for q in range(1, 5)] + [targets["2026/27"]] == [
        "138", "138", "137", "137", "550"]
    trail = [e for e in as_json(pl, "audit", "trail") if e["position"] > position]
    assert [e["event"] for e in trail] == ["Targets.TargetSet"] * 5
    shape = tmp_path / "seasonal.csv"
    shape.write_text("period,weight\n2026/27-Q1,1\n2026/27-Q2,2\n2026/27-Q3,3\n2026/27-Q4,4\n")
    pl.ok("target", "profile", "NI 40", "2026/27", "--total", "100", "--shape", str(shape), "--reason", "winter",
          actor="pat")
    cumulative = {t["period"]: t["target"] for t in as_json(pl, "target", "list", "NI 40")}
    assert [cumulative[f"2026/27-Q{q}"] for q in range(1, 5)] == ["10", "30", "60", "100"]
    pl.ok("target", "profile", "NI 192", "2026/27", "--total", "45", "--shape", str(shape), "--reason", "levels",
          actor="pat")
    levels = {t["period"]: t["target"] for t in as_json(pl, "target", "list", "NI 192")}
    assert [levels[f"2026/27-Q{q}"] for q in range(1, 5)] == ["18.0", "36.0", "54.0", "72.0"]


def test_a_profile_under_an_agreement_phases_the_agreed_total_only(pl: Perfledger) -> None:
    pl.ok("agreement", "add", "LAA", "--title", "LAA", "--body", "PSG", "--member", "pat", "--member", "sam",
          "--from", "2024/25", "--until", "2026/27", "--indicator", "NI 154")
    key = pl.ok("agreement", "propose", "LAA", "--indicator", "NI 154", "--year", "2026/27", "--trajectory",
                "500", "--reason", "agreed", actor="sam").stdout.strip()
    pl.ok("agreement", "approve", key, actor="pat")
    before = pl.digest()
    refused(pl("target", "profile", "NI 154", "2026/27", "--total", "600", "--shape", "even", "--reason", "x",
               actor="pat"), 1, "a profile may phase the agreed total, not change it")
    only_the_refusal_was_recorded(pl, before, "pat", "target profile", "agreement")
    pl.ok("target", "profile", "NI 154", "2026/27", "--total", "500", "--shape", "even", "--reason", "phased",
          actor="pat")
    targets = {t["period"]: t["target"] for t in as_json(pl, "target", "list", "NI 154")}
    assert [targets[f"2026/27-Q{q}"] for q in range(1, 5)] == ["125", "125", "125", "125"]


def test_a_contributor_reports_its_part_beside_the_total(pl: Perfledger) -> None:
    pl.ok("designate", "NI 40", "--as", "contributor", "--name", "PCT")
    pl.ok("contribution", "target", "NI 40", "PCT", "2025/26-Q2", "200", "--reason", "agreed with the lead",
          actor="pat")
    before = pl.digest()
    refused(pl("contribution", "return", "NI 40", "PCT", "2025/26-Q2", "180", actor="bob"), 1,
            "only its own people")
    only_the_refusal_was_recorded(pl, before, "bob", "contribution return", "designation")
    pl.ok("contribution", "return", "NI 40", "PCT", "2025/26-Q2", "180", "--comment", "two clinics",
          actor="gina")
    [row] = as_json(pl, "contribution", "list", "NI 40")
    assert (row["organisation"], row["target"], row["actual"], row["total"], row["share"]) == (
        "PCT", "200", "180", "300", "60%")
    perf = as_json(pl, "report", "performance", "--period", "2025/26-Q2")
    ni40 = next(r for r in perf["rows"] if r["indicator"] == "NI 40")
    assert ni40["contributions"] == [{"organisation": "PCT", "target": "200", "actual": "180",
                                      "commentary": "two clinics"}]


@pytest.mark.parametrize(("args", "actor", "fragment"), [
    (("plan", "add", "X", "--title", "T", "--kind", "corporate", "--from", "2025/26", "--until", "2024/25"),
     "alice", "is before --from"),
    (("plan", "add", "X", "--title", "T", "--kind", "service", "--parent", "CP", "--from", "2020/21",
      "--until", "2024/25"), "alice", "runs outside its parent CP"),
    (("plan", "add", "CP", "--title", "T", "--kind", "corporate", "--from", "2024/25", "--until", "2024/25"),
     "alice", "plan CP already exists"),
    (("plan", "add", "X", "--title", "T", "--kind", "corporate", "--parent", "NOPE", "--from", "2024/25",
      "--until", "2024/25"), "alice", "unknown plan 'NOPE'"),
    (("priority", "add", "P9", "--plan", "NOPE", "--title", "T"), "alice", "unknown plan 'NOPE'"),
    (("priority", "link", "P1", "--indicator", "NI 999"), "alice", "unknown indicator 'NI 999'"),
    (("priority", "link", "P1", "--indicator", "NI 192"), "alice", "already in the basket of P1"),
    (("priority", "link", "P9", "--indicator", "NI 192"), "alice", "unknown priority 'P9'"),
    (("priority", "unlink", "P1", "--indicator", "NI 154", "--reason", "r"), "alice", "not in the basket"),
    (("priority", "add", "P9", "--plan", "CP", "--title", "T"), "bob", "may not add plans and priorities"),
    (("report", "rag", "--plan", "NOPE"), "vic", "unknown plan 'NOPE'"),
    (("report", "rag", "--priority", "P9"), "vic", "unknown priority 'P9'"),
    (("report", "performance", "--period", "2025/26-Q2", "--plan", "CS", "--priority", "P9"), "vic",
     "unknown priority 'P9' in plan CS"),
    (("agreement", "add", "L", "--title", "T", "--body", "B", "--member", "bob", "--from", "2024/25",
      "--until", "2026/27"), "alice", "--member bob is not on the roster as performance support"),
    (("agreement", "add", "L", "--title", "T", "--body", "B", "--member", "pat", "--from", "2024/25-Q1",
      "--until", "2026/27"), "alice", "take years"),
    (("agreement", "propose", "NOPE", "--indicator", "NI 192", "--year", "2025/26", "--trajectory", "1",
      "--reason", "r"), "pat", "unknown agreement 'NOPE'"),
    (("agreement", "approve", "TP-00000000"), "sam", "unknown target proposal 'TP-00000000'"),
    (("target", "profile", "NI 154", "2026/27-Q1", "--total", "5", "--shape", "even", "--reason", "r"), "pat",
     "is not a financial year"),
    (("target", "profile", "NI 154", "2026/27", "--total", "5.5", "--shape", "even", "--reason", "r"), "pat",
     "whole number"),
    (("target", "profile", "NI 154", "2026/27", "--total", "5", "--shape", "nope.csv", "--reason", "r"), "pat",
     "use even or the path of a CSV file"),
    (("contribution", "target", "NI 40", "NHS", "2025/26-Q2", "1", "--reason", "r"), "pat",
     "NHS is not designated as contributing to NI 40"),
    (("contribution", "return", "NI 40", "PCT", "2025/26-Q2", "1"), "vic", "may not report contributions"),
])
def test_bad_input_is_one_line_and_writes_nothing(pl: Perfledger, args: tuple[str, ...], actor: str,
                                                  fragment: str) -> None:
    before = pl.digest()
    refused(pl(*args, actor=actor), 1, fragment)
    after = pl.digest()
    if after != before:  # a control's refusal is the one event written
        only_the_refusal_was_recorded(pl, before, actor, " ".join(args[:2]), as_json(
            pl, "audit", "trail")[-1]["reason"])


def test_an_indicator_is_held_by_one_agreement_a_year(pl: Perfledger) -> None:
    pl.ok("agreement", "add", "LAA", "--title", "LAA", "--body", "PSG", "--member", "pat", "--member", "sam",
          "--from", "2024/25", "--until", "2026/27", "--indicator", "NI 192")
    before = pl.digest()
    refused(pl("agreement", "add", "LAA2", "--title", "Next LAA", "--body", "PSG", "--member", "pat", "--from",
               "2026/27", "--until", "2028/29", "--indicator", "NI 192"), 1, "NI 192 is already in LAA for 2026/27")
    pl.ok("agreement", "add", "LAA2", "--title", "Next LAA", "--body", "PSG", "--member", "pat", "--from",
          "2026/27", "--until", "2028/29", "--indicator", "NI 154")
    refused(pl("agreement", "refresh", "LAA2", "--year", "2026/27", "--reason", "r", "--add", "NI 192",
               actor="pat"), 1, "NI 192 is already in LAA for 2026/27")
    assert int(pl.digest().split(":")[0]) == int(before.split(":")[0]) + 1  # LAA2 only: bad input writes nothing


def test_report_rows_carry_the_benchmark_median_and_quartile_as_at_any_date(pl: Perfledger,
                                                                              tmp_path: Path) -> None:
    pl.ok("comparator", "group", "add", "Neighbours", "--areas", "Halton,Knowsley,Warrington,Wirral", "--own",
          "Halton", actor="pat")
    before = moment(pl)
    published = tmp_path / "published.csv"
    published.write_text("indicator,period,group,area,value,source\n"
                         "NI 192,2024/25,Neighbours,Knowsley,30,DEFRA 2024/25\n"
                         "NI 192,2024/25,Neighbours,Warrington,50,DEFRA 2024/25\n"
                         "NI 192,2024/25,Neighbours,Wirral,38,DEFRA 2024/25\n")
    pl.ok("benchmark", "import", str(published), actor="pat")
    pl.ok("return", "submit", "NI 192", "2024/25", "44")
    rows = {r["indicator"]: r for r in as_json(pl, "report", "rag", "--period", "2025/26-Q2", "--plan", "CP")["rows"]}
    assert rows["NI 192"]["benchmark"] == {
        "period": "2024/25", "group": "Neighbours", "n": 4, "q1": "36", "median": "41", "q3": "45.5",
        "figure": "44", "figure_from": "ledger 2024/25", "quartile": 2, "rank": 2, "of": 4}
    assert rows["NI 154"]["benchmark"] is None
    shown = as_json(pl, "benchmark", "show", "NI 192", "--period", "2024/25")  # the same spread as the report
    assert (shown["n"], shown["q1"], shown["median"], shown["q3"], shown["quartile"], shown["rank"]) == (
        4, "36", "41", "45.5", 2, 2)
    csv_rows = pl.ok("report", "rag", "--period", "2025/26-Q2", "--format", "csv", actor="vic").stdout.splitlines()
    header = csv_rows[0].split(",")
    ni192 = next(line for line in csv_rows if line.startswith("NI 192")).split(",")
    assert ni192[-5:] == ["2024/25", "Neighbours", "41", "2", "2 of 4"]
    assert header[-5:] == ["benchmark_year", "benchmark_group", "benchmark_median", "benchmark_quartile",
                           "benchmark_rank"]
    assert "Q2, median 41 (2024/25)" in pl.ok("report", "rag", "--period", "2025/26-Q2", actor="vic").stdout
    page = pl.ok("report", "performance", "--period", "2025/26-Q2", "--priority", "P1", actor="vic").stdout
    assert "<td>quartile 2, median 41 (2024/25)</td>" in page
    earlier = as_json(pl, "report", "rag", "--period", "2025/26-Q2", "--as-at", before)["rows"]
    assert all(r["benchmark"] is None for r in earlier)
