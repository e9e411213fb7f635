"""Fixtures of the API tests: clients calling as the owner of ``company``."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User

from zhongshu.api.tests.client import ApiClient, as_token
from zhongshu.core.models import Company


@pytest.fixture
def owner_api(company: Company, owner: User) -> ApiClient:
    """The owner of ``company`` calling with a personal token."""
    return as_token(owner, company)
