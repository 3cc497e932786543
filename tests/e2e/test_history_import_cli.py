"""``return import --history``, and ``--dry-run`` refusing what the real import refuses, on both backends
(issue 18, items 3 and 8)."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

import pytest

from tests.e2e.harness import Perfledger, partnership

HEADER = "indicator,period,value,numerator,denominator,status,commentary,source\n"


def build(url: str) -> Perfledger:
    """The partnership (NI 192 and NI 154, registered today), a 2008/09-Q2 return and a closed Q1."""
    p = partnership(url)
    p.ok("people", "add", "carol", "--role", "data-quality-officer")
    p.ok("people", "add", "ian", "--role", "improvement-manager")
    p.ok("return", "submit", "NI 192", "2008/09-Q3", "41", actor="bob")
    p.ok("return", "submit", "NI 192", "2008/09-Q4", "42", actor="bob")
    p.ok("query", "raise", "NI 192", "2008/09-Q4", "--note", "Tonnage?", actor="carol")
    p.ok("period", "close", "2008/09-Q1")
    p.ok("designate", "NI 154", "--as", "improvement-manager", "--name", "ian")
    return p


@pytest.fixture
def pl(clone_of: Callable[[Callable[[str], Perfledger]], Perfledger]) -> Perfledger:
    return clone_of(build)


def write(tmp_path: Path, name: str, rows: str, header: str = HEADER) -> str:
    file = tmp_path / name
    file.write_text(header + rows)
    return str(file)


def review(pl: Perfledger) -> dict[str, dict[str, object]]:
    data = json.loads(pl.ok("report", "data-quality", "--year", "2008/09", "--format", "json").stdout)
    return {d["dimension"]: d for d in data["dimensions"]}


def test_history_is_recorded_with_its_source_date_and_never_late(pl: Perfledger, tmp_path: Path) -> None:
    file = write(tmp_path, "back.csv", "NI 192,2008/09-Q2,38.1,,,final,,WasteDataFlow\nNI 154,2008/09-Q2,120,,,,,\n")
    done = pl.ok("return", "import", file, "--history", "--source-date", "2009-06-30")
    assert "imported 2 rows from back.csv as history (from a record dated 2009-06-30) (2 new" in done.stderr
    trail = json.loads(pl.ok("audit", "trail", "--period", "2008/09-Q2", "--format", "json").stdout)
    marked = [(e["event"], e["indicator"]) for e in trail if e["event"] == "Return.RecordedAsHistory"]
    assert marked == [("Return.RecordedAsHistory", "NI 192"), ("Return.RecordedAsHistory", "NI 154")]
    assert all("2009-06-30" in e["detail"] for e in trail if e["event"] == "Return.RecordedAsHistory")
    dims = review(pl)
    measures = {m["measure"]: m["value"] for m in dims["timeliness"]["measures"]}  # type: ignore[attr-defined]
    assert (measures["returns received late"], measures["returns imported as history"]) == (2, 2)  # Q3, Q4
    history = [e for e in dims["timeliness"]["exceptions"]  # type: ignore[attr-defined]
               if e["exception"].startswith("imported as history")]
    assert [(e["indicator"], e["period"]) for e in history] == [("NI 154", "2008/09-Q2"), ("NI 192", "2008/09-Q2")]
    rag = json.loads(pl.ok("report", "rag", "--period", "2008/09-Q2", "--format", "json").stdout)
    assert {r["indicator"]: "late" in r["data_quality"] for r in rag["rows"]} == {"NI 154": False, "NI 192": False}
    out = tmp_path / "pack"
    pl.ok("audit", "evidence", "--year", "2008/09", "--output", str(out))
    with (out / "returns.csv").open(newline="", encoding="utf-8") as handle:
        rows = {(r["indicator"], r["period"]): r for r in csv.DictReader(handle)}
    assert (rows[("NI 192", "2008/09-Q2")]["history"], rows[("NI 192", "2008/09-Q2")]["on_time"]) == (
        "2009-06-30", "")
    assert (rows[("NI 192", "2008/09-Q3")]["history"], rows[("NI 192", "2008/09-Q3")]["on_time"]) == ("", "false")
    with (out / "controls.csv").open(newline="", encoding="utf-8") as handle:
        summary = {r["measure"]: r["value"] for r in csv.DictReader(handle)}
    assert (summary["returns received on time"], summary["returns received late"],
            summary["returns imported as history"]) == ("0", "2", "2")


def test_a_revision_of_history_keeps_it_history(pl: Perfledger, tmp_path: Path) -> None:
    pl.ok("return", "import", write(tmp_path, "back.csv", "NI 192,2008/09-Q2,38.1,,,,,\n"), "--history",
          "--source-date", "2009-06-30")
    pl.ok("return", "submit", "NI 192", "2008/09-Q2", "38.2", "--reason", "typo", actor="bob")
    rag = json.loads(pl.ok("report", "rag", "--period", "2008/09-Q2", "--format", "json").stdout)
    assert {r["indicator"]: r["data_quality"] for r in rag["rows"]}["NI 192"] == []


TOMORROW = (date.today() + timedelta(days=2)).isoformat()


@pytest.mark.parametrize(("rows", "args", "actor", "code", "fragment"), [
    ("NI 192,2008/09-Q3,41.5,,,,,\n", ["--history", "--source-date", "2009-06-30"], "alice", 1,
     "row 2, period: NI 192 2008/09-Q3 already has a return (41): a history import only adds returns"),
    ("NI 192,2008/09-Q3,41,,,,,\n", ["--history", "--source-date", "2009-06-30"], "alice", 1,
     "the file was imported already"),
    ("NI 154,2008/09-Q3,100,,,,,\n", ["--history", "--source-date", "2008-12-01"], "alice", 1,
     "row 2, period: 2008/09-Q3 had not ended by the source date 2008-12-01"),
    ("NI 154,2008/09-Q3,100,,,,,\n", ["--history", "--source-date", TOMORROW], "alice", 1,
     f"--source-date {TOMORROW} is after today"),
    ("NI 154,2008/09-Q3,100,,,,,\n", ["--history"], "alice", 2, "--history and --source-date DATE go together"),
    ("NI 154,2008/09-Q3,100,,,,,\n", ["--source-date", "2009-06-30"], "alice", 2, "go together"),
    ("NI 154,2008/09-Q3,100,,,,,\n", ["--history", "--source-date", "30/06/2009"], "alice", 2, "30/06/2009"),
])
def test_history_refusals_write_nothing(pl: Perfledger, tmp_path: Path, rows: str, args: list[str], actor: str,
                                        code: int, fragment: str) -> None:
    file = write(tmp_path, "back.csv", rows)
    before = pl.digest()
    for dry in ([], ["--dry-run"]):
        result = pl("return", "import", file, *args, *dry, actor=actor)
        assert result.exit_code == code, (result.exit_code, result.stderr)
        assert fragment in result.stderr.strip().splitlines()[-1] or fragment in result.stderr, result.stderr
        assert "Traceback" not in result.output
    assert pl.digest() == before


# Every refusal of the real import, from the file's reading to the last check before writing.
REFUSALS = {
    "unknown indicator": ("NI 999,2008/09-Q3,1,,,,,\n", "bob"),
    "bad value": ("NI 192,2008/09-Q2,abc,,,,,\n", "bob"),
    "revision without a reason": ("NI 192,2008/09-Q3,41.5,,,,,\n", "bob"),
    "imported already": ("NI 192,2008/09-Q3,41,,,,,\nNI 192,2008/09-Q4,42,,,,,\n", "bob"),
    "a revision that changes nothing": ("indicator,period,value,reason\nNI 192,2008/09-Q3,41,recount\n", "bob"),
    "final with an open query": ("NI 192,2008/09-Q4,42.5,,,final,,\n", "bob"),
    "closed period": ("NI 192,2008/09-Q1,40,,,,,\n", "bob"),
    "a row twice": ("NI 192,2008/09-Q2,40,,,,,\nNI 192,2008/09-Q2,40,,,,,\n", "bob"),
    "no rows": ("", "bob"),
    "not designated": ("NI 154,2008/09-Q3,100,,,,,\n", "bob"),
    "no permission": ("NI 192,2008/09-Q2,40,,,,,\n", "vic"),
}


@pytest.mark.parametrize("case", list(REFUSALS))
def test_a_dry_run_refuses_what_the_import_refuses_and_writes_nothing(pl: Perfledger, tmp_path: Path,
                                                                        case: str) -> None:
    rows, actor = REFUSALS[case]
    file = write(tmp_path, "file.csv", rows, header="" if rows.startswith("indicator,") else HEADER)
    before = pl.digest()
    dry = pl("return", "import", file, "--dry-run", actor=actor)
    assert pl.digest() == before, "a dry run wrote something"
    real = pl("return", "import", file, actor=actor)
    assert (dry.exit_code, dry.stderr) == (real.exit_code, real.stderr)
    assert real.exit_code == 1, real.stderr
    assert "Traceback" not in dry.output
    last = real.stderr.strip().splitlines()[-1]
    assert last.startswith("error: ")
    trail = json.loads(pl.ok("audit", "trail", "--format", "json").stdout)
    assert all(e["event"] == "Refusal.Recorded" for e in trail if e["position"] > int(before.split(":")[0]))


def test_a_valid_file_dry_runs_to_the_counts_it_imports(pl: Perfledger, tmp_path: Path) -> None:
    file = write(tmp_path, "back.csv", "NI 192,2008/09-Q2,38.1,,,,,\nNI 154,2008/09-Q2,120,,,,,\n")
    before = pl.digest()
    dry = pl.ok("return", "import", file, "--history", "--source-date", "2009-06-30", "--dry-run")
    assert "2 rows are valid as history (from a record dated 2009-06-30) (2 new, 0 revisions); dry run" in dry.stderr
    assert pl.digest() == before
    listed = list(csv.DictReader(io.StringIO(pl.ok("return", "list", "NI 192", "--format", "csv").stdout)))
    assert "2008/09-Q2" not in [r["period"] for r in listed]
