"""Benchmarks (issue 16, item 4): comparator groups versioned and readable as at any date; published
values imported from a file (the real DEFRA figures the demo uses), corrected as new events; the
group's quartiles and where the council stands, by its own ledger figure where it holds one."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

import commands.demo
from tests.e2e.harness import Perfledger, only_the_refusal_was_recorded, refused

REAL = Path(commands.demo.__file__).with_name("benchmarks.csv")  # published figures, each with its source
GROUP = "Cheshire and Merseyside"
AREAS = "Halton,St Helens,Knowsley,Liverpool,Warrington,Cheshire West and Chester,Cheshire East"
HEADER = "indicator,period,group,area,value,source\n"


def neighbours(url: str) -> Perfledger:
    p = Perfledger(url)
    p.ok("init", "--admin", "alice")
    p.ok("people", "add", "pat", "--role", "performance-support")
    p.ok("people", "add", "vic", "--role", "viewer")
    p.ok("indicator", "register", "NI 192", "--title", "Household waste recycled", "--unit", "percent",
         "--polarity", "higher", "--frequency", "quarterly")
    p.ok("indicator", "register", "NI 191", "--title", "Residual waste per household", "--unit", "number",
         "--polarity", "lower", "--frequency", "annual")
    p.ok("comparator", "group", "add", GROUP, "--areas", AREAS, "--own", "Halton", "--reason", "neighbours",
         actor="pat")
    return p


@pytest.fixture
def pl(clone_of: Callable[[Callable[[str], Perfledger]], Perfledger]) -> Perfledger:
    return clone_of(neighbours)


def shown(pl: Perfledger, *args: str) -> dict[str, Any]:
    found: dict[str, Any] = json.loads(pl.ok("benchmark", "show", "NI 192", "--format", "json", *args,
                                             actor="vic").stdout)
    return found


def listed(pl: Perfledger, *args: str) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = json.loads(pl.ok("benchmark", "list", "--format", "json", *args,
                                                   actor="vic").stdout)
    return found


def moment(pl: Perfledger) -> str:
    return str(json.loads(pl.ok("audit", "trail", "--format", "json").stdout)[-1]["recorded_at"])


def test_the_real_published_figures_give_the_groups_quartiles_and_halton_s_place(pl: Perfledger) -> None:
    result = pl.ok("benchmark", "import", str(REAL), actor="pat")
    assert "imported 9 benchmark values from benchmarks.csv (2 new, 0 revised, 0 unchanged sets)" in result.stderr
    found = shown(pl, "--period", "2015/16")
    # DEFRA 2015/16: 29.2 39 41.4 52.7 55.3 57.7 (inclusive quartiles: h = 5p)
    assert (found["n"], found["q1"], found["median"], found["q3"]) == (6, "39.6", "47.05", "54.65")
    assert (found["council_figure"], found["quartile"], found["rank"], found["ranked_of"]) == ("41.4", 3, 4, 6)
    assert found["council_figure_from"].startswith("the published value for Halton")
    assert all("DEFRA" in source and "http" in source for source in found["sources"])
    latest = shown(pl)  # the latest year published: 2022/23, without a figure for Halton
    assert (latest["period"], latest["n"], latest["median"], latest["quartile"]) == ("2022/23", 3, "26.3", None)
    rows = listed(pl)
    assert len(rows) == 9
    assert {r["area"] for r in rows if r["period"] == "2015/16"} == {
        "Halton", "St Helens", "Liverpool", "Cheshire West and Chester", "Cheshire East", "Warrington"}
    assert all(r["source"] for r in rows)


def test_the_ledger_s_own_figure_places_the_council_before_its_published_one(pl: Perfledger) -> None:
    pl.ok("benchmark", "import", str(REAL), actor="pat")
    pl.ok("return", "submit", "NI 192", "2015/16-Q4", "56", actor="pat")  # quarterly, cumulative: Q4 is the year
    found = shown(pl, "--period", "2015/16")
    # 29.2 39 52.7 55.3 56 57.7 without Halton's published 41.4: q3 = 55.3 + 0.75 x 0.7 = 55.825
    assert (found["council_figure"], found["quartile"], found["rank"]) == ("56", 1, 2)
    assert found["council_figure_from"] == "the ledger's 2015/16-Q4 figure"
    assert found["council_published"] == "41.4"
    pl.ok("return", "submit", "NI 192", "2015/16", "40", actor="pat")  # the year's own return wins
    found = shown(pl, "--period", "2015/16")
    assert (found["council_figure"], found["quartile"], found["rank"]) == ("40", 3, 4)
    assert found["council_figure_from"] == "the ledger's 2015/16 figure (the year's outturn)"


def test_as_at_a_date_shows_what_was_known_then(pl: Perfledger, tmp_path: Path) -> None:
    first = tmp_path / "first.csv"
    first.write_text(HEADER + "".join(f"NI 191,2022/23,{GROUP},{area},{value},test file\n"
                                      for area, value in (("Halton", 500), ("Knowsley", 600), ("Liverpool", 700))))
    pl.ok("benchmark", "import", str(first), actor="pat")
    before = moment(pl)
    corrected = tmp_path / "corrected.csv"
    corrected.write_text(HEADER + f"NI 191,2022/23,{GROUP},Knowsley,450,test file (corrected)\n"
                         + f"NI 191,2023/24,{GROUP},Knowsley,480,test file 2023/24\n"
                         + f"NI 191,2023/24,{GROUP},Halton,490,test file 2023/24\n")
    result = pl.ok("benchmark", "import", str(corrected), actor="pat")
    assert "(1 new, 1 revised, 0 unchanged sets)" in result.stderr

    def show(*args: str) -> dict[str, Any]:
        found: dict[str, Any] = json.loads(pl.ok("benchmark", "show", "NI 191", "--format", "json", *args,
                                                 actor="vic").stdout)
        return found

    assert show()["period"] == "2023/24"
    then = show("--as-at", before)
    assert then["period"] == "2022/23"  # imported later: not known then
    assert [v["value"] for v in then["values"]] == ["500", "600", "700"]
    assert (then["quartile"], then["rank"]) == (1, 1)  # lower is better: Halton's 500 is the least
    now = show("--period", "2022/23")
    assert [v["value"] for v in now["values"]] == ["500", "450", "700"]  # the correction
    assert (now["quartile"], now["rank"]) == (2, 2)
    assert [r["period"] for r in listed(pl, "--indicator", "NI 191", "--as-at", before)] == ["2022/23"] * 3
    trail = json.loads(pl.ok("audit", "trail", "--format", "json").stdout)
    revised = [e for e in trail if e["event"] == "Benchmark.Revised"]
    assert len(revised) == 1
    assert revised[0]["before"] == "Knowsley 600 -> 450"  # the earlier figure kept in the trail


def test_bad_rows_are_named_and_nothing_is_written(pl: Perfledger, tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text(HEADER + "\n".join([
        f"NI 999,2022/23,{GROUP},Halton,40.1,DEFRA",
        f"NI 192,2022/23-Q1,{GROUP},Halton,40.1,DEFRA",
        "NI 192,2022/23,CIPFA,Halton,40.1,DEFRA",
        f"NI 192,2022/23,{GROUP},Wigan,40.1,DEFRA",
        f"NI 192,2022/23,{GROUP},Halton,forty,DEFRA",
        f"NI 192,2022/23,{GROUP},Halton,40.1,",
        f"NI 192,2022/23,{GROUP},Knowsley,26.3,DEFRA",
        f"NI 192,2022/23,{GROUP},knowsley,26.4,DEFRA",
    ]) + "\n")
    before = pl.digest()
    result = pl("benchmark", "import", str(bad), actor="pat")
    assert result.exit_code == 1
    lines = result.stderr.strip().splitlines()
    assert lines == [
        "error: row 2, indicator: unknown indicator 'NI 999' (see perfledger indicator list): register it "
        "first, or fix the code",
        "error: row 3, period: 2022/23-Q1 is not a financial year: benchmarks are published for a year, "
        "written like 2022/23",
        "error: row 4, group: unknown comparator group 'CIPFA': define it first with perfledger comparator "
        "group add (see perfledger comparator group list)",
        f"error: row 5, area: 'Wigan' is not in the comparator group {GROUP} (its areas: "
        + AREAS.replace(",", ", ") + f"): fix the name, or add the area with perfledger comparator group "
        f"change {GROUP} --areas",
        "error: row 6, value: value 'forty' is not a decimal number (write it like 52.5)",
        "error: row 7, source: is empty: cite the publication (title, table, year, URL)",
        f"error: row 9, area: Knowsley NI 192 2022/23 ({GROUP}) already appears at row 8",
        "error: 7 problem(s) in 8 row(s): nothing was imported; fix the rows above",
    ]
    assert "Traceback" not in result.output
    assert pl.digest() == before
    dry = pl("benchmark", "import", str(bad), "--dry-run", actor="pat")  # refused in the same words
    assert (dry.exit_code, dry.stderr.strip().splitlines()) == (1, lines)
    assert pl.digest() == before


def test_dry_run_writes_nothing_and_a_second_import_says_imported_already(pl: Perfledger) -> None:
    before = pl.digest()
    result = pl.ok("benchmark", "import", str(REAL), "--dry-run", actor="pat")
    assert "9 rows are valid (2 new, 0 revised, 0 unchanged benchmark sets); dry run: nothing written" in (
        result.stderr)
    assert pl.digest() == before
    pl.ok("benchmark", "import", str(REAL), actor="pat")
    after = pl.digest()
    refused(pl("benchmark", "import", str(REAL), actor="pat"), 1, "the file was imported already")
    assert pl.digest() == after


def test_only_administrators_and_performance_support_import_or_define(pl: Perfledger) -> None:
    before = pl.digest()
    refused(pl("benchmark", "import", str(REAL), actor="vic"), 1,
            "vic may not import benchmarks: it needs one of the roles administrator, performance-support")
    only_the_refusal_was_recorded(pl, before, "vic", "benchmark import", "permission")
    before = pl.digest()
    refused(pl("comparator", "group", "add", "Mine", "--areas", "A,B", actor="vic"), 1,
            "vic may not define or change comparator groups")
    only_the_refusal_was_recorded(pl, before, "vic", "comparator group add", "permission")


def test_a_group_s_membership_is_versioned_and_readable_as_at_any_date(pl: Perfledger) -> None:
    before = moment(pl)
    refused(pl("comparator", "group", "change", GROUP, "--areas", AREAS, "--reason", "same", actor="pat"), 1,
            "already has exactly these areas")
    pl.ok("comparator", "group", "change", GROUP, "--areas", AREAS + ",Wirral,Sefton", "--reason",
          "the whole city region", actor="pat")
    now = json.loads(pl.ok("comparator", "group", "show", GROUP, "--format", "json", actor="vic").stdout)
    assert (now["membership"], now["areas"][-2:], now["own"]) == (2, ["Wirral", "Sefton"], "Halton")
    assert [h["membership"] for h in now["history"]] == [1, 2]
    then = json.loads(pl.ok("comparator", "group", "show", GROUP, "--as-at", before, "--format", "json",
                            actor="vic").stdout)
    assert (then["membership"], len(then["areas"])) == (1, 7)
    [group] = json.loads(pl.ok("comparator", "group", "list", "--format", "json", actor="vic").stdout)
    assert len(group["areas"]) == 9
    refused(pl("comparator", "group", "add", GROUP, "--areas", "A,B", actor="pat"), 1, "is defined already")
    refused(pl("comparator", "group", "add", "One", "--areas", "Halton", actor="pat"), 1, "at least two areas")
