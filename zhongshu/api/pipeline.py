"""What every writing API call goes through, whichever app's router it is in.

``main`` installs two API-wide decorators, so a route gets all of this just by
being mounted:

``run_in_transaction`` (ninja "view" mode: around authentication, parsing,
the endpoint and rendering) puts each POST/PUT/PATCH/DELETE in one database
transaction. It rolls back when the answer is an error, and on success stores
the response for an ``Idempotency-Key`` in that same transaction.

``guard_writes`` (ninja "operation" mode: after authentication and schema
validation, around the endpoint function) refuses writes to a read-only trial
company, claims the idempotency key (or replays the stored answer), then runs
the endpoint in a savepoint, so a service error undoes the endpoint's work
but keeps the claimed key with its error response.

Endpoints opt out explicitly, with the markers of ``core.apikit``:
``allow_when_read_only`` and ``response_not_stored``.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable
from typing import Any

from django.db import transaction
from django.http import HttpRequest
from django.http.response import HttpResponseBase
from ninja.errors import ConfigError

from zhongshu.api import idempotency
from zhongshu.core import services
from zhongshu.core.apikit import READ_ONLY_ALLOWED, RESPONSE_NOT_STORED, ApiContext

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})

Run = Callable[..., HttpResponseBase]


def run_in_transaction(run: Run) -> Run:
    if inspect.iscoroutinefunction(run):
        # Transactions and the idempotency claim are synchronous; an async
        # endpoint would silently escape both.
        raise ConfigError("Async API endpoints are not supported.")

    @functools.wraps(run)
    def run_atomically(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        if request.method in SAFE_METHODS:
            return run(request, *args, **kwargs)
        with transaction.atomic():
            response = run(request, *args, **kwargs)
            record = idempotency.claimed(request)
            failed = response.status_code >= 400
            if response.status_code >= 500 or (failed and record is None):
                transaction.set_rollback(True)
            elif record is not None:
                idempotency.store_response(record, response)
        return response

    return run_atomically


def guard_writes(view: Callable[..., Any]) -> Callable[..., Any]:
    allowed_when_read_only = getattr(view, READ_ONLY_ALLOWED, False)
    keyed = not getattr(view, RESPONSE_NOT_STORED, False)

    @functools.wraps(view)
    def guarded(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        context = getattr(request, "auth", None)
        if request.method in SAFE_METHODS or not isinstance(context, ApiContext):
            # Reads, and public routes (auth=None): nothing to guard or key.
            return view(request, *args, **kwargs)
        if not allowed_when_read_only:
            services.require_writable(context.company)
        if request.method == "POST" and keyed:
            replay = idempotency.begin(request, context)
            if replay is not None:
                return replay
        with transaction.atomic():
            return view(request, *args, **kwargs)

    return guarded
