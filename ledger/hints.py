"""Hints in messages, as data: the option or command that would fix a problem, without CLI syntax.

A rule that wants the user to give ``--reason`` or to run ``perfledger adjust list``
writes ``option("reason")`` or ``command("adjust list")`` into its message. Both
return markers; each front end words them its own way: the CLI as ``--reason``
and ``perfledger adjust list`` (``commands/words.py``), :func:`plain` as 'reason'
and 'adjust list'. The field names a message points at are data too
(:func:`options_in`). Imports nothing of ours, so policies may use it.
"""

from __future__ import annotations

import re
from collections.abc import Callable

_OPTION = re.compile("\u2039([^\u203a]+)\u203a")  # ‹reason›
_COMMAND = re.compile("\u00ab([^\u00bb]*)\u00bb")  # «adjust list --status pending»


def option(name: str) -> str:
    """An option the user gives, by its field name (``option("monitoring-level")``)."""
    return f"\u2039{name}\u203a"


def command(words: str) -> str:
    """A command, by its words after the program's name; may hold :func:`option` markers."""
    return f"\u00ab{words}\u00bb"


def render(text: str, as_option: Callable[[str], str], as_command: Callable[[str], str]) -> str:
    """TEXT with every marker worded by the given functions (commands after their options)."""
    def inner(found: re.Match[str]) -> str:
        return as_command(_OPTION.sub(lambda m: as_option(m.group(1)), found.group(1)))

    return _OPTION.sub(lambda m: as_option(m.group(1)), _COMMAND.sub(inner, text))


def plain(text: str) -> str:
    """TEXT for a reader with no particular front end: 'reason', 'adjust list'."""
    return render(text, lambda name: f"'{name}'", lambda words: f"'{words}'")


def options_in(text: str) -> list[str]:
    """The field names the markers of TEXT point at, in order."""
    return _OPTION.findall(text)
