"""Errors a user can act on. Each carries one line that says what is wrong and how to fix it."""

from __future__ import annotations


class LedgerError(Exception):
    """A refusal: bad value, failed control or missing permission (exit 1)."""

    control: str | None = None


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
    """A control refused the act (permission, designation, separation, closed period)."""

    def __init__(self, message: str, control: str) -> None:
        super().__init__(message)
        self.control = control


class NotInitialised(LedgerError):
    pass


class Busy(LedgerError):
    """Other writers kept the ledger busy past every retry."""
