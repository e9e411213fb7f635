"""Fixtures of the partners tests."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def english() -> Iterator[None]:
    """Tests read English messages; the zh-hans catalogue is written
    separately and would change them."""
    with translation.override("en"):
        yield
