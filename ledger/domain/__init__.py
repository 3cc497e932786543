"""The aggregates: one module each, with explicit, stable event topics."""

from __future__ import annotations

_loaded = False


def load_all() -> None:
    """Import every aggregate module, so that every stored topic (``perfledger/Risk.Added``, ...) is
    known to the event mapper: the application loads its parts (and their aggregates) only when used,
    so whatever decodes arbitrary stored events - the log read by a catch-up, a replay, the trail -
    calls this first. Cheap after the first call."""
    global _loaded
    if _loaded:
        return
    import importlib

    for name in ("action", "adjustment", "agreement", "assessment", "audit", "benchmark", "calendar",
                 "contribution", "designations", "escalation", "indicator", "issued_report",
                 "ledger_settings", "plan", "query", "refusal", "returns", "risk", "roster", "targets"):
        importlib.import_module(f"ledger.domain.{name}")
    _loaded = True
