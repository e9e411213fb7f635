from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse


class CurrentCompanyMiddleware:
    """Placeholder: resolves request.company from the session (filled in by web)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)
