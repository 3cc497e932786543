"""Fixtures of the integration tests: the adversarial suite's ledger and its tamperer."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.integration.tampering import Built, Tamperer, build_ledger


@pytest.fixture
def built(store_url: str) -> Built:
    return build_ledger(store_url)


@pytest.fixture
def db(built: Built) -> Iterator[Tamperer]:
    tamperer = Tamperer(built.url, built.events_table)
    yield tamperer
    tamperer.close()
