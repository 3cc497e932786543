"""Start-up (issue 17, item 1): asking for help or the version loads no heavy library.

Every perfledger command used to import SQLAlchemy, eventsourcing, Jinja, cryptography and every
command module before it did anything (about 1 s). The groups are now loaded when used
(commands/groups.py) and the heavy libraries when a command opens the ledger or renders; these
tests hold that by counting imports (``python -X importtime``), never by timing
(bench/bench_startup.py measures the time).
"""

from __future__ import annotations

import importlib
import os
import subprocess
import sys
from pathlib import Path

import pytest

from commands.groups import GROUPS

HEAVY = {"sqlalchemy", "eventsourcing", "jinja2", "openpyxl", "cryptography", "pydantic", "psycopg",
         "psycopg_pool", "structlog", "tabulate", "confusables", "PIL"}


def imported(*args: str, cwd: Path) -> tuple[set[str], str]:
    """The modules ``perfledger ARGS`` imports (from ``-X importtime``), and what it printed."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PERFLEDGER_")}
    done = subprocess.run([sys.executable, "-X", "importtime", "-m", "commands.cli", *args], cwd=cwd,
                          env=env, capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    modules = {line.split("|")[-1].strip() for line in done.stderr.splitlines()
               if line.startswith("import time:") and not line.endswith("| imported package")}
    return modules, done.stdout


def heavy(modules: set[str]) -> set[str]:
    return {m for m in modules if m.split(".")[0] in HEAVY}


def test_help_lists_every_group_without_importing_one(tmp_path: Path) -> None:
    modules, shown = imported("--help", cwd=tmp_path)
    assert heavy(modules) == set()
    assert {m for m in modules if m in {g.module for g in GROUPS}} == set()  # no group's module
    for group in GROUPS:
        assert f"\n  {group.name} " in shown, group.name
    assert "Retrospective adjustments: request, approve, reject," in shown
    assert list(tmp_path.iterdir()) == []  # nothing opened or created


def test_version_imports_no_heavy_library(tmp_path: Path) -> None:
    modules, shown = imported("--version", cwd=tmp_path)
    assert heavy(modules) == set()
    assert shown.startswith("perfledger, version ")


@pytest.mark.parametrize("group", [g.name for g in GROUPS])
def test_a_groups_help_imports_no_heavy_library(group: str, tmp_path: Path) -> None:
    modules, shown = imported(group, "--help", cwd=tmp_path)
    assert heavy(modules) == set(), f"perfledger {group} --help imports {sorted(heavy(modules))}"
    assert f"perfledger {group} " in shown
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("group", GROUPS, ids=lambda g: g.name)
def test_the_registry_holds_each_groups_own_help(group: object) -> None:
    """perfledger --help shows the table's line: it must be the line the group itself would give."""
    from commands.groups import Group

    assert isinstance(group, Group)
    command = getattr(importlib.import_module(group.module), group.attribute)
    assert command.name == group.name
    assert command.get_short_help_str(10**6) == group.help
