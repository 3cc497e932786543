"""The steps every use case repeats, in one decorator: authorise by ``Act``, retry on a
concurrent write, then run the reactions to what was saved.

    class Returns(Part):
        @use_case(Act.RETURN_SUBMIT)
        def submit(self, actor: str, item: ReturnInput) -> str:
            ...  # get -> decide -> self.core.save(...)

The body runs inside the retry loop (so it must only decide and save, and may run
more than once); the actor is always the first argument after ``self``. With
``retry=False`` the body runs once (it retries its own steps, like a ladder review).
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Concatenate, ParamSpec, TypeVar

from ledger.app.core import Core
from policies.authorisation import Act

P = ParamSpec("P")
R = TypeVar("R")
S = TypeVar("S", bound="Part")

__all__ = ["Part", "use_case"]


class Part:
    """A bounded part of the application: its use cases share the core and nothing else."""

    def __init__(self, core: Core) -> None:
        self.core = core


def use_case(act: Act | None, *, retry: bool = True) -> Callable[
        [Callable[Concatenate[S, str, P], R]], Callable[Concatenate[S, str, P], R]]:
    """Authorise the actor for ACT (None: the body authorises itself), retry, react."""

    def decorate(body: Callable[Concatenate[S, str, P], R]) -> Callable[Concatenate[S, str, P], R]:
        @functools.wraps(body)
        def run(part: S, actor: str, /, *args: P.args, **kwargs: P.kwargs) -> R:
            core = part.core

            def attempt() -> R:
                if act is not None:
                    core.authorise(actor, act)
                return body(part, actor, *args, **kwargs)

            with core.recording() as changes:
                result = core.run(attempt) if retry else attempt()
            core.reactions.react(changes)
            return result

        return run

    return decorate
