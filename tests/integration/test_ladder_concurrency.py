"""Processes running the ladder together never record a decision twice (DESIGN.md: exactly once).

Three fresh interpreters open the same ledger and, released together by a barrier, each run
the ladder over the same indicators. Every decision is a new version of the indicator's
``Escalations`` stream and every new case creates a ``CaseIndex`` whose id derives from its
trigger, so the losers of each race conflict, retry, and find the work already done.
"""

from __future__ import annotations

from collections import Counter
from decimal import Decimal
from typing import Any

from ledger.app import LedgerApp
from ledger.domain.escalation import LadderInForce
from ledger.domain.indicator import ProForma
from ledger.store.url import parse_store_url
from ledger.values import Frequency, Period, Polarity, Target, Unit
from policies.ladder import HALTON
from tests.helpers import ret
from tests.integration.concurrently import run_together, whole_log

CODES = [f"LAA {n}" for n in range(1, 9)]
HALVES = {"2008/09-H1": "40", "2008/09-H2": "41", "2009/10-H1": "42", "2009/10-H2": "47"}
SIX_MONTHLY = ProForma("Adults in sport", Unit.PERCENT, Polarity.HIGHER, Frequency.HALF_YEARLY)


def review_worker(url: str, name: str, codes: list[str], barrier: Any, opening: Any,
                  results: Any) -> None:
    outcome: list[str] = []
    try:
        with opening:
            app = LedgerApp(parse_store_url(url))
        try:
            barrier.wait(timeout=60)
            outcome.append(str(app.escalations.review_ladder(codes)))
        except Exception as exc:
            outcome.append(f"error {type(exc).__name__}: {exc}")
        finally:
            app.close()
    except Exception as exc:
        barrier.abort()
        outcome.append(f"worker failed {type(exc).__name__}: {exc}")
    results.put((name, outcome))


def test_three_processes_running_the_ladder_at_once_record_each_decision_once(
        app: LedgerApp, store_url: str) -> None:
    for code in CODES:
        app.indicators.register("alice", code, SIX_MONTHLY)
        for year in ("2008/09", "2009/10"):
            goal = Target(Decimal(50), monitoring_level=Decimal(45))
            app.targets.set("alice", code, Period.parse(year), goal, None, "LAA")
        for half, value in HALVES.items():
            app.returns.submit("alice", ret(code, half, value))
    # The ladder is put in force without running it, so the race below does all the work.
    ladder = LadderInForce()
    ladder.adopt(HALTON, "halton", "alice")
    app.core.save(ladder)
    before = app.audit.digest().size

    reported = run_together(review_worker, store_url, {f"w{n}": CODES for n in range(3)})

    counts = [outcome[0] for outcome in reported.values()]
    assert all(c.isdigit() for c in counts), counts
    per_indicator = 4  # opened at stage 1, stage 2, stage 3, closed
    assert sum(int(c) for c in counts) == len(CODES) * per_indicator
    topics = Counter(type(e.event).TOPIC for e in whole_log(app) if e.position > before)
    assert topics == {"perfledger/Escalations.Opened": len(CODES),
                      "perfledger/Escalations.CaseOpened": len(CODES),
                      "perfledger/EscalationCase.Recorded": len(CODES),
                      "perfledger/Escalations.StageReached": 2 * len(CODES),
                      "perfledger/Escalations.CaseClosed": len(CODES)}
    assert app.audit.verify().ok
    assert app.escalations.review_ladder(CODES) == 0
