"""Writes of purchasing and payables."""
