"""A JSON client for /api/v1 in tests, calling as a token or a browser session."""

from __future__ import annotations

import json
from typing import Any

from django.contrib.auth.models import User
from django.http import HttpResponse
from django.test import Client

from zhongshu.core import services
from zhongshu.core.models import Company

BASE = "/api/v1"


class ApiClient:
    def __init__(self, **headers: str) -> None:
        self.client = Client()
        self.headers = dict(headers)

    def request(
        self, method: str, path: str, body: Any = None, **headers: str
    ) -> HttpResponse:
        if body is None:
            data: str | bytes = ""
        elif isinstance(body, str | bytes):
            data = body  # sent as is: malformed JSON, oversized bodies
        else:
            data = json.dumps(body)
        url = path if path.startswith(BASE + "/") else BASE + path
        response: HttpResponse = self.client.generic(
            method,
            url,
            data=data,
            content_type="application/json",
            **{**self.headers, **headers},
        )
        return response

    def get(self, path: str, **headers: str) -> HttpResponse:
        return self.request("GET", path, **headers)

    def post(self, path: str, body: Any = None, **headers: str) -> HttpResponse:
        return self.request("POST", path, body, **headers)

    def put(self, path: str, body: Any = None, **headers: str) -> HttpResponse:
        return self.request("PUT", path, body, **headers)

    def patch(self, path: str, body: Any = None, **headers: str) -> HttpResponse:
        return self.request("PATCH", path, body, **headers)

    def delete(self, path: str, **headers: str) -> HttpResponse:
        return self.request("DELETE", path, **headers)


def issue_key(user: User, company: Company, name: str = "tests") -> str:
    _token, key = services.issue_api_token(company=company, user=user, name=name)
    return key


def as_token(user: User, company: Company, **headers: str) -> ApiClient:
    """A program calling with a fresh personal token of ``user`` in ``company``."""
    key = issue_key(user, company, name=f"tests-{company.code}-{user.pk}")
    return ApiClient(HTTP_AUTHORIZATION=f"Bearer {key}", **headers)


def as_session(user: User, **headers: str) -> ApiClient:
    """The browser of a signed-in ``user`` (CSRF not enforced, as in Client)."""
    client = ApiClient(**headers)
    client.client.force_login(user)
    return client


def error_of(response: HttpResponse) -> dict[str, Any]:
    """The error body, after checking it has exactly the agreed shape."""
    body: dict[str, Any] = response.json()
    assert set(body) == {"code", "message", "fields"}, body
    assert isinstance(body["message"], str)
    assert body["message"]
    assert isinstance(body["fields"], dict)
    return body
