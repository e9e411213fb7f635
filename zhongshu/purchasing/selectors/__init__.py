"""Reads of purchasing and payables."""
