"""What the read side needs of the write side: the stored log, page by page, and its head.

The application's ``Core`` satisfies it; the read side never imports the application.
"""

from __future__ import annotations

from typing import Protocol

from ledger.app.core import LogEntry
from ledger.store.chain import ChainRow
from ledger.store.port import LogRow


class EventSource(Protocol):
    """The log as the views read it."""

    @property
    def plain_json_state(self) -> bool:
        """Whether stored states are plain JSON (the fast path may read them directly)."""
        ...

    def head(self) -> ChainRow | None: ...
    def log_rows(self, after: int, limit: int = ...) -> list[LogRow]: ...
    def log_entry(self, row: LogRow) -> LogEntry: ...
