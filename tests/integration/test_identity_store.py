"""A ledger made before logins and signatures were recorded opens, verifies and takes writes:
the chain table gains its two columns, and the older leaves (with no login) still verify."""

from __future__ import annotations

from decimal import Decimal

from ledger.app import LedgerApp, parse_store_url
from ledger.values import Role
from tests.integration.tampering import Tamperer


def test_a_chain_table_without_the_identity_columns_is_upgraded(store_url: str) -> None:
    app = LedgerApp(parse_store_url(store_url))
    app.people.initialise("alice", "alice", Decimal(5))
    table = app.core.recorder.events_table_name  # type: ignore[attr-defined]
    app.close()
    db = Tamperer(store_url, table)
    try:  # the rows and the table as the first wave made them: no login in any leaf, no columns
        db.sql("UPDATE {C} SET login = ''")
        db.rechain_from(1)
        db.sql("ALTER TABLE {C} DROP COLUMN login")
        db.sql("ALTER TABLE {C} DROP COLUMN signature")
    finally:
        db.close()
    app = LedgerApp(parse_store_url(store_url))
    try:
        assert app.audit.verify().ok
        app.people.add("alice", "bob", [Role.VIEWER], None)
        verdict = app.audit.verify()
        assert (verdict.ok, verdict.size) == (True, 4)
    finally:
        app.close()
