"""Reads of the general ledger, one module per area (import the submodule)."""
