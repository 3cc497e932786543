"""The CLI's wording of the core's hints: ``--reason`` for an option, ``perfledger adjust list``
for a command (ledger/hints.py)."""

from __future__ import annotations

from ledger.errors import LedgerError
from ledger.hints import render


def cli_words(text: str) -> str:
    """TEXT with its option and command markers as a CLI user types them."""
    return render(text, lambda name: f"--{name}", lambda words: f"perfledger {words}")


def message(error: LedgerError) -> str:
    """An error's one line, in the CLI's words."""
    return cli_words(error.message)
