"""One JSON shape for every API error::

    {"code": "company_read_only", "message": "…", "fields": {"uscc": ["…"]}}

``code`` is stable and machine-readable; ``message`` is for people, in the
request's language; ``fields`` maps a field name to its messages (``{}`` when
the error is not about fields). Handlers here cover domain errors, schema
validation, malformed JSON, oversized bodies, authentication, permissions,
ninja's own ``HttpError`` and, last, anything unexpected (500, no details).
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Mapping, Sequence
from typing import Any, TypeVar

from django.core.exceptions import PermissionDenied, RequestDataTooBig
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from ninja import NinjaAPI
from ninja.errors import HttpError, ValidationErrorContext
from ninja.errors import ValidationError as SchemaValidationError

from zhongshu.core.errors import (
    ConflictError,
    DomainError,
    NotFoundError,
    PermissionDeniedError,
)
from zhongshu.core.errors import ValidationError as CoreValidationError

logger = logging.getLogger("zhongshu.api")

CONTENT_TYPE = "application/json; charset=utf-8"


def _as_domain(error: type[DomainError]) -> tuple[str, str | Promise]:
    return error.code, error.default_message


# The code and message for a bare HTTP status, when nothing more specific is
# known; where core has the error, its code and wording.
STATUS_ERRORS: Mapping[int, tuple[str, str | Promise]] = {
    400: ("bad_request", gettext_lazy("The request is not valid.")),
    401: ("not_authenticated", gettext_lazy("Sign in or send an API token.")),
    403: _as_domain(PermissionDeniedError),
    404: _as_domain(NotFoundError),
    405: ("method_not_allowed", gettext_lazy("This method is not allowed here.")),
    409: _as_domain(ConflictError),
    413: ("body_too_large", gettext_lazy("The request body is too large.")),
    415: (
        "unsupported_media_type",
        gettext_lazy("Send the request body as JSON."),
    ),
    422: _as_domain(CoreValidationError),
    429: ("too_many_requests", gettext_lazy("Too many requests; try again later.")),
    500: (
        "server_error",
        gettext_lazy("Something went wrong on our side."),
    ),
}


class ApiError(Exception):
    """An error of the API layer itself (credentials, headers, body), as
    opposed to a ``DomainError`` raised by a service."""

    def __init__(
        self,
        status: int,
        code: str,
        message: str | Promise | None = None,
        *,
        fields: dict[str, list[str]] | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        self.status = status
        self.code = code
        self.message = str(message if message is not None else status_message(status))
        self.fields = fields or {}
        self.headers = dict(headers or {})
        super().__init__(code)


class MalformedJsonError(Exception):
    """The request body is not JSON; raised by the parser, answered with 400."""


def status_code_name(status: int) -> str:
    return STATUS_ERRORS.get(status, ("error", ""))[0]


def status_message(status: int) -> str:
    if status in STATUS_ERRORS:
        return str(STATUS_ERRORS[status][1])
    return _("The request failed.")


def error_body(
    code: str, message: str, fields: Mapping[str, Sequence[str]] | None = None
) -> dict[str, Any]:
    return {
        "code": code,
        "message": message,
        "fields": {
            name: [str(m) for m in msgs] for name, msgs in (fields or {}).items()
        },
    }


def error_response(
    status: int,
    code: str,
    message: str | Promise,
    fields: Mapping[str, Sequence[str]] | None = None,
    headers: Mapping[str, str] | None = None,
) -> HttpResponse:
    response = HttpResponse(
        json.dumps(error_body(code, str(message), fields), ensure_ascii=False),
        status=status,
        content_type=CONTENT_TYPE,
    )
    for name, value in (headers or {}).items():
        response[name] = value
    return response


def status_error_response(status: int) -> HttpResponse:
    return error_response(status, status_code_name(status), status_message(status))


# --- handlers --------------------------------------------------------------


def _domain_error(request: HttpRequest, exc: DomainError) -> HttpResponse:
    return error_response(exc.status, exc.code, exc.message, exc.fields)


def _api_error(request: HttpRequest, exc: ApiError) -> HttpResponse:
    return error_response(exc.status, exc.code, exc.message, exc.fields, exc.headers)


def _schema_error(request: HttpRequest, exc: SchemaValidationError) -> HttpResponse:
    fields: dict[str, list[str]] = {}
    for error in exc.errors:
        fields.setdefault(_field_name(error.get("loc", ())), []).append(
            _error_message(error)
        )
    return error_response(
        422, CoreValidationError.code, CoreValidationError.default_message, fields
    )


def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    if isinstance(exc.__cause__, MalformedJsonError):
        return error_response(
            400, "malformed_json", _("The request body is not valid JSON.")
        )
    headers = {"WWW-Authenticate": "Bearer"} if exc.status_code == 401 else None
    # ninja's own messages are English-only; the status's message is translated.
    return error_response(
        exc.status_code,
        status_code_name(exc.status_code),
        status_message(exc.status_code),
        headers=headers,
    )


def _not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return status_error_response(404)


def _permission_denied(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    return status_error_response(403)


def _too_large(request: HttpRequest, exc: RequestDataTooBig) -> HttpResponse:
    return status_error_response(413)


def _unexpected(request: HttpRequest, exc: Exception) -> HttpResponse:
    # Logged with its traceback for us; the client learns only that it failed.
    logger.exception("Unhandled error in %s %s", request.method, request.path)
    return status_error_response(500)


E = TypeVar("E", bound=Exception)


def _handle(
    api: NinjaAPI, exc_class: type[E], handler: Callable[[HttpRequest, E], HttpResponse]
) -> None:
    # ninja annotates the handler's argument as "exception or class"; it only
    # ever passes the raised exception.
    api.add_exception_handler(exc_class, handler)  # type: ignore[arg-type]


def install(api: NinjaAPI) -> None:
    """Register the handlers; ninja picks the most specific class in the MRO."""
    _handle(api, DomainError, _domain_error)
    _handle(api, ApiError, _api_error)
    _handle(api, SchemaValidationError, _schema_error)
    _handle(api, HttpError, _http_error)
    _handle(api, Http404, _not_found)
    _handle(api, PermissionDenied, _permission_denied)
    _handle(api, RequestDataTooBig, _too_large)
    _handle(api, Exception, _unexpected)


# --- schema validation details ------------------------------------------------


def schema_error(
    contexts: Sequence[ValidationErrorContext[Any]],
) -> SchemaValidationError:
    """ninja's ValidationError, with locations as the client sees its body.

    An endpoint's single JSON body parameter (``payload: CompanyIn``) is the
    whole body, so its name is dropped: ``("body", "uscc")``, not
    ``("body", "payload", "uscc")``. ``main.ZhongshuApi`` calls this."""
    errors: list[dict[str, Any]] = []
    for context in contexts:
        model = context.model
        source = model.__ninja_param_source__
        single = getattr(model, "__read_from_single_attr__", None)
        flattened = model.__ninja_flatten_map_reverse__
        for error in context.pydantic_validation_error.errors(include_url=False):
            loc = tuple(flattened.get(error["loc"], error["loc"]))
            if single is not None and loc[:1] == (single,):
                loc = loc[1:]
            errors.append(
                {
                    "loc": (source, *loc),
                    "type": error["type"],
                    "msg": error["msg"],
                    "ctx": {k: str(v) for k, v in error.get("ctx", {}).items()},
                }
            )
    return SchemaValidationError(errors)


def _field_name(loc: Sequence[Any]) -> str:
    """``lines.0.quantity`` for a nested body field; the source (``body``,
    ``query``...) alone when the error is about the whole of it."""
    parts = [str(part) for part in loc]
    return ".".join(parts[1:]) or (parts[0] if parts else "__all__")


_PYDANTIC_MESSAGES: Mapping[str, Promise] = {
    "missing": gettext_lazy("This field is required."),
    "extra_forbidden": gettext_lazy("Unknown field."),
    "string_type": gettext_lazy("Enter text."),
    "int_type": gettext_lazy("Enter a whole number."),
    "int_parsing": gettext_lazy("Enter a whole number."),
    "int_from_float": gettext_lazy("Enter a whole number."),
    "float_parsing": gettext_lazy("Enter a number."),
    "decimal_parsing": gettext_lazy("Enter a number."),
    "bool_parsing": gettext_lazy("Enter true or false."),
    "date_parsing": gettext_lazy("Enter a date as YYYY-MM-DD."),
    "date_from_datetime_parsing": gettext_lazy("Enter a date as YYYY-MM-DD."),
    "datetime_parsing": gettext_lazy("Enter a date and time in ISO 8601 format."),
    "datetime_from_date_parsing": gettext_lazy(
        "Enter a date and time in ISO 8601 format."
    ),
    "timezone_aware": gettext_lazy("Give the time with its UTC offset, e.g. +08:00."),
    "list_type": gettext_lazy("Enter a list."),
    "dict_type": gettext_lazy("Enter an object."),
    "model_attributes_type": gettext_lazy("Enter an object."),
    "model_type": gettext_lazy("Enter an object."),
}


def _error_message(error: Mapping[str, Any]) -> str:
    """A translated message for the common pydantic error types; pydantic's
    English message for the rare rest."""
    kind = error.get("type", "")
    context = error.get("ctx") or {}
    if kind in _PYDANTIC_MESSAGES:
        return str(_PYDANTIC_MESSAGES[kind])
    if kind == "string_too_long":
        return _("Enter at most %(count)s characters.") % {
            "count": context.get("max_length")
        }
    if kind == "string_too_short":
        return _("Enter at least %(count)s characters.") % {
            "count": context.get("min_length")
        }
    if kind in {"enum", "literal_error"}:
        return _("Choose one of: %(choices)s.") % {"choices": context.get("expected")}
    return str(error.get("msg") or _("This value is not valid."))
