"""The CLI's log (structlog, on stderr), configured when a command first logs.

``perfledger -v`` only records the wish here: structlog (and the asyncio it imports) is loaded
by the first line logged, never by a command that logs nothing or by ``--help``."""

from __future__ import annotations

import logging
import sys
from typing import Any

_verbose = False
_configured = False


def configure(verbose: bool) -> None:
    """Log each action (``-v``) or warnings only; takes effect at the first line logged."""
    global _verbose, _configured
    _verbose, _configured = verbose, False


def logger() -> Any:
    """The perfledger logger: console lines on a TTY, JSON lines otherwise."""
    global _configured
    import structlog

    if not _configured:
        renderer: Any = (structlog.dev.ConsoleRenderer() if sys.stderr.isatty()
                         else structlog.processors.JSONRenderer())
        structlog.configure(
            processors=[
                structlog.processors.add_log_level,
                structlog.processors.TimeStamper(fmt="iso", utc=True),
                renderer,
            ],
            wrapper_class=structlog.make_filtering_bound_logger(
                logging.INFO if _verbose else logging.WARNING),
            logger_factory=structlog.PrintLoggerFactory(sys.stderr),
            cache_logger_on_first_use=False,
        )
        _configured = True
    return structlog.get_logger("perfledger")
