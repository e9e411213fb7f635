"""Fixtures of inventory's tests."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def english() -> Iterator[None]:
    """Messages are matched in English; zh-hans is the default language."""
    with translation.override("en"):
        yield
