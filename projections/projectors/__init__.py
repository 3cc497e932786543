"""Projectors: pure folds of one event into the read-model tables, one module per part of the
ledger, listed once in ``registry.py``."""
