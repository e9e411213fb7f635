"""Document states change through one door: the flow, stamps and audit."""

from __future__ import annotations

import pytest

from zhongshu.core import documents
from zhongshu.core.checks import every_state_field_has_a_flow
from zhongshu.core.errors import IllegalTransitionError
from zhongshu.core.models import AuditEntry
from zhongshu.core.tests.fieldsapp.models import SampleDocument


@pytest.mark.django_db
def test_confirming_stamps_time_and_actor_and_audits(company, owner):
    # given
    document = SampleDocument.objects.create(company=company)
    # when
    documents.change_state(document, "confirmed", actor=owner)
    # then
    document.refresh_from_db()
    assert document.state == "confirmed"
    assert document.confirmed_by == owner
    assert document.confirmed_at is not None
    entry = AuditEntry.objects.get(object_kind="core_fieldsapp.sampledocument")
    assert (entry.action, entry.changes) == (
        "confirmed",
        {"state": ["draft", "confirmed"]},
    )


@pytest.mark.django_db
def test_an_illegal_transition_raises_and_changes_nothing(company, owner):
    document = SampleDocument.objects.create(company=company, state="cancelled")
    with pytest.raises(IllegalTransitionError):
        documents.change_state(document, "done", actor=owner)
    document.refresh_from_db()
    assert document.state == "cancelled"
    assert not AuditEntry.objects.filter(
        object_kind="core_fieldsapp.sampledocument"
    ).exists()


def test_a_state_field_without_a_flow_fails_the_system_check():
    assert every_state_field_has_a_flow() == []
    flow = documents._flows.pop(SampleDocument)
    try:
        errors = every_state_field_has_a_flow()
    finally:
        documents.register_flow(SampleDocument, flow)
    assert [e.id for e in errors] == ["zhongshu.E004"]
