"""designate, ladder and escalation through the command line, on both backends."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import Demo
from tests.e2e.harness import Perfledger, only_the_refusal_was_recorded, refused

LATER = "2099-01-01"  # an as-at after every deadline: overdue is derived, nothing is written


def build_pl(store_url: str) -> Perfledger:
    p = Perfledger(store_url)
    p.ok("init", "--admin", "alice")
    p.ok("people", "add", "bob", "--role", "improvement-manager", "--organisation", "Halton BC")
    p.ok("people", "add", "carol", "--role", "improvement-manager")
    p.ok("people", "add", "lin", "--role", "viewer")
    p.ok("people", "add", "pat", "--role", "performance-support")
    p.ok("indicator", "register", "NI 8", "--title", "Adults in sport", "--unit", "percent",
         "--polarity", "higher", "--frequency", "half-yearly")
    p.ok("designate", "NI 8", "--as", "lead-organisation", "--name", "Sport Halton")
    p.ok("designate", "NI 8", "--as", "lead-officer", "--name", "lin")
    p.ok("designate", "NI 8", "--as", "improvement-manager", "--name", "bob")
    p.ok("target", "set", "NI 8", "2008/09", "50", "--monitoring-level", "45", "--reason", "LAA")
    p.ok("ladder", "use", "halton", actor="pat")
    return p


@pytest.fixture
def pl(clone_of: Callable[[Callable[[str], Perfledger]], Perfledger]) -> Perfledger:
    return clone_of(build_pl)


def cases(pl: Perfledger, *options: str) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = json.loads(pl.ok("escalation", "list", "--format", "json", *options, actor="lin").stdout)
    return found


def test_the_ladder_opens_a_case_that_people_answer_and_reports_show(pl: Perfledger) -> None:
    pl.ok("return", "submit", "NI 8", "2008/09-H1", "40", actor="bob")
    [case] = cases(pl)
    assert {k: case[k] for k in ("indicator", "stage", "status", "raised_by")} == {
        "indicator": "NI 8", "stage": 1, "status": "open", "raised_by": "ladder:halton/1"}
    assert set(case) >= {"id", "opened_at", "due", "trigger"}
    assert [c["status"] for c in cases(pl, "--overdue", "--as-at", LATER)] == ["overdue"]
    assert cases(pl, "--overdue") == []
    pl.ok("return", "submit", "NI 8", "2008/09-H2", "41", actor="bob")
    refused(pl("escalation", "respond", str(case["id"]), "--note", "agreed", actor="lin"), 1,
            "lin may not respond to escalations")
    refused(pl("escalation", "respond", str(case["id"]), "--note", "agreed", actor="bob"), 1,
            "give it with --plan REF")
    pl.ok("escalation", "respond", str(case["id"]), "--note", "agreed", "--plan", "SSP-1", actor="bob")
    shown = json.loads(pl.ok("escalation", "show", str(case["id"]), "--format", "json").stdout)
    assert [(h["action"], h["stage"], h["actor"]) for h in shown["history"]] == [
        ("opened", 1, "ladder:halton/1"), ("advanced", 2, "ladder:halton/1"), ("responded", 2, "bob")]

    args = ("report", "rag", "--period", "2008/09-H2", "--as-at", datetime.now(UTC).isoformat())
    report = json.loads(pl.ok(*args, "--format", "json").stdout)
    assert [r["escalation_stage"] for r in report["rows"]] == [2]
    assert [(o["indicator"], o["stage"], o["why"]) for o in report["major_obstacles"]] == [
        ("NI 8", 2, "stage 2")]
    for fmt in ("table", "json", "html"):
        first = pl.ok(*args, "--format", fmt).stdout
        assert first == pl.ok(*args, "--format", fmt).stdout
        assert "Major obstacles" in first or fmt == "json"
    pl.ok("escalation", "close", str(case["id"]), "--note", "the PSG takes it over", actor="pat")
    assert cases(pl, "--open") == []
    refused(pl("escalation", "respond", str(case["id"]), "--note", "late", "--plan", "x", actor="bob"), 1,
            "is closed: there is nothing to respond to")


def test_only_the_designated_improvement_manager_submits(pl: Perfledger, tmp_path: Path) -> None:
    before = pl.digest()
    refused(pl("return", "submit", "NI 8", "2008/09-H1", "40", actor="carol"), 1,
            "carol may not submit returns for NI 8: only its designated improvement-manager (bob)")
    only_the_refusal_was_recorded(pl, before, "carol", "return submit", "designation")
    rows = tmp_path / "returns.csv"
    rows.write_text("indicator,period,value\nNI 8,2008/09-H1,40\nNI 8,2008/09-H2,41\n", encoding="utf-8")
    before = pl.digest()
    refused(pl("return", "import", str(rows), actor="carol"), 1,
            "row 2: carol may not import returns for NI 8")
    only_the_refusal_was_recorded(pl, before, "carol", "return import", "designation")
    pl.ok("return", "import", str(rows), actor="bob")
    assert [c["stage"] for c in cases(pl)] == [2]


def test_indicator_show_as_at_names_who_held_each_designation_then(pl: Perfledger) -> None:
    then = json.loads(pl.ok("indicator", "show", "NI 8", "--format", "json").stdout)
    pl.ok("designate", "NI 8", "--as", "improvement-manager", "--name", "carol", "--reason", "bob moved")
    trail = json.loads(pl.ok("audit", "trail", "--indicator", "NI 8", "--format", "json").stdout)
    moment = trail[-2]["recorded_at"]
    old = json.loads(pl.ok("indicator", "show", "NI 8", "--as-at", moment, "--format", "json").stdout)
    new = json.loads(pl.ok("indicator", "show", "NI 8", "--format", "json").stdout)
    held = lambda record: {(d["role"], d["name"]) for d in record["designations"]}  # noqa: E731
    assert ("improvement-manager", "bob") in held(then)
    assert ("improvement-manager", "bob") in held(old)
    assert ("improvement-manager", "carol") in held(new)
    assert ("improvement-manager", "bob") not in held(new)
    assert [d["reason"] for d in new["designations"] if d["name"] == "carol"] == ["bob moved"]


@pytest.mark.parametrize(("args", "fragment"), [
    (["designate", "NI 8", "--as", "chief", "--name", "x"], "unknown designation 'chief'"),
    (["designate", "NI 8", "--as", "director", "--name", "zed"], "zed is not on the roster"),
    (["designate", "NI 8", "--as", "improvement-manager", "--name", "carol"],
     "replacing them needs --reason"),
    (["designate", "NI 9", "--as", "contributor", "--name", "x"], "unknown indicator 'NI 9'"),
    (["escalation", "raise", "NI 8", "--stage", "4", "--note", "x"], "stage 4 is beyond the halton ladder"),
    (["escalation", "respond", "E-00000000", "--note", "x"], "unknown escalation 'E-00000000'"),
    (["ladder", "use", "nowhere"], "no ladder 'nowhere'"),
])
def test_bad_input_is_one_line_exit_1_and_writes_nothing(pl: Perfledger, args: list[str],
                                                          fragment: str) -> None:
    before = pl.digest()
    refused(pl(*args), 1, fragment)
    assert pl.digest() == before


@pytest.mark.parametrize(("text", "fragment"), [
    ("name = [", "ladder.toml is not valid TOML"),
    ('name = "county"\n[[stage]]\nresponder = "a"\nwithin_months = 3\n', "stage 1 has no trigger"),
    ('name = "county"\n[[stage]]\ntrigger = "missed"\nresponder = "a"\n', "stage 1 has no deadline"),
])
def test_a_ladder_file_that_does_not_parse_or_has_gaps_is_refused(pl: Perfledger, tmp_path: Path,
                                                                  text: str, fragment: str) -> None:
    path = tmp_path / "ladder.toml"
    path.write_text(text, encoding="utf-8")
    before = pl.digest()
    refused(pl("ladder", "use", str(path)), 1, fragment)
    assert pl.digest() == before


def test_a_ladder_file_is_put_in_force(pl: Perfledger, tmp_path: Path) -> None:
    path = tmp_path / "county.toml"
    path.write_text('name = "county"\nversion = 3\n[[stage]]\ntrigger = "missed"\n'
                    'responder = "improvement-manager"\nwithin_months = 2\n', encoding="utf-8")
    result = pl.ok("ladder", "use", str(path), actor="pat")
    assert "ladder county/3 in force (1 stages)" in result.stderr
    shown = json.loads(pl.ok("ladder", "show", "--format", "json").stdout)
    assert (shown["name"], shown["version"], shown["stages"][0]["within_months"]) == ("county", 3, 2)
    pl.ok("return", "submit", "NI 8", "2008/09-H1", "40", actor="bob")
    assert [(c["raised_by"], c["stage"]) for c in cases(pl)] == [("ladder:county/3", 1)]


def test_a_rerun_of_the_ladder_records_nothing_twice(pl: Perfledger) -> None:
    pl.ok("return", "submit", "NI 8", "2008/09-H1", "40", actor="bob")
    before = pl.digest()
    assert "0 decision(s) recorded" in pl.ok("ladder", "review", actor="pat").stderr
    assert "0 decision(s) recorded" in pl.ok("ladder", "review", "NI 8", actor="pat").stderr
    assert pl.digest() == before
    refused(pl("ladder", "review", "NI 9", actor="pat"), 1, "unknown indicator 'NI 9'")
    refused(pl("ladder", "review", actor="bob"), 1, "bob may not choose the ladder of intervention")


def test_the_evidence_pack_counts_overdue_escalations(pl: Perfledger, tmp_path: Path) -> None:
    pl.ok("return", "submit", "NI 8", "2008/09-H1", "40", actor="bob")
    pl.ok("return", "submit", "NI 8", "2008/09-H2", "41", actor="bob")
    out = tmp_path / "pack"
    pl.ok("audit", "evidence", "--year", "2008/09", "--output", str(out), actor="lin")
    summary = {r.split(",")[1]: r.split(",")[2] for r in
               (out / "controls.csv").read_text(encoding="utf-8").splitlines()[1:]}
    assert summary["escalations open"] == "1"
    assert summary["escalations at stage 2 or above"] == "1"
    assert summary["overdue escalations"] == "0"  # the deadline is three months from today


def test_the_demo_designates_everyone_and_climbs_the_ladder(demo_sqlite: Demo) -> None:
    from policies.designation import ROLES

    demo = Perfledger(demo_sqlite.url)
    indicators = json.loads(demo.ok("indicator", "list", "--format", "json", actor="demo-user").stdout)
    for code in [i["code"] for i in indicators]:
        shown = json.loads(demo.ok("indicator", "show", code, "--format", "json", actor="demo-user").stdout)
        held = {d["role"] for d in shown["designations"]}
        assert held | {"director", "oversight-director"} == set(ROLES), (code, held)
        assert held & {"director", "oversight-director"}, code
    found = json.loads(demo.ok("escalation", "list", "--format", "json", actor="demo-user").stdout)
    climbed = [c for c in found if c["stage"] >= 2 and c["raised_by"] == "ladder:halton/1"]
    assert climbed, found
    history = json.loads(demo.ok("escalation", "show", str(climbed[0]["id"]), "--format", "json",
                                 actor="demo-user").stdout)["history"]
    assert [h["action"] for h in history][:3] == ["opened", "responded", "advanced"]


def test_a_refusal_names_only_designated_people_who_may_respond(pl: Perfledger) -> None:
    pl.ok("return", "submit", "NI 8", "2008/09-H1", "40", actor="bob")
    [case] = cases(pl)
    result = pl("escalation", "respond", str(case["id"]), "--note", "x", actor="carol")
    refused(result, 1, "only its designated people (bob), performance support or an administrator may")
    assert "lin" not in result.stderr  # the designated lead officer is a viewer: naming her would mislead
    # An indicator whose only designee in person cannot respond: the role table decides.
    pl.ok("indicator", "register", "NI 9", "--title", "Volunteering", "--unit", "percent",
          "--polarity", "higher", "--frequency", "half-yearly")
    pl.ok("designate", "NI 9", "--as", "lead-officer", "--name", "lin")
    pl.ok("target", "set", "NI 9", "2008/09", "50", "--monitoring-level", "45", "--reason", "LAA")
    pl.ok("return", "submit", "NI 9", "2008/09-H1", "40", actor="carol")
    [other] = [c for c in cases(pl) if c["indicator"] == "NI 9"]
    pl.ok("escalation", "respond", str(other["id"]), "--note", "the partnership has a plan", actor="carol")


def test_postgresql_without_its_driver_is_one_line(monkeypatch: pytest.MonkeyPatch) -> None:
    import sys

    from click.testing import CliRunner

    from commands.cli import cli

    monkeypatch.setitem(sys.modules, "psycopg", None)  # as if the postgres extra were not installed
    result = CliRunner().invoke(cli, ["--db", "postgresql://x@localhost:1/db", "--actor", "x", "report", "rag"])
    assert result.exit_code == 1
    assert result.stderr.strip().splitlines() == [
        "error: PostgreSQL needs its driver, psycopg, which is not installed: pip install 'perfledger[postgres]' "
        "(from a checkout: pip install -e '.[postgres]')"]
