"""PostgreSQL: the actor is the login. Real login roles are created in the test database's
cluster for each test (and dropped after): a session whose login is bound acts as its person,
a claim to be anyone else is refused (and recorded), and the database itself refuses to
UPDATE, DELETE or TRUNCATE the events and the chain for every bound login."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from click.testing import Result
from eventsourcing.application import Application

from commands.cli import cli
from ledger.app import LedgerApp, parse_store_url
from ledger.values import Role
from tests.conftest import postgres_schema
from tests.e2e.harness import EVIDENCE, Perfledger, only_the_refusal_was_recorded, refused


@dataclass
class Logins:
    """Three ledger sessions: the owner's (who runs init), alice's login and dora's."""

    owner: str
    schema: str
    roles: dict[str, str]

    def url(self, person: str) -> str:
        base, _, query = self.owner.partition("?")
        scheme, _, rest = base.partition("://")
        host = rest.split("@", 1)[1]
        return f"{scheme}://{self.roles[person]}@{host}?{query}"

    def as_(self, person: str, *args: str, actor: str | None = None) -> Result:
        return Perfledger(self.url(person)).runner.invoke(
            cli, ["--db", self.url(person), *(["--actor", actor] if actor else []), *args])

    def ok(self, person: str, *args: str, actor: str | None = None) -> Result:
        result = self.as_(person, *args, actor=actor)
        assert result.exit_code == 0, result.stderr
        return result

    def sql(self, person: str, statement: str) -> str:
        """Run STATEMENT connected as PERSON's login; the database's error, or "" if it ran."""
        import psycopg

        dsn = self.url(person).split("?")[0]
        with psycopg.connect(dsn, autocommit=True) as conn:
            try:
                conn.execute(statement.format(s=f'"{self.schema}"'))
            except psycopg.Error as error:
                return str(error).splitlines()[0]
        return ""


@pytest.fixture
def logins() -> Iterator[Logins]:
    import psycopg

    with postgres_schema() as url:
        suffix = uuid.uuid4().hex[:8]
        roles = {person: f"pl_{person}_{suffix}" for person in ("alice", "dora", "bob", "eve")}
        admin = url.split("?")[0]
        with psycopg.connect(admin, autocommit=True) as conn:
            for role in roles.values():
                conn.execute(f'CREATE ROLE "{role}" LOGIN')
        try:
            yield Logins(url, url.split("schema=")[1], roles)
        finally:
            with psycopg.connect(admin, autocommit=True) as conn:
                for role in roles.values():
                    conn.execute(f'DROP OWNED BY "{role}"')
                    conn.execute(f'DROP ROLE "{role}"')


def bound(logins: Logins) -> Logins:
    """init binds alice to her login; she enrols bob (improvement manager) and dora (data-quality
    officer), each bound to their own login; bob requests an adjustment."""
    owner = Perfledger(logins.owner)
    owner.ok("init", "--admin", "alice", "--login", logins.roles["alice"])
    logins.ok("alice", "people", "add", "bob", "--role", "improvement-manager", "--login", logins.roles["bob"])
    logins.ok("alice", "people", "add", "dora", "--role", "data-quality-officer", "--login", logins.roles["dora"])
    logins.ok("alice", "people", "add", "pat", "--role", "performance-support")
    logins.ok("alice", "indicator", "register", "NI 192", "--title", "Household waste recycled", "--unit",
              "percent", "--polarity", "higher", "--frequency", "quarterly")
    logins.ok("bob", "return", "submit", "NI 192", "2008/09-Q1", "36.40")
    logins.ok("alice", "period", "close", "2008/09-Q1")
    return logins


@pytest.fixture
def ledger(logins: Logins) -> Logins:
    return bound(logins)


def request(ledger: Logins) -> str:
    return ledger.ok("bob", "adjust", "request", "NI 192", "2008/09-Q1", "36.90", *EVIDENCE).stdout.strip()


def test_alices_login_cannot_approve_as_dora_and_only_the_refusal_is_written(ledger: Logins) -> None:
    rid = request(ledger)
    alice = Perfledger(ledger.url("alice"))
    before = alice.digest()
    refused(ledger.as_("alice", "adjust", "approve", rid, actor="dora"), 1,
            f"the database login {ledger.roles['alice']} is alice's: it cannot act as dora")
    only_the_refusal_was_recorded(alice, before, "alice", "adjust approve", "identity")
    assert json.loads(alice.ok("adjust", "show", rid, "--format", "json").stdout)["status"] == "pending"
    ledger.ok("dora", "adjust", "approve", rid)  # dora's own login: no --actor needed
    shown = json.loads(alice.ok("adjust", "show", rid, "--format", "json").stdout)
    assert (shown["status"], shown["decided_by"]) == ("approved", "dora")
    trail = json.loads(alice.ok("audit", "trail", "--format", "json").stdout)
    approval = next(r for r in trail if r["event"] == "Adjustment.Approved")
    assert (approval["actor"], approval["login"]) == ("dora", ledger.roles["dora"])
    assert alice.ok("audit", "verify").stdout.startswith("ok: ")
    assert ledger.roles["dora"] in alice.ok("audit", "trail").stdout  # the table shows the login column


def test_the_owner_and_unbound_logins_act_for_no_one_once_logins_are_bound(ledger: Logins) -> None:
    refused(Perfledger(ledger.owner)("people", "list", actor="alice"), 1,
            "is bound to no one, and this ledger binds people to logins")
    # a login never bound holds no grant on the ledger's schema: the database itself refuses it
    refused(ledger.as_("eve", "people", "list", actor="pat"), 1, "permission denied for schema")


@pytest.mark.parametrize("person", ["alice", "dora"])
@pytest.mark.parametrize("statement", [
    "UPDATE {s}.ledger_events SET topic = 'x'",
    "DELETE FROM {s}.ledger_events",
    "TRUNCATE {s}.ledger_events",
    "UPDATE {s}.perfledger_chain SET leaf = 'x'",
    "DELETE FROM {s}.perfledger_chain",
    "TRUNCATE {s}.perfledger_chain",
])
def test_the_database_refuses_rewriting_for_every_bound_login(ledger: Logins, person: str, statement: str) -> None:
    error = ledger.sql(person, statement)
    assert error.startswith("permission denied for table"), error
    assert Perfledger(ledger.url("alice")).ok("audit", "verify").stdout.startswith("ok: ")


def test_a_raw_insert_by_a_bound_login_in_a_colleagues_name_is_forged(ledger: Logins) -> None:
    """INSERT is granted (the ledger's own writes need it), but the chain row records the server's
    session_user, so an event in dora's name written by alice's login is found."""
    app = LedgerApp(parse_store_url(ledger.url("alice")))
    try:  # alice's own code: enrol mallory "by dora", saved past the client's checks
        roster = app.core.roster()
        roster.add("mallory", [Role.VIEWER], None, "dora")
        Application.save(app.core, roster)
    finally:
        app.close()
    result = Perfledger(ledger.url("alice"))("audit", "verify")
    assert result.exit_code == 1
    assert "FORGED: " in result.stderr
    assert f"the event by dora was written by the login {ledger.roles['alice']}, which is alice's" in result.stderr


def test_binding_refuses_a_login_that_does_not_exist_and_writes_nothing(ledger: Logins) -> None:
    alice = Perfledger(ledger.url("alice"))
    before = alice.digest()
    refused(ledger.as_("alice", "people", "bind", "pat", "--login", "no_such_login_x", "--reason", "new"), 1,
            "could not be granted the writer role")
    assert alice.digest() == before
    refused(ledger.as_("alice", "people", "bind", "pat", "--login", ledger.roles["dora"], "--reason", "x"), 1,
            "is already bound to dora")


def test_admin_grants_prints_the_sql_and_only_an_administrator_runs_it(ledger: Logins) -> None:
    printed = ledger.ok("alice", "admin", "grants", "--print-only").stdout
    assert "GRANT SELECT, INSERT ON" in printed
    assert "perfledger_writer" in printed
    refused(ledger.as_("bob", "admin", "grants"), 1, "bob may not set up the database's writer role")


def test_sqlite_has_no_logins_to_bind(tmp_path: object) -> None:
    pl = Perfledger(f"sqlite:///{tmp_path}/l.db")
    refused(pl("init", "--admin", "alice", "--login", "alice_login"), 1, "database logins are PostgreSQL's")
