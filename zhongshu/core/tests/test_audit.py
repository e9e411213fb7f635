"""The audit trail is written by services and can never be edited."""

from __future__ import annotations

import pytest

from zhongshu.core import audit
from zhongshu.core.models import AuditEntry
from zhongshu.core.request_context import current_ip


@pytest.mark.django_db
def test_entries_carry_actor_ip_and_changes(company, owner):
    # given
    token = current_ip.set("203.0.113.9")
    try:
        # when
        entry = audit.record(
            company=company,
            actor=owner,
            action="confirmed",
            obj=company,
            changes={"state": ["draft", "confirmed"]},
        )
    finally:
        current_ip.reset(token)
    # then
    entry.refresh_from_db()
    assert (entry.actor, entry.ip_address, entry.object_kind, entry.object_id) == (
        owner,
        "203.0.113.9",
        "core.company",
        str(company.pk),
    )
    assert entry.changes == {"state": ["draft", "confirmed"]}


@pytest.mark.django_db
def test_entries_cannot_be_changed_or_deleted(company):
    entry = AuditEntry.objects.filter(company=company).first()
    assert entry is not None
    entry.action = "nothing happened"
    with pytest.raises(PermissionError):
        entry.save()
    with pytest.raises(PermissionError):
        entry.delete()
    with pytest.raises(PermissionError):
        AuditEntry.objects.filter(pk=entry.pk).update(action="x")
    with pytest.raises(PermissionError):
        AuditEntry.objects.filter(pk=entry.pk).delete()
    entry.refresh_from_db()
    assert entry.action == "created"
