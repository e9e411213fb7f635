"""Fixtures of the page tests."""

from __future__ import annotations

import importlib
import importlib.util

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib.auth.models import User
from django.test import Client

from zhongshu.core import testing
from zhongshu.core.models import Company, Role

# Every app's testing module registers the factories the page tenancy probe
# looks up; import them all so the probe also works when run on its own.
for _config in apps.get_app_configs():
    if importlib.util.find_spec(f"{_config.name}.testing") is not None:
        importlib.import_module(f"{_config.name}.testing")


@pytest.fixture
def client(client: Client) -> Client:
    """Tests read English labels and messages; the zh-hans catalogs are
    written separately and would change them."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.fixture
def chinese_client(db: None) -> Client:
    """A visitor who has not chosen a language: the default, zh-hans."""
    return Client()


@pytest.fixture
def owner_client(client: Client, owner: User) -> Client:
    client.force_login(owner)
    return client


@pytest.fixture
def sales_user(company: Company) -> User:
    return testing.member(company, [Role.SALES], username="xiaowang")


@pytest.fixture
def sales_client(client: Client, sales_user: User) -> Client:
    client.force_login(sales_user)
    return client


@pytest.fixture
def accountant_client(client: Client, company: Company) -> Client:
    client.force_login(testing.member(company, [Role.ACCOUNTANT], username="kuaiji"))
    return client
