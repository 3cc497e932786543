"""The command line end to end, on both backends: outputs, exit codes, one-line refusals."""

from __future__ import annotations

import json
import shutil
import sqlite3
import stat
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner

from commands.cli import cli
from ledger.app import LedgerApp
from tests.conftest import Demo
from tests.e2e.harness import Perfledger, only_the_refusal_was_recorded, partnership, refused


def build_pl(store_url: str) -> Perfledger:
    return partnership(store_url)


@pytest.fixture
def pl(clone_of: Callable[[Callable[[str], Perfledger]], Perfledger]) -> Perfledger:
    return clone_of(build_pl)


def test_a_first_session(pl: Perfledger) -> None:
    pl.ok("return", "submit", "NI 192", "2008/09-Q1", "54.34", "--numerator", "5434",
          "--denominator", "10000", actor="bob")
    pl.ok("return", "submit", "NI 192", "2008/09-Q1", "55", "--reason", "late data", actor="bob")
    pl.ok("return", "finalise", "NI 192", "2008/09-Q1", actor="bob")
    listed = json.loads(pl.ok("return", "list", "NI 192", "--format", "json", actor="vic").stdout)
    assert [(r["period"], r["value"], r["status"], r["version"]) for r in listed] == [
        ("2008/09-Q1", "55", "final", 3)
    ]
    trail = json.loads(pl.ok("audit", "trail", "--indicator", "NI 192", "--format", "json").stdout)
    assert [r["event"] for r in trail] == [
        "Indicator.Registered", "Return.Submitted", "Return.Revised", "Return.Finalised"
    ]
    revised = trail[2]
    assert (revised["actor"], revised["reason"], revised["before"], revised["after"]) == (
        "bob", "late data", "54.34 (5434/10000)", "55"
    )
    for row in trail:
        assert {"position", "recorded_at", "actor", "event", "indicator", "period", "reason"} <= set(row)
    verified = pl.ok("audit", "verify", "--digest", pl.digest())
    assert verified.stdout.startswith("ok: ")


def test_init_is_idempotent_and_says_so(pl: Perfledger) -> None:
    before = pl.digest()
    result = pl.ok("init", "--admin", "mallory")
    assert "already initialised" in result.stderr
    assert pl.digest() == before


def test_people_list_shows_roles(pl: Perfledger) -> None:
    rows = json.loads(pl.ok("people", "list", "--format", "json").stdout)
    assert {"name": "bob", "organisation": "Halton BC", "roles": ["improvement-manager"]} in rows


def test_csv_output_has_a_header(pl: Perfledger) -> None:
    lines = pl.ok("indicator", "list", "--format", "csv").stdout.splitlines()
    assert lines[0] == "code,title,unit,polarity,frequency,revision,retired"
    assert lines[1].startswith("NI 154,")


@pytest.mark.parametrize(
    ("args", "code", "fragment"),
    [
        (["return", "submit", "NI 999", "2008/09-Q1", "5"], 1, "unknown indicator 'NI 999'"),
        (["return", "submit", "NI 192", "2008-Q1", "5"], 2, "malformed period '2008-Q1'"),
        (["return", "submit", "NI 192", "2008-05", "5"], 1, "a quarterly indicator takes quarters"),
        (["return", "submit", "NI 192", "2008/09-Q1", "lots"], 2, "is not a decimal number"),
        (["return", "submit", "NI 192", "2008/09-Q1", "101"], 1, "within 0-100"),
        (["return", "submit", "NI 154", "2008/09-Q1", "2.5"], 1, "not a count"),
        (["return", "submit", "NI 154", "2008/09-Q1", "-1"], 1, "not a count"),
        (["return", "submit", "NI 192", "2008/09-Q1", "60", "--numerator", "120", "--denominator", "100"],
         1, "above its denominator"),
        (["return", "submit", "NI 192", "2008/09-Q1", "60", "--numerator", "50", "--denominator", "100"],
         1, "does not match"),
        (["indicator", "register", "NI 192", "--title", "x", "--unit", "percent", "--polarity", "higher",
          "--frequency", "quarterly"], 1, "already registered"),
        (["indicator", "register", "NI 1", "--title", "x", "--unit", "pct", "--polarity", "higher",
          "--frequency", "quarterly"], 2, "unknown unit 'pct'"),
        (["people", "revoke", "bob", "--role", "viewer", "--reason", "x"], 1, "does not hold the role"),
        (["audit", "verify", "--digest", "12:zz"], 2, "malformed digest"),
    ],
)
def test_bad_input_is_refused_in_one_line_and_nothing_is_written(
    pl: Perfledger, args: list[str], code: int, fragment: str
) -> None:
    before = pl.digest()
    refused(pl(*args), code, fragment)
    assert pl.digest() == before


@pytest.mark.parametrize(
    ("actor", "args", "fragment"),
    [
        ("mallory", ["indicator", "register", "NI 1", "--title", "T", "--unit", "count", "--polarity", "higher",
                     "--frequency", "annual"], "mallory is not on the roster"),
        ("vic", ["return", "submit", "NI 192", "2008/09-Q1", "50"], "vic may not submit returns"),
        ("vic", ["return", "submit", "NI 192", "2008/09-Q1", "50"],
         "it needs one of the roles administrator, improvement-manager, performance-support "
         "(vic holds viewer)"),
        ("bob", ["people", "add", "eve", "--role", "administrator"],
         "bob may not enrol people or revoke roles: it needs the role administrator "
         "(bob holds improvement-manager)"),
        ("bob", ["indicator", "retire", "NI 192", "--reason", "x"], "bob may not retire indicators"),
        ("bob", ["indicator", "retire", "NI 192", "--reason", "x"], "it needs the role administrator"),
        ("vic", ["projections", "rebuild"], "vic may not rebuild the views: it needs the role administrator"),
        ("bob", ["projections", "rebuild"], "bob may not rebuild the views"),
    ],
)
def test_no_permission_changes_no_figure_and_the_attempt_is_recorded(
        pl: Perfledger, actor: str, args: list[str], fragment: str) -> None:
    before = pl.digest()
    refused(pl(*args, actor=actor), 1, fragment)
    only_the_refusal_was_recorded(pl, before, actor, " ".join(args[:2]), "permission")


class TestTheLastAdministrator:
    def test_may_not_revoke_their_own_administrator_role(self, pl: Perfledger) -> None:
        before = pl.digest()
        refused(pl("people", "revoke", "alice", "--role", "administrator", "--reason", "leaving"), 1,
                "alice is the last administrator: revoking it would leave the ledger with no administrator; "
                "enrol another administrator first")
        assert pl.digest() == before
        roles = json.loads(pl.ok("people", "list", "--format", "json").stdout)
        assert {"name": "alice", "organisation": None, "roles": ["administrator"]} in roles

    def test_nor_can_another_administrator_revoke_the_last_one(self, pl: Perfledger) -> None:
        pl.ok("people", "add", "erin", "--role", "administrator")
        pl.ok("people", "revoke", "alice", "--role", "administrator", "--reason", "handed over to erin")
        before = pl.ok("audit", "digest", actor="erin").stdout
        refused(pl("people", "revoke", "erin", "--role", "administrator", "--reason", "x", actor="erin"),
                1, "erin is the last administrator")
        assert pl.ok("audit", "digest", actor="erin").stdout == before
        refused(pl("people", "add", "zed", "--role", "viewer"), 1,
                "alice is not on the roster")  # alice lost the role; erin keeps the ledger administered
        pl.ok("people", "add", "zed", "--role", "viewer", actor="erin")

    def test_with_two_administrators_one_may_step_down(self, pl: Perfledger) -> None:
        pl.ok("people", "add", "bob", "--role", "administrator")
        pl.ok("people", "revoke", "alice", "--role", "administrator", "--reason", "stepping down")
        roles = json.loads(pl.ok("people", "list", "--format", "json", actor="bob").stdout)
        assert {"name": "alice", "organisation": None, "roles": []} in roles


def test_indicator_lists_are_in_natural_order(pl: Perfledger) -> None:
    for code in ("NI 111", "NI 16", "NI 5", "NI 4", "LPI 2", "LPI 10"):
        pl.ok("indicator", "register", code, "--title", f"{code} title", "--unit", "number",
              "--polarity", "higher", "--frequency", "annual")
    listed = json.loads(pl.ok("indicator", "list", "--format", "json").stdout)
    assert [r["code"] for r in listed] == [
        "LPI 2", "LPI 10", "NI 4", "NI 5", "NI 16", "NI 111", "NI 154", "NI 192"
    ]
    table = pl.ok("indicator", "list").stdout.splitlines()[2:]
    assert [" ".join(line.split()[:2]) for line in table][2:6] == ["NI 4", "NI 5", "NI 16", "NI 111"]


def test_people_lists_ignore_case(pl: Perfledger) -> None:
    pl.ok("people", "add", "Carol", "--role", "viewer")
    pl.ok("people", "add", "Zoe", "--role", "viewer")
    pl.ok("people", "add", "adam", "--role", "viewer")
    listed = json.loads(pl.ok("people", "list", "--format", "json").stdout)
    assert [r["name"] for r in listed] == ["adam", "alice", "bob", "Carol", "vic", "Zoe"]


def test_projections_rebuild_needs_the_administrator_role(pl: Perfledger) -> None:
    pl.ok("people", "add", "dave", "--role", "auditor")
    pl.ok("people", "add", "erin", "--role", "performance-support")
    for who in ("bob", "vic", "dave", "erin"):
        refused(pl("projections", "rebuild", actor=who), 1,
                f"{who} may not rebuild the views: it needs the role administrator")
    assert "rebuilt the views" in pl.ok("projections", "rebuild").stderr


def test_a_revoked_role_grants_nothing(pl: Perfledger) -> None:
    pl.ok("people", "revoke", "bob", "--role", "improvement-manager", "--reason", "left the team")
    refused(pl("return", "submit", "NI 192", "2008/09-Q1", "50", actor="bob"), 1, "not on the roster")


def test_import_all_or_nothing(pl: Perfledger, tmp_path: Path) -> None:
    good = tmp_path / "q1.csv"
    good.write_text(
        "indicator,period,value,numerator,denominator,status,commentary,source\n"
        "NI 192,2008/09-Q1,54.34,5434,10000,provisional,On track,WasteDataFlow\n"
        "NI 154,2008/09-Q1,112,,,,,\n"
    )
    bad = tmp_path / "q2.csv"
    bad.write_text(
        "indicator,period,value,numerator,denominator,status,commentary,source\n"
        "NI 192,2008/09-Q2,55,,,,,\n"
        "NI 192,2008/09-Q3,155,,,,,\n"
        "NI 777,2008/09-Q2,1,,,,,\n"
        "NI 154,2008/09-Q2,abc,,,soon,,\n"
    )
    dry = pl.ok("return", "import", str(good), "--dry-run", actor="bob")
    assert "2 rows are valid" in dry.stderr
    assert "nothing written" in dry.stderr
    result = pl.ok("return", "import", str(good), actor="bob")
    assert "imported 2 rows" in result.stderr
    before = pl.digest()
    failed = pl("return", "import", str(bad), actor="bob")
    assert failed.exit_code == 1
    errors = failed.stderr.strip().splitlines()
    assert any(e.startswith("error: row 3, value:") for e in errors)
    assert any(e.startswith("error: row 4, indicator:") for e in errors)
    assert any(e.startswith("error: row 5, value:") for e in errors)
    assert any(e.startswith("error: row 5, status:") for e in errors)
    assert errors[-1].startswith("error: ")
    assert "nothing was imported" in errors[-1]
    assert "Traceback" not in failed.output
    assert pl.digest() == before


def test_a_csv_with_the_wrong_header_is_refused(pl: Perfledger, tmp_path: Path) -> None:
    wrong = tmp_path / "wrong.csv"
    wrong.write_text("code,when,amount\nNI 192,2008/09-Q1,5\n")
    before = pl.digest()
    refused(pl("return", "import", str(wrong), actor="bob"), 1, "missing indicator, period, value")
    assert pl.digest() == before


def test_indicator_show_as_at_a_past_time(pl: Perfledger) -> None:
    shown = json.loads(pl.ok("indicator", "show", "NI 192", "--format", "json").stdout)
    assert shown["revision"] == 1
    pl.ok("indicator", "revise", "NI 192", "--definition", "DEFRA WasteDataFlow", "--reason", "guidance")
    now = json.loads(pl.ok("indicator", "show", "NI 192", "--format", "json").stdout)
    assert now["revision"] == 2
    assert now["definition"] == "DEFRA WasteDataFlow"
    assert [r["reason"] for r in now["revisions"]] == [None, "guidance"]
    refused(pl("indicator", "show", "NI 192", "--as-at", "2000-01-01"), 1, "as at that time")


def test_projections_rebuild_keeps_what_the_views_say(pl: Perfledger) -> None:
    pl.ok("return", "submit", "NI 192", "2008/09-Q1", "50", actor="bob")
    before = pl.ok("audit", "trail", "--format", "json").stdout
    result = pl.ok("projections", "rebuild")
    assert "rebuilt the views" in result.stderr
    assert pl.ok("audit", "trail", "--format", "json").stdout == before


def test_a_command_on_a_missing_sqlite_file_creates_nothing(tmp_path: Path) -> None:
    target = tmp_path / "nothing.db"
    result = Perfledger(f"sqlite:///{target}")("indicator", "list")
    refused(result, 1, "no ledger at")
    assert not target.exists()


def test_usage_errors_exit_2_in_one_line(tmp_path: Path) -> None:
    p = Perfledger(f"sqlite:///{tmp_path / 'l.db'}")
    refused(p("return", "submit"), 2, "Missing argument")
    refused(p("frobnicate"), 2, "No such command")


def test_verify_finds_a_modified_event(tmp_path: Path) -> None:
    db = tmp_path / "l.db"
    p = Perfledger(f"sqlite:///{db}")
    p.ok("init", "--admin", "alice")
    p.ok("people", "add", "bob", "--role", "viewer")
    with sqlite3.connect(db) as conn:
        conn.execute("UPDATE stored_events SET state = replace(state, 'bob', 'eve') WHERE rowid = 4")
    result = p("audit", "verify")
    assert result.exit_code == 1
    assert "TAMPERED: position 4" in result.stderr


def _copy(demo: Demo, target: Path) -> str:
    """A private copy of the session's demo ledger (SQLite's own backup), for a test that writes."""
    source = demo.url.removeprefix("sqlite:///")
    with sqlite3.connect(source) as original, sqlite3.connect(target) as copy:
        original.backup(copy)
    return f"sqlite:///{target}"


def _chain_digest(output: str) -> str:
    return next(line for line in output.splitlines() if line.startswith("chain digest"))


@pytest.fixture
def quick_demo(monkeypatch: pytest.MonkeyPatch) -> None:
    """The demo's choice of where to write, without its 1,076 events: the timeline is replaced by a
    demo ledger of one administrator (what the demo holds is tested on the session's demo)."""
    def build(app: LedgerApp, actor: str, keys: object = None) -> dict[str, int]:
        app.people.initialise(actor, actor, Decimal(5), demo=True)
        return {"people": 1, "indicators": 0, "returns": 0, "revisions": 0}

    monkeypatch.setattr("commands.demo.build.timeline.build", build)
    monkeypatch.setattr("commands.demo.build.demo_benchmarks.record", lambda app: 0)  # its groups' cast


class TestDemo:
    def test_the_demo_signs_what_its_cast_records_with_their_enrolled_keys(self, demo_sqlite: Demo,
                                                                           tmp_path: Path) -> None:
        path = Path(demo_sqlite.url.removeprefix("sqlite:///"))
        keys = path.with_name(path.stem + "-keys")
        assert f"the cast's signing keys: {keys}/" in demo_sqlite.output.stdout
        assert stat.S_IMODE((keys / "tom-okafor.key").stat().st_mode) == 0o600
        copy = tmp_path / "demo-copy.db"
        shutil.copyfile(path, copy)
        p = Perfledger(f"sqlite:///{copy}")
        assert p.ok("audit", "verify", actor="Raj Patel").stdout.startswith("ok: 1265 events verified")
        p.ok("ledger", "identity", "signed", "--reason", "the demo's keys made compulsory", actor="demo-user")
        refused(p("return", "submit", "NI 192", "2026/27-Q1", "42.10", actor="Tom Okafor"), 1,
                "Tom Okafor has an enrolled signing key")
        signed = p.runner.invoke(cli, ["--db", p.url, "--actor", "Tom Okafor", "--key",
                                       str(keys / "tom-okafor.key"), "return", "submit", "NI 192", "2026/27-Q1",
                                       "42.10"])
        assert signed.exit_code == 0, signed.stderr
        assert p.ok("audit", "verify", actor="Raj Patel").stdout.startswith("ok: 1267 events verified")

    def test_demo_prints_what_it_built(self, demo_sqlite: Demo) -> None:
        first = demo_sqlite.output
        assert "perfledger demo: 16 people, 31 indicators, 543 returns, 3 revisions; 1265 events" in first.stdout
        assert "chain digest: " in first.stdout
        p = Perfledger(demo_sqlite.url)
        assert p.ok("audit", "verify", actor="demo-user").stdout.startswith("ok: 1265 events verified")

    def test_demo_reports_by_priority_with_stretch_targets_and_quartiles_as_at_any_date(
            self, demo_sqlite: Demo) -> None:
        """Issue 16's done-when: the demo's LAA with stretch targets, its corporate plan's priorities and
        themes, and benchmarks; report performance --priority P --as-at WHEN groups with quartiles."""
        p = Perfledger(demo_sqlite.url)
        args = ("report", "performance", "--period", "2025/26", "--priority", "CP 1", "--format", "json")
        text = p.ok(*args, "--as-at", "2026-11-01", actor="Cllr Ann Jones").stdout
        later = json.loads(text)
        assert [(g["priority"], g["theme"]) for g in later["groups"]] == [("CP 1", "Environment")]
        ni192 = next(r for r in later["rows"] if r["indicator"] == "NI 192")
        assert (ni192["target"], ni192["stretch"], ni192["agreement"]) == ("45.5", True, "LAA 2023-26")
        assert (ni192["benchmark"]["period"], ni192["benchmark"]["quartile"], ni192["benchmark"]["rank"],
                ni192["benchmark"]["of"]) == ("2022/23", 2, 2, 4)
        between = json.loads(p.ok(*args, "--as-at", "2026-10-06", actor="Cllr Ann Jones").stdout)
        earlier = next(r for r in between["rows"] if r["indicator"] == "NI 192")["benchmark"]
        assert (earlier["period"], earlier["figure_from"], earlier["quartile"]) == ("2015/16", "published", 3)
        before = json.loads(p.ok(*args, "--as-at", "2026-10-01", actor="Cllr Ann Jones").stdout)
        assert next(r for r in before["rows"] if r["indicator"] == "NI 192")["benchmark"] is None
        assert p.ok(*args, "--as-at", "2026-11-01", actor="Helen Marsh").stdout == text  # byte-identical

    def test_demo_rebuilds_an_earlier_demo_to_the_same_chain(self, demo_sqlite: Demo, tmp_path: Path) -> None:
        url = _copy(demo_sqlite, tmp_path / "demo.db")
        again = CliRunner().invoke(cli, ["--db", url, "--actor", "demo-user", "demo"])
        assert again.exit_code == 0, again.stderr
        first = _chain_digest(demo_sqlite.output.stdout)
        assert first.split(":")[1] == _chain_digest(again.stdout).split(":")[1]
        p = Perfledger(url)
        assert p.ok("audit", "verify", actor="demo-user").stdout.startswith("ok:")
        roles = json.loads(p.ok("people", "list", "--format", "json", actor="demo-user").stdout)
        mine = next(r for r in roles if r["name"] == "demo-user")
        assert len(mine["roles"]) == 6

    @pytest.mark.usefixtures("quick_demo")
    def test_demo_takes_its_own_db_option(self, tmp_path: Path) -> None:
        target = tmp_path / "sub-option.db"
        result = CliRunner().invoke(cli, ["--actor", "demo-user", "demo", "--db", f"sqlite:///{target}"])
        assert result.exit_code == 0, result.stderr
        assert f"building the demo ledger at sqlite:///{target}" in result.stderr
        assert target.exists()
        assert not (tmp_path / "perfledger-demo.db").exists()
        verified = Perfledger(f"sqlite:///{target}").ok("audit", "verify", actor="demo-user")
        assert verified.stdout.startswith("ok: ")

    @pytest.mark.usefixtures("quick_demo")
    def test_demo_db_wins_over_the_global_db_and_the_environment(
        self, pl: Perfledger, tmp_path: Path
    ) -> None:
        before = pl.digest()
        target = tmp_path / "demo-here.db"
        result = CliRunner().invoke(
            cli, ["--db", pl.url, "--actor", "demo-user", "demo", "--db", f"sqlite:///{target}"],
            env={"PERFLEDGER_DB": pl.url},
        )
        assert result.exit_code == 0, result.stderr
        assert target.exists()
        assert pl.digest() == before  # the real ledger named by the global --db is untouched

    @pytest.mark.usefixtures("quick_demo")
    def test_demo_without_any_db_writes_perfledger_demo_db_here(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        monkeypatch.chdir(tmp_path)
        monkeypatch.delenv("PERFLEDGER_DB", raising=False)
        result = CliRunner().invoke(cli, ["--actor", "demo-user", "demo"])
        assert result.exit_code == 0, result.stderr
        assert (tmp_path / "perfledger-demo.db").exists()
        assert not (tmp_path / "perfledger.db").exists()

    @pytest.mark.usefixtures("quick_demo")
    def test_demo_with_the_global_db_from_the_environment(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        monkeypatch.chdir(tmp_path)
        target = tmp_path / "from-env.db"
        monkeypatch.setenv("PERFLEDGER_DB", f"sqlite:///{target}")
        result = CliRunner().invoke(cli, ["--actor", "demo-user", "demo"])
        assert result.exit_code == 0, result.stderr
        assert target.exists()
        assert not (tmp_path / "perfledger-demo.db").exists()

    def test_demo_table_is_in_natural_order(self, demo_sqlite: Demo) -> None:
        result = demo_sqlite.output
        codes = [" ".join(line.split()[:2]) for line in result.stdout.splitlines()
                 if line.startswith(("NI ", "LPI "))]
        assert codes.index("NI 4") < codes.index("NI 5") < codes.index("NI 16") < codes.index("NI 111")

    def test_demo_refuses_a_malformed_db_option_in_one_line(self, tmp_path: Path) -> None:
        refused(CliRunner().invoke(cli, ["--actor", "demo-user", "demo", "--db", "mysql://x"]), 1, "mysql")

    def test_demo_never_writes_into_a_real_ledger(self, pl: Perfledger) -> None:
        before = pl.digest()
        result = CliRunner().invoke(cli, ["--db", pl.url, "--actor", "alice", "demo"])
        refused(result, 1, "not a demo")
        assert pl.digest() == before
        through_option = CliRunner().invoke(cli, ["--actor", "alice", "demo", "--db", pl.url])
        refused(through_option, 1, "not a demo")
        assert pl.digest() == before


def test_a_table_on_a_terminal_shortens_long_cells_and_piped_output_keeps_them() -> None:
    from commands.support.output import render

    reason = "Tonnage from the transfer station was double counted in March; the contractor resubmitted"
    rows = [{"position": 7, "reason": reason}]
    on_screen = render(rows, ["position", "reason"], "table", tty=True)
    assert "Tonnage from the transfer station w…" in on_screen
    assert reason not in on_screen
    assert on_screen.endswith("(long cells shortened on screen: --format csv or json shows them whole)\n")
    assert reason in render(rows, ["position", "reason"], "table", tty=False)
    assert reason in render(rows, ["position", "reason"], "csv", tty=True)
