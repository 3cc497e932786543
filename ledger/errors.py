"""Errors a user can act on. Each carries one line that says what is wrong and how to fix it.

The line is data, not CLI words: options and commands in it are markers
(``ledger/hints.py``) that each front end words its own way; ``str(error)`` is the
plain wording, ``error.message`` the marked text, ``error.options`` the fields it names.
"""

from __future__ import annotations

from ledger.hints import options_in, plain


class LedgerError(Exception):
    """A refusal: bad value, failed control or missing permission (exit 1)."""

    control: str | None = None

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    @property
    def options(self) -> list[str]:
        """The options (field names) the message points at, e.g. ["reason"]."""
        return options_in(self.message)

    def __str__(self) -> str:
        return plain(self.message)


class NotFound(LedgerError):
    pass


class Invalid(LedgerError):
    """The input is malformed or breaks a rule of the framework."""


class Problems(Invalid):
    """Several problems at once (a file's rows): each is printed on its own line, then the summary."""

    def __init__(self, problems: list[str], summary: str) -> None:
        self.problems = problems
        super().__init__(summary)


class Refused(LedgerError):
    """A control refused the act (permission, designation, separation, closed period).

    ``recorded``: whether the attempt is kept as a refusal event (a refused write is; a refused
    read changes nothing, the ledger included)."""

    def __init__(self, message: str, control: str, *, recorded: bool = True) -> None:
        super().__init__(message)
        self.control = control
        self.recorded = recorded


class Unproven(Refused):
    """The actor's identity is not proven (control "identity"): no key, someone else's key, or a
    database login bound to another person. ``record_as`` names who the refusal is recorded
    under (the login's person); None: nothing is written, not even the refusal."""

    def __init__(self, message: str, record_as: str | None = None) -> None:
        super().__init__(message, control="identity")
        self.record_as = record_as


class NotInitialised(LedgerError):
    pass


class Busy(LedgerError):
    """Other writers kept the ledger busy past every retry."""


def first_line(error: BaseException) -> str:
    """The first line of an error from below (a database's), for a one-line refusal."""
    text = str(error).strip()
    return text.splitlines()[0] if text else type(error).__name__
