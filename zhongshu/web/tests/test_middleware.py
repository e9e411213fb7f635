"""CurrentCompanyMiddleware and the error templates."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.test import RequestFactory

from zhongshu.core.models import Company
from zhongshu.web.middleware import CurrentCompanyMiddleware


def respond(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok")


@pytest.mark.django_db
def test_api_requests_are_left_to_the_api(rf: RequestFactory, owner: User) -> None:
    # given
    request = rf.get("/api/v1/companies/")
    request.user = owner
    # when
    CurrentCompanyMiddleware(respond)(request)
    # then
    assert not hasattr(request, "company")


@pytest.mark.django_db
def test_page_requests_get_company_and_roles(
    rf: RequestFactory, owner: User, company: Company
) -> None:
    # given
    request = rf.get("/")
    request.user = owner
    request.session = {}  # type: ignore[assignment]
    # when
    CurrentCompanyMiddleware(respond)(request)
    # then
    assert request.company == company  # type: ignore[attr-defined]
    assert request.roles == {"owner"}  # type: ignore[attr-defined]
    assert request.company_read_only is False  # type: ignore[attr-defined]
    assert request.session["company_id"] == company.pk


def test_the_500_page_renders_without_a_request() -> None:
    # when: Django's server_error renders with an empty context
    html = render_to_string("500.html")
    # then
    assert "500" in html
    assert "web/app.css" in html
