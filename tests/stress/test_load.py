"""Load: 8 OS processes x 200 mixed commands against one ledger, on each backend.

Afterwards nothing is lost or doubled (the ledger grew by exactly the events the workers saved,
and each kind of event by exactly the commands that succeeded), no command gave up "busy" (the
retry budget of ``ledger/app/core.py``), the chain verifies against the digest taken before, and
a replay of every view from the events in scratch space equals the live views.
"""

from __future__ import annotations

import time
from collections import Counter

import pytest

from ledger.app import LedgerApp
from ledger.app.core import ATTEMPTS, budget
from ledger.domain.returns import PeriodReturn
from ledger.store.url import parse_store_url
from ledger.values import Period
from projections.catchup.engine import make_engine
from projections.catchup.replay import verify_views
from tests.helpers import ret
from tests.integration.concurrently import run_together, whole_log
from tests.stress.conftest import Figures
from tests.stress.load import HOT, Report, hot_worker, load_worker, set_up

pytestmark = pytest.mark.stress

PROCESSES = 8
COMMANDS = 200
SEED = 20261205

# Which event each successful command writes (a quality warning may add a Return.Warned).
WRITTEN = {
    ("submit", "new"): "perfledger/Return.Submitted",
    ("submit", "revised"): "perfledger/Return.Revised",
    ("target", "ok"): "perfledger/Targets.TargetSet",
    ("query", "ok"): "perfledger/Return.QueryRaised",
    ("resolve", "ok"): "perfledger/Return.QueryResolved",
    ("validate", "ok"): "perfledger/Return.Validated",
    ("request", "ok"): "perfledger/Adjustment.Requested",
    ("approve", "ok"): "perfledger/Adjustment.Approved",
    ("reject", "ok"): "perfledger/Adjustment.Rejected",
}


def topics(app: LedgerApp) -> Counter[str]:
    """How many events of each stored topic the ledger holds."""
    found: Counter[str] = Counter()
    after = 0
    while rows := app.core.log_rows(after, 1000):
        found.update(row[4] for row in rows)
        after = rows[-1][0]
    return found


def test_eight_processes_of_mixed_commands_lose_double_and_give_up_nothing(
    store_url: str, backend: str, figures: Figures
) -> None:
    set_up(store_url, PROCESSES)
    app = LedgerApp(parse_store_url(store_url))
    try:
        setup = app.audit.digest()
        before = topics(app)
        work = {f"w{n}": (n, SEED + n, COMMANDS) for n in range(PROCESSES)}
        began = time.monotonic()
        reported: dict[str, Report] = run_together(load_worker, store_url, work)
        elapsed = time.monotonic() - began

        errors = [f"{name}: {e}" for name, r in reported.items() for e in r.errors]
        assert not errors, errors[:5]
        outcomes: Counter[tuple[str, str]] = Counter()
        for report in reported.values():
            outcomes.update(report.outcomes)
            assert sum(report.outcomes.values()) == COMMANDS, report
        starts = [r.started for r in reported.values()]
        assert max(starts) < min(r.finished for r in reported.values()), "the workers did not overlap"

        # no command gave up busy: the retry budget held at 8 writers
        gave_up = sum(r.gave_up for r in reported.values())
        busy = sum(n for (_, outcome), n in outcomes.items() if outcome == "busy")
        assert (busy, gave_up) == (0, 0), f"{busy} command(s) gave up busy: {outcomes}"

        # nothing lost, nothing doubled: the ledger grew by exactly what the workers saved...
        saved = sum(r.saved for r in reported.values())
        head = app.core.head()
        assert head is not None
        assert head.position == setup.size + saved, (head.position, setup.size, saved)
        log = list(whole_log(app))
        assert [e.position for e in log] == list(range(1, head.position + 1)), "positions not gapless"
        recorded = [e.recorded_at for e in log]
        assert recorded == sorted(recorded), "recorded_at goes backwards along the chain"
        # ...and each kind of event by exactly the commands that succeeded
        grown = topics(app)
        grown.subtract(before)
        for (kind, outcome), topic in WRITTEN.items():
            assert grown[topic] == outcomes[(kind, outcome)], (topic, grown[topic], outcomes)
        refused = sum(n for (_, outcome), n in outcomes.items() if outcome == "refused")
        assert grown["perfledger/Refusal.Recorded"] == refused
        assert grown == sum((r.saved_by_topic for r in reported.values()), Counter()), "saved != stored"
        assert outcomes[("self-approve", "refused")] > 0, "the separation of duties was never tried"
        assert outcomes[("submit", "revised")] > 0, outcomes
        assert outcomes[("approve", "ok")] > 0, outcomes

        # the chain verifies, and extends the digest taken before the load
        verdict = app.audit.verify(setup)
        assert verdict.ok is True, verdict
        assert verdict.size == head.position

        # a replay of every view from the events equals the live views
        engine = make_engine(parse_store_url(store_url))
        try:
            replay = verify_views(app.core, engine)
        finally:
            engine.dispose()
        assert replay.ok, [d.describe() for table in replay.tables for d in table.shown][:10]
        assert replay.position == head.position
    finally:
        app.close()

    commands = PROCESSES * COMMANDS
    writes = sum(n for (kind, outcome), n in outcomes.items() if not kind.startswith("read") and outcome != "nothing")
    window = max(r.finished for r in reported.values()) - min(starts)
    retries = sum(r.retries for r in reported.values())
    figures(f"{PROCESSES} processes x {COMMANDS} commands = {commands} ({writes} writes tried, "
            f"{commands - writes} reads); {saved} events saved ({sum(outcomes[k] for k in WRITTEN)} "
            f"successful writes, {refused} refusals recorded); "
            f"{sum(n for (_, o), n in outcomes.items() if o == 'invalid')} invalid (nothing written)")
    figures(f"{window:.1f} s of load ({elapsed:.1f} s with start-up): {commands / window:.0f} commands/s, "
            f"{saved / window:.0f} events/s; retries used {retries} (the most by one command "
            f"{max(r.most_retries for r in reported.values())}); busy give-ups {busy} "
            f"(budget: {ATTEMPTS} tries, waits <= {budget():.2f} s)")


HOT_REVISIONS = 25


def test_eight_processes_revising_one_return_all_get_through(
    store_url: str, backend: str, figures: Figures
) -> None:
    """The heaviest contention: every write of every process races the other seven on one
    aggregate. Each revision is retried until it lands; none gives up busy, none is lost."""
    set_up(store_url, PROCESSES)
    app = LedgerApp(parse_store_url(store_url))
    try:
        app.returns.submit("alice", ret(HOT[0], HOT[1], "30.0"))
        setup = app.audit.digest()
        reported: dict[str, Report] = run_together(
            hot_worker, store_url, {f"w{n}": (n, HOT_REVISIONS) for n in range(PROCESSES)})
        errors = [f"{name}: {e}" for name, r in reported.items() for e in r.errors]
        assert not errors, errors[:5]
        outcomes: Counter[tuple[str, str]] = sum((r.outcomes for r in reported.values()), Counter())
        total = PROCESSES * HOT_REVISIONS
        gave_up = sum(r.gave_up for r in reported.values())
        assert outcomes == Counter({("submit", "revised"): total}), f"{gave_up} gave up busy: {outcomes}"

        hot = app.core.load(PeriodReturn, HOT[0], Period.parse(HOT[1]))
        assert hot is not None
        assert hot.revision == 1 + total, "a revision was lost or doubled"
        saved = sum(r.saved for r in reported.values())
        head = app.core.head()
        assert head is not None
        assert head.position == setup.size + saved
        verdict = app.audit.verify(setup)
        assert verdict.ok is True, verdict
    finally:
        app.close()
    window = max(r.finished for r in reported.values()) - min(r.started for r in reported.values())
    retries = sum(r.retries for r in reported.values())
    figures(f"{PROCESSES} processes x {HOT_REVISIONS} revisions of one return: {total} landed in "
            f"{window:.1f} s ({total / window:.0f}/s); retries used {retries} "
            f"({retries / total:.2f} per revision, the most by one revision "
            f"{max(r.most_retries for r in reported.values())} of {ATTEMPTS - 1} allowed); "
            f"busy give-ups {gave_up}")
