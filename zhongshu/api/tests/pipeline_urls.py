"""A URLconf with a second API around a router that knows nothing of
transactions, idempotency or trials: what it gets, it gets by being mounted.
"""

# No ``from __future__ import annotations``: ninja reads these annotations.
from django.http import HttpRequest
from django.urls import path
from ninja import Router, Schema, Status

from zhongshu.api.main import build_api
from zhongshu.core import audit
from zhongshu.core.apikit import api_context
from zhongshu.core.errors import ConflictError


class NoteIn(Schema):
    text: str
    fail: bool = False


class NoteOut(Schema):
    id: int
    text: str


router = Router()


@router.post("/notes", response={201: NoteOut})
def write_note(request: HttpRequest, payload: NoteIn) -> Status[NoteOut]:
    """Writes a row, then fails after writing when asked to."""
    context = api_context(request)
    entry = audit.record(
        company=context.company,
        actor=context.user,
        action=payload.text,
        obj=context.company,
    )
    if payload.fail:
        raise ConflictError()
    return Status(201, NoteOut(id=entry.pk, text=payload.text))


test_api = build_api([("/", router)], urls_namespace="pipeline-test")
urlpatterns = [path("api/v1/", test_api.urls)]
