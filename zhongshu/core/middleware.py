from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from zhongshu.core.request_context import current_ip


def client_ip(request: HttpRequest) -> str | None:
    # REMOTE_ADDR only: trusting X-Forwarded-For would let a client forge its
    # address in the audit trail. A reverse proxy must set REMOTE_ADDR itself.
    return request.META.get("REMOTE_ADDR") or None


class RequestContextMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = current_ip.set(client_ip(request))
        try:
            return self.get_response(request)
        finally:
            current_ip.reset(token)
