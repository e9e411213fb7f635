"""The request-context kit every app's API router uses.

It lives in core rather than in ``zhongshu.api`` because every app's ``api.py``
needs it and no app may import ``zhongshu.api``, which sits on top of all
layers. ``zhongshu.api.auth`` builds the context; routers only read it.
"""

import functools
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Concatenate, ParamSpec, TypeVar

from django.contrib.auth.models import User
from django.http import HttpRequest

from zhongshu.core import permissions
from zhongshu.core.errors import PermissionDeniedError
from zhongshu.core.models import ApiToken, Company


@dataclass(frozen=True, slots=True, kw_only=True)
class ApiContext:
    """Who calls, for which company, with which roles: ``request.auth``."""

    user: User
    company: Company
    roles: frozenset[str]
    token: ApiToken | None

    @property
    def principal(self) -> str:
        """The caller as one string: a token acts apart from its user's session."""
        if self.token is not None:
            return f"token:{self.token.pk}"
        return f"user:{self.user.pk}"

    def can(self, permission_code: str) -> bool:
        return permissions.roles_grant(self.roles, permission_code)


def api_context(request: HttpRequest) -> ApiContext:
    context = getattr(request, "auth", None)
    if not isinstance(context, ApiContext):
        # Only a route declared with auth=None gets here; it has no company.
        raise TypeError("This endpoint needs an authenticated company context.")
    return context


def ensure_permission(context: ApiContext, permission_code: str) -> None:
    if not context.can(permission_code):
        raise PermissionDeniedError()


P = ParamSpec("P")
R = TypeVar("R")
View = Callable[Concatenate[HttpRequest, P], R]


def require(permission_code: str) -> Callable[[View[P, R]], View[P, R]]:
    """Refuse the endpoint with 403 ``permission_denied`` unless the caller's
    roles in the current company grant ``permission_code``.

    Put it below the router decorator (and below ``@paginate``)."""
    # Fail at import, not at the first request, on a misspelt code.
    permissions.get_permission(permission_code)

    def decorator(view: View[P, R]) -> View[P, R]:
        @functools.wraps(view)
        def checked(request: HttpRequest, /, *args: P.args, **kwargs: P.kwargs) -> R:
            ensure_permission(api_context(request), permission_code)
            return view(request, *args, **kwargs)

        return checked

    return decorator


READ_ONLY_ALLOWED = "zhongshu_allowed_when_read_only"
F = TypeVar("F", bound=Callable[..., Any])


def allow_when_read_only(view: F) -> F:
    """Let a writing endpoint run for a company whose trial has ended.

    Only for actions that change nothing of the company's business data and
    that a locked-out user still needs (revoking a leaked token, creating one
    to export the data)."""
    setattr(view, READ_ONLY_ALLOWED, True)
    return view


RESPONSE_NOT_STORED = "zhongshu_response_not_stored"


def response_not_stored(view: F) -> F:
    """Never keep this endpoint's response for Idempotency-Key replays.

    For responses carrying a secret shown once (a new token's key): storing
    it would put the plain secret in the database. Such an endpoint must be
    safe to retry by itself (a retried token request is a 409 on its name)."""
    setattr(view, RESPONSE_NOT_STORED, True)
    return view
