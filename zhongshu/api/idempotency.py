"""``Idempotency-Key`` on POST: a retried request returns the first result and
creates nothing twice.

The first request with a key inserts an ``IdempotencyRecord`` *before* doing
its work, in the same transaction (``pipeline`` opens it). A concurrent
duplicate therefore waits: on PostgreSQL its insert blocks on the unique
constraint until the first commits, then fails and replays; on SQLite the
IMMEDIATE transaction makes it wait for the write lock. When the work is done
the record gets the response, so the two commit or roll back together:

* same key, same request (method, path, body) → the stored response again,
  with ``Idempotent-Replayed: true``;
* same key, different request → 422 ``idempotency_key_reused``;
* a 5xx response rolls everything back, record included: the client may retry.

Keys are per company and principal (a token, or a user's session), so two
callers cannot collide or read each other's responses.
"""

from __future__ import annotations

import hashlib

from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.utils.translation import gettext_lazy as _

from zhongshu.api.errors import ApiError
from zhongshu.core.apikit import ApiContext
from zhongshu.core.models import Company, IdempotencyRecord

KEY_HEADER = "Idempotency-Key"
REPLAYED_HEADER = "Idempotent-Replayed"
MAX_KEY_LENGTH = 255
# The record of the request in progress, kept on the request between the
# claim (before the work) and storing the response (after rendering).
_CLAIM_ATTRIBUTE = "_zhongshu_idempotency_record"


def key_of(request: HttpRequest) -> str | None:
    """The request's idempotency key, None without one; 400 if malformed."""
    key = request.headers.get(KEY_HEADER)
    if key is None:
        return None
    printable_ascii = all(" " <= char <= "~" for char in key)
    if not (1 <= len(key) <= MAX_KEY_LENGTH and printable_ascii and key.strip()):
        raise ApiError(
            400,
            "invalid_idempotency_key",
            _("The Idempotency-Key must be 1 to 255 printable ASCII characters."),
        )
    return key


def fingerprint_of(request: HttpRequest) -> str:
    digest = hashlib.sha256()
    for part in (request.method or "", request.get_full_path()):
        digest.update(part.encode())
        digest.update(b"\n")
    digest.update(request.body)
    return digest.hexdigest()


def begin(request: HttpRequest, context: ApiContext) -> HttpResponse | None:
    """Claim the request's key before its work runs.

    Returns the stored response when this is a retry, None when the work
    should run (always None without a key). Must run inside the request's
    transaction."""
    key = key_of(request)
    if key is None:
        return None
    fingerprint = fingerprint_of(request)
    record, created = _claim(
        company=context.company,
        principal=context.principal,
        key=key,
        fingerprint=fingerprint,
    )
    if created:
        setattr(request, _CLAIM_ATTRIBUTE, record)
        return None
    if record.fingerprint != fingerprint:
        raise ApiError(
            422,
            "idempotency_key_reused",
            _(
                "This Idempotency-Key was already used for a different request; "
                "use a new key for a new request."
            ),
        )
    return _replay(record)


def claimed(request: HttpRequest) -> IdempotencyRecord | None:
    """The record this request inserted, whose response is still to store."""
    record = getattr(request, _CLAIM_ATTRIBUTE, None)
    return record if isinstance(record, IdempotencyRecord) else None


def _claim(
    *, company: Company, principal: str, key: str, fingerprint: str
) -> tuple[IdempotencyRecord, bool]:
    try:
        # A savepoint, so a lost race leaves the outer transaction usable.
        with transaction.atomic():
            record = IdempotencyRecord.objects.create(
                company=company,
                principal=principal,
                key=key,
                fingerprint=fingerprint,
                status_code=0,  # filled in by store_response before commit
                content_type="",
                body=b"",
            )
        return record, True
    except IntegrityError:
        # The first request has committed (PostgreSQL waited for it here).
        existing = IdempotencyRecord.objects.get(
            company=company, principal=principal, key=key
        )
        return existing, False


def store_response(record: IdempotencyRecord, response: HttpResponseBase) -> None:
    """Keep the first response for replays, in the work's transaction."""
    if not isinstance(response, HttpResponse):
        # A streamed response cannot be replayed; keep no promise we can't.
        record.delete()
        return
    record.status_code = response.status_code
    record.content_type = response.get("Content-Type", "")
    record.body = response.content
    record.save(update_fields=["status_code", "content_type", "body"])


def _replay(record: IdempotencyRecord) -> HttpResponse:
    response = HttpResponse(
        bytes(record.body),
        status=record.status_code,
        content_type=record.content_type or None,
    )
    response[REPLAYED_HEADER] = "true"
    return response
