"""Catching the views up with the log: the page runner, its writer, the fast path for the
hot events, and replay verification (rebuild in scratch space and compare)."""
