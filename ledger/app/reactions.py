"""Reactions: what runs after a use case's events are saved, by subscription, not by call.

A reaction subscribes to event topics (the stable names events are stored under) with
the function to run; after every use
case the core's recorded changes are matched against the subscriptions and each
reaction is called once with the subjects (indicator codes, for the ladder) whose
events it cares about. No use case calls a reaction by hand, so a new write path
cannot forget one. The subscriptions are made in one place, ``ledger/app/__init__.py``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

__all__ = ["Change", "Reaction", "Reactions", "subject_of"]

Reaction = Callable[[set[str]], object]


@dataclass(frozen=True)
class Change:
    """One saved event: its stored topic and its subject (the natural key of what it is about)."""

    topic: str
    subject: str


def subject_of(aggregate: object) -> str:
    """The natural key an aggregate is about: its indicator's code where it has one."""
    for name in ("indicator", "code"):
        value = getattr(aggregate, name, None)
        if isinstance(value, str):
            return value
    return ""


class Reactions:
    """The subscriptions: event topics -> the reaction to run with their subjects."""

    def __init__(self) -> None:
        self._subscriptions: list[tuple[frozenset[str], Reaction]] = []

    def subscribe(self, topics: Iterable[str], react: Reaction) -> None:
        self._subscriptions.append((frozenset(topics), react))

    def react(self, changes: Iterable[Change]) -> None:
        """Run each reaction once with the subjects of the changes it subscribed to."""
        changes = list(changes)
        for topics, react in self._subscriptions:
            subjects = {c.subject for c in changes if c.topic in topics and c.subject}
            if subjects:
                react(subjects)
