"""The API's edge: refuse oversized bodies early, and keep the error shape
for the errors Django itself produces on API paths.

It sits before the session and locale middleware, so a 413 costs no session
lookup and no body read; its messages are translated from the request's
Accept-Language or language cookie directly.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.utils import translation
from django.utils.translation import gettext as _

from zhongshu.api.errors import error_response, status_error_response

API_PREFIX = "/api/"


class ApiBodyLimitMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        if not request.path_info.startswith(API_PREFIX):
            return self.get_response(request)
        with translation.override(translation.get_language_from_request(request)):
            refusal = _refuse_body(request)
        if refusal is not None:
            return refusal
        response = self.get_response(request)
        with translation.override(translation.get_language_from_request(request)):
            return _json_error(response)


def _refuse_body(request: HttpRequest) -> HttpResponse | None:
    limit: int = settings.API_MAX_BODY_BYTES
    declared = request.META.get("CONTENT_LENGTH") or ""
    if declared:
        try:
            length = int(declared)
        except ValueError:
            length = -1
        if length < 0:
            return error_response(
                400, "bad_request", _("The Content-Length header is not valid.")
            )
        return status_error_response(413) if length > limit else None
    # No length given (a chunked body): read it now, at most Django's limit
    # plus one byte, and measure what arrived.
    try:
        size = len(request.body)
    except RequestDataTooBig:
        return status_error_response(413)
    return status_error_response(413) if size > limit else None


def _json_error(response: HttpResponseBase) -> HttpResponseBase:
    """Django's own answers on API paths (no such route: 404, method not
    allowed: 405, a crash outside ninja: 500) become the API's JSON shape."""
    content_type = response.get("Content-Type", "")
    if response.status_code < 400 or content_type.startswith("application/json"):
        return response
    replacement = status_error_response(response.status_code)
    if response.has_header("Allow"):
        replacement["Allow"] = response["Allow"]
    return replacement
