"""``perfledger demo --size national``: a deterministic synthetic ledger of councils' returns, the
one-council report (``report rag --plan COUNCIL``) and the benchmarking across councils."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner

from commands.cli import cli
from commands.demo import national
from ledger.store.url import parse_store_url
from ledger.values import Frequency, Period, PeriodKind, Polarity, Target
from policies import benchmark, rag
from projections import queries
from projections.catchup.engine import make_engine
from projections.queries import councils as council_queries
from projections.reports.rag import build, row_period
from tests.conftest import postgres_schema
from tests.e2e.harness import Perfledger, refused

COUNCILS = 3


def _demo(url: str, *more: str) -> str:
    result = CliRunner().invoke(cli, ["--actor", "demo-user", "demo", "--db", url, "--size", "national", *more])
    assert result.exit_code == 0, result.stderr
    return result.stdout


@pytest.fixture(scope="module", params=["sqlite", "postgres"])
def ledger(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Perfledger]:
    """The national demo of 3 councils, built once a backend for this module's tests (read only)."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('national') / 'national.db'}"
        _demo(url, "--councils", str(COUNCILS))
        yield Perfledger(url)
        return
    with postgres_schema() as url:
        _demo(url, "--councils", str(COUNCILS))
        yield Perfledger(url)


def _revised(council: str, k: int, period: Period) -> bool:
    return national._noise("revised", council, k, period) % national.REVISED == 0


def _expected(council: str, report: Period, revisions: bool) -> dict[str, tuple[str, str, Decimal, str]]:
    """Each of COUNCIL's indicators: (its own period, target, figure, rating) in REPORT's RAG report."""
    found = {}
    for k in range(national.INDICATORS):
        own = row_period(national.frequency(k), report)
        returned = national.figure(council, k, own, revised=revisions and _revised(council, k, own))
        goal = national.target(council, k, own.financial_year)
        polarity = Polarity.HIGHER if k % 2 == 0 else Polarity.LOWER
        found[national.code(council, k)] = (str(own), str(goal.value), returned.value,
                                            rag.rate(returned.value, Target(goal.value), polarity, Decimal(5)))
    return found


def _revised_quarter(council: str) -> Period:
    """The last quarter-end report in which one of COUNCIL's rows was revised."""
    for quarter in reversed(national.quarters()):
        if quarter.index == 4 and any(_revised(council, k, row_period(national.frequency(k), quarter))
                                      for k in range(national.INDICATORS)):
            return quarter
    raise AssertionError("no revision at all")


def test_one_council_s_rag_report_is_report_rag_by_its_plan(ledger: Perfledger) -> None:
    council = national.councils(COUNCILS)[1]
    last = national.quarters()[-1]
    shown = json.loads(ledger.ok("report", "rag", "--plan", council, "--period", str(last), "--format", "json",
                                 actor="demo-user").stdout)
    rows = {row["indicator"]: row for row in shown["rows"]}
    assert len(shown["rows"]) == 150
    assert set(rows) == {national.code(council, k) for k in range(150)}
    expected = _expected(council, last, revisions=True)
    got = {code: (row["period"], row["target"], Decimal(row["actual"]), row["rating"]) for code, row in rows.items()}
    assert got == expected
    assert {rating for *_, rating in expected.values()} >= {"green", "red"}
    assert [g["priority"] for g in shown["groups"]] == [f"{council} P1"]
    kinds = {Period.parse(row["period"]).kind for row in shown["rows"]}
    assert kinds == {PeriodKind.MONTH, PeriodKind.QUARTER, PeriodKind.YEAR}  # 100 monthly, 40 quarterly, 10 annual


def test_a_council_s_report_reads_its_own_rows_and_gives_the_whole_report_s(ledger: Perfledger) -> None:
    council = national.councils(COUNCILS)[2]
    quarter, when = Period.quarter(2019, 4), datetime(2020, 6, 30, tzinfo=UTC)
    engine = make_engine(parse_store_url(ledger.url))
    try:
        with engine.connect() as conn:
            scoped = national.council_rag(conn, council, when, quarter)
            whole = build(conn, queries.position_at(conn, when), when, quarter)
    finally:
        engine.dispose()
    assert len(whole["rows"]) == COUNCILS * 150
    assert scoped["rows"] == [row for row in whole["rows"] if row["indicator"].startswith(f"{council} ")]


def test_as_at_before_a_revision_the_report_shows_the_figure_first_returned(ledger: Perfledger) -> None:
    council = national.councils(COUNCILS)[0]
    quarter = _revised_quarter(council)
    before = quarter.end + timedelta(days=national.RETURNED + 5)  # returned, not yet revised
    shown = json.loads(ledger.ok("report", "rag", "--plan", council, "--period", str(quarter), "--as-at",
                                 before.isoformat(), "--format", "json", actor="demo-user").stdout)
    got = {row["indicator"]: (row["period"], row["target"], Decimal(row["actual"]), row["rating"])
           for row in shown["rows"]}
    assert got == _expected(council, quarter, revisions=False)
    after = json.loads(ledger.ok("report", "rag", "--plan", council, "--period", str(quarter), "--format",
                                 "json", actor="demo-user").stdout)
    changed = {row["indicator"] for row in after["rows"] if Decimal(row["actual"]) != got[row["indicator"]][2]}
    assert changed == {national.code(council, k) for k in range(150)
                       if _revised(council, k, row_period(national.frequency(k), quarter))}
    assert changed


def test_the_benchmarking_across_councils_is_the_policy_s_quartiles_of_their_figures(ledger: Perfledger) -> None:
    chosen = national.councils(COUNCILS)
    council = chosen[2]
    month = Period.month(2024, 3)
    engine = make_engine(parse_store_url(ledger.url))
    try:
        with engine.connect() as conn:
            found = list(council_queries.benchmarking(conn, queries.position_at(conn, None), str(month), council))
            early = list(council_queries.benchmarking(conn, queries.position_at(conn, datetime.combine(
                month.end + timedelta(days=national.RETURNED + 1), datetime.min.time(), UTC)), str(month)))
    finally:
        engine.dispose()
    monthly = [k for k in range(150) if national.frequency(k) is Frequency.MONTHLY]
    assert [row["indicator"] for row in found] == [f"NI {k + 1:03d}" for k in monthly]
    for row, k in zip(found, monthly, strict=True):
        values = {c: national.figure(c, k, month, revised=_revised(c, k, month)).value for c in chosen}
        spread = benchmark.summarise(list(values.values()))
        assert spread is not None
        assert (row["councils"], row["q1"], row["median"], row["q3"]) == (
            COUNCILS, str(spread.q1), str(spread.median), str(spread.q3))
        assert (row["lowest"], row["highest"]) == (str(min(values.values())), str(max(values.values())))
        polarity = Polarity.HIGHER if k % 2 == 0 else Polarity.LOWER
        standing = benchmark.place(values[council], [v for c, v in values.items() if c != council], polarity)
        assert (row["council"], Decimal(row["figure"]), row["quartile"], row["rank"]) == (
            council, values[council], standing.quartile, standing.rank)
    for row, k in zip(early, monthly, strict=True):  # as at before the revisions: the first figures
        first = benchmark.summarise([national.figure(c, k, month).value for c in chosen])
        assert first is not None
        assert row["median"] == str(first.median)
        assert "council" not in row


def test_report_benchmarking_prints_the_query_s_rows_to_readers_only(ledger: Perfledger) -> None:
    council = national.councils(COUNCILS)[0]
    shown = json.loads(ledger.ok("report", "benchmarking", "--period", "2023/24-Q4", "--council", council,
                                 "--as-at", "2024-06-30", "--format", "json", actor="demo-user").stdout)
    engine = make_engine(parse_store_url(ledger.url))
    try:
        with engine.connect() as conn:
            position = queries.position_at(conn, datetime(2024, 6, 30, 23, 59, 59, tzinfo=UTC))
            assert shown == list(council_queries.benchmarking(conn, position, "2023/24-Q4", council))
    finally:
        engine.dispose()
    assert len(shown) == 40  # the quarterly national indicators
    assert {row["councils"] for row in shown} == {COUNCILS}
    refused(ledger("report", "benchmarking", "--period", "2023/24-Q4", actor="nobody"), 1,
            "nobody is not on the roster")


def test_report_benchmarking_refuses_a_council_the_ledger_does_not_hold(ledger: Perfledger) -> None:
    before = ledger.ok("audit", "digest", actor="demo-user").stdout
    refused(ledger("report", "benchmarking", "--period", "2023/24-Q4", "--council", "E99000001",
                   actor="demo-user"), 1, "unknown council 'E99000001' as at that time")
    refused(ledger("report", "benchmarking", "--period", "2023/24-Q4", "--council", national.councils(1)[0],
                   "--as-at", "2010-01-01", actor="demo-user"), 1, "unknown council")  # not yet registered
    assert ledger.ok("audit", "digest", actor="demo-user").stdout == before


def test_the_same_councils_give_the_same_ledger(tmp_path: Path) -> None:
    dumps = []
    for name in ("a.db", "b.db"):
        _demo(f"sqlite:///{tmp_path / name}", "--councils", "1")
        engine = make_engine(parse_store_url(f"sqlite:///{tmp_path / name}"))
        with engine.connect() as conn:
            dumps.append(queries.dump(conn))
        engine.dispose()
    assert dumps[0] == dumps[1]  # every view, row for row: ids, figures, recording times
    assert len(dumps[0]["pl_return_versions"]) == national.returns_per_council() + 256  # and its revisions
    assert {row[0].split(" ")[0] for row in dumps[0]["pl_return_versions"]} == set(national.councils(1))
    years = [Period.year_of(y) for y in range(national.FIRST, national.FIRST + national.YEARS)]
    assert {Period.parse(row[1]) for row in dumps[0]["pl_return_versions"]} == {
        *national.months(), *national.quarters(), *years}


def test_the_full_size_is_for_postgresql(tmp_path: Path) -> None:
    assert national.returns_per_council() * len(national.councils()) == 4_342_900
    url = f"sqlite:///{tmp_path / 'national.db'}"
    result = CliRunner().invoke(cli, ["demo", "--db", url, "--size", "national"])
    refused(result, 1, "a national demo of 317 councils (4,342,900 returns) is for PostgreSQL")
    assert not (tmp_path / "national.db").exists()
    result = CliRunner().invoke(cli, ["demo", "--db", url, "--size", "national", "--councils", "6"])
    refused(result, 1, "on SQLite, --councils 5 or fewer")
    result = CliRunner().invoke(cli, ["demo", "--db", url, "--councils", "2"])
    assert result.exit_code == 2
    assert "--councils N goes with --size national" in result.stderr
