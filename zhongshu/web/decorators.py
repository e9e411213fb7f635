"""Access rules shared by the pages: sign-in, current company, permission, 404."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar, cast

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from django.http.response import HttpResponseBase

from zhongshu.core import permissions
from zhongshu.core.errors import NotFoundError
from zhongshu.web.http import CompanyRequest

View = TypeVar("View", bound=Callable[..., HttpResponseBase])


def can(request: HttpRequest, permission: str) -> bool:
    return permissions.roles_grant(cast(CompanyRequest, request).roles, permission)


def require(request: HttpRequest, permission: str) -> None:
    """Refuse with 403 unless the user's roles grant ``permission``."""
    if not can(request, permission):
        raise PermissionDenied


def company_page(permission: str | None = None) -> Callable[[View], View]:
    """A page of the current company.

    Signed-in only; 403 without a current company or without ``permission``
    (the menu hides such pages, this refuses typed-in URLs). A NotFoundError
    from a scoped selector — another company's id — becomes a plain 404.
    """

    def decorator(view: View) -> View:
        @wraps(view)
        def wrapper(
            request: HttpRequest, *args: Any, **kwargs: Any
        ) -> HttpResponseBase:
            if cast(CompanyRequest, request).company is None:
                raise PermissionDenied
            if permission is not None:
                require(request, permission)
            try:
                return view(request, *args, **kwargs)
            except NotFoundError as error:
                raise Http404(error.message) from error

        return cast(View, login_required(wrapper))

    return decorator
