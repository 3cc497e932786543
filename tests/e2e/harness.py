"""The command-line harness of the e2e tests: a ledger driven through the CLI, and the checks
every refusal must pass (one line, no traceback, nothing written but the refusal)."""

from __future__ import annotations

import json

from click.testing import CliRunner, Result

from commands.cli import cli


class Perfledger:
    def __init__(self, url: str) -> None:
        self.url = url
        self.runner = CliRunner()

    def __call__(self, *args: str, actor: str = "alice") -> Result:
        return self.runner.invoke(cli, ["--db", self.url, "--actor", actor, *args])

    def ok(self, *args: str, actor: str = "alice") -> Result:
        result = self(*args, actor=actor)
        assert result.exit_code == 0, result.stderr
        return result

    def digest(self) -> str:
        return self.ok("audit", "digest").stdout.strip()


def only_the_refusal_was_recorded(pl: Perfledger, before: str, actor: str, act: str, control: str) -> None:
    """A refusal by a control changes no figure and adds exactly one event: the refusal itself."""
    size = int(before.split(":")[0])
    assert int(pl.digest().split(":")[0]) == size + 1
    last = json.loads(pl.ok("audit", "trail", "--format", "json").stdout)[-1]
    assert (last["position"], last["event"], last["actor"], last["reason"]) == (
        size + 1, "Refusal.Recorded", actor, control)
    assert last["detail"].startswith(f"{act}: ")


def refused(result: Result, code: int, fragment: str) -> None:
    """Exactly one line on stderr, naming the problem; no traceback."""
    assert result.exit_code == code, (result.exit_code, result.stdout, result.stderr)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("error: ")
    assert fragment in lines[0], lines[0]
    assert "Traceback" not in result.output


def partnership(url: str) -> Perfledger:
    """alice (administrator), bob (improvement manager), vic (viewer); NI 192 and NI 154."""
    p = Perfledger(url)
    p.ok("init", "--admin", "alice")
    p.ok("people", "add", "bob", "--role", "improvement-manager", "--organisation", "Halton BC")
    p.ok("people", "add", "vic", "--role", "viewer")
    p.ok("indicator", "register", "NI 192", "--title", "Household waste recycled", "--unit", "percent",
         "--polarity", "higher", "--frequency", "quarterly", "--decimals", "2")
    p.ok("indicator", "register", "NI 154", "--title", "Net additional homes", "--unit", "count",
         "--polarity", "higher", "--frequency", "quarterly")
    return p


EVIDENCE = ["--reason", "error-correction", "--justification", "Tonnage double counted",
            "--evidence", "WDF Q1 v2"]


def adjusting_partnership(url: str) -> Perfledger:
    """Three quarters of NI 192 returned, two closed; a DQO pair, performance support and a viewer."""
    p = Perfledger(url)
    p.ok("init", "--admin", "alice")
    p.ok("people", "add", "bob", "--role", "improvement-manager")
    p.ok("people", "add", "carol", "--role", "data-quality-officer")
    p.ok("people", "add", "dan", "--role", "data-quality-officer")
    p.ok("people", "add", "pat", "--role", "performance-support")
    p.ok("people", "add", "vic", "--role", "viewer")
    p.ok("indicator", "register", "NI 192", "--title", "Household waste recycled", "--unit", "percent",
         "--polarity", "higher", "--frequency", "quarterly")
    for quarter, value in (("Q1", "36.40"), ("Q2", "38.10"), ("Q3", "39.00")):
        p.ok("return", "submit", "NI 192", f"2008/09-{quarter}", value, actor="bob")
    for quarter in ("2008/09-Q1", "2008/09-Q2"):
        p.ok("period", "close", quarter, actor="pat")
    return p


def request(pl: Perfledger, *args: str, actor: str = "bob") -> str:
    return pl.ok("adjust", "request", "NI 192", *args, actor=actor).stdout.strip()
