"""Calling the assembled API as a token holder, for the partners tests and
the modules above partners (``zhongshu.api.tests.client`` is above their
layer)."""

from __future__ import annotations

import io
import json
from typing import Any

from django.contrib.auth.models import User
from django.test import Client

from zhongshu.core import services as core_services
from zhongshu.core.models import Company


class ApiClient:
    def __init__(
        self, user: User, company: Company, prefix: str = "/api/v1/partners"
    ) -> None:
        _token, key = core_services.issue_api_token(
            company=company, user=user, name=f"tests-{user.pk}-{prefix}"
        )
        self.client = Client()
        self.prefix = prefix
        self.headers: dict[str, Any] = {
            "HTTP_AUTHORIZATION": f"Bearer {key}",
            "HTTP_ACCEPT_LANGUAGE": "en",
        }

    # Responses are the test client's (typed Any: they carry ``.json()``).
    def request(self, method: str, path: str, body: Any = None, **headers: Any) -> Any:
        return self.client.generic(
            method,
            self.prefix + path,
            data="" if body is None else json.dumps(body),
            content_type="application/json",
            **{**self.headers, **headers},
        )

    def get(self, path: str) -> Any:
        return self.request("GET", path)

    def post(self, path: str, body: Any = None, **headers: Any) -> Any:
        return self.request("POST", path, body, **headers)

    def put(self, path: str, body: Any) -> Any:
        return self.request("PUT", path, body)

    def delete(self, path: str) -> Any:
        return self.request("DELETE", path)

    def upload(self, path: str, content: bytes) -> Any:
        file = io.BytesIO(content)
        file.name = "upload.xlsx"
        return self.client.post(self.prefix + path, {"file": file}, **self.headers)


def error_of(response: Any) -> dict[str, Any]:
    body: dict[str, Any] = response.json()
    assert set(body) == {"code", "message", "fields"}, body
    return body
