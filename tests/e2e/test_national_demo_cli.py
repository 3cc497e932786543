"""``perfledger demo --size national``: a deterministic synthetic ledger of councils' returns."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from click.testing import CliRunner

from commands.cli import cli
from commands.demo import national
from ledger.store.url import parse_store_url
from ledger.values import Period
from projections import queries
from projections.catchup.engine import make_engine
from tests.e2e.harness import refused


def _demo(url: str, *more: str) -> str:
    result = CliRunner().invoke(cli, ["--actor", "demo-user", "demo", "--db", url, "--size", "national", *more])
    assert result.exit_code == 0, result.stderr
    return result.stdout


def test_a_council_s_returns_as_at_a_time(store_url: str) -> None:
    shown = _demo(store_url, "--councils", "1")
    assert "1 councils, 150 indicators, 6,000 returns" in shown
    council = national.councils(1)[0]
    engine = make_engine(parse_store_url(store_url))
    try:
        with engine.connect() as conn:
            last = national.quarters()[-1]
            latest = national.council_report(conn, council, None, last)
            assert [row["indicator"] for row in latest] == [f"{council} NI {k:03d}" for k in range(1, 151)]
            revised = [row for row in latest if row["version"] == 2]
            assert revised  # about 2% of them, corrected 60 days after the quarter ended
            before = national.council_report(conn, council, datetime.combine(
                last.end + timedelta(days=30), datetime.min.time(), UTC), last)
            was = {row["indicator"]: row for row in before}
            for row in revised:  # as at 30 days after the quarter: the figures first returned
                assert was[row["indicator"]]["version"] == 1
                assert was[row["indicator"]]["value"] != row["value"]
            assert national.council_report(conn, "E99999999", None, last) == []
    finally:
        engine.dispose()


def test_the_same_councils_give_the_same_ledger(tmp_path: Path) -> None:
    dumps = []
    for name in ("a.db", "b.db"):
        _demo(f"sqlite:///{tmp_path / name}", "--councils", "2")
        engine = make_engine(parse_store_url(f"sqlite:///{tmp_path / name}"))
        with engine.connect() as conn:
            dumps.append(queries.dump(conn))
        engine.dispose()
    assert dumps[0] == dumps[1]  # every view, row for row: ids, figures, recording times
    assert len(dumps[0]["pl_return_versions"]) > 12_000
    councils = {row[0].split(" ")[0] for row in dumps[0]["pl_return_versions"]}
    assert councils == set(national.councils(2))
    assert {Period.parse(row[1]) for row in dumps[0]["pl_return_versions"]} == set(national.quarters())


def test_the_full_size_is_for_postgresql(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'national.db'}"
    result = CliRunner().invoke(cli, ["demo", "--db", url, "--size", "national"])
    refused(result, 1, "a national demo of 317 councils (1,902,000 returns) is for PostgreSQL")
    assert not (tmp_path / "national.db").exists()
    result = CliRunner().invoke(cli, ["demo", "--db", url, "--size", "national", "--councils", "6"])
    refused(result, 1, "on SQLite, --councils 5 or fewer")
    result = CliRunner().invoke(cli, ["demo", "--db", url, "--councils", "2"])
    assert result.exit_code == 2
    assert "--councils N goes with --size national" in result.stderr
