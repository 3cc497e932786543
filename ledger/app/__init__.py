"""The perfledger application: its parts composed in one place.

Each part (one module each) holds the shared ``Core`` and nothing else of the
application; no part inherits another. Use cases are methods decorated with
``use_case(Act.X)`` (``ledger/app/usecase.py``); reactions subscribe here to the
events they care about. docs/architecture.md shows how to add a part, a use case
and a reaction. The store is chosen by URL (``parse_store_url``): the CLI reaches
``ledger/store`` only through this package.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from functools import cached_property
from typing import TYPE_CHECKING

from ledger.app.core import Core
from ledger.store.url import (
    DEFAULT_URL,
    StoreConfig,
    StoreURLError,
    parse_store_url,
    sqlite_where,
    unreachable,
)
from ledger.vocabulary import RISK_MOVES_AFTER

# The events (by stored topic) after which the ladder reviews an indicator again: its reviews
# read the returns, the targets and the pro forma.
LADDER_EVENTS = ("perfledger/Return.Submitted", "perfledger/Return.Revised", "perfledger/Return.Restated",
                 "perfledger/Targets.TargetSet", "perfledger/Indicator.Revised")


if TYPE_CHECKING:
    from ledger.app.actions import Actions
    from ledger.app.adjustments import Adjustments
    from ledger.app.agreements import Agreements
    from ledger.app.audit import Audit
    from ledger.app.benchmarks import Benchmarks
    from ledger.app.contributions import Contributions
    from ledger.app.escalations import Intervention
    from ledger.app.imports import Imports
    from ledger.app.indicators import Indicators
    from ledger.app.people import People
    from ledger.app.plans import Plans
    from ledger.app.quality import Quality
    from ledger.app.returns import Returns
    from ledger.app.risks import Risks
    from ledger.app.targets import Targets


class LedgerApp:
    """The application service: one attribute per part, every part on one core.

    A part is built (and its module, with its aggregates, imported) the first time it is used, so a
    command that only reads loads the core alone (docs/architecture.md, "Start-up"); the reactions
    subscribe by topic and reach their part when an event they follow is saved.
    """

    def __init__(self, config: StoreConfig, clock: Callable[[], datetime] | None = None) -> None:
        self.core = core = Core(config, clock)
        # reactions: one line each
        core.reactions.subscribe(LADDER_EVENTS, lambda codes: self.escalations.react(codes))
        core.reactions.subscribe(RISK_MOVES_AFTER, lambda codes: self.risks.react(codes))

    @cached_property
    def people(self) -> People:
        from ledger.app.people import People
        return People(self.core)

    @cached_property
    def indicators(self) -> Indicators:
        from ledger.app.indicators import Indicators
        return Indicators(self.core)

    @cached_property
    def returns(self) -> Returns:
        from ledger.app.returns import Returns
        return Returns(self.core)

    @cached_property
    def imports(self) -> Imports:
        from ledger.app.imports import Imports
        return Imports(self.core)

    @cached_property
    def targets(self) -> Targets:
        from ledger.app.targets import Targets
        return Targets(self.core)

    @cached_property
    def adjustments(self) -> Adjustments:
        from ledger.app.adjustments import Adjustments
        return Adjustments(self.core)

    @cached_property
    def escalations(self) -> Intervention:
        from ledger.app.escalations import Intervention
        return Intervention(self.core)

    @cached_property
    def quality(self) -> Quality:
        from ledger.app.quality import Quality
        return Quality(self.core)

    @cached_property
    def audit(self) -> Audit:
        from ledger.app.audit import Audit
        return Audit(self.core)

    @cached_property
    def risks(self) -> Risks:
        from ledger.app.risks import Risks
        return Risks(self.core)

    @cached_property
    def actions(self) -> Actions:
        from ledger.app.actions import Actions
        return Actions(self.core)

    @cached_property
    def plans(self) -> Plans:
        from ledger.app.plans import Plans
        return Plans(self.core)

    @cached_property
    def agreements(self) -> Agreements:
        from ledger.app.agreements import Agreements
        return Agreements(self.core)

    @cached_property
    def contributions(self) -> Contributions:
        from ledger.app.contributions import Contributions
        return Contributions(self.core)

    @cached_property
    def benchmarks(self) -> Benchmarks:
        from ledger.app.benchmarks import Benchmarks
        return Benchmarks(self.core)

    def close(self) -> None:
        self.core.close()


__all__ = ["DEFAULT_URL", "Core", "LedgerApp", "StoreConfig", "StoreURLError", "parse_store_url",
           "sqlite_where", "unreachable"]
