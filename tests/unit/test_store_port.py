"""Both chained recorders satisfy the application's port.

mypy checks the types (the end of ledger/store/port.py); this checks the members at run time.
"""

from __future__ import annotations

import inspect

import pytest

from ledger.store.port import ChainedRecorder
from ledger.store.sqlite import ChainedSQLiteApplicationRecorder

METHODS = [name for name in dir(ChainedRecorder) if not name.startswith("_")]
MEMBERS = [*METHODS, "clock"]


def recorders() -> list[type]:
    found: list[type] = [ChainedSQLiteApplicationRecorder]
    try:
        from ledger.store.postgres import ChainedPostgresApplicationRecorder
    except ImportError:  # pragma: no cover - psycopg not installed
        return found
    return [*found, ChainedPostgresApplicationRecorder]


@pytest.mark.parametrize("recorder", recorders(), ids=lambda c: c.__name__)
def test_each_recorder_has_every_member_of_the_port(recorder: type) -> None:
    missing = [name for name in MEMBERS if not hasattr(recorder, name)]
    assert not missing, f"{recorder.__name__} lacks {missing}"


@pytest.mark.parametrize("recorder", recorders(), ids=lambda c: c.__name__)
def test_each_method_takes_the_ports_parameters(recorder: type) -> None:
    for name in METHODS:
        wanted = getattr(ChainedRecorder, name)
        given = inspect.signature(getattr(recorder, name)).parameters
        assert list(inspect.signature(wanted).parameters) == list(given), name
