"""Who is calling and for which company.

Two ways in, tried in this order:

* a personal API token, ``Authorization: Bearer zs_<prefix>_<secret>``, for
  programs. The token belongs to one company; an ``X-Company`` header naming
  another one is refused (403 ``company_mismatch``) rather than ignored, so a
  script pointed at the wrong company fails loudly.
* the browser's Django session, with CSRF checked as ninja's ``django_auth``
  does. The company is the ``X-Company`` header (a company code) if sent,
  else the one chosen in the web UI's switcher (``session["company_id"]``).
  A company the user is not a member of answers 404 ``company_not_found``,
  exactly like one that does not exist, so codes cannot be probed.

Either way ``request.auth`` becomes a ``core.api.ApiContext``.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.http import HttpRequest
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from ninja.security import APIKeyCookie, HttpBearer
from ninja.utils import check_csrf

from zhongshu.api.errors import ApiError
from zhongshu.core import permissions, selectors, services
from zhongshu.core.apikit import ApiContext
from zhongshu.core.models import Company

__all__ = ["ApiContext", "SessionAuth", "TokenAuth", "session_auth", "token_auth"]

COMPANY_HEADER = "X-Company"

_TOKEN_PROBLEMS: dict[str, Promise] = {
    "invalid_token": _("The API token is not valid."),
    "token_expired": _("The API token has expired."),
    "token_revoked": _("The API token has been revoked."),
    "user_inactive": _("The account this API token belongs to is disabled."),
    "not_a_member": _(
        "The owner of this API token is no longer a member of its company."
    ),
}


def _token_refused(code: str) -> ApiError:
    message = _TOKEN_PROBLEMS.get(code, _TOKEN_PROBLEMS["invalid_token"])
    return ApiError(
        401,
        code if code in _TOKEN_PROBLEMS else "invalid_token",
        message,
        # RFC 6750: tell the client which scheme, and that its token failed.
        headers={"WWW-Authenticate": 'Bearer error="invalid_token"'},
    )


def _company_not_found() -> ApiError:
    return ApiError(
        404,
        "company_not_found",
        _("No company with this code exists among your companies."),
    )


class TokenAuth(HttpBearer):
    def __call__(self, request: HttpRequest) -> ApiContext | None:
        header = request.headers.get("Authorization", "")
        scheme, _space, key = header.partition(" ")
        if scheme.lower() != "bearer":
            return None  # not ours: the session may still authenticate
        return self.authenticate(request, key.strip())

    def authenticate(self, request: HttpRequest, token: str) -> ApiContext:
        api_token = services.authenticate_api_token(token)
        if api_token is None:
            raise _token_refused("invalid_token")
        problem = services.token_problem(api_token)
        if problem is not None:
            raise _token_refused(problem)
        company = api_token.company
        named = request.headers.get(COMPANY_HEADER)
        if named is not None and named.strip().casefold() != company.code.casefold():
            raise ApiError(
                403,
                "company_mismatch",
                _("This API token belongs to company %(code)s.")
                % {"code": company.code},
            )
        services.touch_api_token(api_token)
        user: User = api_token.user
        return ApiContext(
            user=user,
            company=company,
            roles=frozenset(permissions.roles_of(user.pk, company)),
            token=api_token,
        )


class SessionAuth(APIKeyCookie):
    """Django's session cookie, CSRF-checked for unsafe methods."""

    param_name: str = settings.SESSION_COOKIE_NAME

    def __call__(self, request: HttpRequest) -> ApiContext | None:
        if _signed_in_user(request) is None:
            return None
        # Checked only once we know the cookie is a live session, so an
        # anonymous caller is told 401, not a puzzling CSRF failure.
        exempt = getattr(request, "_ninja_csrf_exempt", False)
        if self.csrf and not exempt and check_csrf(request) is not None:
            raise ApiError(
                403,
                "csrf_failed",
                _("The CSRF check failed; reload the page and try again."),
            )
        return self.authenticate(request, request.COOKIES.get(self.param_name))

    def authenticate(self, request: HttpRequest, key: str | None) -> ApiContext | None:
        user = _signed_in_user(request)
        if user is None:
            return None
        company = _session_company(request, user)
        return ApiContext(
            user=user,
            company=company,
            roles=frozenset(selectors.user_roles(company, user)),
            token=None,
        )


def _signed_in_user(request: HttpRequest) -> User | None:
    user = request.user
    return user if isinstance(user, User) and user.is_authenticated else None


def _session_company(request: HttpRequest, user: User) -> Company:
    companies = selectors.list_user_companies(user)
    named = request.headers.get(COMPANY_HEADER)
    if named is not None:
        company = selectors.find_user_company(user, named)
        if company is None:
            raise _company_not_found()
        return company
    chosen: Any = request.session.get("company_id")
    company = None
    if isinstance(chosen, int) or (isinstance(chosen, str) and chosen.isdigit()):
        company = companies.filter(pk=int(chosen)).first()
    # No choice yet, or a stale one (the user has left that company): the
    # first of the user's companies, rather than locking the user out.
    company = company or companies.first()
    if company is None:
        raise _company_not_found()
    return company


token_auth = TokenAuth()
session_auth = SessionAuth(csrf=True)
