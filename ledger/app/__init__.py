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

from ledger.app.actions import Actions
from ledger.app.adjustments import Adjustments
from ledger.app.agreements import Agreements
from ledger.app.audit import Audit
from ledger.app.benchmarks import Benchmarks
from ledger.app.contributions import Contributions
from ledger.app.core import Core
from ledger.app.escalations import Intervention
from ledger.app.imports import Imports
from ledger.app.indicators import Indicators
from ledger.app.people import People
from ledger.app.plans import Plans
from ledger.app.quality import Quality
from ledger.app.returns import Returns
from ledger.app.risks import Risks
from ledger.app.targets import Targets
from ledger.store.url import (
    DEFAULT_URL,
    StoreConfig,
    StoreURLError,
    parse_store_url,
    sqlite_where,
    unreachable,
)

# The events (by stored topic) after which the ladder reviews an indicator again: its reviews
# read the returns, the targets and the pro forma.
LADDER_EVENTS = ("perfledger/Return.Submitted", "perfledger/Return.Revised", "perfledger/Return.Restated",
                 "perfledger/Targets.TargetSet", "perfledger/Indicator.Revised")


class LedgerApp:
    """The application service: one attribute per part, every part on one core."""

    def __init__(self, config: StoreConfig, clock: Callable[[], datetime] | None = None) -> None:
        self.core = core = Core(config, clock)
        self.people = People(core)
        self.indicators = Indicators(core)
        self.returns = Returns(core)
        self.imports = Imports(core)
        self.targets = Targets(core)
        self.adjustments = Adjustments(core)
        self.escalations = Intervention(core)
        self.quality = Quality(core)
        self.audit = Audit(core)
        self.risks = Risks(core)
        self.actions = Actions(core)
        self.plans = Plans(core)
        self.agreements = Agreements(core)
        self.contributions = Contributions(core)
        self.benchmarks = Benchmarks(core)
        # reactions: one line each
        core.reactions.subscribe(LADDER_EVENTS, self.escalations.react)
        core.reactions.subscribe(Risks.MOVES_AFTER, self.risks.react)

    def close(self) -> None:
        self.core.close()


__all__ = ["DEFAULT_URL", "Core", "LedgerApp", "StoreConfig", "StoreURLError", "parse_store_url",
           "sqlite_where", "unreachable"]
