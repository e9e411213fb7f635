"""Calling /api/v1/purchasing with a personal token, for the purchasing API
tests (``zhongshu.api.tests.client`` is above purchasing's layer), as sales'
API tests do."""

from __future__ import annotations

import json
from typing import Any

from django.contrib.auth.models import User
from django.test import Client

from zhongshu.core import services as core_services
from zhongshu.core.models import Company

BASE = "/api/v1/purchasing"


class ApiClient:
    def __init__(self, key: str) -> None:
        self.client = Client(
            HTTP_AUTHORIZATION=f"Bearer {key}", HTTP_ACCEPT_LANGUAGE="en"
        )

    # Responses are the test client's (typed Any: they carry ``.json()``).
    def request(self, method: str, path: str, body: Any = None, **headers: Any) -> Any:
        return self.client.generic(
            method,
            f"{BASE}{path}",
            data=json.dumps(body) if body is not None else "",
            content_type="application/json",
            **headers,
        )

    def get(self, path: str) -> Any:
        return self.request("GET", path)

    def post(self, path: str, body: Any = None, **headers: Any) -> Any:
        return self.request("POST", path, {} if body is None else body, **headers)

    def put(self, path: str, body: Any = None) -> Any:
        return self.request("PUT", path, body)


def as_token(user: User, company: Company) -> ApiClient:
    _token, key = core_services.issue_api_token(
        company=company, user=user, name=f"tests-{user.pk}"
    )
    return ApiClient(key)


def error_of(response: Any) -> dict[str, Any]:
    body: dict[str, Any] = response.json()
    assert set(body) == {"code", "message", "fields"}, body
    return body
