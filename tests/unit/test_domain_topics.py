"""Every aggregate's topics are known to a process that loads its parts lazily: ``ledger.domain.load_all``
imports every module that defines an aggregate (a new one forgotten there could not be decoded by a
catch-up in a process that never used its part)."""

from __future__ import annotations

import subprocess
import sys

PROBE = """
import importlib, pkgutil, sys
import ledger.domain
from eventsourcing.domain import Aggregate
ledger.domain.load_all()
loaded = set(sys.modules)
missing = []
for info in pkgutil.iter_modules(ledger.domain.__path__):
    name = f"ledger.domain.{info.name}"
    if name in loaded:
        continue
    module = importlib.import_module(name)
    if any(isinstance(v, type) and issubclass(v, Aggregate) and v.__module__ == name for v in vars(module).values()):
        missing.append(name)
print(",".join(missing))
"""


def test_load_all_imports_every_module_that_defines_an_aggregate() -> None:
    found = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True, check=True)
    assert found.stdout.strip() == ""
