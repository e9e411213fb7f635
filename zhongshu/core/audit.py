"""The audit trail: one entry per business action, written by the service doing it."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import AnonymousUser, User
from django.db import models

from zhongshu.core.bulk import insert_many
from zhongshu.core.models import AuditEntry, Company
from zhongshu.core.request_context import current_ip


def _jsonable(value: Any) -> Any:
    if isinstance(value, Decimal | datetime.date | datetime.datetime):
        return str(value)
    if isinstance(value, models.Model):
        return value.pk
    return value


def field_changes(
    before: dict[str, Any], after: dict[str, Any]
) -> dict[str, list[Any]]:
    """{field: [old, new]} for each field whose value differs."""
    return {
        name: [_jsonable(before.get(name)), _jsonable(value)]
        for name, value in after.items()
        if before.get(name) != value
    }


def record_many(
    *,
    company: Company | None,
    actor: User | AnonymousUser | None,
    action: str,
    objects: Sequence[models.Model],
    changes: dict[str, Any] | None = None,
) -> list[AuditEntry]:
    """The entries ``record`` writes for each of ``objects``, in one insert."""
    common = {
        "company": company,
        "actor": actor if isinstance(actor, User) else None,
        "action": action,
        "changes": {k: _jsonable(v) for k, v in (changes or {}).items()},
        "ip_address": current_ip.get(),
    }
    return insert_many(
        [
            AuditEntry(
                **common,
                object_kind=obj._meta.label_lower,
                object_id=str(obj.pk),
                object_repr=str(obj)[:200],
            )
            for obj in objects
        ]
    )


def record(
    *,
    company: Company | None,
    actor: User | AnonymousUser | None,
    action: str,
    obj: models.Model,
    changes: dict[str, Any] | None = None,
) -> AuditEntry:
    return AuditEntry.objects.create(
        company=company,
        actor=actor if isinstance(actor, User) else None,
        action=action,
        object_kind=obj._meta.label_lower,
        object_id=str(obj.pk),
        object_repr=str(obj)[:200],
        changes={k: _jsonable(v) for k, v in (changes or {}).items()},
        ip_address=current_ip.get(),
    )
