"""The documentation cannot go stale: its reference is generated and its examples are run.

1. docs/cli-reference.md must equal ``commands.reference.generate()``.
2. Every command and group has help text.
3. The examples in docs/*.md (and README.md, if there is one) are executed.
4. Links between the pages point at pages and headings that exist.

Conventions for examples (write docs to these; the test enforces them):

- A fenced block whose info string is ``console`` holds commands and their
  expected output. Each line starting ``$ perfledger `` is a command; it is
  run with click's CliRunner on ``commands.cli.cli`` (the text after ``$ `` is
  split with ``shlex.split``, so quote as in a POSIX shell).
- A command line ending in a backslash continues on the next line.
- A command is expected to exit 0, unless its line ends with a comment
  ``# exit 1`` or ``# exit 2`` giving the expected exit code. Any other
  trailing ``# comment`` is ignored.
- The lines after a command, up to the next ``$`` line, are expected output:
  each must appear in the command's combined stdout and stderr, with runs of
  whitespace treated as one space (table columns may be padded differently).
  Inside an expected line, ``...`` matches any text on that line (timestamps,
  hashes, paths); a line that is only ``...`` stands for output left out.
  Blank lines are ignored. So write only output that is stable from run to
  run: no timestamps or hashes, except behind ``...``.
- Every ``$`` line in a console block must be a perfledger command: console
  blocks are run, so anything else (shell set-up, sqlite3, illustrations)
  belongs in a ``sh`` or ``text`` block, which is never run.
- A fenced block with ``title=NAME`` in its info string (e.g. ```` ```csv
  title=returns-q2.csv ````) writes its content to NAME in the working
  directory when the walk through the file reaches it, so a later block with
  the same title replaces the file for the commands after it.
- Each file runs on its own, top to bottom, from an empty ledger: the working
  directory is a fresh ``tmp_path``; ``PERFLEDGER_DB`` names a fresh ledger
  (SQLite in ``tmp_path``, and PostgreSQL too when PERFLEDGER_TEST_POSTGRES is
  set, through the ``store_url`` fixture); ``PERFLEDGER_ACTOR`` is unset. So
  every file begins with its own ``$ perfledger init --admin alice`` and
  names the acting person with ``--actor``. A command that gives ``--db``
  itself (e.g. the demo) uses that instead.
"""

from __future__ import annotations

import re
import shlex
import traceback
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from commands.cli import cli
from commands.reference import anchor, entries, generate, help_text

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"
REGENERATE = "python -m commands.reference > docs/cli-reference.md"

FENCE = re.compile(r"^(?P<indent>\s*)(?P<fence>`{3,}|~{3,})(?P<info>.*)$")
EXIT = re.compile(r"\s#\s*exit\s+(?P<code>\d+)\s*$")
TITLE = re.compile(r"\btitle=(?P<q>[\"']?)(?P<name>[^\"'\s]+)(?P=q)")
ELLIPSIS = "..."
LINK = re.compile(r"\[[^\]]*\]\((?P<target>[^)\s]+)\)")


# --- reading the examples ----------------------------------------------------------
@dataclass
class Command:
    source: str  # "docs/x.md:12"
    line: str  # the command as written, continuation lines joined
    args: list[str]
    exit_code: int
    expected: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class WriteFile:
    source: str
    name: str
    content: str


Step = Command | WriteFile


@dataclass(frozen=True)
class Block:
    info: str
    start: int  # 1-based line number of the first content line
    lines: list[str]


def blocks(text: str) -> Iterator[Block]:
    """Fenced code blocks in document order, with their contents dedented to the fence."""
    lines = text.splitlines()
    i = 0
    while i < len(lines):
        opening = FENCE.match(lines[i])
        if opening is None:
            i += 1
            continue
        indent, fence, info = opening["indent"], opening["fence"], opening["info"].strip()
        body: list[str] = []
        j = i + 1
        while j < len(lines):
            closing = FENCE.match(lines[j])
            if (
                closing
                and closing["fence"][0] == fence[0]
                and len(closing["fence"]) >= len(fence)
                and not closing["info"].strip()
            ):
                break
            line = lines[j]
            body.append(line[len(indent) :] if line.startswith(indent) else line.lstrip())
            j += 1
        yield Block(info, i + 2, body)
        i = j + 1


def parse_command(text: str, source: str) -> Command:
    """One ``$ perfledger ...`` line (continuations joined), its exit code and arguments."""
    exit_code = 0
    found = EXIT.search(text)
    if found:
        exit_code = int(found["code"])
        text = text[: found.start()]
    words = shlex.split(text, comments=True)
    assert words[:1] == ["perfledger"], f"{source}: not a perfledger command: {text!r}"
    return Command(source, text.strip(), words[1:], exit_code)


def console_steps(block: Block, name: str) -> list[Command]:
    commands: list[Command] = []
    lines = block.lines
    k = 0
    while k < len(lines):
        line = lines[k]
        source = f"{name}:{block.start + k}"
        if line.startswith("$"):
            assert line.startswith("$ perfledger "), (
                f"{source}: console blocks are run, so every $ line must be a perfledger command "
                f"(put other shell lines in a sh or text block): {line!r}"
            )
            text = line[2:]
            while text.endswith("\\") and k + 1 < len(lines):
                k += 1
                text = text[:-1] + " " + lines[k].strip()
            commands.append(parse_command(text, source))
        elif line.strip() and line.strip() != ELLIPSIS:
            assert commands, f"{source}: expected output before any command: {line!r}"
            commands[-1].expected.append(line)
        k += 1
    return commands


def steps(path: Path, name: str | None = None) -> list[Step]:
    """Everything an example file asks for, in document order."""
    name = name or path.relative_to(ROOT).as_posix()
    found: list[Step] = []
    for block in blocks(path.read_text(encoding="utf-8")):
        language = block.info.split()[0] if block.info else ""
        title = TITLE.search(block.info)
        if language == "console":
            found.extend(console_steps(block, name))
        elif title:
            file_name = title["name"]
            assert Path(file_name).name == file_name, (
                f"{name}:{block.start}: title= names a file in the working directory, not a path"
            )
            content = "\n".join(block.lines) + "\n"
            found.append(WriteFile(f"{name}:{block.start}", file_name, content))
    return found


def example_files() -> list[Path]:
    candidates = sorted(DOCS.glob("*.md"))
    readme = ROOT / "README.md"
    if readme.exists():
        candidates.append(readme)
    return [p for p in candidates if any(isinstance(s, Command) for s in steps(p))]


# --- running them ------------------------------------------------------------------
def _normalise(text: str) -> str:
    return " ".join(text.split())


def output_contains(output: str, expected: str) -> bool:
    """Does ``expected`` appear on one output line, starting and ending at word boundaries?

    Runs of whitespace count as one space; ``...`` matches any text on the line.
    """
    want = _normalise(expected)
    body = ".*?".join(re.escape(part.strip()) for part in want.split(ELLIPSIS))
    pattern = re.compile(rf"(?<!\S){body}(?!\S)")
    return any(pattern.search(_normalise(line)) for line in output.splitlines())


def describe(command: Command, result: Result) -> str:
    detail = [
        f"{command.source}: $ perfledger {shlex.join(command.args)}",
        f"exit code {result.exit_code} (expected {command.exit_code})",
        "output:",
        result.output.rstrip() or "(none)",
    ]
    if result.exc_info and result.exception is not None and not isinstance(result.exception, SystemExit):
        detail += ["traceback:", "".join(traceback.format_exception(*result.exc_info))]
    return "\n".join(detail)


def run_steps(found: list[Step], workdir: Path) -> int:
    """Run the steps in ``workdir`` (already the current directory); the number of commands run."""
    runner = CliRunner()
    ran = 0
    for step in found:
        if isinstance(step, WriteFile):
            (workdir / step.name).write_text(step.content, encoding="utf-8")
            continue
        result = runner.invoke(cli, step.args, catch_exceptions=True, prog_name="perfledger")
        ran += 1
        assert result.exit_code == step.exit_code, describe(step, result)
        missing = [line for line in step.expected if not output_contains(result.output, line)]
        assert not missing, describe(step, result) + "\nexpected lines not found:\n" + "\n".join(missing)
    return ran


# --- the tests ---------------------------------------------------------------------
def test_cli_reference_is_current() -> None:
    reference = DOCS / "cli-reference.md"
    assert reference.exists(), f"docs/cli-reference.md is missing: run {REGENERATE}"
    assert reference.read_text(encoding="utf-8") == generate(), (
        f"docs/cli-reference.md no longer matches the commands: run {REGENERATE}"
    )


def test_every_command_and_group_has_help() -> None:
    missing = [entry.ctx.command_path for entry in entries() if not help_text(entry.command)]
    assert not missing, "commands without help text (give each a docstring): " + ", ".join(missing)


def test_the_reference_covers_every_command() -> None:
    text = generate()
    for entry in entries():
        assert f" {entry.ctx.command_path}\n" in text, entry.ctx.command_path


def test_examples_exist() -> None:
    names = [p.name for p in example_files()]
    assert "getting-started.md" in names, "docs/getting-started.md has no runnable examples"


@pytest.mark.parametrize("doc", example_files(), ids=lambda p: p.name)
def test_examples_run(doc: Path, store_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("PERFLEDGER_DB", store_url)
    monkeypatch.delenv("PERFLEDGER_ACTOR", raising=False)
    assert run_steps(steps(doc), tmp_path) > 0


def prose(text: str) -> list[str]:
    """The lines of a Markdown file outside fenced code blocks."""
    fenced = {i for block in blocks(text) for i in range(block.start - 2, block.start + len(block.lines))}
    return [line for i, line in enumerate(text.splitlines()) if i not in fenced]


def headings(text: str) -> set[str]:
    return {anchor(line.lstrip("#").strip()) for line in prose(text) if re.match(r"#{1,6} ", line)}


def markdown_files() -> list[Path]:
    readme = ROOT / "README.md"
    return sorted(DOCS.glob("*.md")) + ([readme] if readme.exists() else [])


@pytest.mark.parametrize("doc", markdown_files(), ids=lambda p: p.name)
def test_links_resolve(doc: Path) -> None:
    broken: list[str] = []
    for line in prose(doc.read_text(encoding="utf-8")):
        for found in LINK.finditer(line):
            target = found["target"]
            if re.match(r"[a-z]+:", target):
                continue  # http:, https:, mailto:
            page, _, fragment = target.partition("#")
            path = (doc.parent / page).resolve() if page else doc
            if not path.exists():
                broken.append(f"{target}: no such file")
            elif fragment and fragment not in headings(path.read_text(encoding="utf-8")):
                broken.append(f"{target}: no such heading in {path.name}")
    assert not broken, f"{doc.name}: broken links:\n" + "\n".join(broken)


# --- the harness itself ----------------------------------------------------------
HARNESS_DOC = """\
Text.

```csv title=rows.csv
indicator,period,value
```

```console
$ perfledger --version
perfledger, version ...
...
$ perfledger \\
    --version  # a comment
$ perfledger no-such-command  # exit 2
```

```sh
$ sqlite3 perfledger.db .tables
```
"""


def test_harness_reads_the_conventions(tmp_path: Path) -> None:
    doc = tmp_path / "doc.md"
    doc.write_text(HARNESS_DOC, encoding="utf-8")
    found = steps(doc, doc.name)
    assert [type(s).__name__ for s in found] == ["WriteFile", "Command", "Command", "Command"]
    first, second, third = found[1], found[2], found[3]
    assert isinstance(first, Command)
    assert first.expected == ["perfledger, version ..."]
    assert isinstance(second, Command)
    assert second.args == ["--version"]
    assert second.exit_code == 0
    assert isinstance(third, Command)
    assert third.exit_code == 2


def test_harness_fails_on_wrong_output(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    wrong = Command("doc.md:1", "perfledger --version", ["--version"], 0, ["version 999.0"])
    with pytest.raises(AssertionError, match="expected lines not found"):
        run_steps([wrong], tmp_path)
    failing = Command("doc.md:2", "perfledger nope", ["nope"], 0)
    with pytest.raises(AssertionError, match="exit code 2"):
        run_steps([failing], tmp_path)
    right = Command("doc.md:3", "perfledger --version", ["--version"], 0, ["perfledger, version ..."])
    assert run_steps([WriteFile("doc.md:4", "rows.csv", "a,b\n"), right], tmp_path) == 1
    assert (tmp_path / "rows.csv").read_text(encoding="utf-8") == "a,b\n"


def test_output_matching() -> None:
    output = "NI 192       2008/09-Q1  36.44    final\nok: 12 events verified; head 12:abc\n"
    assert output_contains(output, "NI 192 2008/09-Q1 36.44 final")
    assert output_contains(output, "ok: 12 events verified; head 12:...")
    assert not output_contains(output, "ok: 13 events verified")
    assert not output_contains(output, "36.44 ... verified")  # a wildcard never spans lines
    assert not output_contains(output, "92 2008/09-Q1")  # nor does a match start inside a word


def test_every_source_file_the_docs_name_exists() -> None:
    """A page naming ``ledger/app/returns.py`` must not point at a module that moved or went."""
    pages = [*sorted(DOCS.glob("*.md")), ROOT / "README.md", ROOT / "bench" / "README.md"]
    missing = [f"{page.relative_to(ROOT)}: {path}" for page in pages
               for path in re.findall(r"`((?:ledger|projections|commands|policies|tests|bench)/[\w/]+\.py)`",
                                      page.read_text())
               if not (ROOT / path).exists()]
    assert not missing, "\n".join(missing)
