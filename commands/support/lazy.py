"""Command groups loaded when first used (click's "lazily loading subcommands" pattern).

``LazyCommands`` is a group's ``commands`` mapping: its names are known from
``commands/groups.py`` without importing anything; a group's module is imported the first time
the group is looked up. Code that walks ``group.commands`` (the reference, the tests) sees every
group as before.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterable, Iterator, MutableMapping

import click

from commands.groups import Group


class LazyCommands(MutableMapping[str, click.Command]):
    """Name -> command, importing a group's module on first access."""

    def __init__(self, groups: Iterable[Group]) -> None:
        self.pending: dict[str, Group] = {group.name: group for group in groups}
        self.loaded: dict[str, click.Command] = {}

    def __getitem__(self, name: str) -> click.Command:
        if name not in self.loaded:
            group = self.pending.pop(name)  # KeyError: no such group
            command = getattr(importlib.import_module(group.module), group.attribute)
            if not isinstance(command, click.Command):
                raise TypeError(f"{group.module}.{group.attribute} is not a click command")
            self.loaded[name] = command
        return self.loaded[name]

    def __setitem__(self, name: str, command: click.Command) -> None:
        self.pending.pop(name, None)
        self.loaded[name] = command

    def __delitem__(self, name: str) -> None:
        if self.pending.pop(name, None) is None:
            del self.loaded[name]

    def __contains__(self, name: object) -> bool:
        return name in self.pending or name in self.loaded

    def __iter__(self) -> Iterator[str]:
        return iter([*self.loaded, *self.pending])

    def __len__(self) -> int:
        return len(self.loaded) + len(self.pending)

    def short_help(self, name: str, limit: int) -> str:
        """NAME's line in its parent's help, as click would write it, without importing it."""
        if name in self.pending:
            return click.Command(name, help=self.pending[name].help).get_short_help_str(limit)
        return self.loaded[name].get_short_help_str(limit)

    def hidden(self, name: str) -> bool:
        return name in self.loaded and self.loaded[name].hidden
