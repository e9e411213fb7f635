"""Bad input gets one clear JSON error and changes nothing."""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from typing import Any

import pytest
from django.core.handlers.asgi import ASGIRequest
from django.http import HttpRequest, HttpResponse

from zhongshu.api.middleware import ApiBodyLimitMiddleware
from zhongshu.api.tests.client import ApiClient, error_of
from zhongshu.core import selectors, services
from zhongshu.core.models import Company

pytestmark = pytest.mark.django_db

VALID_USCC = "91350100M000100Y43"


def new_company(**fields: object) -> dict[str, object]:
    return {"code": "NEW", "name": "新公司", **fields}


def test_malformed_json_is_a_400(owner_api):
    # when
    response = owner_api.post("/companies", '{"code": "NEW", "name": ')

    # then
    assert response.status_code == 400
    assert error_of(response)["code"] == "malformed_json"
    assert not Company.objects.filter(code="NEW").exists()


def test_a_body_that_is_not_utf8_is_malformed_json(owner_api):
    # when
    response = owner_api.post("/companies", b'{"code": "\xff\xfe"}')

    # then
    assert response.status_code == 400
    assert error_of(response)["code"] == "malformed_json"


def test_a_declared_oversized_body_is_refused_unread(owner_api, settings):
    # given
    settings.API_MAX_BODY_BYTES = 100

    # when
    response = owner_api.post("/companies", new_company(name="x" * 200))

    # then
    assert response.status_code == 413
    assert error_of(response)["code"] == "body_too_large"
    assert not Company.objects.filter(code="NEW").exists()


def test_a_body_at_the_real_limit_plus_one_byte_is_refused(owner_api, settings):
    # when
    padding = " " * settings.API_MAX_BODY_BYTES
    response = owner_api.post("/companies", json.dumps(new_company()) + padding)

    # then
    assert response.status_code == 413
    assert error_of(response)["code"] == "body_too_large"


def test_djangos_own_body_limit_answers_413_too(owner_api, settings):
    # given the API would allow more than Django reads into memory
    settings.API_MAX_BODY_BYTES = 10_000
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 100

    # when
    response = owner_api.post("/companies", new_company(name="x" * 200))

    # then
    assert response.status_code == 413
    assert error_of(response)["code"] == "body_too_large"
    assert not Company.objects.filter(code="NEW").exists()


def asgi_request(body: bytes, headers: list[tuple[bytes, bytes]]) -> ASGIRequest:
    scope = {
        "type": "http",
        "method": "POST",
        "path": "/api/v1/companies",
        "query_string": b"",
        "headers": headers,
    }
    return ASGIRequest(scope, io.BytesIO(body))


def never_called(request: HttpRequest) -> HttpResponse:
    raise AssertionError("An oversized body must not reach the API.")


def test_a_chunked_body_is_measured(settings):
    # given an ASGI request without a length whose body is larger than the limit
    settings.API_MAX_BODY_BYTES = settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 100
    middleware = ApiBodyLimitMiddleware(never_called)
    request = asgi_request(b"x" * 500, [(b"transfer-encoding", b"chunked")])

    # when
    response = middleware(request)

    # then
    assert response.status_code == 413
    assert isinstance(response, HttpResponse)
    assert json.loads(response.content)["code"] == "body_too_large"


def test_a_nonsense_content_length_is_a_400(settings):
    # given
    middleware = ApiBodyLimitMiddleware(never_called)
    request = asgi_request(b"{}", [(b"content-length", b"-5")])

    # when
    response = middleware(request)

    # then
    assert response.status_code == 400


def test_a_wrong_uscc_is_a_field_error_and_creates_nothing(owner_api):
    # given the last character is not the check character
    wrong = VALID_USCC[:-1] + "2"

    # when
    response = owner_api.post("/companies", new_company(uscc=wrong))

    # then
    assert response.status_code == 422
    error = error_of(response)
    assert error["code"] == "validation_error"
    assert list(error["fields"]) == ["uscc"]
    assert not Company.objects.filter(code="NEW").exists()


def test_a_valid_uscc_is_accepted(owner_api):
    # when
    response = owner_api.post("/companies", new_company(uscc=VALID_USCC))

    # then
    assert response.status_code == 201
    assert response.json()["uscc"] == VALID_USCC


@pytest.mark.parametrize("code", ["ACME", "acme"])
def test_a_duplicate_company_code_is_a_conflict(owner_api, code):
    # given ACME exists
    companies_before = Company.objects.count()

    # when
    response = owner_api.post("/companies", new_company(code=code))

    # then
    assert response.status_code == 409
    error = error_of(response)
    assert error["code"] == "conflict"
    assert list(error["fields"]) == ["code"]
    assert Company.objects.count() == companies_before


def test_schema_errors_name_each_field(owner_api):
    # when
    response = owner_api.post(
        "/companies",
        {"code": "N" * 33, "taxpayer_type": "huge", "fiscal_year_start_month": "x"},
    )

    # then
    assert response.status_code == 422
    error = error_of(response)
    assert error["code"] == "validation_error"
    assert set(error["fields"]) == {
        "code",
        "name",
        "taxpayer_type",
        "fiscal_year_start_month",
    }
    assert all(error["fields"][name] for name in error["fields"])


def test_an_unknown_field_is_an_error_not_silently_dropped(owner_api):
    # when
    response = owner_api.post("/companies", new_company(fiscal_year_start=4))

    # then
    assert response.status_code == 422
    assert list(error_of(response)["fields"]) == ["fiscal_year_start"]


def test_a_body_that_is_not_an_object_is_a_validation_error(owner_api):
    # when
    response = owner_api.post("/companies", "[1, 2]")

    # then
    assert response.status_code == 422
    assert list(error_of(response)["fields"]) == ["body"]


def test_a_crash_is_a_500_without_internals(owner_api, monkeypatch):
    # given
    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("secret database detail")

    monkeypatch.setattr(selectors, "list_user_companies", broken)

    # when
    response = owner_api.get("/companies")

    # then
    assert response.status_code == 500
    assert error_of(response)["code"] == "server_error"
    assert b"secret" not in response.content
    assert b"Traceback" not in response.content


def test_a_crash_after_the_work_saves_nothing(owner_api, monkeypatch):
    # given the response cannot be rendered after the company was created
    create_company = services.create_company

    def create_then_break(**kwargs: Any) -> Company:
        company = create_company(**kwargs)
        company.code = None  # type: ignore[assignment]
        return company

    monkeypatch.setattr(services, "create_company", create_then_break)

    # when
    response = owner_api.post("/companies", new_company())

    # then
    assert response.status_code == 500
    assert not Company.objects.filter(code="NEW").exists()


ERRORS: dict[str, Callable[[ApiClient], HttpResponse]] = {
    "not_authenticated": lambda api: ApiClient().get("/me"),
    "invalid_token": lambda api: ApiClient(HTTP_AUTHORIZATION="Bearer x").get("/me"),
    "company_mismatch": lambda api: api.get("/me", HTTP_X_COMPANY="OTHER"),
    "no such route": lambda api: api.get("/no-such-thing"),
    "no such object": lambda api: api.get("/audit/999999"),
    "method_not_allowed": lambda api: api.put("/me"),
    "malformed_json": lambda api: api.post("/companies", "{"),
    "validation_error": lambda api: api.post("/companies", {}),
    "path_parameter": lambda api: api.get("/audit/not-a-number"),
    "query_parameter": lambda api: api.get("/audit?page=0"),
    "conflict": lambda api: api.post("/companies", new_company(code="ACME")),
    "invalid_idempotency_key": lambda api: api.post(
        "/companies", new_company(), HTTP_IDEMPOTENCY_KEY=""
    ),
}


@pytest.mark.parametrize("case", list(ERRORS))
def test_every_error_has_the_same_shape(owner_api, case):
    # when
    response = ERRORS[case](owner_api)

    # then
    assert 400 <= response.status_code < 500
    assert response["Content-Type"] == "application/json; charset=utf-8"
    error_of(response)


def test_messages_follow_the_request_language(owner_api):
    # when
    response = owner_api.get("/audit/not-a-number", HTTP_ACCEPT_LANGUAGE="en")

    # then
    assert response["Content-Language"] == "en"
    assert error_of(response)["fields"]["audit_entry_id"] == ["Enter a whole number."]
