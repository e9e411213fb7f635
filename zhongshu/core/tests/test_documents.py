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


@pytest.mark.django_db
def test_changing_many_documents_stamps_and_audits_each(
    company, owner, django_assert_num_queries
):
    # given
    batch = [SampleDocument.objects.create(company=company) for _ in range(3)]
    # when: one update round trip and one audit insert
    with django_assert_num_queries(2):
        documents.change_states(batch, "confirmed", actor=owner)
    # then
    for document in batch:
        document.refresh_from_db()
        assert (document.state, document.confirmed_by) == ("confirmed", owner)
        assert document.confirmed_at is not None
    entries = AuditEntry.objects.filter(object_kind="core_fieldsapp.sampledocument")
    assert sorted(int(e.object_id) for e in entries) == [d.pk for d in batch]
    assert {(e.action, e.actor_id) for e in entries} == {("confirmed", owner.pk)}
    assert entries[0].changes == {"state": ["draft", "confirmed"]}


@pytest.mark.django_db
def test_changing_many_refuses_all_when_one_may_not_move(company, owner):
    # given
    batch = [
        SampleDocument.objects.create(company=company),
        SampleDocument.objects.create(company=company, state="cancelled"),
    ]
    # when / then
    with pytest.raises(IllegalTransitionError):
        documents.change_states(batch, "confirmed", actor=owner)
    assert set(SampleDocument.objects.values_list("state", flat=True)) == {
        "draft",
        "cancelled",
    }
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
