"""Bad input, generated: every kind of CLI argument (codes, names, free text, periods, decimals,
WHEN, dates, enums, integers, digests, positions) and CSV rows of ``return import`` and ``adjust
request --series``, drawn by hypothesis and given to the CLI in-process (click's CliRunner).

Whatever comes in: no traceback, the exit code is 0, 1 or 2, and when it is not 0 nothing was
written - a usage error (2) nothing at all, a refusal (1) at most the one ``Refusal.Recorded``
event that records a refusal by a control (CLI.md, "Exit codes and refusals").

The parsing is the same code on both backends, so the properties run on SQLite (one ledger per
test, kept across its examples); ``derandomize`` keeps CI runs reproducible.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from commands.cli import cli
from ledger.app import LedgerApp
from ledger.store.url import parse_store_url
from ledger.values import Frequency, Polarity, Role, Status, Unit
from tests.stress.conftest import Figures

pytestmark = pytest.mark.stress

EXAMPLES = 80
FUZZ = settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
REFUSAL = "perfledger/Refusal.Recorded"


class Fuzzed:
    """A small ledger driven through the CLI; checks each run of a generated command."""

    def __init__(self, url: str, folder: Path) -> None:
        self.url = url
        self.folder = folder
        self.runner = CliRunner()
        self.app = LedgerApp(parse_store_url(url))
        self.runs = 0
        self.exits: dict[int, int] = {}

    def __call__(self, *args: str, actor: str = "alice", check: bool = True) -> Result:
        before = self.size()
        result = self.runner.invoke(cli, ["--db", self.url, "--actor", actor, *args])
        if check:
            self.check(result, before, args)
        return result

    def ok(self, *args: str, actor: str = "alice") -> None:
        result = self(*args, actor=actor)
        assert result.exit_code == 0, result.stderr

    def size(self) -> int:
        head = self.app.core.head()
        return head.position if head else 0

    def check(self, result: Result, before: int, args: tuple[str, ...]) -> None:
        self.runs += 1
        self.exits[result.exit_code] = self.exits.get(result.exit_code, 0) + 1
        assert result.exception is None or isinstance(result.exception, SystemExit), (
            f"{args!r} raised {result.exception!r}")
        assert "Traceback" not in result.output, (args, result.output)
        assert result.exit_code in (0, 1, 2), (args, result.exit_code, result.output)
        if result.exit_code == 0:
            return
        written = [row[4] for row in self.app.core.log_rows(before, 10)]
        if result.exit_code == 2:
            assert written == [], (args, "a usage error wrote", written)
        else:
            assert written in ([], [REFUSAL]), (args, "a refusal wrote", written, result.stderr)
        assert result.stderr.startswith("error: "), (args, result.stderr)

    def file(self, name: str, data: bytes) -> str:
        path = self.folder / name
        path.write_bytes(data)
        return str(path)

    def close(self) -> None:
        self.app.close()


@pytest.fixture
def pl(tmp_path: Path, figures: Figures) -> Iterator[Fuzzed]:
    """alice (administrator), bob (improvement manager), carol (DQO), ada (auditor); NI 192
    quarterly percent with returns for 2023/24 (Q1, Q2 closed), NI 154 annual count."""
    p = Fuzzed(f"sqlite:///{tmp_path / 'ledger.db'}", tmp_path)
    p.ok("init", "--admin", "alice")
    p.ok("people", "add", "bob", "--role", "improvement-manager")
    p.ok("people", "add", "carol", "--role", "data-quality-officer")
    p.ok("people", "add", "ada", "--role", "auditor")
    p.ok("indicator", "register", "NI 192", "--title", "Household waste recycled", "--unit", "percent",
         "--polarity", "higher", "--frequency", "quarterly", "--decimals", "2")
    p.ok("indicator", "register", "NI 154", "--title", "Net additional homes", "--unit", "count",
         "--polarity", "higher", "--frequency", "annual")
    for quarter, value in (("Q1", "36.40"), ("Q2", "38.10"), ("Q3", "39.00")):
        p.ok("return", "submit", "NI 192", f"2023/24-{quarter}", value, actor="bob")
    p.ok("period", "close", "2023/24-Q2")
    p.runs, p.exits = 0, {}
    yield p
    p.close()
    figures(f"{p.runs} generated commands: exit codes {dict(sorted(p.exits.items()))}; no traceback, "
            "nothing written on a refusal but its one Refusal.Recorded")


# --- the argument types ------------------------------------------------------------------------
# Each argument is mostly a well-formed value (so a command gets past its other arguments and one
# bad value at a time reaches the deeper checks) and otherwise anything at all.
def mostly(valid: st.SearchStrategy[str], bad: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    return st.one_of(valid, valid, valid, bad)


ANY_TEXT = st.text(max_size=40)  # any code point: controls, NUL, lone surrogates, right-to-left...
SPICY = st.sampled_from(["", " ", "-", "--", "--help", "\x00", "\udcff", "=cmd|'/c calc'!A1", "\u202e",
                         "x" * 300, "NI 192\x00", "NI\u00a0192", "'; drop table x; --", "%s%n", "\n"])
WORDS = st.text(st.characters(categories=["L", "N", "P", "Zs"]), min_size=1, max_size=30)
TEXT = mostly(WORDS, st.one_of(ANY_TEXT, SPICY))
CODES = mostly(st.sampled_from(["NI 192", "NI 154"]),
               st.one_of(st.sampled_from(["ni 192", "NI  192", "NI 999", "NI 192 "]), TEXT))
YEARS = st.integers(min_value=-1, max_value=10_000)
FY = st.integers(2000, 2025)
PERIODS = mostly(
    st.one_of(st.builds(lambda y: f"{y}/{(y + 1) % 100:02d}", FY),
              st.builds(lambda y, q: f"{y}/{(y + 1) % 100:02d}-Q{q}", FY, st.integers(1, 4)),
              st.builds(lambda y, h: f"{y}/{(y + 1) % 100:02d}-H{h}", FY, st.integers(1, 2)),
              st.builds(lambda y, m: f"{y}-{m:02d}", FY, st.integers(1, 12))),
    st.one_of(
        st.builds(lambda y: f"{y}/{(y + 1) % 100:02d}", YEARS),
        st.builds(lambda y, q: f"{y}/{(y + 1) % 100:02d}-Q{q}", st.integers(2000, 2030), st.integers(-1, 6)),
        st.builds(lambda y, m: f"{y}-{m:02d}", YEARS, st.integers(-1, 13)),
        st.from_regex(r"\A[0-9]{1,5}[/-][0-9]{1,3}(-[QHqh][0-9])?\Z"),
        TEXT,
    ),
)
DECIMALS = mostly(
    st.decimals(min_value=0, max_value=100, places=2).map(str),
    st.one_of(
        st.decimals(allow_nan=True, allow_infinity=True).map(str),
        st.integers(min_value=-10**30, max_value=10**30).map(str),
        st.floats().map(repr),
        st.sampled_from(["1e999999999", "-0", "+5", "1_000", "1,5", "0x10", "١٢", "NaN", "sNaN", "-Infinity",
                         "52.5.1", "..", "1e-999999999", "9" * 400]),
        TEXT,
    ),
)
WHENS = mostly(
    st.one_of(st.dates(min_value=date(2000, 1, 1), max_value=date(2030, 12, 31)).map(str),
              st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2030, 12, 31),
                           timezones=st.just(UTC)).map(datetime.isoformat)),
    st.one_of(
        st.datetimes(timezones=st.one_of(st.none(), st.just(UTC))).map(datetime.isoformat),
        st.dates().map(str),
        st.from_regex(r"\A[0-9]{4}-[0-9]{2}-[0-9]{2}(T[0-9]{2}:[0-9]{2}(:[0-9]{2})?([+-][0-9]{2}:[0-9]{2}|Z)?)?\Z"),
        st.sampled_from(["0001-01-01", "9999-12-31T23:59:59+14:00", "2024-02-30", "2024-13-01", "today", "now"]),
        TEXT,
    ),
)
INTS = mostly(st.integers(0, 20).map(str), st.one_of(st.integers(min_value=-10**20, max_value=10**20).map(str),
                                                      TEXT))
DIGESTS = st.one_of(
    st.builds(lambda n, h: f"{n}:{h}", st.integers(-5, 10**6), st.text("0123456789abcdef", max_size=70)),
    st.builds(lambda n, h, r: f"{n}:{h}:{r}", st.integers(0, 50), st.text("0123456789abcdef", max_size=64),
              st.text("0123456789abcdefg", max_size=64)),
    TEXT,
)


def enum_of(values: list[str]) -> st.SearchStrategy[str]:
    return mostly(st.sampled_from(values), TEXT)


STATUSES = enum_of([s.value for s in Status])
UNITS = enum_of([u.value for u in Unit])
POLARITIES = enum_of([p.value for p in Polarity])
FREQUENCIES = enum_of([f.value for f in Frequency])
ROLES = enum_of([r.value for r in Role])
REASONS = enum_of(["national-source-revision", "definition-change", "category-change", "error-correction",
                   "late-data"])


def options(**given: st.SearchStrategy[str]) -> st.SearchStrategy[list[str]]:
    """Any subset of the options, each with a generated value, flattened into arguments."""
    def named(name: str) -> Callable[[str], list[str]]:
        return lambda value: [f"--{name}", value]

    pairs = [st.one_of(st.none(), value.map(named(name))) for name, value in given.items()]
    return st.tuples(*pairs).map(lambda chosen: [a for pair in chosen if pair for a in pair])


# --- the properties ------------------------------------------------------------------------------
@FUZZ
@given(code=CODES, period=PERIODS, value=DECIMALS,
       extra=options(numerator=DECIMALS, denominator=DECIMALS, status=STATUSES, commentary=TEXT, source=TEXT,
                     reason=TEXT))
def test_return_submit(pl: Fuzzed, code: str, period: str, value: str, extra: list[str]) -> None:
    pl("return", "submit", code, period, value, *extra, actor="bob")


@FUZZ
@given(code=CODES, period=PERIODS, value=st.one_of(DECIMALS, st.builds("{}..{}".format, DECIMALS, DECIMALS)),
       extra=options(**{"monitoring-level": DECIMALS, "tolerance": DECIMALS, "agreed-with": TEXT,
                        "consent": TEXT, "reason": TEXT}))
def test_target_set(pl: Fuzzed, code: str, period: str, value: str, extra: list[str]) -> None:
    pl("target", "set", code, period, value, *extra)


@FUZZ
@given(code=CODES, title=TEXT, unit=UNITS, polarity=POLARITIES, frequency=FREQUENCIES,
       extra=options(decimals=INTS, tolerance=DECIMALS, **{"rate-base": DECIMALS, "reporting-lag": INTS},
                     baseline=DECIMALS, definition=TEXT, **{"proxy-for": CODES}))
def test_indicator_register(pl: Fuzzed, code: str, title: str, unit: str, polarity: str, frequency: str,
                            extra: list[str]) -> None:
    pl("indicator", "register", code, "--title", title, "--unit", unit, "--polarity", polarity,
       "--frequency", frequency, *extra)


@FUZZ
@given(name=TEXT, roles=st.lists(ROLES, max_size=3), organisation=st.one_of(st.none(), TEXT),
       actor=st.one_of(st.sampled_from(["alice", "bob", "ada", "nobody"]), TEXT))
def test_people_add(pl: Fuzzed, name: str, roles: list[str], organisation: str | None, actor: str) -> None:
    args = ["people", "add", name, *[a for r in roles for a in ("--role", r)]]
    pl(*args, *(["--organisation", organisation] if organisation is not None else []), actor=actor)


@FUZZ
@given(period=PERIODS, as_at=WHENS, since=WHENS, until=WHENS, code=CODES, actor=TEXT)
def test_reads_with_periods_and_whens(pl: Fuzzed, period: str, as_at: str, since: str, until: str, code: str,
                                      actor: str) -> None:
    pl("report", "rag", "--period", period, "--as-at", as_at)
    pl("audit", "trail", "--indicator", code, "--period", period, "--since", since, "--until", until)
    pl("indicator", "list", "--as-at", as_at)
    pl("report", "diff", "--from", since, "--to", until)
    pl("return", "list", code, "--as-at", as_at, actor=actor)


@FUZZ
@given(code=CODES, year=PERIODS, outlook=enum_of(["likely", "difficult", "unlikely"]), note=TEXT, due=WHENS,
       stage=INTS, tolerance=DECIMALS, start=PERIODS)
def test_plans_and_ladders(pl: Fuzzed, code: str, year: str, outlook: str, note: str, due: str, stage: str,
                           tolerance: str, start: str) -> None:
    pl("assess", code, year, "--outlook", outlook, "--note", note)
    pl("milestone", "add", code, "--title", note, "--due", due)
    pl("escalation", "raise", code, "--stage", stage, "--note", note)
    pl("rag", "default", "--tolerance", tolerance, "--from", start, "--reason", note)
    pl("period", "close", start, "--note", note)


@FUZZ
@given(position=INTS, digest=DIGESTS, year=PERIODS, size=INTS, seed=st.one_of(st.none(), TEXT), key=TEXT)
def test_audit_arguments(pl: Fuzzed, position: str, digest: str, year: str, size: str, seed: str | None,
                         key: str) -> None:
    pl("audit", "prove", position)
    pl("audit", "verify", "--digest", digest)
    pl("audit", "sample", "--year", year, "--size", size, *(["--seed", seed] if seed is not None else []),
       actor="ada")
    pl("adjust", "approve", key, actor="carol")
    pl("query", "resolve", key, "--outcome", "upheld", "--note", "checked", actor="carol")


@FUZZ
@given(code=CODES, period=PERIODS, value=DECIMALS, reason=REASONS,
       extra=options(justification=TEXT, evidence=TEXT, revision=INTS, numerator=DECIMALS))
def test_adjust_request(pl: Fuzzed, code: str, period: str, value: str, reason: str, extra: list[str]) -> None:
    pl("adjust", "request", code, period, value, "--reason", reason, *extra, actor="bob")


# --- CSV rows --------------------------------------------------------------------------------------
CELLS = {
    "indicator": CODES, "period": PERIODS, "value": DECIMALS, "numerator": DECIMALS, "denominator": DECIMALS,
    "status": STATUSES, "commentary": TEXT, "source": TEXT, "reason": TEXT,
}


def csv_text(header: list[str], rows: list[dict[str, str]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    for row in rows:
        writer.writerow([row.get(name, "") for name in header])
    return out.getvalue()


@st.composite
def returns_files(draw: st.DrawFn) -> bytes:
    header = draw(st.one_of(
        st.just(["indicator", "period", "value"]),
        st.lists(st.sampled_from([*CELLS, "extra", "", "Indicator"]), min_size=1, max_size=10),
    ))
    rows = draw(st.lists(st.fixed_dictionaries({name: CELLS.get(name, TEXT) for name in set(header)}),
                         max_size=6))
    text = csv_text(header, rows)
    encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "latin-1"]))
    data = text.encode(encoding, errors="surrogatepass" if encoding.startswith("utf") else "replace")
    return draw(st.one_of(st.just(data), st.binary(max_size=200), st.just(data[: len(data) // 2])))


@st.composite
def series_files(draw: st.DrawFn) -> bytes:
    header = draw(st.one_of(st.just(["period", "value"]), st.lists(
        st.sampled_from(["period", "value", "numerator", "denominator", "extra", ""]), min_size=1, max_size=5)))
    rows = draw(st.lists(st.fixed_dictionaries({name: CELLS.get(name, TEXT) for name in set(header)}),
                         max_size=6))
    data = csv_text(header, rows).encode("utf-8", errors="surrogatepass")
    return draw(st.one_of(st.just(data), st.binary(max_size=200)))


@FUZZ
@given(data=returns_files(), dry_run=st.booleans())
def test_return_import_rows(pl: Fuzzed, data: bytes, dry_run: bool) -> None:
    file = pl.file("returns.csv", data)
    pl("return", "import", file, *(["--dry-run"] if dry_run else []), actor="bob")


@FUZZ
@given(data=series_files(), code=CODES, reason=REASONS)
def test_adjust_request_series_rows(pl: Fuzzed, data: bytes, code: str, reason: str) -> None:
    file = pl.file("series.csv", data)
    pl("adjust", "request", code, "--series", file, "--reason", reason, "--justification", "restated",
       "--evidence", "WDF v2", actor="bob")


def test_the_generated_commands_reach_every_exit_code(pl: Fuzzed) -> None:
    """Not vacuous: the same checks see a success, a refusal and a usage error."""
    pl.exits.clear()
    pl("return", "submit", "NI 192", "2023/24-Q4", "40.5", actor="bob")
    pl("return", "submit", "NI 192", "2023/24-Q2", "40.5", "--reason", "late", actor="bob")
    pl("return", "submit", "NI 192", "2023/24-Q7", "40.5", actor="bob")
    assert pl.exits == {0: 1, 1: 1, 2: 1}


# --- defects the fuzzing found, held -----------------------------------------------------------------
@pytest.mark.parametrize("args", [
    ("return", "submit", "\udcff", "2023/24-Q4", "40.5"),  # a code typed in Latin-1: b"\xff" on argv
    ("people", "add", "J\udce9r\udcf4me", "--role", "viewer"),
    ("return", "submit", "NI 192", "2023/24-Q4", "40.5", "--commentary", "\ud800"),
])
def test_an_argument_that_is_not_utf8_is_a_usage_error_and_writes_nothing(pl: Fuzzed, args: tuple[str, ...]) -> None:
    """Found by test_return_submit: an undecodable byte in an argument (Python's lone surrogate)
    raised UnicodeEncodeError from the indicator's id, a traceback."""
    before = pl.size()
    result = pl(*args, actor="bob")
    assert result.exit_code == 2, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("error: argument "), lines[0]
    assert "is not valid text" in lines[0], lines[0]
    assert pl.size() == before
