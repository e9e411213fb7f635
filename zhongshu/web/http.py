"""What the shell adds to a page request, for type checkers and for views."""

from __future__ import annotations

from typing import cast

from django.contrib.auth.models import User
from django.http import HttpRequest, QueryDict

from zhongshu.core.models import Company

SESSION_COMPANY_KEY = "company_id"


class CompanyRequest(HttpRequest):
    """A page request after ``CurrentCompanyMiddleware`` (never instantiated)."""

    company: Company | None
    roles: set[str]
    company_read_only: bool
    user_companies: list[Company]


class CompanyPageRequest(CompanyRequest):
    """A request inside ``company_page``: signed in, with a current company."""

    company: Company


def posted(request: HttpRequest) -> QueryDict | None:
    """Form data of a POST, else None (an unbound form). ``request.POST or
    None`` would be wrong: a POST of only cleared checkboxes is empty."""
    return request.POST if request.method == "POST" else None


def acting_user(request: HttpRequest) -> User:
    """The signed-in user, typed as services expect (pages are login-only)."""
    return cast(User, request.user)
