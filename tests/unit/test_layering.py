"""The dependency rules of DESIGN.md, held by walking every import."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
IO_LIBRARIES = {"sqlalchemy", "click", "structlog", "psycopg", "psycopg_pool", "sqlite3", "pydantic",
                "tabulate", "requests", "socket"}


def imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(), filename=str(path))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
    return found


def modules(package: str) -> list[Path]:
    return sorted((ROOT / package).rglob("*.py"))


@pytest.mark.parametrize("path", [p for p in modules("ledger") if "store" not in p.parts],
                         ids=lambda p: str(p.relative_to(ROOT)))
def test_ledger_outside_its_store_imports_no_io_library(path: Path) -> None:
    bad = {m for m in imports(path) if m.split(".")[0] in IO_LIBRARIES}
    assert not bad, f"{path.relative_to(ROOT)} imports {bad}"


@pytest.mark.parametrize("path", modules("ledger"), ids=lambda p: str(p.relative_to(ROOT)))
def test_ledger_never_imports_the_read_side_or_the_cli(path: Path) -> None:
    bad = {m for m in imports(path) if m.split(".")[0] in {"projections", "commands"}}
    assert not bad, f"{path.relative_to(ROOT)} imports {bad}"


@pytest.mark.parametrize("path", modules("policies"), ids=lambda p: str(p.relative_to(ROOT)))
def test_policies_are_pure(path: Path) -> None:
    ours = {m for m in imports(path) if m.split(".")[0] in {"ledger", "projections", "commands"}}
    assert ours <= {"ledger.values", "ledger.hints"}, f"{path.relative_to(ROOT)} imports {ours}"
    bad = {m for m in imports(path) if m.split(".")[0] in IO_LIBRARIES | {"eventsourcing", "random",
                                                                          "time", "datetime.datetime"}}
    assert not bad, f"{path.relative_to(ROOT)} imports {bad}"


@pytest.mark.parametrize("path", modules("projections"), ids=lambda p: str(p.relative_to(ROOT)))
def test_projections_never_import_the_cli(path: Path) -> None:
    bad = {m for m in imports(path) if m.split(".")[0] == "commands"}
    assert not bad, f"{path.relative_to(ROOT)} imports {bad}"


@pytest.mark.parametrize("name", ["values.py", "hints.py"])
def test_values_and_hints_import_nothing_of_ours(name: str) -> None:
    ours = {m for m in imports(ROOT / "ledger" / name) if m.split(".")[0] in
            {"ledger", "policies", "projections", "commands"}}
    assert not ours


@pytest.mark.parametrize("package", ["ledger", "projections", "commands", "policies"])
def test_modules_stay_a_few_hundred_lines(package: str) -> None:
    long = [str(p.relative_to(ROOT)) for p in modules(package) if len(p.read_text().splitlines()) > 400]
    assert not long, f"split these modules: {long}"


def _classes(path: Path) -> list[ast.ClassDef]:
    return [n for n in ast.walk(ast.parse(path.read_text())) if isinstance(n, ast.ClassDef)]


def test_no_part_of_the_application_inherits_another() -> None:
    """Each part of ledger/app is a ``Part`` on the shared core; none is built from another."""
    parts: dict[str, str] = {}
    for path in modules("ledger/app"):
        for cls in _classes(path):
            bases = [b.id for b in cls.bases if isinstance(b, ast.Name)]
            if "Part" in bases:
                parts[cls.name] = str(path.relative_to(ROOT))
    assert len(parts) >= 9, parts
    for path in modules("ledger"):
        for cls in _classes(path):
            bad = [b.id for b in cls.bases if isinstance(b, ast.Name) and b.id in parts]
            assert not bad, f"{cls.name} in {path.relative_to(ROOT)} inherits the part(s) {bad}"
            if cls.name in parts:
                assert [b.id for b in cls.bases if isinstance(b, ast.Name)] == ["Part"], cls.name


@pytest.mark.parametrize("path", modules("projections"), ids=lambda p: str(p.relative_to(ROOT)))
def test_projections_never_import_the_composed_application(path: Path) -> None:
    """The read side takes the core's log through a Protocol, never the application service."""
    tree = ast.parse(path.read_text())
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module == "ledger.app":
            raise AssertionError(f"{path.relative_to(ROOT)} imports ledger.app ({[a.name for a in node.names]})")
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("ledger.app."):
            names = {a.name for a in node.names}
            assert not names & {"LedgerApp", "Core"}, f"{path.relative_to(ROOT)} imports {names}"


@pytest.mark.parametrize("path", [p for p in modules("ledger") + modules("policies")
                                  if "store" not in p.parts],
                         ids=lambda p: str(p.relative_to(ROOT)))
def test_the_core_words_no_cli_syntax(path: Path) -> None:
    """Options and commands in the core's messages are hints (ledger/hints.py), worded by the CLI."""
    tree = ast.parse(path.read_text())
    docstrings = {id(n.body[0].value) for n in ast.walk(tree)
                  if isinstance(n, ast.Module | ast.ClassDef | ast.FunctionDef)
                  and n.body and isinstance(n.body[0], ast.Expr) and isinstance(n.body[0].value, ast.Constant)}
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings:
            found = re.findall(r"(?<![\w-])--[a-z][a-z-]*|\bperfledger [a-z]+", node.value)
            assert not found, f"{path.relative_to(ROOT)}:{node.lineno} words {found}: use ledger.hints"


@pytest.mark.parametrize("path", modules("commands"), ids=lambda p: str(p.relative_to(ROOT)))
def test_commands_reach_the_store_only_through_the_application(path: Path) -> None:
    """... except for the store URL's grammar (ledger/store/url.py, no I/O library): the CLI parses
    --db at start-up, before anything heavy is imported (importing ledger.app loads the whole
    application)."""
    bad = {m for m in imports(path) if m.startswith("ledger.store") and m != "ledger.store.url"}
    assert not bad, f"{path.relative_to(ROOT)} imports {bad}: go through ledger.app"


def test_one_module_or_package_per_command_group() -> None:
    """Every group the CLI shows is defined in the module (or package) named after it."""
    import importlib

    from commands.groups import GROUPS

    for entry in GROUPS:
        group = getattr(importlib.import_module(entry.module), entry.attribute)
        module = group.callback.__module__ if group.callback else ""
        name = "returns" if group.name == "return" else group.name
        assert group.name == entry.name
        assert module in {f"commands.{name}"}, f"{group.name} is defined in {module}"


@pytest.mark.parametrize("path", modules("commands"), ids=lambda p: str(p.relative_to(ROOT)))
def test_no_command_exits_the_process_itself(path: Path) -> None:
    """Exit codes come from the errors a command raises (the root group maps them), never sys.exit."""
    if path.name == "cli.py":
        return
    assert "sys.exit" not in path.read_text(), f"{path.relative_to(ROOT)} calls sys.exit"


@pytest.mark.parametrize("path", sorted((ROOT / "tests").rglob("test_*.py")), ids=lambda p: str(p.relative_to(ROOT)))
def test_no_test_module_imports_another(path: Path) -> None:
    """Shared fixtures live in each folder's conftest.py, shared builders in helper modules."""
    bad = {m for m in imports(path) if m.rsplit(".", 1)[-1].startswith("test_")}
    assert not bad, f"{path.relative_to(ROOT)} imports the test module(s) {bad}"
