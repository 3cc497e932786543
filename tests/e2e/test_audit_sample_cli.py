"""audit qualify / sample / samples through the command line, on both backends; the auditor's limits."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest

from tests.e2e.harness import Perfledger, only_the_refusal_was_recorded, refused


def build_pl(store_url: str) -> Perfledger:
    p = Perfledger(store_url)
    p.ok("init", "--admin", "alice")
    for name, role in (("bob", "improvement-manager"), ("carol", "data-quality-officer"),
                       ("pat", "performance-support"), ("vic", "viewer"), ("dave", "auditor")):
        p.ok("people", "add", name, "--role", role)
    for code in ("NI 192", "NI 154"):
        p.ok("indicator", "register", code, "--title", "t", "--unit", "number", "--polarity", "higher",
             "--frequency", "quarterly")
        for quarter in ("Q1", "Q2", "Q3", "Q4"):
            p.ok("return", "submit", code, f"2008/09-{quarter}", "10", actor="bob")
    return p


@pytest.fixture
def pl(clone_of: Callable[[Callable[[str], Perfledger]], Perfledger]) -> Perfledger:
    return clone_of(build_pl)


def sample(pl: Perfledger, *args: str) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = json.loads(pl.ok("audit", "sample", "--year", "2008/09", *args, "--format", "json",
                            actor="dave").stdout)
    return found


def test_qualify_then_draw_check_and_list(pl: Perfledger) -> None:
    result = pl.ok("audit", "qualify", "NI 192", "2008/09", "--reason", "Estimates unsupported", actor="dave")
    assert "NI 192 2008/09: qualified" in result.stderr
    drawn = sample(pl, "--size", "3", "--seed", "visit-2009")
    assert len(drawn) == 3
    assert len({d["sample"] for d in drawn}) == 1
    key = drawn[0]["sample"]
    assert [d["rank"] for d in drawn] == [1, 2, 3]
    assert {d["weight"] for d in drawn} <= {3, 5}  # every indicator is new (first data in 2008/09)
    # The same command again is the same draw, recorded once.
    before = pl.digest()
    again = pl.ok("audit", "sample", "--year", "2008/09", "--size", "3", "--seed", "visit-2009", actor="dave")
    assert "already recorded: the same draw" in again.stderr
    assert pl.digest() == before
    # Anyone may check it, after the figures have moved on.
    pl.ok("return", "submit", "NI 154", "2008/09-Q1", "11", "--reason", "late data", actor="bob")
    checked = pl.ok("audit", "sample", "--check", key, actor="vic")
    assert checked.stdout.startswith(f"ok: {key} redrawn identically: 3 of 8 returns for 2008/09")
    listed = json.loads(pl.ok("audit", "samples", "--format", "json").stdout)
    assert [(s["id"], s["year"], s["size"], s["population"], s["seed"], s["qualified"]) for s in listed] == [
        (key, "2008/09", 3, 8, "visit-2009", ["NI 192"])]
    items = json.loads(pl.ok("audit", "samples", "--id", key, "--format", "json").stdout)
    assert [(i["indicator"], i["period"]) for i in items] == [(d["indicator"], d["period"]) for d in drawn]
    qualified = json.loads(pl.ok("audit", "qualifications", "--format", "json").stdout)
    assert [(q["indicator"], q["year"], q["actor"]) for q in qualified] == [("NI 192", "2008/09", "dave")]
    trail = json.loads(pl.ok("audit", "trail", "--actor", "dave", "--format", "json").stdout)
    assert [(t["event"], t["indicator"], t["period"]) for t in trail] == [
        ("Audit.Qualified", "NI 192", "2008/09"), ("Audit.SampleDrawn", None, "2008/09")]


def test_the_default_seed_is_the_digest_at_the_draw(pl: Perfledger) -> None:
    head = pl.digest().split(":")
    drawn = sample(pl, "--size", "2")
    listed = json.loads(pl.ok("audit", "samples", "--format", "json").stdout)
    assert listed[0]["seed"] == f"{head[0]}:{head[1]}"
    assert listed[0]["seed_from_digest"] is True
    assert listed[0]["basis_position"] == int(head[0])
    assert pl.ok("audit", "sample", "--check", drawn[0]["sample"]).stdout.startswith("ok: ")


@pytest.mark.parametrize(
    ("args", "code", "fragment"),
    [
        (["sample", "--year", "2010/11", "--size", "3"], 1, "there are no returns for periods in 2010/11"),
        (["sample", "--year", "2008/09-Q1", "--size", "3"], 2, "is not a financial year"),
        (["sample", "--year", "2008/09", "--size", "0"], 1, "--size 0 is less than 1"),
        (["sample", "--year", "2008/09", "--size", "-2"], 1, "--size -2 is less than 1"),
        (["sample", "--year", "2008/09", "--size", "two"], 2, "'two' is not a valid integer"),
        (["sample", "--size", "3"], 2, "give --year YEAR and --size N"),
        (["sample", "--check", "S-1", "--size", "3"], 2, "--check ID takes no --year"),
        (["sample", "--check", "S-nope"], 1, "unknown sample 'S-nope'"),
        (["sample", "--year", "2008/09", "--size", "2", "--seed", " "], 1, "--seed must not be empty"),
        (["qualify", "NI 999", "2008/09", "--reason", "x"], 1, "unknown indicator 'NI 999'"),
        (["qualify", "NI 192", "2008/09"], 1, "a qualification needs --reason"),
        (["qualify", "NI 192", "2008-04", "--reason", "x"], 2, "is not a financial year"),
        (["samples", "--id", "S-nope"], 1, "unknown sample 'S-nope'"),
    ],
)
def test_bad_input_is_one_line_and_writes_nothing(pl: Perfledger, args: list[str], code: int,
                                                  fragment: str) -> None:
    before = pl.digest()
    refused(pl("audit", *args, actor="dave"), code, fragment)
    assert pl.digest() == before


def test_qualifying_twice_is_refused(pl: Perfledger) -> None:
    pl.ok("audit", "qualify", "NI 192", "2008/09", "--reason", "first", actor="dave")
    before = pl.digest()
    refused(pl("audit", "qualify", "NI 192", "2008/09", "--reason", "second", actor="dave"), 1,
            "NI 192 2008/09 was already qualified by dave (first)")
    assert pl.digest() == before


@pytest.mark.parametrize("who", ["bob", "carol", "alice", "vic", "pat"])
def test_only_auditors_sample_and_qualify(pl: Perfledger, who: str) -> None:
    before = pl.digest()
    refused(pl("audit", "sample", "--year", "2008/09", "--size", "2", actor=who), 1,
            f"{who} may not draw audit samples: it needs the role auditor")
    only_the_refusal_was_recorded(pl, before, who, "audit sample", "permission")
    before = pl.digest()
    refused(pl("audit", "qualify", "NI 192", "2008/09", "--reason", "x", actor=who), 1,
            f"{who} may not qualify an indicator's data: it needs the role auditor")
    only_the_refusal_was_recorded(pl, before, who, "audit qualify", "permission")


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (["return", "submit", "NI 192", "2009/10-Q1", "5"], "dave may not submit returns"),
        (["return", "finalise", "NI 192", "2008/09-Q1"], "dave may not finalise returns"),
        (["adjust", "approve", "A-12345678"], "dave may not approve or reject adjustments"),
        (["adjust", "request", "NI 192", "2008/09-Q1", "11", "--reason", "error-correction",
          "--justification", "x", "--evidence", "y"], "dave may not request adjustments"),
        (["target", "set", "NI 192", "2008/09", "40", "--reason", "x"], "dave may not set targets"),
        (["period", "close", "2008/09-Q1"], "dave may not close periods"),
        (["indicator", "register", "NI 1", "--title", "t", "--unit", "number", "--polarity", "higher",
          "--frequency", "annual"], "dave may not register indicators"),
        (["indicator", "retire", "NI 192", "--reason", "x"], "dave may not retire indicators"),
        (["people", "add", "eve", "--role", "auditor"], "dave may not enrol people"),
        (["rag", "default", "--tolerance", "5", "--reason", "x"], "dave may not set the ledger-wide"),
        (["assess", "NI 192", "2008/09", "--outlook", "likely", "--note", "x"], "dave may not assess"),
        (["projections", "rebuild"], "dave may not rebuild the views"),
    ],
)
def test_an_auditor_changes_nothing_else(pl: Perfledger, args: list[str], fragment: str) -> None:
    before = pl.digest()
    refused(pl(*args, actor="dave"), 1, fragment)
    act = args[0] if args[0] == "assess" else " ".join(args[:2])  # assess is a command, not a group
    only_the_refusal_was_recorded(pl, before, "dave", act, "permission")
