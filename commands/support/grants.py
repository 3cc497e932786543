"""The writer role's grants (PostgreSQL), shared by init and admin grants."""

from __future__ import annotations

from commands.support.context import Ledger
from ledger.errors import Invalid, first_line


def view_tables() -> list[str]:
    from projections.schema import metadata

    return [table.name for table in metadata.sorted_tables]


def grant_writer_role(ledger: Ledger) -> list[str]:
    """Set up the writer role on this ledger's tables; the statements run. A session that may
    not (no CREATEROLE, not the owner) is refused in one line."""
    from eventsourcing.persistence import DatabaseError

    store = ledger.app.core.store
    statements = store.writer_grants(view_tables())
    try:
        store.apply(statements)
    except DatabaseError as error:
        raise Invalid(f"the writer role was not set up ({first_line(error)}): run perfledger admin grants "
                      "as the database owner (with CREATEROLE)") from None
    return statements
