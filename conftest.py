"""Shared pytest fixtures: a company with its owner, a second company for
isolation tests."""

from __future__ import annotations

import pytest

from zhongshu.core import testing


@pytest.fixture
def company(db):  # type: ignore[no-untyped-def]
    return testing.make_company("ACME", name="示例商贸有限公司")


@pytest.fixture
def owner(company):  # type: ignore[no-untyped-def]
    return testing.owner_of(company)


@pytest.fixture
def other_company(db):  # type: ignore[no-untyped-def]
    return testing.make_company("OTHER", name="别家公司")
