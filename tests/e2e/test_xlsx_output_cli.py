"""Every read that gives CSV also gives an Excel workbook (issue 14, item 2; issue 18, item 7):
`--format xlsx --output FILE`, numbers as numbers, dates as dates, formula-like text neutralised."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from typing import Any

import click
import pytest
from openpyxl import load_workbook

from commands.cli import cli
from tests.e2e.harness import EVIDENCE, Perfledger, adjusting_partnership, refused


def offering_csv(command: click.Command, path: list[str]) -> list[tuple[str, list[str]]]:
    if isinstance(command, click.Group):
        return [found for name, sub in command.commands.items() for found in offering_csv(sub, [*path, name])]
    fmt = next((p for p in command.params if p.name == "fmt"), None)
    if fmt is None or not isinstance(fmt.type, click.Choice):
        return []
    return [(" ".join(path), list(fmt.type.choices))] if "csv" in fmt.type.choices else []


def ledger_of_everything(url: str) -> Perfledger:
    p = adjusting_partnership(url)
    p.ok("return", "submit", "NI 192", "2008/09-Q3", "39.50", "--reason", "recount",
         "--commentary", "=HYPERLINK(\"http://x\")", actor="bob")
    p.ok("target", "set", "NI 192", "2008/09-Q3", "40", "--monitoring-level", "30", "--reason", "LAA")
    p.ok("ladder", "use", "halton", actor="pat")
    p.ok("escalation", "raise", "NI 192", "--stage", "1", "--note", "below target", actor="pat")
    p.ok("adjust", "request", "NI 192", "2008/09-Q1", "36.80", *EVIDENCE, actor="bob")
    p.ok("query", "raise", "NI 192", "2008/09-Q3", "--note", "check tonnage", actor="carol")
    p.ok("people", "add", "dave", "--role", "auditor")
    p.ok("indicator", "register", "NI 8", "--title", "Adults in sport", "--unit", "percent", "--polarity",
         "higher", "--frequency", "annual")
    p.ok("milestone", "add", "NI 8", "--title", "Survey commissioned", "--due", "2008-09-30")
    p.ok("risk", "add", "CR 01", "--title", "The waste contractor fails", "--register", "service", "--owner",
         "bob", "--indicator", "NI 192", actor="pat")
    p.ok("risk", "assess", "CR 01", "--likelihood", "4", "--impact", "3", "--note", "contract review", actor="bob")
    p.ok("plan", "add", "CP", "--title", "Corporate Plan", "--kind", "corporate", "--from", "2008/09", "--until",
         "2010/11")
    p.ok("priority", "add", "P1", "--plan", "CP", "--title", "Greener", "--theme", "Environment")
    p.ok("priority", "link", "P1", "--indicator", "NI 192")
    p.ok("agreement", "add", "LAA", "--title", "LAA", "--body", "PSG", "--member", "pat", "--member", "alice",
         "--from", "2009/10", "--until", "2010/11", "--indicator", "NI 8")
    return p


@pytest.fixture
def pl(clone_of: Callable[[Callable[[str], Perfledger]], Perfledger]) -> Perfledger:
    return clone_of(ledger_of_everything)


def arguments(pl: Perfledger) -> dict[str, list[str]]:
    adjustment = json.loads(pl.ok("adjust", "list", "--format", "json").stdout)[0]["id"]
    case = json.loads(pl.ok("escalation", "list", "--format", "json").stdout)[0]["id"]
    return {
        "adjust show": [adjustment], "escalation show": [case], "indicator show": ["NI 192"],
        "return list": ["NI 192"], "target list": ["NI 192"], "audit sample": ["--year", "2008/09", "--size", "2"],
        "report rag": ["--period", "2008/09-Q3"], "report diff": ["--from", "2008-01-01", "--to", "2026-01-01"],
        "report data-quality": ["--year", "2008/09"], "risk show": ["CR 01"], "plan show": ["CP"],
        "agreement show": ["LAA"], "contribution list": ["NI 192"], "report benchmarking": ["--period", "2008/09-Q3"],
    }


def sheet_rows(path: Path) -> list[list[Any]]:
    book = load_workbook(path)
    return [list(row) for row in book.worksheets[0].iter_rows(values_only=True)]


def test_every_read_that_gives_csv_gives_a_workbook(pl: Perfledger, tmp_path: Path) -> None:
    offered = offering_csv(cli, [])
    assert len(offered) >= 20
    assert [name for name, choices in offered if "xlsx" not in choices] == []
    extra = arguments(pl)
    for name, _ in offered:
        file = tmp_path / (name.replace(" ", "-") + ".xlsx")
        actor = "dave" if name == "audit sample" else "alice"
        result = pl.ok(*name.split(), *extra.get(name, []), "--format", "xlsx", "--output", str(file), actor=actor)
        assert result.stdout == "", name
        rows = sheet_rows(file)
        assert rows[0], name  # a header row
        assert all(isinstance(h, str) for h in rows[0]), name


def test_numbers_are_numbers_dates_are_dates_and_formulas_are_text(pl: Perfledger, tmp_path: Path) -> None:
    file = tmp_path / "returns.xlsx"
    pl.ok("return", "list", "NI 192", "--format", "xlsx", "--output", str(file))
    header, *rows = sheet_rows(file)
    row = dict(zip(header, next(r for r in rows if r[header.index("period")] == "2008/09-Q3"), strict=True))
    assert row["value"] == 39.5
    assert isinstance(row["recorded_at"], datetime)
    assert row["commentary"] == "'=HYPERLINK(\"http://x\")"
    cell = load_workbook(file).worksheets[0].cell(row=rows.index(next(
        r for r in rows if r[header.index("period")] == "2008/09-Q3")) + 2, column=header.index("commentary") + 1)
    assert cell.data_type == "s"
    due = tmp_path / "due.xlsx"
    pl.ok("return", "due", "--as-at", "2027-06-01", "--format", "xlsx", "--output", str(due), actor="bob")
    header, *rows = sheet_rows(due)
    assert rows
    assert all(isinstance(r[header.index("due")], datetime | date) for r in rows)
    assert all(isinstance(r[header.index("days_overdue")], int) for r in rows)


def test_a_workbook_needs_an_output_file_and_a_bad_one_writes_nothing(pl: Perfledger, tmp_path: Path) -> None:
    refused(pl("return", "list", "NI 192", "--format", "xlsx"), 2, "--format xlsx writes a workbook: give --output")
    before = pl.digest()
    refused(pl("audit", "sample", "--year", "2008/09", "--size", "1", "--format", "xlsx", "--output",
               str(tmp_path / "nodir" / "s.xlsx"), actor="dave"), 1, "no folder")
    assert pl.digest() == before  # refused before the sample was drawn and recorded
    file = tmp_path / "list.xlsx"
    file.write_bytes(b"mine")
    refused(pl("return", "list", "NI 192", "--format", "xlsx", "--output", str(file)), 1, "exists")
    assert file.read_bytes() == b"mine"


def test_an_issued_rag_workbook_is_proven_and_regenerates_byte_for_byte(pl: Perfledger, tmp_path: Path) -> None:
    when = datetime.now().astimezone().isoformat()
    first, second = tmp_path / "rag.xlsx", tmp_path / "again.xlsx"
    pl.ok("report", "rag", "--period", "2008/09-Q3", "--as-at", when, "--format", "xlsx", "--issue",
          "--output", str(first), actor="pat")
    pl.ok("report", "rag", "--period", "2008/09-Q3", "--as-at", when, "--format", "xlsx",
          "--output", str(second), actor="pat")
    assert first.read_bytes() == second.read_bytes()
    assert pl.ok("report", "verify", str(first)).stdout.startswith("genuine: ")
    sheets = load_workbook(first).sheetnames
    assert sheets == ["RAG 2008-09-Q3", "Restatements", "Major obstacles", "Basis"]
